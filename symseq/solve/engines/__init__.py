"""Engines: everything besides the model that can propose an answer, behind one small interface.

An engine takes a question (the integrand in ``X``, or an ODE as an expression = 0 in ``F0``)
and returns its answer as text in SymPy syntax, a list of such texts (the branches of an
implicit ODE solution solved for y, each one an answer to verify), or None when it has none.  Engines run inside a
sandboxed child (``symseq.sandbox``: the parent kills it at the deadline), never in the solver's
process; their text is read back by the verifier's safe parser and verified like every answer.

* ``sympy``: SymPy's ``integrate`` / ``dsolve`` (the baseline).
* ``manual``, ``risch``, ``heurisch``, ``meijerint``: SymPy's integration algorithms as separate
  jobs, so that a slow one does not hold up a quick one (``integrate`` runs them in a queue).
* ``elliptic``: Legendre's reduction of trigonometric elliptic integrals to E, F and Pi.
* ``partial``: rational functions with parameters, by partial fractions and a table.
* ``fricas``, ``maxima``: the two open computer-algebra systems, when installed (found at run
  time on ``PATH``); each call is a fresh process under the sandbox's limits.

``ENGINES`` is the one table; ``available(name)`` says whether an engine can run here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import sympy as sp

from symseq.domain import SYMPY_STRATEGIES
from symseq.solve.engines import cas, elliptic, partial, substitution, sympy_engines


@dataclass(frozen=True)
class Engine:
    name: str
    kinds: tuple[str, ...]  # integrate, ode1, ode2
    solve: Callable[[str, sp.Expr, float], str | list[str] | None]  # (kind, question, seconds) -> answer(s)
    about: str
    program: str | None = None  # an outside program this engine needs
    without_it: str = ""  # what a user loses when the program is missing
    # a cheap structural test of the question (no SymPy algorithm): when it says no, the race
    # does not plan this engine
    applies: Callable[[sp.Expr], bool] | None = None


ENGINES: dict[str, Engine] = {e.name: e for e in (
    Engine("sympy", ("integrate", "ode1", "ode2"), sympy_engines.default,
           "SymPy's integrate / dsolve"),
    Engine("manual", ("integrate",), sympy_engines.manual,
           "SymPy's manualintegrate (rule-based, step by step)"),
    Engine("risch", ("integrate",), sympy_engines.risch,
           "SymPy's risch_integrate (transcendental Risch algorithm)"),
    Engine("heurisch", ("integrate",), sympy_engines.heurisch,
           "SymPy's heurisch (parallel Risch heuristic)"),
    Engine("meijerint", ("integrate",), sympy_engines.meijerint,
           "SymPy's meijerint_indefinite (Meijer G-functions)"),
    Engine("fricas", ("integrate", "ode1", "ode2"), cas.fricas,
           "FriCAS's integrate / solve", program="fricas",
           without_it="the strongest integrator (Risch algorithm): most algebraic and many "
                      "textbook integrals"),
    Engine("maxima", ("integrate", "ode1", "ode2"), cas.maxima,
           "Maxima's integrate / ode2", program="maxima",
           without_it="fast textbook integrals and most first-order ODEs (ode2)"),
    Engine("subst", ("integrate", "ode1", "ode2"), substitution.solve,
           "a change of variables (u = acos(x), log(x), ...; for ODEs u = y/x, z = x + y, and "
           "reduction of order: p = y', u = y'/y), then FriCAS",
           program="fricas",
           without_it="integrals that need a substitution first (x/(sqrt(1 - x^2)*acos(x)) -> Ci), "
                      "homogeneous first-order ODEs"),
    Engine("elliptic", ("integrate",), elliptic.solve,
           "Legendre's reduction to E, F, Pi: rational in sin(x)^2 times a root of a + b*sin(x)^2; "
           "roots of even quartics (x = r*sin(t), r*tan(t)) and of cubics with real roots",
           applies=elliptic.applies),
    Engine("partial", ("integrate",), partial.solve,
           "rational functions with parameters: partial fractions, then a table (log, atan by the "
           "sign of a quadratic's discriminant)",
           applies=partial.applies),
)}


@lru_cache(maxsize=None)
def available(name: str) -> bool:
    """Whether engine ``name`` can run on this machine (its program is on PATH)."""
    engine = ENGINES[name]
    return engine.program is None or cas.installed(engine.program)


INSTALL_HINT = "sudo apt-get install fricas maxima   (Debian/Ubuntu; or your system's packages)"


def engine_status() -> list[tuple[str, bool, str, str]]:
    """Per engine: (name, available here, version or "", what a user loses without it)."""
    import sympy as sp

    rows = []
    for name, engine in ENGINES.items():
        if engine.program is None:
            rows.append((name, True, f"SymPy {sp.__version__}", ""))
        else:
            ok = available(name)
            rows.append((name, ok, cas.version(engine.program) if ok else "", engine.without_it))
    return rows


def run_engine(job: tuple[str, str, sp.Expr, float]) -> str | list[str] | None:
    """The sandboxed job: ``(engine name, kind, question, seconds)`` -> answer text, a list of
    them (ODE branches: never pass a list to ``verify`` as one candidate, it reads lists as
    prefix tokens), or None."""
    name, kind, question, seconds = job
    if kind != "integrate":
        return ENGINES[name].solve(kind, positive_y(question), seconds)
    return with_continuous_variant(ENGINES[name].solve(kind, question, seconds), question)


def with_continuous_variant(answer: str | list[str] | None, question: sp.Expr) -> str | list[str] | None:
    """An antiderivative whose arctangent jumps where the integrand is continuous (the half-angle
    substitution's ``atan(k*tan(x/2))``) offered first in a continuous form, then as it came
    (``symseq.solve.rectify``; the verifier judges both); a list of answers (FriCAS's cases and
    their branches), each one's continuous form first."""
    from symseq.solve.implicit import is_implicit
    from symseq.solve.rectify import continuous_variant

    def variant(text: str) -> str | None:
        try:
            return continuous_variant(text, question)
        except Exception:  # noqa: BLE001 -- a candidate only: the engine's own answer is never lost to it
            return None

    items = answer if isinstance(answer, list) else [answer]  # FriCAS: [cases, branch, branch]
    variants = [variant(a) for a in items if isinstance(a, str) and not is_implicit(a) and "atan" in a]
    variants = [v for v in variants if v is not None]
    return [*variants, *items] if variants else answer


def positive_y(ode: sp.Expr) -> sp.Expr:
    """An ODE with |y| (``y'*log(|y|) + x^2*y = 0``) as the engines are asked it: for y > 0
    (Abs(y) -> y), which they can solve where |y| stops them; their answers are verified against
    the ODE as given, so an answer that is not positive where it is claimed is refused."""
    from generators.symbols import F0

    return ode.replace(lambda e: isinstance(e, sp.Abs) and e.args[0] == F0, lambda e: e.args[0])


def run_engine_on_tokens(job: tuple[str, str, list[str], float]) -> str | list[str] | None:
    """``run_engine`` on a question given as prefix tokens (a rewritten integrand), built here in
    the sandbox by our own grammar."""
    from symseq.lang.prefix import from_prefix

    name, kind, tokens, seconds = job
    question = from_prefix(list(tokens))
    answer = ENGINES[name].solve(kind, question, seconds)
    return with_continuous_variant(answer, question) if kind == "integrate" else answer


__all__ = ["Engine", "ENGINES", "SYMPY_STRATEGIES", "INSTALL_HINT", "available", "engine_status",
           "positive_y", "run_engine", "run_engine_on_tokens"]
