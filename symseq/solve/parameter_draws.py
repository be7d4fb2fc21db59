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

PARAMETER_DRAWS = 3  # random draws of real parameters (integers run through a range)


def check_at_draws(task: str, question: sp.Expr, candidate: sp.Expr, parameters: list, excluded: list,
                   judge: Callable[[str, sp.Expr, sp.Expr], tuple]) -> tuple:
    """An integral with parameters: the contract at every draw of their values from the assumed
    domain (``symseq.lang.assume.draw_values``: random reals, every integer of a small range);
    one failing draw is enough to refuse; draws where an ``excluded`` factor vanishes are skipped
    (the answer is shown "provided" they do not).  An answer holding on part of the line only for some
    draw is not checked further (its intervals would depend on the parameters)."""
    extra = sorted(s.name for s in candidate.free_symbols - set(parameters) - {X})
    if extra:
        return Verdict.INVALID, f"symbols other than x and the parameters: {', '.join(extra)}"
    draws = [v for v in draw_values(parameters, np.random.default_rng(), PARAMETER_DRAWS)
             if all(f.xreplace(v) != 0 for f in excluded)]
    if not draws:
        return Verdict.INVALID, "no value of the parameters to check it at"
    for values in draws:
        verdict, reason, *_ = judge(task, question.xreplace(values), candidate.xreplace(values))
        if verdict is Verdict.NUMERIC_ONLY:
            continue
        shown = ", ".join(f"{s} = {v}" for s, v in values.items())
        if verdict is Verdict.LOCAL:
            return Verdict.INVALID, f"for {shown} it holds on part of the real line only (not checked with parameters)"
        return verdict, f"for {shown}: {reason}"
    return Verdict.NUMERIC_ONLY, ""
