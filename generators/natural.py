"""Natural-form integrals: the kinds of antiderivative a calculus course meets, differentiated and
simplified, so that the integrand looks written by a person rather than by a chain rule.

``gen_nat`` draws F as one or two terms of these shapes (small integer coefficients):

* P(x) e^(ax+b), e^(ax) (P sin bx + Q cos bx)     -- integration by parts, exponentials
* P(x) sin(ax+b) + Q(x) cos(ax+b)                  -- by parts, trigonometric
* P(x) log(ax+b), P(x) atan(x), P(x) asin(x/a)    -- by parts with log and inverse trig
* log(quadratic), atan((x+b)/c), k/(x-r)^n         -- rational functions (partial fractions)
* sqrt(quadratic), asin((x-b)/a), asinh((x+b)/a)   -- radicals of quadratics (trig substitution)
* sin^n(ax), sin^n cos^m, tan^n, sec              -- powers of trigonometric functions
* (ax+b)^n, (x^2+c)^(p/2), P(x)                    -- substitution and powers

and sets f = simplify(F') (``together``/``factor`` forms when shorter: ``natural_integrand``).
``natural_pair(rng, terms)`` draws a pair with a given number of terms (``nat`` draws 1 or 2;
the ``nat-longer`` robustness suite 3).  The pair is checked
like every other (F' == f numerically) by ``integration._finish``.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators import base
from generators.base import Problem, Skip
from generators.integration import _finish
from generators.symbols import X
from generators.trees import ExprConfig


def _int(rng: np.random.Generator, lo: int = 1, hi: int = 3, signed: bool = True) -> int:
    v = int(rng.integers(lo, hi + 1))
    return -v if signed and rng.integers(2) else v


def _poly(rng: np.random.Generator, max_degree: int = 2) -> sp.Expr:
    degree = int(rng.integers(0, max_degree + 1))
    coeffs = [_int(rng, 0, 3) for _ in range(degree)] + [_int(rng, 1, 3)]
    return sum(c * X**k for k, c in enumerate(coeffs))


def _linear(rng: np.random.Generator) -> sp.Expr:
    return _int(rng, 1, 3, signed=False) * X + _int(rng, 0, 3)


def _quadratic(rng: np.random.Generator) -> sp.Expr:
    return X**2 + _int(rng, 0, 3) * X + _int(rng, 1, 5, signed=False)


def _shape(rng: np.random.Generator) -> sp.Expr:
    a, b = _int(rng, 1, 3, signed=False), _int(rng, 0, 2)
    kind = int(rng.integers(12))
    if kind == 0:
        return _poly(rng) * sp.exp(a * X + b)
    if kind == 1:
        c = _int(rng, 1, 2, signed=False)
        return sp.exp(a * X) * (_poly(rng, 1) * sp.sin(c * X) + _poly(rng, 1) * sp.cos(c * X))
    if kind == 2:
        return _poly(rng) * sp.sin(a * X + b) + _poly(rng) * sp.cos(a * X + b)
    if kind == 3:
        return _poly(rng) * sp.log(_linear(rng))
    if kind == 4:
        return _poly(rng, 1) * [sp.atan, sp.asin, sp.acos, sp.asinh][int(rng.integers(4))](X / a)
    if kind == 5:
        return _int(rng) * sp.log(_quadratic(rng)) + _int(rng, 0, 2) * sp.atan((X + b) / a)
    if kind == 6:
        r, n = _int(rng, 0, 3), int(rng.integers(1, 3))
        return _int(rng) / (X - r) ** n + _int(rng, 0, 2) * sp.log(X - _int(rng, 0, 3))
    if kind == 7:
        return _int(rng) * sp.sqrt(_quadratic(rng)) + _int(rng, 0, 2) * sp.asinh((X + b) / a)
    if kind == 8:
        return sp.sin(a * X) ** int(rng.integers(1, 5)) * sp.cos(a * X) ** int(rng.integers(0, 4))
    if kind == 9:
        return [sp.tan(a * X) ** int(rng.integers(1, 4)), sp.sec(a * X), sp.log(sp.sec(a * X) + sp.tan(a * X))][
            int(rng.integers(3))]
    if kind == 10:
        return _linear(rng) ** int(rng.integers(2, 6)) * sp.Rational(1, int(rng.integers(1, 4)))
    return (X**2 + _int(rng, 1, 4, signed=False)) ** sp.Rational(int(rng.integers(1, 6)), 2)


def natural_integrand(F: sp.Expr) -> sp.Expr:
    """F' in the compact form a person would write (``simplify`` can be slow: call it in a
    process with a time limit, as the data driver does)."""
    return _compact(sp.diff(F, X))


def _compact(f: sp.Expr) -> sp.Expr:
    """The shortest of simplify(f), factor(together(f)) and f itself."""
    forms = [f, sp.simplify(f)]
    try:
        forms.append(sp.factor(sp.together(f)))
    except sp.PolynomialError:
        pass
    return min(forms, key=sp.count_ops)


def natural_pair(rng: np.random.Generator, terms: int) -> Problem | Skip:
    """A natural-form pair whose antiderivative has ``terms`` textbook-kind terms."""
    F = sum(_int(rng, 1, 2) * _shape(rng) for _ in range(terms))
    F = base.drop_constant_terms(F)
    if not F.has(X):
        return Skip(base.CONSTANT)
    if base.is_invalid(F):
        return Skip(base.INVALID)
    return _finish("nat", natural_integrand(F), F, {"terms": terms})


@base.generator
def gen_nat(rng: np.random.Generator, cfg: ExprConfig) -> Problem | Skip:
    return natural_pair(rng, int(rng.integers(1, 3)))
