"""Symmetric forms of a definite integral: identities that an engine can use where the question defeats it."""

import sympy as sp

from generators.symbols import X
from symseq.solve.definite import integrate_definite
from symseq.solve.symmetry import simpler_forms, symmetric_forms

oo = sp.oo


def test_each_substitution_applies_to_its_interval():
    f = 1 / (1 + X ** 4)
    assert [n for n, *_ in symmetric_forms(f, sp.Integer(0), sp.Integer(1))] == ["x -> a + b - x"]
    assert [n for n, *_ in symmetric_forms(f, -oo, oo)] == ["x -> -x"]
    assert [n for n, *_ in symmetric_forms(f, sp.Integer(0), oo)] == ["x -> 1/x"]
    assert symmetric_forms(f, sp.Integer(1), oo) == []


def test_the_forms_are_the_same_integral():
    for f, a, b in [(sp.exp(X) / (1 + X ** 2), sp.Integer(0), sp.Integer(2)),
                    (sp.exp(-X ** 2) * (X + 1) ** 2, -oo, oo),
                    (1 / (1 + X ** 3), sp.Integer(0), oo)]:
        exact = sp.Integral(f, (X, a, b)).evalf(20)
        for _, g, lo, hi in symmetric_forms(f, a, b):
            assert abs(sp.Integral(g, (X, lo, hi)).evalf(20) - exact) < 1e-15


def test_only_a_simpler_form_is_kept():
    (name, g, lo, hi), = simpler_forms(sp.cos(X) / (1 + sp.exp(X / 2)), -sp.pi / 2, sp.pi / 2)
    assert g == sp.cos(X) / 2 and (lo, hi) == (-sp.pi / 2, sp.pi / 2)
    assert simpler_forms(1 / (1 + X ** 4), sp.Integer(0), sp.Integer(1)) == []


def test_a_value_found_through_a_symmetric_form_is_still_checked_by_quadrature():
    sol = integrate_definite("cos(x)/(1 + exp(x/2))", "-pi/2", "pi/2", mode="sympy", timeout=20)
    assert sol.value == "1" and sol.method == "sympy definite after x -> a + b - x"
    assert sol.quadrature.agrees(1.0)
