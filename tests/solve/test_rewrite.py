"""Equivalent forms of the integrand: identities only, rebuilt from tokens, and raced (every
answer found on a form is verified against the original integrand)."""

import random

import pytest
import sympy as sp

from generators.symbols import X
from symseq.lang.prefix import from_prefix
from symseq.solve.race import schedule
from symseq.solve.engines import ENGINES, Engine
from symseq.solve.rewrite import rewrites, run_rewrites
from symseq.solve.solver import integrate


def _same_function(a, b):
    rng = random.Random(1)
    for _ in range(5):
        x0 = rng.uniform(0.2, 0.9)
        assert abs(complex(a.subs(X, x0).evalf()) - complex(b.subs(X, x0).evalf())) < 1e-9


@pytest.mark.parametrize("integrand,name", [
    (X / (X ** 2 - 1), "apart"),
    (sp.sin(X) ** 2 * sp.cos(X) ** 3, "trig"),
    (sp.cosh(X) * sp.exp(2 * X), "exp"),
    ((X + 1) ** 3 * sp.exp(X), "expand"),
    (1 / X + 1 / (X + 1), "together"),
])
def test_rewrites_are_identities(integrand, name):
    forms = dict(rewrites(integrand))
    assert name in forms and forms[name] != integrand
    for form in forms.values():
        _same_function(integrand, form)


def test_nothing_to_rewrite_and_tokens_rebuild_the_forms():
    assert rewrites(X * sp.cos(X)) == []
    for name, tokens in run_rewrites(X / (X ** 2 - 1)):
        _same_function(X / (X ** 2 - 1), from_prefix(tokens))


def _no_answer(kind, question, seconds):
    return None


def _only_partial_fractions(kind, question, seconds):  # integrates sums of 1/(x + a) terms only
    if isinstance(question, sp.Add) and all(t.is_rational_function(X) and sp.degree(sp.denom(t), X) == 1
                                             for t in question.args):
        return sp.sstr(sp.integrate(question, X))
    return None


@pytest.fixture
def only_forms(monkeypatch):
    fakes = {"none": Engine("none", ("integrate",), _no_answer, "never answers"),
             "sympy": Engine("sympy", ("integrate",), _only_partial_fractions, "partial fractions only")}
    monkeypatch.setattr("symseq.solve.engines.ENGINES", {**ENGINES, **fakes})
    monkeypatch.setattr(schedule, "ENGINES", {**ENGINES, **fakes})
    monkeypatch.setattr(schedule, "available", lambda name: True)
    monkeypatch.setattr(schedule, "START_ORDER", {"integrate": ("none",)})


@pytest.mark.slow
def test_an_engine_on_a_rewritten_form_answers_and_is_verified(only_forms):
    sol = integrate("x/(x^2 - 1)", mode="engines", timeout=20)
    assert sol.solved and sol.engine == "sympy/apart"
    assert sp.simplify(sp.diff(sp.sympify(sol.answer), sp.Symbol("x")) - sp.sympify("x/(x**2-1)")) == 0
    left_out = integrate("x/(x^2 - 1)", mode="engines", timeout=20, without=("rewrite",))
    assert not left_out.solved
