"""What the race works on and keeps track of: the parsed problem, its running jobs (typed by role)
and where its answer came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sympy as sp

from symseq.domain import Verdict
from symseq.lang.assume import parameters_of


@dataclass
class ParsedProblem:
    """A problem ready for the race: what the model, the engines and the verifier each need."""

    task: str  # the kind: integrate, ode1, ode2 (symseq.domain.KINDS)
    expr: sp.Expr  # integrand in X, or the ODE as an expression = 0 in F0
    question: str  # shown to the user
    user_var: sp.Symbol
    parse_seconds: float

    @property
    def parameters(self) -> list[sp.Symbol]:
        """The integrand's symbols other than x (``symseq.lang.assume``), by name."""
        return parameters_of(self.task, self.expr)


class Role(enum.Enum):
    ENGINE = "engine"  # an engine on the question (or on a rewritten form of the integrand)
    REPAIR = "repair"  # a repair of a wrong model candidate (symseq.solve.repair)
    REWRITE = "rewrite"  # the rewriting of the integrand into equivalent forms
    ISOLATE = "isolate"  # y isolated from a verified implicit solution (symseq.solve.isolate)


@dataclass
class RunningJob:
    """A sandboxed job of the race."""

    name: str  # shown in notes and timings: "fricas", "sympy/expand", "repair:constant", ...
    cap: float | None  # seconds it may run, None = until the deadline
    started: float
    role: Role = Role.ENGINE
    rank: int | None = None  # the repaired model candidate's rank

    @property
    def is_engine(self) -> bool:
        return self.role is Role.ENGINE


@dataclass(frozen=True)
class Provenance:
    """The race's best verified answer and where it came from."""

    verdict: Verdict
    answer: str
    engine: str  # "model", "model/<form>", an engine's name, "repair:<how>", ...
    rank: int | None  # the model candidate's rank (None for an engine's answer)
    valid_on: str | None  # the intervals where a LOCAL answer holds, in the user's variable
    provided: str = ""  # integrals with parameters: parameter values the answer excludes ("a != b")
