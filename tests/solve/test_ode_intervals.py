"""Where an ODE answer holds when not on the whole line (symseq.solve.ode_intervals)."""

import time

import numpy as np
import sympy as sp

from generators.symbols import C1, F0, F1, X
from generators.tasks import residual_of
from symseq.lang.parse import parse_ode
from symseq.solve import ode_intervals
from symseq.solve.verifier import Verdict, verify_candidate


def test_a_solution_on_an_interval_that_moves_with_its_constant_is_local_every_time():
    # Trench 2.2.25: sin(c1 - asin(x)) holds where cos(c1 - asin(x)) >= 0; draws of c1 in [-3, 3]
    # found no interval 0.3 wide near |c1| = 3 and refused it about one run in two
    question, _ = parse_ode("y'*sqrt(1 - x^2) + sqrt(1 - y^2) = 0")
    verdicts = {verify_candidate("ode1", question, "sin(c1 - asin(x))").verdict for _ in range(5)}
    assert verdicts == {Verdict.LOCAL}


def test_a_wrong_answer_has_no_interval_and_a_right_one_has_its_own():
    question = F1 + sp.sqrt(1 - F0 ** 2)
    assert verify_candidate("ode1", question, "sin(c1 + x)").verdict is Verdict.LOCAL  # where cos(c1 + x) <= 0
    assert verify_candidate("ode1", question, "2*sin(c1 + x)").verdict is Verdict.WRONG


def test_the_search_budget_is_its_own_cpu_time(monkeypatch):
    # a busy machine (wall time passing while the search waits for a core) does not end it
    clock = iter(range(0, 10 ** 6, 100))
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(clock)))
    candidate = sp.sin(C1 - X)
    residual = residual_of("ode1", F1 + sp.sqrt(1 - F0 ** 2), candidate)
    where = ode_intervals.ode_interval("ode1", candidate, residual, np.random.default_rng(1), (0.5, 0.0))
    assert where is not None and "< x <" in where
