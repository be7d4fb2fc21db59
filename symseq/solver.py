"""Public API: ``integrate(expr, ...)`` and ``solve_ode(eq, ...)`` -> a ``Solution`` that says how
the answer was found and proved.

Pipeline: parse -> (model) encode, beam search, verify candidates in rank order -> (SymPy)
``integrate`` / ``dsolve`` in a sandboxed process, raced against the model under one time budget -> the
first PROVED answer wins (else the best NUMERIC_ONLY one) -> answer written back in the user's
variable.  Modes: ``model`` (neural only), ``sympy`` (SymPy only), ``hybrid`` (both, default).

Nothing unverified is ever returned as an answer: ``Solution.answer`` is None unless
``verdict.solved``; the candidates list shows every verdict.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sympy as sp

from generators.symbols import C1, C2, F0, X
from symseq.parse import InputError, parse_integrand, parse_ode
from symseq.prefix import PrefixError, UnsupportedExpressionError, from_prefix, to_prefix
from symseq.sandbox import _child_setup
from symseq.verify import Verdict, verify, verify_many

DEFAULT_CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "default"
MODES = ("hybrid", "model", "sympy")


@dataclass
class Candidate:
    answer: str
    engine: str  # "model" or "sympy"
    rank: int | None  # beam rank (1 = best) for the model
    verdict: str
    seconds: float


@dataclass
class Solution:
    question: str
    answer: str | None = None
    verdict: str | None = None
    engine: str | None = None
    rank: int | None = None
    candidates: list[Candidate] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    answer_expr: sp.Expr | None = None

    @property
    def solved(self) -> bool:
        return self.answer is not None

    def to_json(self) -> dict:
        return {"question": self.question, "answer": self.answer, "verdict": self.verdict,
                "engine": self.engine, "rank": self.rank, "seconds": round(sum(self.seconds.values()), 3),
                "stages": {k: round(v, 3) for k, v in self.seconds.items()}, "notes": self.notes,
                "candidates": [c.__dict__ for c in self.candidates]}


@lru_cache(maxsize=4)
def _load_model(path: str):
    from symseq import checkpoint

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


def _sympy_child(conn, fn, arg) -> None:
    _child_setup(memory_mb=4096)
    try:
        conn.send(("ok", fn(arg)))
    except Exception as err:  # reported to the parent as "SymPy failed", never as success
        conn.send(("error", f"{type(err).__name__}: {err}"))


class _SympyRace:
    """A SymPy solver (integrate or dsolve) in a child process from the start of the budget."""

    def __init__(self, fn, arg: sp.Expr) -> None:
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_sympy_child, args=(child, fn, arg), daemon=True)
        self.proc.start()
        child.close()
        self.started = time.perf_counter()

    def result(self, deadline: float) -> tuple[str, object]:
        if self.conn.poll(max(0.0, deadline - time.perf_counter())):
            try:
                return self.conn.recv()
            except EOFError:
                return "error", "SymPy process died"
        self.stop()
        return "timeout", None

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=2)


def _model_candidates(question: sp.Expr, task_token: str, checkpoint_path: str, beam: int,
                      notes: list[str], time_limit: float):
    import torch

    from symseq.batching import TASK_TOKEN
    from symseq.checkpoint import CheckpointError
    try:
        model, vocab, _ = _load_model(checkpoint_path)
    except (CheckpointError, OSError) as err:  # reported; SymPy still runs in hybrid mode
        notes.append(f"model unavailable: {err}")
        return []
    try:
        tokens = [TASK_TOKEN[task_token]] + to_prefix(question)
    except UnsupportedExpressionError as err:
        notes.append(f"model skipped: {err}")
        return []
    max_len = getattr(model.config, "max_len", 1024)
    if len(tokens) > max_len:
        notes.append(f"model skipped: {len(tokens)} tokens exceed its limit {max_len}")
        return []
    from symseq.decode import beam_search

    src = torch.tensor([vocab.encode(tokens)])
    hyps = beam_search(model, vocab, src, torch.ones_like(src, dtype=torch.bool), beam=beam,
                       max_len=min(256, max_len), time_limit=time_limit)[0]
    out = []
    for rank, h in enumerate(hyps, 1):
        try:
            out.append((rank, from_prefix(h.tokens)))
        except PrefixError:
            continue
    return out


def integrate(expr: str | sp.Expr, x: str | None = None, *, beam: int = 10, timeout: float = 10.0,
              mode: str = "hybrid", checkpoint: str | Path | None = None) -> Solution:
    """Integrate ``expr`` with respect to ``x``; see the module docstring."""
    t0 = time.perf_counter()
    integrand, user_var = parse_integrand(expr if isinstance(expr, str) else sp.sstr(expr), x)
    question = sp.sstr(integrand.xreplace({X: user_var}))
    return _solve("integrate", "bwd", integrand, question, user_var, _sympy_integrate,
                  beam=beam, timeout=timeout, mode=mode, checkpoint=checkpoint, t0=t0)


def solve_ode(eq: str, *, beam: int = 10, timeout: float = 10.0, mode: str = "hybrid",
              checkpoint: str | Path | None = None) -> Solution:
    """Solve an ODE in y (or f) of x; the answer is f(x) with constants c1, c2."""
    t0 = time.perf_counter()
    equation, order = parse_ode(eq)
    task = "ode1" if order == 1 else "ode2"
    return _solve(task, task, equation, f"{sp.sstr(equation)} = 0", X, _sympy_dsolve,
                  beam=beam, timeout=timeout, mode=mode, checkpoint=checkpoint, t0=t0)


def _solve(task: str, task_token: str, question_expr: sp.Expr, question: str, user_var: sp.Symbol,
           sympy_fn, *, beam: int, timeout: float, mode: str, checkpoint, t0: float) -> Solution:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    deadline = t0 + timeout
    sol = Solution(question=question)
    sol.seconds["parse"] = time.perf_counter() - t0
    race = _SympyRace(sympy_fn, question_expr) if mode in ("hybrid", "sympy") else None
    best: tuple[Verdict, sp.Expr, str, int | None] | None = None

    def record(candidate: sp.Expr, engine: str, rank: int | None, v) -> None:
        nonlocal best
        sol.candidates.append(Candidate(sp.sstr(candidate.xreplace({X: user_var})), engine, rank,
                                        v.verdict.value, round(v.seconds, 3)))
        if v.verdict.solved and (best is None or (best[0] is Verdict.NUMERIC_ONLY
                                                  and v.verdict is Verdict.PROVED)):
            best = (v.verdict, candidate, engine, rank)

    def consider(candidate: sp.Expr, engine: str, rank: int | None) -> None:
        budget = max(0.5, deadline - time.perf_counter())
        record(candidate, engine, rank, verify(task, question_expr, candidate,
                                               numeric_timeout=min(5.0, budget),
                                               proof_timeout=min(5.0, budget)))

    try:
        if mode in ("hybrid", "model"):
            path = str(checkpoint or DEFAULT_CHECKPOINT)
            t = time.perf_counter()
            cands = _model_candidates(question_expr, task_token, path, beam, sol.notes,
                                      time_limit=max(0.1, 0.6 * (deadline - time.perf_counter())))
            sol.seconds["decode"] = time.perf_counter() - t
            t = time.perf_counter()
            budget = max(0.5, deadline - time.perf_counter())
            verdicts = verify_many(task, question_expr, [c for _, c in cands],
                                   numeric_timeout=min(5.0, budget), proof_timeout=min(5.0, budget))
            for (rank, cand), v in zip(cands, verdicts):
                if v is None:
                    continue
                record(cand, "model", rank, v)
            sol.seconds["verify"] = time.perf_counter() - t
        if race is not None:
            if best is not None and best[0] is Verdict.PROVED:
                race.stop()
            else:
                t = time.perf_counter()
                status, value = race.result(deadline)
                sol.seconds["sympy"] = time.perf_counter() - t
                if status == "ok" and value is not None:
                    consider(sp.sympify(value), "sympy", None)
                elif status == "ok":
                    sol.notes.append("SymPy found no closed form")
                else:
                    sol.notes.append(f"SymPy: {status}{'' if value is None else ' ' + str(value)}")
    finally:
        if race is not None:
            race.stop()
    if best is not None:
        verdict, answer, engine, rank = best
        sol.answer_expr = answer.xreplace({X: user_var})
        sol.answer, sol.verdict, sol.engine, sol.rank = sp.sstr(sol.answer_expr), verdict.value, engine, rank
    return sol


__all__ = ["integrate", "solve_ode", "Solution", "Candidate", "InputError", "MODES"]
