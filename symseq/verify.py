"""The verifier: is F an antiderivative of f?  Does y solve the ODE?  Never a guess.

Two stages, each in a sandboxed child process with a hard wall-clock limit from the parent:

1. Numeric screen (cheap, rejects almost every wrong candidate): the residual (F' - f, or the
   equation with y substituted) is evaluated at 40 generic points with random values of the
   constants (``generators.numeric``), then confirmed at 60-digit precision with mpmath at
   exact rational points.  Any point where both sides are finite and differ -> ``WRONG``.
   Too few points where it is defined -> ``INVALID``.
2. Symbolic proof: the residual is simplified to exactly 0 (cheap rewrites first: expand,
   cancel, together; then ``simplify``).  Success -> ``PROVED``; if the proof runs out of time
   or SymPy cannot close it -> ``NUMERIC_ONLY`` (the user is told which).

``TIMEOUT`` means the numeric stage itself did not finish; a crash or an exception is
``INVALID``.  Only ``PROVED`` and ``NUMERIC_ONLY`` count as solved, and they stay distinct.

Candidates may be given as prefix token lists (model output) or SymPy text (another process's
answer): they are then built, and printed back as ``Verification.answer``, inside the sandbox.
SymPy can take exponential time just to construct or print a deeply nested expression
(``tanh(tanh(...(x)))``), so the caller's process never touches untrusted expressions.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass

import mpmath
import sympy as sp

from generators.numeric import Check, check_zero, default_env
from generators.odes import Y0, Y1, Y2
from generators.symbols import C1, C2, F0, F1, F2, X
from symseq.prefix import from_prefix
from symseq.sandbox import SandboxPool, Status

Candidate = sp.Expr | str | list[str]  # an expression, SymPy text in x, c1, c2, or prefix tokens
_NAMES = {"x": X, "c1": C1, "c2": C2}


class Verdict(str, enum.Enum):
    PROVED = "proved"
    NUMERIC_ONLY = "numeric_only"
    WRONG = "wrong"
    INVALID = "invalid"
    TIMEOUT = "timeout"

    @property
    def solved(self) -> bool:
        return self in (Verdict.PROVED, Verdict.NUMERIC_ONLY)


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    seconds: float
    detail: str = ""
    answer: str | None = None  # the candidate as SymPy text, in the caller's variable


def build_candidate(candidate: Candidate) -> sp.Expr:
    """The candidate as an expression (call it only inside a sandbox for untrusted input)."""
    if isinstance(candidate, (list, tuple)):
        return from_prefix(list(candidate))
    if isinstance(candidate, str):
        return sp.sympify(candidate, locals=_NAMES)
    return candidate


# (x, c1, c2) confirmation points: exact rationals, both signs (the audit uses all eight, the
# verifier the first six).
EXACT_POINTS = ((sp.Rational(7, 9), sp.Rational(3, 7), sp.Rational(-2, 3)),
                (sp.Rational(-13, 11), sp.Rational(-5, 4), sp.Rational(1, 6)),
                (sp.Rational(23, 10), sp.Rational(2, 1), sp.Rational(5, 3)),
                (sp.Rational(-5, 17), sp.Rational(-1, 5), sp.Rational(-7, 4)),
                (sp.Rational(31, 7), sp.Rational(9, 8), sp.Rational(-3, 2)),
                (sp.Rational(-19, 6), sp.Rational(-8, 3), sp.Rational(11, 5)),
                (sp.Rational(2, 13), sp.Rational(5, 2), sp.Rational(1, 9)),
                (sp.Rational(-41, 10), sp.Rational(1, 3), sp.Rational(-5, 2)))
_CONFIRM_POINTS = EXACT_POINTS[:6]


def residual_of(task: str, question: sp.Expr, candidate: sp.Expr) -> sp.Expr:
    """The expression that must vanish identically for ``candidate`` to be right."""
    if task == "integrate":
        return sp.diff(candidate, X) - question
    d1 = sp.diff(candidate, X)
    values = {F2: sp.diff(d1, X), F1: d1, F0: candidate}
    return question.subs(values)


DIGITS = 60  # working precision of the confirmation stage
TOLERANCE = 1e-40  # |residual| above this at a confirmation point means WRONG


def _high_precision_check(residual: sp.Expr, candidate: sp.Expr) -> Check:
    """60-digit evaluation at exact rational points (independent of the numpy screen).

    Judged on the candidate's real domain (points where it is not real are skipped: a branch
    of sqrt or log chosen there is a convention) and relative to the terms that must cancel.
    An identity evaluates to ~1e-60 of its terms, far below the tolerance, while a candidate
    off by a tiny constant (x/10**20, which passes a double-precision screen) is caught.
    """
    terms = residual.args if residual.is_Add else (residual,)
    valid = 0
    for x, c1, c2 in _CONFIRM_POINTS:
        subs = {X: x, C1: c1, C2: c2}
        try:  # stay in 60-digit SymPy Floats: a Python complex would round to 16 digits
            value = sp.N(candidate.subs(subs), DIGITS)
            parts = [sp.N(t.subs(subs), DIGITS) for t in terms]
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not all(_finite_number(v) for v in parts + [value]):
            continue
        re, im = value.as_real_imag()
        if abs(im) > 1e-30 * (1 + abs(re)):
            continue
        total = sp.N(sp.Add(*parts), DIGITS)
        scale = 1 + sum(abs(v) for v in parts)
        if bool(abs(total) > TOLERANCE * scale):
            return Check.NONZERO
        valid += 1
    return Check.ZERO if valid else Check.UNDECIDED


def _finite_number(v: sp.Expr) -> bool:
    return bool(v.is_number) and not v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) and v.is_finite is not False


def numeric_stage(args: tuple[str, sp.Expr, Candidate, sp.Symbol]) -> tuple[Verdict, str]:
    """(verdict, the candidate printed in ``show_var``); runs in a sandboxed worker."""
    task, question, candidate, show_var = args
    candidate = build_candidate(candidate)
    return _numeric_verdict(task, question, candidate), sp.sstr(candidate.xreplace({X: show_var}))


def _numeric_verdict(task: str, question: sp.Expr, candidate: sp.Expr) -> Verdict:
    if candidate.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Integral, sp.Derivative):
        return Verdict.INVALID
    residual = residual_of(task, question, candidate)
    env = {k: v for k, v in default_env().items()}
    screen = check_zero(residual.xreplace({F0: Y0, F1: Y1, F2: Y2}), env)
    if screen is Check.NONZERO:
        return Verdict.WRONG
    if screen is Check.UNDECIDED:
        return Verdict.INVALID
    confirm = _high_precision_check(residual, candidate)
    if confirm is Check.NONZERO:
        return Verdict.WRONG
    return Verdict.NUMERIC_ONLY


def proof_stage(args: tuple[str, sp.Expr, Candidate, sp.Symbol]) -> bool:
    task, question, candidate, _ = args
    residual = residual_of(task, question, build_candidate(candidate))
    for rewrite in (lambda e: e, sp.expand, sp.cancel, lambda e: sp.together(sp.expand(e)),
                    sp.simplify):
        if rewrite(residual) == 0:
            return True
    return False


def verify(task: str, question: sp.Expr, candidate: Candidate, *, numeric_timeout: float = 5.0,
           proof_timeout: float = 5.0, show_var: sp.Symbol = X) -> Verification:
    """Verdict for one candidate; ``task`` is "integrate", "ode1" or "ode2"."""
    return verify_many(task, question, [candidate], workers=1, numeric_timeout=numeric_timeout,
                       proof_timeout=proof_timeout, show_var=show_var)[0]


def verify_many(task: str, question: sp.Expr, candidates: list[Candidate], *, workers: int = 2,
                numeric_timeout: float = 5.0, proof_timeout: float = 5.0,
                stop_at_first: bool = True, show_var: sp.Symbol = X) -> list[Verification | None]:
    """Verdicts for several candidates, in parallel over a pool of sandboxed workers.

    The numeric stage runs on every candidate; proofs are then attempted best-ranked first, and
    with ``stop_at_first`` the pool is killed at the first PROVED candidate (those not reached
    are None).  Same verdicts as ``verify`` one by one.
    """
    t0 = time.perf_counter()
    results: list[Verification | None] = [None] * len(candidates)
    passed: list[int] = []
    printed: dict[int, str] = {}
    tasks = [(i, (task, question, c, show_var)) for i, c in enumerate(candidates)]
    with SandboxPool(numeric_stage, workers=max(1, min(workers, len(tasks) or 1)),
                     timeout=numeric_timeout) as pool:
        for i, out in pool.imap_unordered(tasks):
            seconds = time.perf_counter() - t0
            if out.status is Status.TIMEOUT:
                results[i] = Verification(Verdict.TIMEOUT, seconds, "numeric stage timed out")
            elif not out.ok:
                results[i] = Verification(Verdict.INVALID, seconds, out.error or out.status.value)
            else:
                verdict, printed[i] = out.value
                if verdict is Verdict.NUMERIC_ONLY:
                    passed.append(i)
                else:
                    results[i] = Verification(verdict, seconds, answer=printed[i])
    passed.sort()
    if not passed:
        return results
    with SandboxPool(proof_stage, workers=max(1, min(workers, len(passed))),
                     timeout=proof_timeout) as pool:
        for i, out in pool.imap_unordered([(i, tasks[i][1]) for i in passed]):
            proved = out.ok and out.value
            detail = "" if proved else ("proof timed out" if out.status is Status.TIMEOUT
                                        else "not proved symbolically")
            results[i] = Verification(Verdict.PROVED if proved else Verdict.NUMERIC_ONLY,
                                      time.perf_counter() - t0, detail, printed[i])
            if proved and stop_at_first and all(results[j] is not None for j in passed if j < i):
                break
    return results
