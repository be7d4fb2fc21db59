"""Adaptive-precision evaluation of an expression at one point, with an error estimate.

The verifier's confirmation stage: ``judge_zero(expr, point)`` decides whether an expression
(a residual) is zero at a point, evaluating the *whole* expression with mpmath at a working
precision chosen from the magnitudes met inside it, then again at twice that precision:

* every intermediate value's magnitude is tracked; ``S`` is the largest.  Rounding at ``p``
  bits perturbs the result by about ``S * 2**-p`` (times a modest amplification), so a value
  far above that bound, stable between the two precisions, is a real nonzero residual;
  ``cosh(1000x)**2 - sinh(1000x)**2 - 1`` is judged against ``S ~ e**2000`` at ``p ~ 3100``
  bits and found to be 0, while an answer off by ``x`` hidden in it is found to be off;
* values that do not settle between precisions are raised once more, then called undecided.

Points are exact binary floats (``mpf(float)`` is exact), evaluated without building
rationals, so ``x**(10**7)`` costs a few multiplications, not a 10**7-digit number.
"""

from __future__ import annotations

import enum
import math
from typing import Mapping

import mpmath
import sympy as sp

from generators.functions import EVALUABLE

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
        fn = _FUNCTIONS.get(type(e))
        if fn is not None and len(e.args) == 1:
            return mpmath.mpc(fn(self(e.args[0])))
        raise _Unsupported(f"cannot evaluate {type(e).__name__}")


def evaluate(expr: sp.Basic, point: Mapping[sp.Basic, float], bits: int):
    """``(value, largest intermediate magnitude)`` at ``bits`` of working precision."""
    with mpmath.workprec(bits):
        ev = _Evaluator(point)
        value = ev(expr)
        return value, ev.magnitude


def _bits_of(magnitude) -> int:
    return max(0, int(mpmath.log(magnitude, 2))) if magnitude > 1 else 0


def judge_zero(expr: sp.Basic, point: Mapping[sp.Basic, float]) -> tuple[Zero, float]:
    """Is ``expr`` zero at ``point``?  Returns the judgement and ``|value|`` (0.0 if unknown)."""
    try:
        _, magnitude = evaluate(expr, point, 64)
        bits = BASE_BITS + _bits_of(magnitude)
        previous = None
        for _ in range(3):
            if bits > MAX_BITS:
                return Zero.UNDECIDED, 0.0
            value, magnitude = evaluate(expr, point, bits)
            bound = magnitude * mpmath.mpf(2) ** (AMPLIFICATION_BITS - bits)
            if previous is not None:
                prev_value, prev_bound = previous
                if abs(value - prev_value) <= prev_bound:  # settled: value is accurate to prev_bound
                    if abs(value) <= prev_bound:
                        return Zero.ZERO, float(abs(value))
                    return Zero.NONZERO, _as_float(abs(value))
            previous = (value, bound)
            bits *= 2
    except (_Unsupported, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return Zero.UNDECIDED, 0.0
    return Zero.UNDECIDED, 0.0


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
