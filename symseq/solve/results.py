"""Typed results of the solver: ``Candidate`` (one checked answer), ``Solution`` (one problem)
and ``ProblemFailure`` (a problem whose solving failed, reported in its place)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symseq.lang.parse import parse_answer
from symseq.domain import Verdict


@dataclass
class Candidate:
    answer: str
    engine: str  # "model" ("model/<form>", "model/wide") or an engine's name (symseq.solve.engines)
    rank: int | None  # beam rank (1 = best) for the model
    verdict: Verdict
    seconds: float
    detail: str = ""  # the verifier's reason
    valid_on: str = ""  # LOCAL answers: where they hold ("-pi < x < pi")

    @property
    def by_model(self) -> bool:
        """From the model's beam: the first, one on a rewritten form, or the wide one."""
        return self.engine == "model" or self.engine.startswith("model/")

    def to_json(self) -> dict:
        return {"answer": self.answer, "engine": self.engine, "rank": self.rank,
                "verdict": self.verdict.value, "seconds": self.seconds,
                **({"valid_on": self.valid_on} if self.valid_on else {})}


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
    # a LOCAL answer holds on part of the real line only: where, always shown with it
    valid_on: str = ""
    assumptions: str = ""  # what the answer assumes of the parameters ("a > 0"), always shown with it
    # no explicit answer, but a verified implicit solution "H(x, y) = c1" (verdict IMPLICIT; not solved)
    implicit: str = ""

    @property
    def solved(self) -> bool:
        """A verified answer: on the whole real line, or (``verdict`` LOCAL) on ``valid_on``."""
        return self.answer is not None

    @property
    def is_global(self) -> bool:
        return self.verdict is not None and self.verdict.is_global

    @property
    def engine_wrong(self) -> bool:
        """An engine (not the model) answered, and the verifier found its answer wrong."""
        return any(not c.by_model and c.verdict is Verdict.WRONG for c in self.candidates)

    @property
    def answer_expr(self) -> sp.Expr | None:
        """The answer as an expression (its symbols are plain, named as printed)."""
        return None if self.answer is None else parse_answer(self.answer, {})

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer,
                "verdict": None if self.verdict is None else self.verdict.value,
                "engine": self.engine, "rank": self.rank, "seconds": round(self.wall, 3),
                "stages": {k: round(v, 3) for k, v in self.seconds.items()}, "notes": self.notes,
                "valid_on": self.valid_on or None, "assumptions": self.assumptions or None,
                "implicit": self.implicit or None,
                "candidates": [c.to_json() for c in self.candidates]}


class ProblemFailure(RuntimeError):
    """A problem whose solving failed unexpectedly (reported in its place; the batch goes on)."""
