"""The race's schedule: which engines run, in which order, capped; a slow engine cannot hold a core."""

import time

import pytest
import sympy as sp

from generators.symbols import X
from symseq.solve.race import schedule
from symseq.solve.engines import ENGINES, SYMPY_STRATEGIES, Engine, available
from symseq.solve.solver import SolveConfig, integrate


def test_hybrid_runs_every_installed_engine_sympy_first():
    names = [j.engine for j in schedule.plan("integrate", "hybrid")]
    assert names[0] == "sympy" and set(SYMPY_STRATEGIES) <= set(names)
    assert set(names) == {n for n in schedule.START_ORDER["integrate"] if available(n) and not ENGINES[n].applies}
    assert all(j.cap is not None for j in schedule.plan("integrate", "hybrid") if j.engine in SYMPY_STRATEGIES)


def test_warm_sessions_put_the_cas_first_and_say_which_program():
    for kind in ("integrate", "ode1", "ode2"):
        cold = [j.engine for j in schedule.plan(kind, "hybrid")]
        warm = schedule.plan(kind, "hybrid", warm=True)
        assert sorted(cold) == sorted(j.engine for j in warm)
        order = [j.engine for j in warm]
        cas = [n for n in ("maxima", "fricas") if available(n)]
        assert order[:len(cas)] == cas
        # SymPy next (for first-order ODEs the quick substitutions first: SymPy may hold its slot)
        assert [n for n in order if n != "subst"][:3] == [n for n in ("maxima", "fricas", "sympy") if available(n)]
        assert all(j.program == ENGINES[j.engine].program for j in warm)


def test_an_engine_with_an_applies_test_races_only_on_questions_of_its_shape():
    def plan(text):
        return [j.engine for j in schedule.plan("integrate", "hybrid", question=sp.sympify(text, locals={"x": X}))]
    assert plan("sqrt(1 + cos(x)**2)")[0] == "elliptic"
    assert plan("sqrt(4 - x**2)*sqrt(1 + x**2)")[0] == "elliptic"
    assert plan("1/sqrt(x**4 + 3*x**2 + 2)")[0] == "elliptic"
    assert plan("sqrt(x)*sqrt(x + 1)*sqrt(x + 2)")[0] == "elliptic"
    for elementary in ("x*cos(x)", "sqrt(exp(x) + 1)", "exp(x)*sqrt(x)", "x**2/sqrt(4 - x**2)", "x*sqrt(x + 1)"):
        assert "elliptic" not in plan(elementary)
    assert [j.engine for j in schedule.plan("integrate", "elliptic")] == ["elliptic"]  # asked for by name


def test_modes_and_without():
    assert schedule.plan("integrate", "model") == []
    assert [j.engine for j in schedule.plan("ode1", "sympy")] == ["sympy"]
    assert [j.engine for j in schedule.plan("integrate", "manual")] == ["manual"]
    assert schedule.plan("ode1", "manual") == []  # a strategy of integrate only
    left = {j.engine for j in schedule.plan("integrate", "engines", ("strategies", "maxima"))}
    assert not left & set(SYMPY_STRATEGIES) and "maxima" not in left and "sympy" in left
    with pytest.raises(ValueError, match="unknown engine"):
        SolveConfig(without=("mathematica",))


def _slow(kind, question, seconds):
    time.sleep(60)


def _right(kind, question, seconds):
    return sp.sstr(sp.integrate(question, X))


def _wrong(kind, question, seconds):
    return "x**2"


@pytest.fixture
def fake_engines(monkeypatch):
    fakes = {"slow": Engine("slow", ("integrate",), _slow, "sleeps"),
             "right": Engine("right", ("integrate",), _right, "SymPy under another name"),
             "wrong": Engine("wrong", ("integrate",), _wrong, "always x**2")}
    monkeypatch.setattr("symseq.solve.engines.ENGINES", {**ENGINES, **fakes})
    monkeypatch.setattr(schedule, "ENGINES", {**ENGINES, **fakes})
    monkeypatch.setattr(schedule, "available", lambda name: True)


@pytest.mark.slow
def test_a_capped_engine_frees_its_core_for_the_next(fake_engines, monkeypatch):
    monkeypatch.setattr(schedule, "START_ORDER", {"integrate": ("slow", "wrong", "right")})
    monkeypatch.setattr(schedule, "CAP", {"slow": 1.0})
    t = time.perf_counter()
    sol = integrate("x*cos(x)", mode="engines", timeout=20, cores=1)
    assert sol.solved and sol.engine == "right" and time.perf_counter() - t < 8
    assert [c.engine for c in sol.candidates] == ["wrong", "right"]
    assert sol.candidates[0].verdict.value == "wrong"
    assert any(n.startswith("slow: gave up at its cap") for n in sol.notes)


@pytest.mark.slow
def test_an_uncapped_engine_is_stopped_at_the_deadline(fake_engines, monkeypatch):
    monkeypatch.setattr(schedule, "START_ORDER", {"integrate": ("slow", "right")})
    monkeypatch.setattr(schedule, "CAP", {})
    t = time.perf_counter()
    sol = integrate("x*cos(x)", mode="engines", timeout=2, cores=1)
    assert not sol.solved and "slow" in sol.timed_out and time.perf_counter() - t < 5


def test_two_cores_run_two_engines_at_once(fake_engines, monkeypatch):
    monkeypatch.setattr(schedule, "START_ORDER", {"integrate": ("slow", "right")})
    monkeypatch.setattr(schedule, "CAP", {})
    sol = integrate("x*cos(x)", mode="engines", timeout=20, cores=2)
    assert sol.solved and sol.engine == "right" and sol.wall < 8


def test_an_outside_stop_condition_settles_the_race_early():
    """A definite integral's race for an antiderivative ends once its value is found another way."""
    from symseq.solve.race.jobs import ParsedProblem
    from symseq.solve.race.loop import Race

    asked = []
    p = ParsedProblem("integrate", sp.sin(X ** 3) * sp.log(X) ** 2, "question", X, 0.0)  # no engine answers it
    t = time.perf_counter()
    sol = Race(p, SolveConfig(mode="engines", timeout=20), stop=lambda: asked.append(1) or len(asked) > 3).run()
    assert time.perf_counter() - t < 5 and len(asked) >= 4 and not sol.solved
