"""Adaptive-precision evaluation of an expression at one point, with an error estimate.

The verifier's confirmation stage: ``judge_zero(expr, point)`` decides whether an expression
(a residual) is zero at a point, evaluating the *whole* expression with mpmath at a working
precision chosen from the magnitudes met inside it, then again at twice and four times that:

* every intermediate value's magnitude is tracked; ``S`` is the largest.  Rounding at ``p``
  bits perturbs the result by about ``S * 2**-p`` (times a modest amplification), so a value
  that converges as the precision doubles and stands above that bound is a real nonzero
  residual, while rounding noise shrinks with every doubling (see ``judge_zero``);
  ``cosh(1000x)**2 - sinh(1000x)**2 - 1`` is judged against ``S ~ e**2000`` at ``p ~ 3100``
  bits and found to be 0, while an answer off by ``x`` hidden in it is found to be off;
* values that neither converge nor shrink are called undecided.

Points are exact binary floats (``mpf(float)`` is exact), evaluated without building
rationals, so ``x**(10**7)`` costs a few multiplications, not a 10**7-digit number.
"""

from __future__ import annotations

import enum
import math
from typing import Mapping

import mpmath
import sympy as sp

from generators.functions import EVALUABLE, SPECIAL_BY_SYMPY

BASE_BITS = 256  # margin beyond the magnitude of the largest intermediate
AMPLIFICATION_BITS = 40  # rounding error may be amplified this much through the tree
MAX_BITS = 60_000


class Zero(str, enum.Enum):
    ZERO = "zero"
    NONZERO = "nonzero"
    UNDECIDED = "undecided"  # not finite, unsupported, or unstable at every precision tried


class _Unsupported(ValueError):
    pass


_FUNCTIONS = {sympy_class: row.mpmath for sympy_class, row in EVALUABLE.items()}


class _Evaluator:
    def __init__(self, env: Mapping[sp.Basic, float]) -> None:
        self.env = {k: mpmath.mpc(v) for k, v in env.items()}
        self.memo: dict[sp.Basic, mpmath.mpc] = {}
        self.magnitude = mpmath.mpf(1)

    def __call__(self, e: sp.Basic):
        hit = self.memo.get(e)
        if hit is None:
            hit = self._eval(e)
            if not mpmath.isfinite(hit):
                raise _Unsupported("not finite")
            m = abs(hit)
            if m > self.magnitude:
                self.magnitude = m
            self.memo[e] = hit
        return hit

    def _eval(self, e: sp.Basic):
        if e in self.env:
            return self.env[e]
        if e.is_Integer:
            return mpmath.mpc(int(e))
        if e.is_Rational:
            return mpmath.mpc(mpmath.mpf(int(e.p)) / int(e.q))
        if e.is_Float:
            return mpmath.mpc(e._as_mpf_val(mpmath.mp.prec))
        if e is sp.pi:
            return mpmath.mpc(mpmath.pi)
        if e is sp.E:
            return mpmath.mpc(mpmath.e)
        if e is sp.I:
            return mpmath.mpc(0, 1)
        if e.is_Add:
            total = mpmath.mpc(0)
            for a in e.args:
                total += self(a)
            return total
        if e.is_Mul:
            out = mpmath.mpc(1)
            for a in e.args:
                out *= self(a)
            return out
        if e.is_Pow:
            base, exponent = e.args
            b = self(base)
            if exponent.is_Integer:
                k = int(exponent)
                if k < 0 and b == 0:
                    raise _Unsupported("division by zero")
                return b ** k
            if exponent == sp.S.Half:
                return mpmath.sqrt(b)
            w = self(exponent)
            if b == 0:
                raise _Unsupported("0 to a non-integer power")
            return mpmath.power(b, w)
        if isinstance(e, sp.atan2):  # real arguments only
            y, x = self(e.args[0]), self(e.args[1])
            if y.imag != 0 or x.imag != 0:
                raise _Unsupported("atan2 of complex arguments")
            return mpmath.mpc(mpmath.atan2(y.real, x.real))
        fn = _FUNCTIONS.get(type(e))
        if fn is not None and len(e.args) == 1:
            return mpmath.mpc(fn(self(e.args[0])))
        special = SPECIAL_BY_SYMPY.get(type(e))
        if special is not None and len(e.args) in special.arities:
            try:
                return mpmath.mpc(special.mpmath(*(self(a) for a in e.args)))
            except (ValueError, ZeroDivisionError, mpmath.libmp.NoConvergence) as err:
                raise _Unsupported(f"{special.name}: {type(err).__name__}") from None
        raise _Unsupported(f"cannot evaluate {type(e).__name__}")


def evaluate(expr: sp.Basic, point: Mapping[sp.Basic, float], bits: int):
    """``(value, largest intermediate magnitude)`` at ``bits`` of working precision."""
    with mpmath.workprec(bits):
        ev = _Evaluator(point)
        value = ev(expr)
        return value, ev.magnitude


def _bits_of(magnitude) -> int:
    return max(0, int(mpmath.log(magnitude, 2))) if magnitude > 1 else 0


def working_bits(expr: sp.Basic, point: Mapping[sp.Basic, float]) -> int:
    """The precision at which ``expr``'s rounding stays far below its value: ``BASE_BITS``
    beyond the largest intermediate magnitude met at ``point``."""
    _, magnitude = evaluate(expr, point, 64)
    return BASE_BITS + _bits_of(magnitude)


def judge_zero(expr: sp.Basic, point: Mapping[sp.Basic, float], levels: int = 3) -> tuple[Zero, float]:
    """Is ``expr`` zero at ``point``?  Returns the judgement and ``|value|`` (0.0 if unknown).

    Evaluated at ``levels`` precisions p, 2p, 4p, ... (p = ``BASE_BITS`` beyond the largest
    intermediate magnitude S; rounding at p bits is about S 2^(AMPLIFICATION_BITS - p)):

    * NONZERO as soon as the value has converged (it moved less than the previous level's
      rounding bound) and stands clearly above that bound: a real residual, however small
      against S (``pi*x/10**70`` beside O(1) terms); or when three levels agree to 64 bits
      relative on a nonzero value (``exp(-1000)*x``: tiny, but no cancellation to blame);
    * ZERO if at the last two levels it stayed below the previous level's bound (it shrinks
      with the precision, as rounding noise does);
    * otherwise UNDECIDED.  Residuals below S 2^(40 - p 2^(levels-2)) cannot be told from 0.
    """
    try:
        bits = working_bits(expr, point)
        history: list[tuple] = []  # (value, bound) per level
        for _ in range(max(3, levels)):
            if bits > MAX_BITS:
                break
            value, magnitude = evaluate(expr, point, bits)
            bound = magnitude * mpmath.mpf(2) ** (AMPLIFICATION_BITS - bits)
            if history:
                prev_value, prev_bound = history[-1]
                if abs(value - prev_value) <= prev_bound and abs(value) > prev_bound * 2**16:
                    return Zero.NONZERO, _as_float(abs(value))
            history.append((value, bound))
            if len(history) >= 3 and _steady(history[-3:]):
                return Zero.NONZERO, _as_float(abs(value))
            bits *= 2
    except (_Unsupported, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return Zero.UNDECIDED, 0.0
    if len(history) >= 3 and all(abs(history[k][0]) <= history[k - 1][1] for k in (-1, -2)):
        return Zero.ZERO, float(abs(history[-1][0]))
    return Zero.UNDECIDED, 0.0


def _steady(last: list[tuple]) -> bool:
    """Three precisions agree to 64 bits relative on a nonzero value: a true value, however
    small (``exp(-1000)*x``, with no cancellation); rounding noise changes at every doubling."""
    (a, _), (b, _), (c, _) = last
    return c != 0 and abs(c - b) <= abs(c) * mpmath.mpf(2) ** -64 and abs(b - a) <= abs(b) * mpmath.mpf(2) ** -64


def _as_float(value) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf


def is_real(expr: sp.Basic, point: Mapping[sp.Basic, float], bits: int = 128) -> bool | None:
    """Whether ``expr`` is finite and real at ``point`` (None if it cannot be evaluated)."""
    try:
        value, magnitude = evaluate(expr, point, bits)
    except (_Unsupported, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return bool(abs(value.imag) <= magnitude * mpmath.mpf(2) ** (AMPLIFICATION_BITS - bits))
