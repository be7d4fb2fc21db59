"""The model loads in the background while the race goes on (symseq.solve.model.start_loading)."""

import time

from symseq.solve import model
from symseq.solve.solver import integrate


def test_a_model_that_loads_slowly_does_not_hold_the_race_past_its_deadline(monkeypatch, tmp_path):
    # the adversarial review, session 29: on one busy core torch and the weights took 6 s to load
    # and `integrate "x^(10^10)" --timeout 2` answered after 13 s
    def slow_load(path):
        time.sleep(6)
        raise OSError("never loaded")

    monkeypatch.setattr(model, "_load_model", slow_load)
    t = time.perf_counter()
    sol = integrate("x^(10^10)", mode="model", timeout=1.0, checkpoint=str(tmp_path))
    assert time.perf_counter() - t < 3.0
    assert not sol.solved and "model: not loaded within the time limit" in sol.notes


def test_a_loaded_model_is_ready_at_once(monkeypatch, tmp_path):
    monkeypatch.setattr(model, "_load_model", lambda path: None)
    model.start_loading(str(tmp_path / "quick"))
    assert model.model_ready(str(tmp_path / "quick"), wait=2.0)
    assert model.model_ready(str(tmp_path / "never started"))
