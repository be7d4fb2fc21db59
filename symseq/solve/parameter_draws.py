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
from symseq.numerics.difference import needs_difference_check
from symseq.solve.moving_breaks import break_factors, describe_breaks, explain_draw

PARAMETER_DRAWS = 3  # random draws of real parameters (integers run through a range)
JUMP = "not continuous"  # how the verifier's reason for a jump of the answer begins (continuity.find_jump)
# Answers whose breaks move with the parameters, stated by the zeros at them (``moving_breaks``):
# off.  Two adversarial reviews (session 20, experiments/RESULTS.md) made that check accept wrong
# answers (a jump hidden by a large |F|, two breaks in one grid cell, a factor with no real zero);
# such answers are refused ("intervals that change with the parameters: not checked") until the
# check verifies F against the integral of f on each piece between located zeros.
MOVING_BREAKS = False


def check_at_draws(task: str, question: sp.Expr, candidate: sp.Expr, parameters: list, excluded: list,
                   judge: Callable[[str, sp.Expr, sp.Expr], tuple], var: sp.Symbol = X) -> tuple:
    """An integral with parameters: the contract at every draw of their values from the assumed
    domain (``symseq.lang.assume.draw_values``: random reals, every integer of a small range);
    one failing draw is enough to refuse; draws where an ``excluded`` factor vanishes are skipped
    (the answer is shown "provided" they do not).  (verdict, reason, valid_on, intervals): an
    answer that holds on part of the line only is LOCAL when every such draw found the same
    intervals (they do not depend on the parameters: ``exp(acot(x))``'s jump at 0) and it holds
    on the whole line at the others (intervals located numerically at one draw only are not
    taken for every parameter value).  Intervals that move with the parameters are not checked;
    with ``MOVING_BREAKS`` (off) they would be stated by the zeros of the answer's break factors
    (``moving_breaks``; ``var``: the user's name for x, in that text)."""
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
    local = []  # (values, valid_on, intervals, reason) of each draw where it holds on intervals only
    jumped = []  # (values, reason) of each draw where it fails by a jump alone
    moving = _MovingBreaks(question, candidate, rng, var)  # once the intervals move: the draws after
    shortcut = 0  # draws judged by moving.explain alone
    for values in draws:
        if moving.active and not moving.refused and moving.explain(values):  # no interval search
            shortcut += 1
            continue
        verdict, reason, *where = judge(task, question.xreplace(values), candidate.xreplace(values))
        if verdict is Verdict.NUMERIC_ONLY:
            continue
        shown = ", ".join(f"{s} = {v}" for s, v in values.items())
        if verdict is Verdict.LOCAL:
            local.append((values, *where, f"for {shown}: {reason}"))
        elif MOVING_BREAKS and verdict is Verdict.WRONG and reason.startswith(JUMP) and task == "integrate":
            jumped.append((values, f"for {shown}: {reason}"))
        else:
            return verdict, f"for {shown}: {reason}", "", ()
        # moving: a jump at some draw, intervals that differ, or ends not named exactly (located
        # numerically: likely to move, and comparing them costs a second interval search)
        differ = not all(_same_intervals(d[2], local[0][2]) for d in local[1:])
        if differ and not MOVING_BREAKS:  # refused at once: the other draws cannot change that
            break
        moving.active = MOVING_BREAKS and (bool(jumped) or differ or any(
            "." in text for i in local[0][2] for text in (i.lo_text, i.hi_text)))
    if not local and not jumped:
        return Verdict.NUMERIC_ONLY, "", "", ()
    exact = not any("." in text for i in local[0][2] for text in (i.lo_text, i.hi_text)) if local else False
    # the same intervals at every draw: shown as they are, if their ends are exact or two draws
    # agree on them (ends located numerically at one draw alone may belong to that draw only)
    if not jumped and not shortcut and all(_same_intervals(d[2], local[0][2]) for d in local[1:]) \
            and (exact or len(local) > 1):
        _, valid_on, intervals, reason = local[0]
        return Verdict.LOCAL, reason, valid_on, intervals
    # intervals that move with the parameters: stated by the zeros that bound them, if they do
    if MOVING_BREAKS and all(moving.explain(d[0], failed_there=True) for d in local + jumped) and moving.described():
        return Verdict.LOCAL, f"{(local or jumped)[0][-1]}; at every draw: {moving.described()}", \
            moving.described(), ()
    if jumped:
        return Verdict.WRONG, jumped[0][1], "", ()
    shown = "; ".join(f"{reason.split(':')[0]}: {valid_on}" for _, valid_on, _, reason in local[:2])
    return Verdict.INVALID, f"holds on intervals that change with the parameters ({shown}): not checked", "", ()


class _MovingBreaks:
    """The draws judged by ``moving_breaks.explain_draw`` (their interval search skipped: seconds
    each), and the break factors they used.  Not for answers with Abs or sign (their kinks) or
    incomplete elliptic integrals (the difference check).  A draw ``explain`` refused once is not
    tried again (a fresh random grid is no second chance): the answer is then not stated this way."""

    def __init__(self, question: sp.Expr, candidate: sp.Expr, rng: np.random.Generator, var: sp.Symbol):
        self.question, self.candidate, self.rng, self.var = question, candidate, rng, var
        self.plain = not candidate.has(sp.Abs, sp.sign) and not needs_difference_check(candidate)
        self._factors: list | None = None  # read off the answer when first needed
        self.used: set[int] = set()
        self.somewhere_complex = False
        self.refused = False
        self._active = False

    @property
    def factors(self) -> list:
        if self._factors is None:
            try:
                self._factors = break_factors(self.candidate) if self.plain else []
            except Exception:  # noqa: BLE001 -- SymPy's factoring on odd answers: not stated this way
                self._factors = []
        return self._factors

    @property
    def active(self) -> bool:
        return self._active

    @active.setter
    def active(self, value: bool) -> None:
        self._active = value and bool(self.factors)

    def explain(self, values: dict, failed_there: bool = False) -> bool:
        """Whether the draw passes ``explain_draw`` (with a break found, if the full judge saw the
        answer fail there), recording the factors it used."""
        if self.refused or not self.factors:
            return False
        found = explain_draw(self.question, self.candidate, self.factors, values, self.rng)
        if found is None or (failed_there and not found[2]):
            self.refused = True
            return False
        self.used |= found[0]
        self.somewhere_complex |= found[1]
        return True

    def described(self) -> str:
        return "" if self.refused else describe_breaks(self.factors, self.used, self.somewhere_complex, self.var)


def _same_intervals(one, other) -> bool:
    """The same intervals, end for end, to 1e-12 relative (not as rounded text: x > 5.001 and
    x > 5.0012 are different intervals)."""
    def close(u: float, v: float) -> bool:
        return u == v or abs(u - v) <= 1e-12 * max(abs(u), abs(v))
    return len(one) == len(other) and all(close(i.lo, j.lo) and close(i.hi, j.hi) for i, j in zip(one, other))
