"""The race's wider beam (``Race._check_wider_beam``): decoded only when the first beam failed,
its new candidates verified like the first ones, left out with ``--without widen``."""

import pytest

from symseq.solve.race import loop
from symseq.solve.race.budget import WIDE_BEAM
from symseq.solve.solver import integrate


@pytest.fixture
def beams(monkeypatch):
    """A fake model: its beam of 10 holds only a wrong antiderivative of cos(x); the wide beam
    also holds the right one, at rank 2.  Records the widths asked for."""
    asked = []

    def fake_decode(questions, kind, checkpoint, beam, time_limit):
        asked.append(beam)
        candidates = [(1, ["cos", "x"])] + ([(2, ["sin", "x"])] if beam >= WIDE_BEAM else [])
        return [(candidates, [], 0.0) for _ in questions]

    monkeypatch.setattr(loop, "decode_batch", fake_decode)
    return asked


def test_the_wide_beam_is_decoded_after_the_first_fails_and_its_new_candidates_verified(beams):
    sol = integrate("cos(x)", mode="model", beam=10, timeout=20)
    assert beams == [10, WIDE_BEAM]
    assert sol.solved and sol.engine == "model/wide" and sol.rank == 2 and sol.answer == "sin(x)"
    tried = [(c.engine, c.rank, c.answer) for c in sol.candidates]
    assert tried == [("model", 1, "cos(x)"), ("model/wide", 2, "sin(x)")]  # nothing verified twice
    assert not sol.engine_wrong and all(c.by_model for c in sol.candidates)


def test_without_widen_or_with_a_wide_first_beam_no_second_decode(beams):
    sol = integrate("cos(x)", mode="model", beam=10, timeout=20, without=("widen",))
    assert beams == [10] and not sol.solved
    beams.clear()
    sol = integrate("cos(x)", mode="model", beam=WIDE_BEAM, timeout=20)
    assert beams == [WIDE_BEAM] and sol.solved and sol.rank == 2


def test_a_proved_first_beam_needs_no_wide_beam(monkeypatch):
    asked = []

    def fake_decode(questions, kind, checkpoint, beam, time_limit):
        asked.append(beam)
        return [([(1, ["sin", "x"])], [], 0.0) for _ in questions]

    monkeypatch.setattr(loop, "decode_batch", fake_decode)
    sol = integrate("cos(x)", mode="model", beam=10, timeout=20)
    assert sol.solved and asked == [10]


def test_the_wide_beam_is_checked_a_chunk_at_a_time_down_to_its_last_candidates(monkeypatch):
    """25 wrong candidates, then the right one at rank 27: three chunks of WIDE_CHUNK."""
    wrong = [(r, ["add", "x", "INT+", str(r % 10)]) for r in range(2, 27)]  # x + digit: wrong for cos(x)

    def fake_decode(questions, kind, checkpoint, beam, time_limit):
        candidates = [(1, ["cos", "x"])] + (wrong + [(27, ["sin", "x"])] if beam >= WIDE_BEAM else [])
        return [(candidates, [], 0.0) for _ in questions]

    monkeypatch.setattr(loop, "decode_batch", fake_decode)
    sol = integrate("cos(x)", mode="model", beam=10, timeout=30)
    assert sol.solved and sol.engine == "model/wide" and sol.rank == 27


def _sleeps(kind, question, seconds):  # an engine that never answers within the budget
    import time

    time.sleep(seconds)
    return None


@pytest.mark.slow
def test_no_wide_beam_while_an_engine_job_still_runs(beams, monkeypatch):
    from symseq.solve.engines import ENGINES, Engine
    from symseq.solve.race import schedule

    fake = {"slow": Engine("slow", ("integrate",), _sleeps, "never answers in time")}
    monkeypatch.setattr("symseq.solve.engines.ENGINES", {**ENGINES, **fake})
    monkeypatch.setattr(schedule, "ENGINES", {**ENGINES, **fake})
    monkeypatch.setattr(schedule, "available", lambda name: True)
    monkeypatch.setattr(schedule, "START_ORDER", {"integrate": ("slow",)})
    sol = integrate("cos(x)", mode="hybrid", beam=10, timeout=3, without=("rewrite", "repair"))
    assert beams == [10] and not sol.solved  # the engine held the race to its deadline
