"""The same definite integral over an infinite interval written over a finite one, the way a
person turns x**3/(exp(x) - 1) on [0, oo) into -log(t)**3/(1 - t) on (0, 1]:
``mapped_forms(f, a, b)``.

* t = exp(-x) on [a, oo) (f holds exp or a hyperbolic function): the integral of f(-log(t))/t
  over (0, exp(-a)];
* t = exp(x) on (-oo, b]: the integral of f(log(t))/t over (0, exp(b)]; on (-oo, oo) the same
  over (0, oo);
* t = 1/x on [a, oo) with a > 0: the integral of f(1/t)/t**2 over (0, 1/a].

The engines' antiderivatives of the new forms are often real on the new interval where those of
f are not (polylog(4, exp(x)) is complex for x > 0, polylog(4, t) real for 0 < t < 1), so
Maxima's definite integral finds their values (pi**4/15 here).  Each form is an identity between
integrals; ``symseq.solve.definite`` still checks every value against quadrature of f itself.
"""

from __future__ import annotations

import sympy as sp

from generators.symbols import X

_T = sp.Dummy("t", positive=True)
_EXPONENTIAL = (sp.exp, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)


def _written_in_t(f: sp.Expr, x_of_t: sp.Expr, jacobian: sp.Expr) -> sp.Expr:
    """f(x(t)) * |dx/dt| in the variable X again, with hyperbolic functions as exponentials and
    rational combinations cancelled (log(t) kept as a generator)."""
    g = f.rewrite(sp.exp).xreplace({X: x_of_t}) * jacobian
    return sp.cancel(sp.powsimp(sp.expand_log(g, force=False))).xreplace({_T: X})


def mapped_forms(f: sp.Expr, a: sp.Expr, b: sp.Expr) -> list[tuple[str, sp.Expr, sp.Expr, sp.Expr]]:
    """``(substitution, integrand, lower, upper)`` for each map of an infinite [a, b] that applies
    (a <= b; nothing for a finite interval)."""
    forms = []
    exponential = f.has(*_EXPONENTIAL)
    if b == sp.oo and a.is_finite and exponential:
        forms.append(("t = exp(-x)", _written_in_t(f, -sp.log(_T), 1 / _T), sp.Integer(0), sp.exp(-a)))
    if a == -sp.oo and exponential:
        upper = sp.oo if b == sp.oo else sp.exp(b)
        forms.append(("t = exp(x)", _written_in_t(f, sp.log(_T), 1 / _T), sp.Integer(0), upper))
    if b == sp.oo and a.is_finite and a.is_positive:
        forms.append(("t = 1/x", _written_in_t(f, 1 / _T, 1 / _T ** 2), sp.Integer(0), 1 / a))
    return forms
