"""Public API: ``integrate(expr, ...)`` and ``solve_ode(eq, ...)`` -> a ``Solution`` that says how
the answer was found and proved.

Pipeline: parse -> (model) encode, beam search, verify candidates in rank order -> (engines:
SymPy's integrate / dsolve and its separate strategies, FriCAS and Maxima where installed) each in
a sandboxed process, scheduled on the cores and raced against the model under one time budget
(``symseq.solve.race``) -> the first PROVED answer wins (else a NUMERIC_ONLY one, else a LOCAL
one, shown with the intervals where it holds) -> answer written back in the user's variable.
The model's part is ``symseq.solve.model``.  Modes (``symseq.domain.MODES``): ``hybrid`` (everything, default), ``model``,
``engines`` (every engine, no model), or one engine's name alone (``sympy``, ``fricas``, ...).
``integrate_many`` / ``solve_ode_many`` decode many problems in batches (the CLI's ``--file``).

Nothing unverified is ever returned as an answer: ``Solution.answer`` is None unless
``verdict.solved``; the candidates list shows every verdict.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from typing import Iterable, Iterator

import sympy as sp

from generators.symbols import X
from symseq.domain import DEFAULT_TIMEOUT, MODES, kind_of_order
from symseq.lang.parse import InputError, in_sandbox, parse_integrand, parse_ode
from symseq.sandbox import warm_workers
from symseq.solve.config import SolveConfig, configured
from symseq.solve.model import decode_batch
from symseq.solve.race.budget import DECODE_SHARE
from symseq.solve.race.jobs import ParsedProblem
from symseq.solve.race.loop import Race
from symseq.solve.results import Candidate, ProblemFailure, Solution


def _read_integral(text: str, x: str | None, assume: str | None = None) -> tuple[sp.Expr, sp.Symbol, str]:
    """Runs in the parsing sandbox: the integrand in X, the user's variable, the question text."""
    integrand, user_var = parse_integrand(text, x, assume)
    return integrand, user_var, sp.sstr(integrand.xreplace({X: user_var}))


def _read_ode(text: str) -> tuple[sp.Expr, int, str]:
    """Runs in the parsing sandbox: the ODE as an expression = 0, its order, the question text."""
    equation, order = parse_ode(text)
    return equation, order, f"{sp.sstr(equation)} = 0"


def _parse_integral(expr: str | sp.Expr, x: str | None, timeout: float = DEFAULT_TIMEOUT,
                    assume: str | None = None) -> ParsedProblem:
    t0 = time.perf_counter()
    text = expr if isinstance(expr, str) else sp.sstr(expr)
    integrand, user_var, question = in_sandbox(_read_integral, text, x, assume, timeout=timeout)
    return ParsedProblem("integrate", integrand, question, user_var, time.perf_counter() - t0)


def _parse_ode(eq: str, timeout: float = DEFAULT_TIMEOUT) -> ParsedProblem:
    t0 = time.perf_counter()
    equation, order, question = in_sandbox(_read_ode, eq, timeout=timeout)
    return ParsedProblem(kind_of_order(order), equation, question, X, time.perf_counter() - t0)


def integrate(expr: str | sp.Expr, x: str | None = None, *, bounds: tuple | None = None,
              assume: str | None = None, config: SolveConfig | None = None, **changes):
    """Integrate ``expr`` with respect to ``x``; ``changes`` override fields of ``config``
    (``integrate("x*cos(x)", mode="sympy", timeout=5)``).  See the module docstring.
    With ``bounds=(a, b)`` (numbers, or text such as ``"pi"``, ``"oo"``) the definite integral:
    a ``symseq.solve.definite.DefiniteSolution``.  Symbols other than ``x`` are parameters,
    positive unless ``assume`` says otherwise (``"a < 0, n integer"``; ``symseq.lang.assume``);
    the answer's ``assumptions`` say what it was verified under."""
    if bounds is not None:
        from symseq.solve.definite import integrate_definite

        lower, upper = bounds
        return integrate_definite(expr, str(lower), str(upper), x, assume=assume, config=config, **changes)
    cfg = configured(config, changes)
    return Race(_parse_integral(expr, x, cfg.timeout, assume), cfg).run()


def solve_ode(eq: str, *, ics: str | None = None, config: SolveConfig | None = None, **changes):
    """Solve an ODE in y (or f) of x; the answer is f(x) with constants c1, c2.  With ``ics``
    (``"y(0) = 1, y'(0) = 0"``) the initial value problem: a ``symseq.solve.ivp.IVPSolution``."""
    if ics is not None:
        from symseq.solve.ivp import solve_ivp

        return solve_ivp(eq, ics, config=config, **changes)
    cfg = configured(config, changes)
    return Race(_parse_ode(eq, cfg.timeout), cfg).run()


def integrate_many(exprs: Iterable[str], x: str | None = None, *, assume: str | None = None,
                   config: SolveConfig | None = None, executor=None,
                   **changes) -> Iterator[Solution | InputError | ProblemFailure]:
    """``integrate`` over many problems, decoding ``batch_size`` of them at once.

    Yields, in input order, a ``Solution``, or the ``InputError`` that problem's text raised, or a
    ``ProblemFailure`` if solving it failed unexpectedly (the other problems go on).
    Each problem keeps its own ``timeout``, which includes its share of the batch's decoding.
    With a cluster ``executor`` (``symseq.exec``) each batch is one task on its workers.
    """
    cfg = configured(config, changes)
    if executor is not None:
        return _on_cluster(executor, _integrate_batch, exprs, cfg, (x, assume))
    return _solve_many(lambda e: _parse_integral(e, x, cfg.timeout, assume), exprs, cfg)


def solve_ode_many(eqs: Iterable[str], *, config: SolveConfig | None = None, executor=None,
                   **changes) -> Iterator[Solution | InputError | ProblemFailure]:
    """``solve_ode`` over many problems; see ``integrate_many``."""
    cfg = configured(config, changes)
    if executor is not None:
        return _on_cluster(executor, _solve_ode_batch, eqs, cfg, ())
    return _solve_many(lambda e: _parse_ode(e, cfg.timeout), eqs, cfg)


def _integrate_batch(cfg: SolveConfig, exprs: list[str], x: str | None, assume: str | None) -> list:
    """A cluster task: one batch of ``integrate_many``."""
    return list(integrate_many(exprs, x, assume=assume, config=cfg))


def _solve_ode_batch(cfg: SolveConfig, eqs: list[str]) -> list:
    """A cluster task: one batch of ``solve_ode_many``."""
    return list(solve_ode_many(eqs, config=cfg))


def _on_cluster(executor, task, texts: Iterable[str], cfg: SolveConfig,
                args: tuple) -> Iterator[Solution | InputError | ProblemFailure]:
    """Batches of ``cfg.batch_size`` texts as tasks on the cluster, each race on one core (a
    worker thread is a core, and every thread gets work); results yielded in input order as soon
    as the ones before are in."""
    cfg = dataclasses.replace(cfg, cores=1)
    texts = list(texts)
    size = max(1, min(cfg.batch_size, -(-len(texts) // executor.threads)))
    batches = ((i, (cfg, texts[start:start + size], *args)) for i, start in enumerate(range(0, len(texts), size)))

    waiting: dict[int, list] = {}
    ahead = 0
    for index, results in executor.imap_unordered(task, batches):
        waiting[index] = results
        while ahead in waiting:
            yield from waiting.pop(ahead)
            ahead += 1


def _solve_many(parse, texts: Iterable[str],
                cfg: SolveConfig) -> Iterator[Solution | InputError | ProblemFailure]:
    """Yields one item per text, in order; a failure of one problem is its item, never the end."""
    texts = iter(texts)
    with warm_workers():  # sandbox workers (and CAS sessions) kept from one problem to the next
        yield from _solve_chunks(parse, texts, cfg)


def _solve_chunks(parse, texts: Iterator[str],
                  cfg: SolveConfig) -> Iterator[Solution | InputError | ProblemFailure]:
    while chunk := list(itertools.islice(texts, cfg.batch_size)):
        parsed: list[ParsedProblem | InputError] = []
        for text in chunk:
            try:
                parsed.append(parse(text))
            except InputError as err:
                parsed.append(err)
        ok = [p for p in parsed if isinstance(p, ParsedProblem)]
        decoded: dict[int, tuple[list, list[str], float]] = {}
        if cfg.uses_model and len(ok) > 1:  # one problem alone: the race decodes, after SymPy's head start
            for kind in dict.fromkeys(p.task for p in ok):  # one batch per kind of problem
                group = [p for p in ok if p.task == kind]
                results = decode_batch([p.expr for p in group], kind, cfg.checkpoint, cfg.beam,
                                       time_limit=DECODE_SHARE * cfg.timeout * len(group))
                decoded.update((id(p), r) for p, r in zip(group, results))
        for p in parsed:
            if isinstance(p, InputError):
                yield p
                continue
            try:
                yield Race(p, cfg, decoded.get(id(p))).run()
            except Exception as err:  # one problem's failure is its record; the batch goes on
                yield ProblemFailure(f"solving failed: {type(err).__name__}: {err}")


__all__ = ["integrate", "solve_ode", "integrate_many", "solve_ode_many", "SolveConfig", "Solution",
           "Candidate", "InputError", "ProblemFailure", "MODES"]
