"""Typed results of the solver: ``Candidate`` (one checked answer), ``Solution`` (one problem)
and ``ProblemFailure`` (a problem whose solving failed, reported in its place)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symseq.lang.parse import parse_answer
from symseq.solve.verifier import Verdict


@dataclass
class Candidate:
    answer: str
    engine: str  # "model" or an engine's name (symseq.solve.engines)
    rank: int | None  # beam rank (1 = best) for the model
    verdict: Verdict
    seconds: float
    detail: str = ""  # the verifier's reason (kept for LOCAL answers: where they hold)

    def to_json(self) -> dict:
        return {"answer": self.answer, "engine": self.engine, "rank": self.rank,
                "verdict": self.verdict.value, "seconds": self.seconds}


@dataclass
class Solution:
    question: str
    answer: str | None = None
    verdict: Verdict | None = None
    engine: str | None = None
    rank: int | None = None
    candidates: list[Candidate] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)  # per stage or engine (engines overlap in time)
    wall: float = 0.0  # seconds from the start of the problem (parsing included) to its answer
    notes: list[str] = field(default_factory=list)  # for people; the flags below are for programs
    timed_out: list[str] = field(default_factory=list)  # engines that ran out of time
    # an ODE answer that solves the equation on part of the real line only (verdict LOCAL):
    # shown beside "no verified answer", never as the answer
    local: Candidate | None = None

    @property
    def solved(self) -> bool:
        return self.answer is not None

    @property
    def engine_wrong(self) -> bool:
        """An engine (not the model) answered, and the verifier found its answer wrong."""
        return any(c.engine != "model" and c.verdict is Verdict.WRONG for c in self.candidates)

    @property
    def answer_expr(self) -> sp.Expr | None:
        """The answer as an expression (its symbols are plain, named as printed)."""
        return None if self.answer is None else parse_answer(self.answer, {})

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer,
                "verdict": None if self.verdict is None else self.verdict.value,
                "engine": self.engine, "rank": self.rank, "seconds": round(self.wall, 3),
                "stages": {k: round(v, 3) for k, v in self.seconds.items()}, "notes": self.notes,
                "local": None if self.local is None else {**self.local.to_json(), "detail": self.local.detail},
                "candidates": [c.to_json() for c in self.candidates]}


class ProblemFailure(RuntimeError):
    """A problem whose solving failed unexpectedly (reported in its place; the batch goes on)."""
