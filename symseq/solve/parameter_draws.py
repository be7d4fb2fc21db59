"""The verifier's rule for integrals with parameters: the contract at draws of their values.

``check_at_draws`` runs the one-variable numeric verdict (``judge``: the verifier's) on the
question and answer with the parameters replaced by exact values drawn from the assumed domain
(``symseq.lang.assume.draw_values``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.domain import Verdict
from symseq.lang.assume import draw_values
from symseq.solve.cases import draws_by_branch, parameter_pieces, sign_draws

PARAMETER_DRAWS = 3  # random draws of real parameters (integers run through a range)


def check_at_draws(task: str, question: sp.Expr, candidate: sp.Expr, parameters: list, excluded: list,
                   judge: Callable[[str, sp.Expr, sp.Expr], tuple]) -> tuple:
    """An integral with parameters: the contract at every draw of their values from the assumed
    domain (``symseq.lang.assume.draw_values``: random reals, every integer of a small range);
    one failing draw is enough to refuse; draws where an ``excluded`` factor vanishes are skipped
    (the answer is shown "provided" they do not).  (verdict, reason, valid_on, intervals): an
    answer that holds on part of the line only is LOCAL when every such draw found the same
    intervals (they do not depend on the parameters: ``exp(acot(x))``'s jump at 0) and it holds
    on the whole line at the others; intervals that move with the parameters are not checked,
    nor intervals with ends located numerically (not named exactly) found at one draw alone (the
    others holding on the whole line): they may belong to that draw only."""
    extra = sorted(s.name for s in candidate.free_symbols - set(parameters) - {X})
    if extra:
        return Verdict.INVALID, f"symbols other than x and the parameters: {', '.join(extra)}", "", ()
    rng = np.random.default_rng()
    if parameter_pieces(candidate):  # an answer by cases: each case where it is the one in force
        draws, why = draws_by_branch(candidate, parameters, excluded, rng, PARAMETER_DRAWS)
        if not draws:
            return Verdict.INVALID, why, "", ()
    else:
        draws = [v for v in draw_values(parameters, rng, PARAMETER_DRAWS) if all(f.xreplace(v) != 0 for f in excluded)]
    draws += sign_draws(candidate, parameters, excluded, rng)  # both sides of each parameter radicand
    if not draws:
        return Verdict.INVALID, "no value of the parameters to check it at", "", ()
    local, seen = None, 0  # (valid_on, intervals, reason) of the first draw where it holds on intervals only
    for values in draws:
        verdict, reason, *where = judge(task, question.xreplace(values), candidate.xreplace(values))
        if verdict is Verdict.NUMERIC_ONLY:
            continue
        shown = ", ".join(f"{s} = {v}" for s, v in values.items())
        if verdict is Verdict.LOCAL:
            valid_on, intervals = where
            seen += 1
            if local is None:
                local = (valid_on, intervals, f"for {shown}: {reason}")
                continue
            if _same_intervals(intervals, local[1]):
                continue
            return Verdict.INVALID, f"holds on intervals that change with the parameters ({local[0]}; " \
                f"for {shown}: {valid_on}): not checked", "", ()
        return verdict, f"for {shown}: {reason}", "", ()
    if local is None:
        return Verdict.NUMERIC_ONLY, "", "", ()
    if seen == 1 and any("." in text for i in local[1] for text in (i.lo_text, i.hi_text)):
        return Verdict.INVALID, f"holds on intervals located at one draw only ({local[2].split(':')[0]}: " \
            f"{local[0]}): not checked", "", ()
    return Verdict.LOCAL, local[2], local[0], local[1]


def _same_intervals(one, other) -> bool:
    """The same intervals, end for end, to 1e-12 relative (not as rounded text: x > 5.001 and
    x > 5.0012 are different intervals)."""
    def close(u: float, v: float) -> bool:
        return u == v or abs(u - v) <= 1e-12 * max(abs(u), abs(v))
    return len(one) == len(other) and all(close(i.lo, j.lo) and close(i.hi, j.hi) for i, j in zip(one, other))
