"""The domain's words, defined once: kinds of problem, engines and their groups, the solver's
modes, the defaults, and the outcomes every record uses.

Import-free (SymPy, torch and the engines are not loaded), so the CLI builds its choices from it.

* Kinds and tasks: the task table lives in ``generators.tasks`` (the generators need it and sit
  below this package); its names are re-exported here.  A *task* is a generator family (fwd,
  bwd, ibp, nat, written, ode1, ode2); its *kind* is what a problem asks (integrate, ode1, ode2).
* Engines: everything besides the model that proposes answers (``symseq.solve.engines`` maps
  each name to its code).  Groups name several at once (``--without strategies``).
* Modes: what the solver races (``hybrid``: the model and every engine; ``model``;
  ``engines``: every engine; or one engine's name alone).
* ``Verdict``: what the verifier says of one candidate; ``Outcome``: what a record says of one
  problem (a verdict, or why there is none).
"""

from __future__ import annotations

import enum

from generators.tasks import KINDS, TASK_TOKENS, TASKS, Task, kind_of_order, task_token

DEFAULT_TIMEOUT = 10.0  # seconds per problem, every stage included
DEFAULT_BEAM = 10

SYMPY_STRATEGIES = ("heurisch", "manual", "risch", "meijerint")  # SymPy's algorithms, one job each
# (in their start order)
CAS_ENGINES = ("fricas", "maxima")  # outside programs, used when installed
# a change of variables u = g(x), then FriCAS (symseq.solve.engines.substitution)
SUBSTITUTION = "subst"
# Legendre's reduction of trigonometric elliptic integrals (symseq.solve.engines.elliptic): only
# planned for integrands of its shape (``Engine.applies``), first, since it answers in ~0.1 s
ELLIPTIC = "elliptic"
# rational functions with parameters by partial fractions (symseq.solve.engines.partial): planned
# only for them, first, since it answers in ~0.3 s where FriCAS may need minutes
PARTIAL = "partial"
ENGINE_NAMES = ("sympy",) + CAS_ENGINES + (SUBSTITUTION, ELLIPTIC, PARTIAL) + SYMPY_STRATEGIES
ENGINE_GROUPS = {"strategies": SYMPY_STRATEGIES, "cas": CAS_ENGINES}
# race jobs that are not engines, which ``--without`` can also leave out: the repair of model
# candidates (symseq.solve.repair), the equivalent forms of the integrand (symseq.solve.rewrite)
# and the wider beam decoded when the first one fails (symseq.solve.race.loop)
HELPER_JOBS = ("repair", "rewrite", "widen")

MODES = ("hybrid", "model", "engines") + ENGINE_NAMES

# Start order per kind (measured: docs/engines.md).  A single problem: every FriCAS / Maxima call
# starts its program (74 / 135 ms), so SymPy answers easy problems fastest.  Warm: once the
# sandbox keeps a CAS session between problems, Maxima answers fastest, FriCAS next.
START_ORDER = {
    "integrate": (PARTIAL, ELLIPTIC, "sympy", "fricas", "maxima", SUBSTITUTION) + SYMPY_STRATEGIES,
    "ode1": ("sympy", "fricas", SUBSTITUTION, "maxima"),
    "ode2": ("sympy", "fricas", SUBSTITUTION, "maxima"),
}
START_ORDER_WARM = {
    "integrate": (PARTIAL, ELLIPTIC, "maxima", "fricas", "sympy", SUBSTITUTION) + SYMPY_STRATEGIES,
    "ode1": ("maxima", "fricas", SUBSTITUTION, "sympy"),
    "ode2": ("maxima", "fricas", SUBSTITUTION, "sympy"),
}


def expand_engines(names) -> set[str]:
    """Engine names, with the groups (``strategies``, ``cas``) spelled out."""
    out: set[str] = set()
    for name in names:
        out.update(ENGINE_GROUPS.get(name, (name,)))
    return out


class Verdict(str, enum.Enum):
    """The verifier's word on one candidate (docs/verifier.md)."""

    PROVED = "proved"
    NUMERIC_ONLY = "numeric_only"
    WRONG = "wrong"
    INVALID = "invalid"
    TIMEOUT = "timeout"
    PARTICULAR = "particular"  # satisfies the ODE but lacks the general solution's constants
    LOCAL = "local"  # holds on part of the real line only: the intervals are always shown with it
    IMPLICIT = "implicit"  # an ODE's solution as a relation H(x, y) = c1, verified; not an explicit answer

    @property
    def solved(self) -> bool:
        """Verified: on the whole real line (``is_global``) or on the intervals shown (LOCAL)."""
        return self in (Verdict.PROVED, Verdict.NUMERIC_ONLY, Verdict.LOCAL)

    @property
    def is_global(self) -> bool:
        return self in (Verdict.PROVED, Verdict.NUMERIC_ONLY)

    @property
    def strength(self) -> int:
        """How the race ranks verified answers: proved > numeric > local > the rest."""
        return {Verdict.PROVED: 3, Verdict.NUMERIC_ONLY: 2, Verdict.LOCAL: 1}.get(self, 0)


class Outcome(str, enum.Enum):
    """What a record (CLI line, benchmark row, service reply) says of one problem: the verdict of
    its answer (or of its best candidate), or why there is none."""

    PROVED = "proved"
    NUMERIC_ONLY = "numeric_only"
    LOCAL = "local"
    WRONG = "wrong"
    INVALID = "invalid"
    TIMEOUT = "timeout"
    PARTICULAR = "particular"
    IMPLICIT = "implicit"  # no explicit answer, a verified implicit solution H(x, y) = c1 (never "solved")
    VALUE = "value"  # a definite integral's exact value, from a verified source and agreeing with quadrature
    DIVERGENT = "divergent"  # a definite integral that engines and quadrature agree diverges
    UNSOLVED = "unsolved"  # no candidate at all (nothing proposed, or nothing in time)
    INVALID_INPUT = "invalid_input"  # the question could not be read
    ERROR = "error"  # solving it failed unexpectedly

    @classmethod
    def of(cls, verdict: Verdict | None) -> Outcome:
        return cls.UNSOLVED if verdict is None else cls(verdict.value)

    @property
    def solved(self) -> bool:
        return self in (Outcome.PROVED, Outcome.NUMERIC_ONLY, Outcome.LOCAL, Outcome.VALUE, Outcome.DIVERGENT)


__all__ = ["KINDS", "TASKS", "TASK_TOKENS", "Task", "kind_of_order", "task_token", "DEFAULT_TIMEOUT",
           "DEFAULT_BEAM", "SYMPY_STRATEGIES", "CAS_ENGINES", "ENGINE_NAMES", "ENGINE_GROUPS",
           "HELPER_JOBS", "SUBSTITUTION", "ELLIPTIC", "PARTIAL", "MODES", "START_ORDER", "START_ORDER_WARM",
           "expand_engines", "Verdict", "Outcome"]
