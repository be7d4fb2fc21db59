"""Public API: ``integrate(expr, ...)`` and ``solve_ode(eq, ...)`` -> a ``Solution`` that says how
the answer was found and proved.

Pipeline: parse -> (model) encode, beam search, verify candidates in rank order -> (SymPy)
``integrate`` / ``dsolve`` in a sandboxed process, raced against the model under one time budget -> the
first PROVED answer wins (else the best NUMERIC_ONLY one) -> answer written back in the user's
variable.  Modes: ``model`` (neural only), ``sympy`` (SymPy only), ``hybrid`` (both, default).
``integrate_many`` / ``solve_ode_many`` decode many problems in batches (the CLI's ``--file``).

Nothing unverified is ever returned as an answer: ``Solution.answer`` is None unless
``verdict.solved``; the candidates list shows every verdict.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import sympy as sp

from generators.symbols import C1, C2, F0, X
from generators.tasks import kind_of_order, task_token
from symseq.lang.parse import InputError, in_sandbox, parse_answer, parse_integrand, parse_ode
from symseq.lang.prefix import UnsupportedExpressionError, to_prefix
from symseq.sandbox import BackgroundCall, Status
from symseq.solve.verifier import Verdict, verify, verify_many

DEFAULT_CHECKPOINT = Path(__file__).resolve().parents[2] / "checkpoints" / "default"
MODES = ("hybrid", "model", "sympy")
# A candidate that arrives just before the deadline still gets this long to be checked; with
# process start-up and the parsing sandbox, a call ends within ``timeout`` + about 1 s.
VERIFY_SLACK = 0.5


@dataclass
class Candidate:
    answer: str
    engine: str  # "model" or "sympy"
    rank: int | None  # beam rank (1 = best) for the model
    verdict: Verdict
    seconds: float

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
    seconds: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for people; the flags below are for programs
    sympy_timed_out: bool = False  # SymPy ran out of time (hybrid and sympy modes)

    @property
    def solved(self) -> bool:
        return self.answer is not None

    @property
    def sympy_wrong(self) -> bool:
        """SymPy answered, and the verifier rejected its answer."""
        return any(c.engine == "sympy" and c.verdict is Verdict.WRONG for c in self.candidates)

    @property
    def answer_expr(self) -> sp.Expr | None:
        """The answer as an expression (its symbols are plain, named as printed)."""
        return None if self.answer is None else parse_answer(self.answer, {})

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer,
                "verdict": None if self.verdict is None else self.verdict.value,
                "engine": self.engine, "rank": self.rank, "seconds": round(sum(self.seconds.values()), 3),
                "stages": {k: round(v, 3) for k, v in self.seconds.items()}, "notes": self.notes,
                "candidates": [c.to_json() for c in self.candidates]}


class ProblemFailure(RuntimeError):
    """A problem whose solving failed unexpectedly (reported in its place; the batch goes on)."""


@lru_cache(maxsize=4)
def _load_model(path: str):
    from symseq.nn import checkpoint

    return checkpoint.load(path)


def _sympy_integrate(integrand: sp.Expr) -> sp.Expr | None:
    result = sp.integrate(integrand, X)
    return None if result.has(sp.Integral) else result


def _sympy_dsolve(equation: sp.Expr) -> sp.Expr | None:
    """dsolve's explicit solution with its constants renamed c1, c2 (None if implicit)."""
    sol = sp.dsolve(equation, F0)
    sol = sol[0] if isinstance(sol, list) else sol
    if not isinstance(sol, sp.Eq) or sol.lhs != F0 or sol.rhs.has(F0):
        return None
    return sol.rhs.subs({sp.Symbol("C1"): C1, sp.Symbol("C2"): C2})


def _sympy_as_text(job: tuple) -> str | None:
    """Run a SymPy solver in the sandbox; its answer comes back as text (the parent never
    unpickles or prints an expression SymPy built)."""
    fn, arg = job
    result = fn(arg)
    return None if result is None else sp.sstr(result)


def _model_candidates(questions: list[sp.Expr], kind: str, checkpoint_path: str, beam: int,
                      notes: list[list[str]], time_limit: float) -> list[list[tuple[int, list[str]]]]:
    """Beam-search candidates ``(rank, prefix tokens)`` for each question, decoded as one batch.

    Candidates stay token lists: the verifier builds them in its sandbox (a deeply nested
    output can take SymPy minutes to construct).
    Problems the model cannot take (no model, unsupported operator, too long) get no candidates
    and a line in their ``notes``; SymPy still runs for them in hybrid mode.
    """
    import torch

    from symseq.nn.checkpoint import CheckpointError
    out: list[list[tuple[int, list[str]]]] = [[] for _ in questions]
    try:
        model, vocab, _ = _load_model(checkpoint_path)
    except Exception as err:  # any model failure: reported, and SymPy still runs in hybrid mode
        message = str(err) if isinstance(err, (CheckpointError, OSError)) else f"{type(err).__name__}: {err}"
        for n in notes:
            n.append(f"model unavailable: {message}")
        return out
    max_len = getattr(model.config, "max_len", 1024)
    rows, where = [], []
    for i, question in enumerate(questions):
        try:
            tokens = [task_token(kind)] + to_prefix(question)
        except UnsupportedExpressionError as err:
            notes[i].append(f"model skipped: {err}")
            continue
        if len(tokens) > max_len:
            notes[i].append(f"model skipped: {len(tokens)} tokens exceed its limit {max_len}")
            continue
        rows.append(vocab.encode(tokens))
        where.append(i)
    if not rows:
        return out
    from symseq.solve.decode import beam_search

    src = torch.full((len(rows), max(map(len, rows))), vocab.pad, dtype=torch.long)
    for j, row in enumerate(rows):
        src[j, :len(row)] = torch.tensor(row)
    try:
        hyps = beam_search(model, vocab, src, src != vocab.pad, beam=beam, max_len=min(256, max_len),
                           time_limit=time_limit)
    except Exception as err:  # any model failure: reported, and SymPy still runs in hybrid mode
        for i in where:
            notes[i].append(f"model failed: {type(err).__name__}: {err}")
        return out
    for j, i in enumerate(where):
        out[i] = [(rank, list(h.tokens)) for rank, h in enumerate(hyps[j], 1)]
    return out


@dataclass
class _Parsed:
    """A problem ready for ``_solve``: what the model, SymPy and the verifier each need."""

    task: str  # the kind: integrate, ode1, ode2 (generators.tasks.KINDS)
    expr: sp.Expr  # integrand in X, or the ODE as an expression = 0 in F0
    question: str  # shown to the user
    user_var: sp.Symbol
    sympy_fn: object
    parse_seconds: float


def _decode(problems: list[_Parsed], checkpoint, beam: int,
            time_limit: float) -> list[tuple[list, list[str], float]]:
    """Decode problems of one model task as one batch: per problem (candidates, notes, its share
    of the decoding seconds)."""
    notes: list[list[str]] = [[] for _ in problems]
    t = time.perf_counter()
    cands = _model_candidates([p.expr for p in problems], problems[0].task,
                              str(checkpoint or DEFAULT_CHECKPOINT), beam, notes, time_limit)
    share = (time.perf_counter() - t) / len(problems)
    return [(c, n, share) for c, n in zip(cands, notes)]


def _read_integral(text: str, x: str | None) -> tuple[sp.Expr, sp.Symbol, str]:
    """Runs in the parsing sandbox: the integrand in X, the user's variable, the question text."""
    integrand, user_var = parse_integrand(text, x)
    return integrand, user_var, sp.sstr(integrand.xreplace({X: user_var}))


def _read_ode(text: str) -> tuple[sp.Expr, int, str]:
    """Runs in the parsing sandbox: the ODE as an expression = 0, its order, the question text."""
    equation, order = parse_ode(text)
    return equation, order, f"{sp.sstr(equation)} = 0"


def _parse_integral(expr: str | sp.Expr, x: str | None, timeout: float = 10.0) -> _Parsed:
    t0 = time.perf_counter()
    text = expr if isinstance(expr, str) else sp.sstr(expr)
    integrand, user_var, question = in_sandbox(_read_integral, text, x, timeout=timeout)
    return _Parsed("integrate", integrand, question, user_var, _sympy_integrate,
                   time.perf_counter() - t0)


def _parse_ode(eq: str, timeout: float = 10.0) -> _Parsed:
    t0 = time.perf_counter()
    equation, order, question = in_sandbox(_read_ode, eq, timeout=timeout)
    return _Parsed(kind_of_order(order), equation, question, X, _sympy_dsolve, time.perf_counter() - t0)


def integrate(expr: str | sp.Expr, x: str | None = None, *, beam: int = 10, timeout: float = 10.0,
              mode: str = "hybrid", checkpoint: str | Path | None = None) -> Solution:
    """Integrate ``expr`` with respect to ``x``; see the module docstring."""
    return _solve(_parse_integral(expr, x, timeout), beam=beam, timeout=timeout, mode=mode,
                  checkpoint=checkpoint)


def solve_ode(eq: str, *, beam: int = 10, timeout: float = 10.0, mode: str = "hybrid",
              checkpoint: str | Path | None = None) -> Solution:
    """Solve an ODE in y (or f) of x; the answer is f(x) with constants c1, c2."""
    return _solve(_parse_ode(eq, timeout), beam=beam, timeout=timeout, mode=mode, checkpoint=checkpoint)


def integrate_many(exprs: Iterable[str], x: str | None = None, *, batch_size: int = 16,
                   **options) -> Iterator[Solution | InputError | ProblemFailure]:
    """``integrate`` over many problems, decoding ``batch_size`` of them at once.

    Yields, in input order, a ``Solution``, or the ``InputError`` that problem's text raised, or a
    ``ProblemFailure`` if solving it failed unexpectedly (the other problems go on).
    Each problem keeps its own ``timeout``, which includes its share of the batch's decoding.
    """
    timeout = options.get("timeout", 10.0)
    return _solve_many((lambda e: _parse_integral(e, x, timeout)), exprs, batch_size, options)


def solve_ode_many(eqs: Iterable[str], *, batch_size: int = 16,
                   **options) -> Iterator[Solution | InputError | ProblemFailure]:
    """``solve_ode`` over many problems; see ``integrate_many``."""
    timeout = options.get("timeout", 10.0)
    return _solve_many((lambda e: _parse_ode(e, timeout)), eqs, batch_size, options)


def _solve_many(parse, texts: Iterable[str], batch_size: int,
                options: dict) -> Iterator[Solution | InputError | ProblemFailure]:
    """Yields one item per text, in order; a failure of one problem is its item, never the end."""
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    mode = options.get("mode", "hybrid")
    texts = iter(texts)
    while chunk := list(itertools.islice(texts, batch_size)):
        parsed: list[_Parsed | InputError] = []
        for text in chunk:
            try:
                parsed.append(parse(text))
            except InputError as err:
                parsed.append(err)
        ok = [p for p in parsed if isinstance(p, _Parsed)]
        decoded: dict[int, tuple[list, list[str], float]] = {}
        if mode in ("hybrid", "model") and ok:
            for kind in dict.fromkeys(p.task for p in ok):  # one batch per kind of problem
                group = [p for p in ok if p.task == kind]
                results = _decode(group, options.get("checkpoint"), options.get("beam", 10),
                                  time_limit=0.6 * options.get("timeout", 10.0) * len(group))
                decoded.update((id(p), r) for p, r in zip(group, results))
        for p in parsed:
            if isinstance(p, InputError):
                yield p
                continue
            try:
                yield _solve(p, decoded=decoded.get(id(p)), **options)
            except Exception as err:  # one problem's failure is its record; the batch goes on
                yield ProblemFailure(f"solving failed: {type(err).__name__}: {err}")


def _solve(p: _Parsed, *, beam: int = 10, timeout: float = 10.0, mode: str = "hybrid", checkpoint=None,
           decoded: tuple[list, list[str], float] | None = None) -> Solution:
    """Race the model's candidates and SymPy for one parsed problem under ``timeout`` seconds.

    ``decoded`` = (candidates, notes, seconds) when the model already ran in a batch.
    """
    t0 = time.perf_counter() - p.parse_seconds - (decoded[2] if decoded else 0.0)
    task, question_expr, user_var = p.task, p.expr, p.user_var
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    deadline = t0 + timeout
    sol = Solution(question=p.question)
    sol.seconds["parse"] = p.parse_seconds
    race = BackgroundCall(_sympy_as_text, (p.sympy_fn, question_expr), memory_mb=4096) \
        if mode in ("hybrid", "sympy") else None
    best: tuple[Verdict, str, str, int | None] | None = None

    def record(engine: str, rank: int | None, v) -> None:
        nonlocal best
        sol.candidates.append(Candidate(v.answer or "(could not be built)", engine, rank,
                                        v.verdict, round(v.seconds, 3)))
        if v.verdict.solved and (best is None or (best[0] is Verdict.NUMERIC_ONLY
                                                  and v.verdict is Verdict.PROVED)):
            best = (v.verdict, v.answer, engine, rank)

    def consider(candidate: str, engine: str, rank: int | None) -> None:
        budget = max(0.5, deadline - time.perf_counter())
        record(engine, rank, verify(task, question_expr, candidate, numeric_timeout=min(5.0, budget),
                                    proof_timeout=min(5.0, budget), show_var=user_var,
                                    deadline=deadline + VERIFY_SLACK))

    def proved() -> bool:
        return best is not None and best[0] is Verdict.PROVED

    def collect_sympy() -> None:
        t = time.perf_counter()
        outcome = race.result(deadline - t)
        sol.seconds["sympy"] = sol.seconds.get("sympy", 0.0) + time.perf_counter() - t
        if outcome.ok and outcome.value is not None:
            consider(outcome.value, "sympy", None)
        elif outcome.ok:
            sol.notes.append("SymPy found no closed form")
        else:
            sol.sympy_timed_out = outcome.status is Status.TIMEOUT
            sol.notes.append(f"SymPy: {outcome.status.value}"
                             f"{'' if outcome.error is None else ' ' + outcome.error}")

    try:
        cands: list = []
        if mode in ("hybrid", "model"):
            if decoded is None:
                decoded = _decode([p], checkpoint, beam,
                                  time_limit=max(0.1, 0.6 * (deadline - time.perf_counter())))[0]
            cands, model_notes, sol.seconds["decode"] = decoded
            sol.notes.extend(model_notes)
        sympy_done = race is not None and race.ready()
        if sympy_done:  # SymPy answered while the model decoded: its answer is checked first
            collect_sympy()
        if cands and not proved():
            t = time.perf_counter()
            budget = max(0.5, deadline - time.perf_counter())
            verdicts = verify_many(task, question_expr, [c for _, c in cands], show_var=user_var,
                                   numeric_timeout=min(5.0, budget), proof_timeout=min(5.0, budget),
                                   deadline=deadline + VERIFY_SLACK)
            for (rank, _), v in zip(cands, verdicts):
                if v is not None:
                    record("model", rank, v)
            sol.seconds["verify"] = time.perf_counter() - t
        if race is not None and not sympy_done and not proved():
            collect_sympy()
    finally:
        if race is not None:
            race.stop()
    if best is not None:
        verdict, sol.answer, sol.engine, sol.rank = best
        sol.verdict = verdict
    return sol


__all__ = ["integrate", "solve_ode", "integrate_many", "solve_ode_many", "Solution", "Candidate", "InputError",
           "ProblemFailure", "MODES"]
