"""The same definite integral written by a substitution that maps the interval onto itself, the
way a person sees what an engine does not: ``symmetric_forms(f, a, b)``.

* x -> a + b - x on a finite [a, b]: the integral of (f(x) + f(a + b - x))/2;
* x -> -x on (-oo, oo): the integral of f(x) + f(-x) over [0, oo);
* x -> 1/x on [0, oo): the integral of (f(x) + f(1/x)/x**2)/2.

Each is an identity between integrals, so an engine's value of the new form is a value of the
question; ``symseq.solve.definite`` still checks it against quadrature of the question itself.
A form is worth asking about only when it simplifies to something smaller than f
(cos(x)/(1 + exp(x/2)) over [-pi/2, pi/2] becomes cos(x)/2).
"""

from __future__ import annotations

import sympy as sp

from generators.symbols import X


def symmetric_forms(f: sp.Expr, a: sp.Expr, b: sp.Expr) -> list[tuple[str, sp.Expr, sp.Expr, sp.Expr]]:
    """``(substitution, integrand, lower, upper)`` for each form that applies, unsimplified."""
    forms = []
    if a.is_finite and b.is_finite:
        forms.append(("x -> a + b - x", (f + f.xreplace({X: a + b - X})) / 2, a, b))
    if a == -sp.oo and b == sp.oo:
        forms.append(("x -> -x", f + f.xreplace({X: -X}), sp.Integer(0), sp.oo))
    if a == 0 and b == sp.oo:
        forms.append(("x -> 1/x", (f + f.xreplace({X: 1 / X}) / X ** 2) / 2, a, b))
    return forms


def simpler_forms(f: sp.Expr, a: sp.Expr, b: sp.Expr) -> list[tuple[str, sp.Expr, sp.Expr, sp.Expr]]:
    """The forms whose simplified integrand has fewer operations than f (run in a sandbox:
    ``simplify`` can take long)."""
    out = []
    for name, g, lo, hi in symmetric_forms(f, a, b):
        g = sp.simplify(g)
        if sp.count_ops(g) < sp.count_ops(f):
            out.append((name, g, lo, hi))
    return out
