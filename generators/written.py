"""Integrands as a textbook or a person writes them, drawn directly (not as a derivative):
``written_integrand(rng)``.  Nobody knows their antiderivative when they are drawn; an engine
must find it (``gen_written`` asks SymPy, as ``fwd`` does; ``symseq distill`` asks FriCAS and
Maxima and keeps every verified answer: ``symseq.solve.distill``).

Shapes (small integer coefficients, a product of two of them now and then):

* P(x) g(ax + b), g in exp, sin, cos, sinh, cosh, log, atan, asin  -- by parts
* P(x)/Q(x), Q of degree 1-3 (real roots, repeated roots, irreducible quadratics) -- partial fractions
* P(x) sqrt(ax + b), x^k/sqrt(quadratic), (ax + b)^(p/q), 1/(x sqrt(...)) -- algebraic substitutions
* sin^m cos^n, tan^n, sec^n, 1/(a + b cos x), sin(ax) cos(bx), exp(ax) sin(bx) -- trigonometric
* h'(x) g(h(x)): x exp(x^2), cos(x) exp(sin x), log(x)^n/x, exp(x)/(1 + exp(2x)) -- substitution
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators import base
from generators.base import Problem, Skip
from generators.integration import integrated
from generators.symbols import X
from generators.trees import ExprConfig

PRODUCT_PROBABILITY = 0.15  # a product of two shapes


def _int(rng: np.random.Generator, lo: int = 1, hi: int = 3, signed: bool = True) -> int:
    v = int(rng.integers(lo, hi + 1))
    return -v if signed and rng.integers(2) else v


def _poly(rng: np.random.Generator, max_degree: int = 2) -> sp.Expr:
    degree = int(rng.integers(0, max_degree + 1))
    return sum(_int(rng, 0 if k < degree else 1, 3) * X ** k for k in range(degree + 1))


def _linear(rng: np.random.Generator) -> sp.Expr:
    return _int(rng, 1, 3, signed=False) * X + _int(rng, 0, 3)


def _quadratic(rng: np.random.Generator) -> sp.Expr:
    return _int(rng, 1, 2, signed=False) * X ** 2 + _int(rng, 0, 3) * X + _int(rng, 1, 5)


def _by_parts(rng: np.random.Generator) -> sp.Expr:
    g = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.log, sp.atan, sp.asin)[int(rng.integers(8))]
    inner = X / _int(rng, 1, 3, signed=False) if g is sp.asin else _linear(rng)
    return _poly(rng) * g(inner)


def _rational(rng: np.random.Generator) -> sp.Expr:
    factors = []
    for _ in range(int(rng.integers(1, 3))):
        factors.append(_quadratic(rng) if rng.integers(3) == 0 else (X - _int(rng, 0, 3)) ** int(rng.integers(1, 3)))
    return _poly(rng, 2) / sp.Mul(*factors)


def _algebraic(rng: np.random.Generator) -> sp.Expr:
    kind = int(rng.integers(4))
    if kind == 0:
        return _poly(rng, 2) * sp.sqrt(_linear(rng))
    if kind == 1:
        return X ** int(rng.integers(0, 3)) / sp.sqrt(_quadratic(rng))
    if kind == 2:
        return _linear(rng) ** sp.Rational(_int(rng, 1, 5), int(rng.integers(2, 4)))
    return 1 / (X * sp.sqrt(_quadratic(rng)))


def _trigonometric(rng: np.random.Generator) -> sp.Expr:
    a, b = _int(rng, 1, 3, signed=False), _int(rng, 1, 3, signed=False)
    kind = int(rng.integers(6))
    if kind == 0:
        return sp.sin(a * X) ** int(rng.integers(0, 4)) * sp.cos(a * X) ** int(rng.integers(1, 4))
    if kind == 1:
        return [sp.tan, sp.sec, sp.cot, sp.csc][int(rng.integers(4))](a * X) ** int(rng.integers(1, 4))
    if kind == 2:
        return 1 / (_int(rng, 2, 4, signed=False) + _int(rng, 1, 1) * [sp.cos, sp.sin][int(rng.integers(2))](X))
    if kind == 3:
        return sp.sin(a * X) * sp.cos(b * X)
    if kind == 4:
        return sp.exp(_int(rng) * X) * [sp.sin, sp.cos][int(rng.integers(2))](b * X)
    return _poly(rng, 1) * sp.sec(a * X) ** 2


def _substitution(rng: np.random.Generator) -> sp.Expr:
    h = [X ** 2, X ** 3, sp.sin(X), sp.cos(X), sp.log(X), sp.exp(X), sp.sqrt(X), sp.tan(X)][int(rng.integers(8))]
    g = [sp.exp, sp.sin, sp.cos, lambda u: u ** int(rng.integers(2, 5)), lambda u: 1 / (1 + u ** 2),
         lambda u: sp.sqrt(1 + u), sp.log][int(rng.integers(7))]
    return _int(rng, 1, 2) * sp.diff(h, X) * g(h)


_SHAPES = (_by_parts, _rational, _algebraic, _trigonometric, _substitution)


def written_integrand(rng: np.random.Generator) -> sp.Expr:
    """One integrand of the shapes above (a product of two with ``PRODUCT_PROBABILITY``)."""
    f = _SHAPES[int(rng.integers(len(_SHAPES)))](rng)
    if rng.random() < PRODUCT_PROBABILITY:
        f *= _SHAPES[int(rng.integers(len(_SHAPES)))](rng)
    return f


@base.generator
def gen_written(rng: np.random.Generator, cfg: ExprConfig) -> Problem | Skip:
    """A written integrand, answered by SymPy's integrate (under the task's draw time limit)."""
    f = written_integrand(rng)
    if not f.has(X):
        return Skip(base.CONSTANT)
    if base.is_invalid(f):
        return Skip(base.INVALID)
    return integrated("written", f, {"shape": "written"})
