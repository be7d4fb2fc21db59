"""Linear second-order ODEs a*y'' + b*y' + c*y = r, for ``ode_reduction``: the textbook's
method with guessed solutions.

A solution u1 of the homogeneous equation is guessed among products of powers of the equation's
own building blocks (``linear_guess``: y = x**2/cos(x), x/sinh(x), (x + 4)**3), then

* a second solution u2 guessed the same way, or by reduction of order u2 = u1 * integral of
  W/u1**2, Abel's Wronskian W = exp(-integral of b/a) guessed as a product or integrated;
* the right side guessed (a polynomial plus at most two products: the generator's x**4 + x + 2),
  or by variation of parameters, y_p = u2 * integral of u1*r/(a*W) - u1 * integral of
  u2*r/(a*W) (W the Wronskian of u1, u2).

The integrals are FriCAS's.  The answer c1*u1 + c2*u2 + y_p is a candidate only: the race
verifies it against the equation as asked.

Lample & Charton's second-order questions are often linear (31 of the 81 their suite left
unsolved at 835aaed), their solutions c1*u1 + c2*u2 + p with u1 or u2 such a product, and their
coefficients (sin, tan, acosh of x) out of reach of FriCAS's and Maxima's linear solvers.
"""

from __future__ import annotations

import time

import sympy as sp

from generators.symbols import C1, C2, X
from symseq.solve.engines import ode_substitution
from symseq.solve.engines.linear_guess import Guesses


def solve(G: sp.Expr, y: sp.Symbol, p: sp.Symbol, q: sp.Symbol, deadline: float) -> list[sp.Expr]:
    """Candidate general solutions of G(x, y, y', y'') = 0 (y, y', y'' as the symbols y, p, q)
    when G is linear in them and a homogeneous solution is guessed; else []."""
    coefficients = linear_coefficients(G, y, p, q)
    if coefficients is None:
        return []
    a, b, c, r = coefficients
    guesses = Guesses(a, b, c, r)
    guessed = guesses.homogeneous()
    if not guessed:
        return []
    u1 = guessed[0]
    if len(guessed) > 1:
        u2 = guessed[1]
        wronskian = sp.cancel(u1 * sp.diff(u2, X) - sp.diff(u1, X) * u2)
    else:
        wronskian = guesses.wronskian()
        if wronskian is None:
            abel = ode_substitution.antiderivative(sp.cancel(b / a), X, deadline)
            if abel is None:
                return []
            wronskian = _exp_of(-abel)
        v = _integral(wronskian / u1 ** 2, deadline)
        if v is None:
            return []
        u2 = u1 * v
    homogeneous = C1 * u1 + C2 * u2
    if r == 0:
        return [homogeneous]
    particular = guesses.particular()
    if particular is None:
        particular = _variation_of_parameters(u1, u2, wronskian, r / a, deadline)
    return [] if particular is None or time.monotonic() >= deadline else [homogeneous + particular]


def _variation_of_parameters(u1, u2, wronskian, g, deadline: float) -> sp.Expr | None:
    """y_p of y'' + (b/a)*y' + (c/a)*y = g from two solutions and their Wronskian, or None."""
    first = _integral(u1 * g / wronskian, deadline)
    second = _integral(u2 * g / wronskian, deadline) if first is not None else None
    return None if second is None else u2 * first - u1 * second


def _integral(f: sp.Expr, deadline: float) -> sp.Expr | None:
    """FriCAS's antiderivative, its logarithms log(w) written log(w**2)/2 (real where w < 0 too:
    FriCAS's log(-x + log(5*log(x))) is complex wherever the solution is real)."""
    found = ode_substitution.antiderivative(f, X, deadline)
    return None if found is None else ode_substitution.real_logs(found)


def linear_coefficients(G: sp.Expr, y: sp.Symbol, p: sp.Symbol, q: sp.Symbol):
    """(a, b, c, r) with G = a*q + b*p + c*y - r, functions of x alone, or None (G not linear in
    y, p, q, or free of q)."""
    if G.has(sp.Piecewise):
        return None
    # |g| as g (sign(g) as 1): the equation where g > 0, analytic there, so that the complex points
    # test it (acos(1/x)' has a 1/|x|); the verifier finds where the answer holds
    G = G.replace(lambda e: isinstance(e, (sp.Abs, sp.sign)), lambda e: e.args[0] if isinstance(e, sp.Abs) else 1)
    G = _without_common_monomial(G, (y, p, q))
    a, b, c = (sp.diff(G, s) for s in (q, p, y))
    if a == 0 or any(coefficient.has(y, p, q) for coefficient in (a, b, c)):
        return None
    return a, b, c, -G.xreplace({y: 0, p: 0, q: 0})


def _without_common_monomial(G: sp.Expr, symbols) -> sp.Expr:
    """G divided by the monomial in y, y', y'' that all its terms share (y = 1/w gives w**3 times
    an equation linear in w), when G is a polynomial in them; else G."""
    if not G.is_polynomial(*symbols):
        return G
    try:
        common, reduced = sp.Poly(G, *symbols).terms_gcd()
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        return G
    return reduced.as_expr() if any(common) else G


def _exp_of(e: sp.Expr) -> sp.Expr:
    """exp(e) with exp of each term apart, so that exp(2*log(x) - log(sin(x))) is x**2/sin(x)."""
    return sp.Mul(*[sp.exp(t) for t in sp.Add.make_args(sp.expand(e))])
