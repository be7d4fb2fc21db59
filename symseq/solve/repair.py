"""Candidate repair: a model antiderivative that is nearly right, proposed again in a repaired form.

Most wrong beam candidates are close: a wrong coefficient, or a missing term.  Two repairs, each
run as a sandboxed job under a short cap, each only a proposal (the verifier decides, as always):

* ``coefficients``: the candidate's terms keep their form, their numeric coefficients are refitted
  so that the derivative matches the integrand at sample points (a linear least-squares fit),
  rounded to small rationals, proposed when the fit is exact to rounding.
* ``residual``: r = f - F' is simplified; when it is no larger than the integrand, SymPy
  integrates it and F + integral(r) is proposed.
"""

from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp

from generators.symbols import X
from symseq.lang.prefix import from_prefix

REPAIRS = ("coefficients", "residual")
FIT_POINTS = 12
MAX_DENOMINATOR = 1000


def run_repair(job: tuple[str, sp.Expr, list[str]]) -> str | None:
    """The sandboxed job: ``(repair, integrand, candidate prefix tokens)`` -> answer text or None."""
    how, integrand, tokens = job
    candidate = from_prefix(list(tokens))
    fixed = refit_coefficients(integrand, candidate) if how == "coefficients" else \
        add_residual_integral(integrand, candidate)
    return None if fixed is None else sp.sstr(fixed)


def refit_coefficients(integrand: sp.Expr, candidate: sp.Expr) -> sp.Expr | None:
    """``sum c_i t_i`` with the candidate's terms t_i and fitted rational c_i, or None."""
    pairs = [term.as_coeff_Mul() for term in sp.Add.make_args(sp.expand(candidate, deep=False))]
    terms = [t for _, t in pairs if t.has(X)]
    if not terms or len(terms) > 8:
        return None
    derivatives = [sp.diff(t, X) for t in terms]
    f = sp.lambdify(X, [integrand, *derivatives], "mpmath")
    rng = random.Random(0)
    rows: list[list[float]] = []
    for _ in range(10 * FIT_POINTS):
        if len(rows) == FIT_POINTS:
            break
        try:
            values = [complex(v) for v in f(rng.uniform(0.3, 3.0) * rng.choice((1, -1)))]
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            continue
        if all(abs(v.imag) < 1e-12 and abs(v.real) < 1e12 for v in values):
            rows.append([v.real for v in values])
    if len(rows) < len(terms) + 2:
        return None
    import numpy as np

    a = np.array([r[1:] for r in rows])
    b = np.array([r[0] for r in rows])
    coef, *_ = np.linalg.lstsq(a, b, rcond=None)
    scale = max(1.0, float(np.max(np.abs(b))))
    if float(np.max(np.abs(a @ coef - b))) > 1e-7 * scale:
        return None  # the form is not right: no coefficients make it fit
    rational = [Fraction(float(c)).limit_denominator(MAX_DENOMINATOR) for c in coef]
    fixed = sum(sp.Rational(c.numerator, c.denominator) * t for c, t in zip(rational, terms))
    return None if fixed == candidate else fixed


def add_residual_integral(integrand: sp.Expr, candidate: sp.Expr) -> sp.Expr | None:
    """F + integral(f - F') when the residual is small and SymPy integrates it, else None."""
    residual = sp.simplify(integrand - sp.diff(candidate, X))
    if residual == 0 or sp.count_ops(residual) > sp.count_ops(integrand) + 4:
        return None
    rest = sp.integrate(residual, X)
    if rest.has(sp.Integral):
        return None
    return candidate + rest
