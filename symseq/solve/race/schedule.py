"""The race's scheduling policy: which engines run for a problem, in which order, and how long.

On a machine with ``cores`` cores at most ``cores`` engine jobs run at once (each a sandboxed
process); the model decodes in the solver's own process beside them.  Jobs start in the kind's
order as slots free up.  A job runs until the deadline, or for at most its ``CAP`` seconds when
it has one, so that a strategy that rarely wins cannot hold a core that another engine could use.

Two orders, by measurement (``experiments/RESULTS.md``, "Engines alone" and "Warm sessions"):

* ``START_ORDER`` (``symseq.domain``), a single problem (a CLI call): every FriCAS / Maxima call starts its program
  (74 / 135 ms), so SymPy answers easy problems fastest (median 0.13 s on the textbook suite);
  FriCAS solves the most (78% of lc-bwd against Maxima's 55% and SymPy's 38%).
* ``START_ORDER_WARM``, once the sandbox keeps its workers warm between problems (``--file``,
  ``benchmark``, ``serve``) and an idle one holds a CAS session (the solver decides, from
  ``sandbox.idle_worker_holds``): such a session answers a call in milliseconds, and
  Maxima answers fastest on every suite (median 14-66 ms against FriCAS's 25-85 and SymPy's
  30-192 on the problems all three solve), FriCAS next.

SymPy's separate algorithms only run when a slot is free, capped (``budget.STRATEGY_CAP_SECONDS``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symseq.domain import (ELLIPTIC, PARTIAL, START_ORDER, START_ORDER_WARM, SUBSTITUTION, SYMPY_STRATEGIES,
                           expand_engines)
from symseq.solve.race.budget import STRATEGY_CAP_SECONDS
from symseq.solve.engines import ENGINES, available

CAP = {name: STRATEGY_CAP_SECONDS for name in SYMPY_STRATEGIES + (SUBSTITUTION, ELLIPTIC, PARTIAL)}


@dataclass(frozen=True)
class Job:
    engine: str
    cap: float | None  # seconds, None = until the deadline
    program: str | None = None  # the outside program it talks to (its session's name)
    form: str | None = None  # run on this rewritten form of the integrand (symseq.solve.rewrite)


def plan(kind: str, mode: str, without=(), warm: bool = False, question: sp.Expr | None = None) -> list[Job]:
    """The jobs of one problem in start order: ``mode`` is the solver's mode (``hybrid`` and
    ``engines`` take every engine, capped; ``model`` none; an engine's name that engine alone,
    uncapped); ``warm``: the sandbox keeps workers (and their CAS sessions) between problems;
    ``question``: a racing engine with an ``applies`` test runs only when it says yes to it."""
    if mode == "model":
        return []
    racing = mode in ("hybrid", "engines")
    names = (START_ORDER_WARM if warm else START_ORDER)[kind] if racing else (mode,)
    skip = expand_engines(without)
    return [Job(n, CAP.get(n) if racing else None, ENGINES[n].program) for n in names
            if n not in skip and kind in ENGINES[n].kinds and available(n)
            and (not racing or ENGINES[n].applies is None or _applies(ENGINES[n].applies, question))]


def _applies(test, question: sp.Expr | None) -> bool:
    try:
        return question is not None and bool(test(question))
    except Exception:  # noqa: BLE001 -- a structural test that fails says no
        return False
