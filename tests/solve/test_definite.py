"""Definite integrals: a value is shown only from a verified source and when quadrature agrees."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.numerics.quadrature import quadrature
from symseq.solve.definite import DefiniteSolution, _choose, integrate_definite
from symseq.solve.engines import available

needs = {name: pytest.mark.skipif(not available(name), reason=f"{name} is not installed here")
         for name in ("maxima", "fricas")}


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


@needs["maxima"]
def test_an_engines_own_definite_integral_is_a_source_checked_by_quadrature():
    """Maxima's definite integral gives pi**2/48, which no antiderivative reaches (its polylog
    antiderivative's limit at infinity is beyond SymPy); the value is shown with its source."""
    sol = integrate_definite("x/(exp(2*x) + 1)", "0", "oo", mode="maxima", timeout=20)
    assert sol.value == "pi**2/48" and sol.method == "maxima definite"
    assert sol.quadrature.agrees(float(sp.pi ** 2 / 48))


@needs["maxima"]
@needs["fricas"]
def test_a_wrong_engine_definite_integral_is_caught_and_a_right_one_shown():
    """acos(sin(x)) over [0, 2 pi]: Maxima answers 0, FriCAS pi**2 (right); quadrature decides."""
    sol = integrate_definite("acos(sin(x))", "0", "2*pi", mode="engines", timeout=20)
    wrong = [t for t in sol.tried if t["value"] == "0"]
    assert all(not t["agrees"] for t in wrong)
    assert sol.value is not None and abs(float(sp.sympify(sol.value)) - float(sp.pi ** 2)) < 1e-12


def test_definite_engines_follow_the_mode():
    from symseq.solve.config import SolveConfig
    from symseq.solve.definite_engines import definite_engines

    assert definite_engines(SolveConfig(mode="sympy")) == ("sympy",)
    assert definite_engines(SolveConfig(mode="model")) == ()
    assert "maxima" not in definite_engines(SolveConfig(mode="hybrid", without=("maxima",)))


def test_limits_of_exponential_integrals_are_taken_through_ei():
    """Maxima's antiderivative of (sqrt(x) - x**(1/4))/log(x): SymPy's limit of expint(1, -3*log(x)/2)
    at 0+ stays unevaluated; written with Ei it is 0, and the value log(6/5) follows."""
    from symseq.solve.definite import _limits_job

    F = -sp.expint(1, -3 * sp.log(X) / 2) + sp.expint(1, -5 * sp.log(X) / 4)
    text, number = _limits_job((F, sp.Integer(0), sp.Integer(1)))
    assert sp.simplify(sp.sympify(text) - sp.log(sp.Rational(6, 5))) == 0 and abs(number - 0.1823215567939546) < 1e-12


class _Done:
    """A finished (or, with value=None, still running) background call."""

    def __init__(self, value=None):
        from symseq.sandbox import Outcome, Status

        self.outcome = None if value is None else Outcome(Status.OK, value)

    def ready(self):
        return self.outcome is not None

    def result(self, timeout):
        return self.outcome


def test_the_race_stops_for_an_engine_value_only_after_its_grace(monkeypatch):
    """An engine's value stops the antiderivative's race when it agrees with the quadrature, or
    while the quadrature still runs (it gets the cores); never one that disagrees, never before the grace."""
    from symseq.solve import definite_engines
    from symseq.solve.definite_engines import ValueWatch

    third = quadrature(X ** 2, sp.Integer(0), sp.Integer(1))
    engine = _Done(("", "1/3", 1 / 3))
    assert not ValueWatch(_Done(third), [engine]).should_stop()  # within the grace
    monkeypatch.setattr(definite_engines, "STOP_GRACE_SECONDS", 0.0)
    assert ValueWatch(_Done(third), [engine]).should_stop() and ValueWatch(_Done(third), [engine]).agreed()
    assert ValueWatch(_Done(), [engine]).should_stop() and not ValueWatch(_Done(), [engine]).agreed()
    wrong = _Done(("", "1/2", 0.5))
    assert not ValueWatch(_Done(third), [wrong]).should_stop()
    assert not ValueWatch(_Done(), [_Done(), _Done(("", "oo", None))]).should_stop()  # no number yet
    assert ValueWatch(_Done(third), [_Done([("sympy definite after x -> -x", "1/3", 1 / 3)])]).should_stop()
