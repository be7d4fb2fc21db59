"""Rational functions with parameters, by partial fractions and a table of their integrals.

FriCAS (60 s) and SymPy's ``ratint`` (60 s) run out of time on
``(f + g*x + h*x**2)/((d + k*x)**2*(a + b*x + c*x**2))`` (Rubi 1.2.1.9-153): eight parameters make
their general algorithms slow, while ``apart`` splits it in 0.15 s.  Each term is then integrated
by table:

* ``A/(p*x + q)**n``: ``A*log(Abs(p*x + q))/p``, or ``A*(p*x + q)**(1 - n)/(p*(1 - n))``;
* ``(B*x + C)/(c*x**2 + b*x + a)`` (irreducible over the parameters):
  ``B*log(Abs(quadratic))/(2*c) + (C - B*b/(2*c))*I`` with, by the sign of ``D = 4*a*c - b**2``,
  ``I = 2*atan((2*c*x + b)/sqrt(D))/sqrt(D)`` (D > 0) or
  ``I = log(Abs((2*c*x + b - sqrt(-D))/(2*c*x + b + sqrt(-D))))/sqrt(-D)`` (D < 0);
* a polynomial: term by term.

With a quadratic factor the answer is one by cases (``symseq.solve.cases``: the case whose roots
of parameters are real holds).  Any other term (a quadratic squared, a cubic factor, two
quadratics): no answer.  Only integrands with parameters (SymPy answers the others).
"""

from __future__ import annotations

import sympy as sp

from generators.symbols import X
from symseq.solve import cases

MAX_DEGREE = 8  # of the denominator


def applies(question: sp.Expr) -> bool:
    """A rational function of x with parameters and a denominator in x."""
    if not (question.free_symbols - {X}) or not question.is_rational_function(X):
        return False
    denominator = sp.fraction(sp.together(question))[1]
    return denominator.has(X) and sp.degree(denominator, X) <= MAX_DEGREE


def solve(kind: str, question: sp.Expr, seconds: float) -> list[str] | None:
    if kind != "integrate" or not applies(question):
        return None
    plain, by_case = sp.Integer(0), None
    for term in sp.Add.make_args(sp.apart(sp.together(question), X)):
        numerator, denominator = sp.fraction(sp.factor(term))
        if not denominator.has(X):
            plain += sp.integrate(sp.expand(term), X)  # a polynomial
            continue
        base, power, constant = _one_factor(denominator)
        if base is None or numerator.has(X) and sp.degree(numerator, X) >= sp.degree(base, X):
            return None
        degree = sp.degree(base, X)
        if degree == 1:
            p, _ = sp.Poly(base, X).all_coeffs()
            a = sp.factor(numerator / constant)
            plain += a * sp.log(sp.Abs(base)) / p if power == 1 else a * base ** (1 - power) / (p * (1 - power))
        elif degree == 2 and power == 1 and by_case is None:
            by_case = _quadratic(numerator / constant, base)
        else:
            return None
    if by_case is None:
        return [sp.sstr(plain)]
    return [cases.case_list_text("[" + ", ".join(sp.sstr(plain + part) for part in by_case) + "]")]


def _one_factor(denominator: sp.Expr) -> tuple:
    """(base, power, constant) for ``constant * base**power``, base a polynomial in x; (None, 0, 0)
    when the denominator has more than one factor with x."""
    constant, base, power = sp.Integer(1), None, 0
    for factor in sp.Mul.make_args(denominator):
        b, e = factor.as_base_exp()
        if not b.has(X):
            constant *= factor
        elif base is None and e.is_Integer and e > 0 and b.is_polynomial(X):
            base, power = b, int(e)
        else:
            return None, 0, 0
    return base, power, constant


def _quadratic(numerator: sp.Expr, base: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """The integral of ``numerator/base`` (numerator B*x + C, base c*x**2 + b*x + a) for
    4*a*c - b**2 > 0 and for 4*a*c - b**2 < 0."""
    c, b, a = sp.Poly(base, X).all_coeffs()
    if sp.degree(numerator, X) == 1:
        big_b, big_c = sp.Poly(numerator, X).all_coeffs()
    else:
        big_b, big_c = sp.Integer(0), numerator
    d = sp.expand(4 * a * c - b ** 2)
    log_part = sp.factor(big_b / (2 * c)) * sp.log(sp.Abs(base))
    rest = sp.factor(big_c - big_b * b / (2 * c))
    atan_form = 2 * sp.atan((2 * c * X + b) / sp.sqrt(d)) / sp.sqrt(d)
    log_form = sp.log(sp.Abs((2 * c * X + b - sp.sqrt(-d)) / (2 * c * X + b + sp.sqrt(-d)))) / sp.sqrt(-d)
    return log_part + rest * atan_form, log_part + rest * log_form
