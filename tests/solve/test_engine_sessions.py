"""Warm engine sessions answer exactly as fresh ones: in any order, after overruns and kills.

Each engine is asked a fixed list of problems once per fresh session (the reference), then all
of them through one warm session (or one warm sandbox worker, for SymPy) in shuffled orders,
with a call that overruns its time and a killed session thrown in between.  Any difference is
the class of fault that lost FriCAS's answers inside benchmark runs (an answer file path that
FriCAS read differently, reported as "no closed form").
"""

import os
import random
import signal
import tempfile

import pytest
import sympy as sp

from generators.symbols import F0, F1, X
from symseq.sandbox import BackgroundCall, warm_workers
from symseq.solve.engines import available, cas, run_engine

needs = {name: pytest.mark.skipif(not available(name), reason=f"{name} is not installed here "
                                  "(.ci/run installs it; apt-get install fricas maxima)")
         for name in ("fricas", "maxima")}

PROBLEMS = [
    ("integrate", (3 * X + 2) * sp.sin(5 * X)),
    ("integrate", 1 / (X ** 6 - X ** 3)),
    ("integrate", X ** 2 * sp.cos(3 * X)),
    ("integrate", sp.sin(X) ** 4),
    ("integrate", sp.exp(X) / (X + sp.sin(X))),  # no elementary answer: None everywhere
    ("ode1", F1 + 2 * X * F0 - X),
]
HARD = {"fricas": ("integrate", X ** 60 * sp.sin(X) ** 40),  # each outlives a short limit (seconds)
        "maxima": ("integrate", sp.tan(X) ** 25 * sp.atan(X)),
        "heurisch": ("integrate", sp.tan(X) ** 25 * sp.atan(X))}


def _fresh(name: str, kind: str, question: sp.Expr) -> object:
    _drop_sessions()
    return getattr(cas, name)(kind, question, 30.0)


def _drop_sessions() -> None:
    for session in list(cas._SESSIONS.values()):
        session.kill()
    cas._SESSIONS.clear()


@pytest.fixture
def underscored_temp_folders(monkeypatch):
    """Every temporary folder's name holds ``_`` (FriCAS's string escape), as one in five does."""
    real = tempfile.TemporaryDirectory

    def folder(*args, prefix="", **kwargs):
        return real(*args, prefix=prefix.replace("-", "_") + "_", **kwargs)

    monkeypatch.setattr(cas.tempfile, "TemporaryDirectory", folder)


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param("fricas", marks=needs["fricas"]),
                                  pytest.param("maxima", marks=needs["maxima"])])
def test_a_warm_session_answers_as_fresh_ones(name, underscored_temp_folders):
    reference = [_fresh(name, kind, q) for kind, q in PROBLEMS]
    assert sum(a is not None for a in reference) >= len(PROBLEMS) - 1, reference
    engine = getattr(cas, name)
    rng = random.Random(24)
    for round_ in range(2):
        order = list(range(len(PROBLEMS)))
        rng.shuffle(order)
        for n, i in enumerate(order):
            if n == 2:  # an overrun: the session is killed by its own deadline
                with pytest.raises(TimeoutError):
                    engine(*HARD[name], 0.3)
            if n == 4 and name in cas._SESSIONS:  # the program dies under the session's feet
                os.killpg(cas._SESSIONS[name].proc.pid, signal.SIGKILL)
                cas._SESSIONS[name].proc.wait()
            kind, q = PROBLEMS[i]
            assert engine(kind, q, 30.0) == reference[i], (round_, PROBLEMS[i])
    _drop_sessions()


@needs["fricas"]
def test_fricas_reads_paths_with_underscores(underscored_temp_folders):
    """The fault itself: a path with ``_`` named another file in FriCAS (the answer was lost)."""
    assert cas.fricas_string("/tmp/a_b/c.txt") == '"/tmp/a__b/c.txt"'
    assert cas.fricas("integrate", X ** 2 * sp.cos(3 * X), 30.0) is not None


@needs["fricas"]
def test_a_fricas_session_that_writes_nothing_is_a_fault_not_no_answer(monkeypatch):
    """A reply that cannot be trusted is an error after a second, fresh try: never "no answer"."""
    monkeypatch.setattr(cas, "fricas_string", lambda text: '"/nonexistent/folder/answer.txt"')
    with pytest.raises(cas.SessionFault):
        cas.fricas("integrate", X, 30.0)
    monkeypatch.undo()
    assert cas.fricas("integrate", X, 30.0) == "(1/2)*x**2"


@pytest.mark.slow
def test_warm_sympy_workers_answer_as_fresh_ones():
    """SymPy's engines in one warm sandbox worker, in shuffled orders, with an overrun between."""
    problems = [(engine, kind, q) for kind, q in PROBLEMS[:4] for engine in ("sympy", "manual")]
    reference = [run_engine((e, k, q, 30.0)) for e, k, q in problems]  # in this process: fresh caches
    rng = random.Random(25)
    with warm_workers(size=1):
        for _ in range(2):
            order = list(range(len(problems)))
            rng.shuffle(order)
            for n, i in enumerate(order):
                if n == 3:  # killed at its deadline: the next call gets a fresh worker
                    assert not BackgroundCall(run_engine, ("heurisch", *HARD["heurisch"], 30.0)).result(0.2).ok
                e, k, q = problems[i]
                out = BackgroundCall(run_engine, (e, k, q, 30.0)).result(60.0)
                assert out.ok and out.value == reference[i], (problems[i], out)
