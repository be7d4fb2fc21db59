"""Infinite intervals mapped onto finite ones: identities that let an engine find a value."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.numerics.quadrature import quadrature
from symseq.solve.definite import integrate_definite
from symseq.solve.definite_engines import engine_definite_job
from symseq.solve.engines import available
from symseq.solve.interval_maps import mapped_forms

oo = sp.oo


def test_each_map_applies_to_its_interval():
    g = sp.exp(-X) / (1 + X ** 2)
    assert [n for n, *_ in mapped_forms(g, sp.Integer(0), oo)] == ["t = exp(-x)"]
    assert [n for n, *_ in mapped_forms(g, sp.Integer(2), oo)] == ["t = exp(-x)", "t = 1/x"]
    assert [n for n, *_ in mapped_forms(g, -oo, sp.Integer(1))] == ["t = exp(x)"]
    assert [n for n, *_ in mapped_forms(1 / (1 + X ** 2), sp.Integer(1), oo)] == ["t = 1/x"]
    assert mapped_forms(1 / (1 + X ** 2), sp.Integer(0), oo) == []  # no exponential, 1/x maps 0 to oo
    assert mapped_forms(g, sp.Integer(0), sp.Integer(1)) == []


def test_the_forms_are_the_same_integral():
    for f, a, b in [(X ** 3 / (sp.exp(X) - 1), sp.Integer(0), oo),
                    (X * (1 - sp.tanh(X)), sp.Integer(1), oo),
                    (1 / (sp.exp(X) + sp.exp(-X)), -oo, oo),
                    (sp.exp(2 * X) / (1 + sp.exp(3 * X)), -oo, sp.Integer(1)),
                    (sp.log(X) ** 2 / (1 + X) ** 3, sp.Integer(2), oo)]:
        exact = quadrature(f, a, b)
        forms = mapped_forms(f, a, b)
        assert forms
        for name, g, lo, hi in forms:
            assert not g.has(sp.exp(X)), name  # written in t, no exponential of it left
            assert exact.agrees(float(quadrature(g, lo, hi).digits)), (f, name, g)


def test_a_form_the_reader_cannot_read_is_skipped(monkeypatch):
    """An engine's unevaluated answer (an unknown noun) for one form must not lose the next form's value."""
    from symseq.solve.engines import cas

    answers = iter(["'integrate(f(x), x, 0, inf)", "pi**4/15"])  # the question, then its form in t
    monkeypatch.setattr(cas, "maxima_definite", lambda *args: next(answers))
    how, text, number = engine_definite_job(("maxima", X ** 3 / (sp.exp(X) - 1), sp.Integer(0), oo, 5))
    assert (how, text) == (" after t = exp(-x)", "pi**4/15") and abs(number - float(sp.pi ** 4 / 15)) < 1e-12


@pytest.mark.skipif(not available("maxima"), reason="maxima is not installed here")
def test_maxima_finds_bose_einstein_integrals_through_the_map():
    """x**3/(exp(x) - 1) on [0, oo): the antiderivatives hold polylog(k, exp(x)), complex there;
    in t = exp(-x) Maxima's value is pi**4/15, and it is still checked by quadrature."""
    sol = integrate_definite("x^3/(exp(x) - 1)", "0", "oo", mode="maxima", timeout=20)
    assert sol.value == "pi**4/15" and sol.method == "maxima definite after t = exp(-x)"
    assert sol.quadrature.agrees(float(sp.pi ** 4 / 15))
