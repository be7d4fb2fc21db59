"""Definite integrals: a value is shown only from a verified source and when quadrature agrees."""

import sympy as sp

from generators.symbols import X
from symseq.numerics.quadrature import quadrature
from symseq.solve.definite import DefiniteSolution, _choose, integrate_definite


def test_a_value_from_a_verified_antiderivative():
    sol = integrate_definite("x^2", "0", "1", mode="sympy", timeout=10)
    assert sol.value == "1/3" and sol.method.startswith("antiderivative")
    assert sol.quadrature.agrees(1 / 3) and sol.solved


def test_latex_and_infinite_bounds():
    sol = integrate_definite(r"\int_{-\infty}^{\infty} e^{-x^2} dx", mode="sympy", timeout=10)
    assert sp.simplify(sp.sympify(sol.value) - sp.sqrt(sp.pi)) == 0


def test_an_antiderivative_that_jumps_inside_the_interval_is_not_used():
    """SymPy's antiderivative of 1/(2 + sin x) jumps at pi (atan of tan(x/2)): F(2 pi) - F(0) = 0,
    while the integral is 2 pi / sqrt(3).  The value shown must be the right one, or none."""
    sol = integrate_definite("1/(2 + sin(x))", "0", "2*pi", mode="sympy", timeout=10)
    assert all(t["value"] != "0" or not t["agrees"] for t in sol.tried)
    if sol.value is not None:
        assert abs(float(sp.sympify(sol.value)) - 2 * float(sp.pi) / 3 ** 0.5) < 1e-12


def test_a_wrong_engine_value_is_never_shown():
    f, a, b = X ** 2, sp.Integer(0), sp.Integer(1)
    sol = DefiniteSolution("x**2 for x from 0 to 1", "0", "1", quadrature=quadrature(f, a, b))
    _choose(sol, [("sympy definite", "1/3 + 1/10**9", 1 / 3 + 1e-9), ("antiderivative (x)", "1/3", 1 / 3)],
            f, a, b, deadline=0)
    assert sol.value == "1/3" and sol.method == "antiderivative (x)"
    assert [t["agrees"] for t in sol.tried] == [False, True]
    assert any("not shown" in n for n in sol.notes)


def test_no_value_without_quadrature_agreement():
    f, a, b = 1 / (X - sp.Rational(1, 3)) ** 2, sp.Integer(0), sp.Integer(1)
    sol = DefiniteSolution("", "0", "1", quadrature=quadrature(f, a, b))
    _choose(sol, [("sympy definite", "-9/2", -4.5)], f, a, b, deadline=0)
    assert sol.value is None and not sol.solved


def test_divergence_needs_an_engine_and_the_quadrature_to_agree():
    sol = integrate_definite("1/x", "1", "oo", mode="sympy", timeout=10)
    assert sol.divergent == 1 and sol.value is None and sol.solved
    f, a, b = 1 / X ** 2, sp.Integer(1), sp.oo
    claim = DefiniteSolution("", "1", "oo", quadrature=quadrature(f, a, b))
    _choose(claim, [("sympy definite", "oo", None)], f, a, b, deadline=0)
    assert claim.divergent == 0 and not claim.solved  # an engine's oo alone is not believed


def test_a_proposal_when_no_engine_gives_a_value():
    f, a, b = sp.log(1 + X) / (1 + X ** 2), sp.Integer(0), sp.Integer(1)
    sol = DefiniteSolution("", "0", "1", quadrature=quadrature(f, a, b))
    _choose(sol, [], f, a, b, deadline=0)
    assert sol.value is None and not sol.solved
    assert sp.simplify(sp.sympify(sol.proposal) - sp.pi * sp.log(2) / 8) == 0
