"""The verifier: is F an antiderivative of f?  Does y solve the ODE?  Never a guess.

The contract (docs/verifier.md).  An antiderivative F of f is accepted only if, at the
sample points where f and F are real and finite (at least ``MIN_REAL_POINTS`` of 40), F' = f,
and F does not jump between neighbouring points where f is continuous; an ODE answer is solved
only if it satisfies the equation for all values of its constants and has as many essential
constants as the order (else ``PARTICULAR``, shown as such, never counted as solved).  An
answer that holds only on part of the real line is ``LOCAL``: a solution on an interval, as tables
of integrals write them (``2*sin(x)/sqrt(cos(x) + 1)`` for ``sqrt(cos(x) + 1)`` on -pi < x < pi;
``y = sin(c1 - x)`` for ``y' = -sqrt(1 - y**2)`` where ``cos(c1 - x) >= 0``): it counts as solved,
always shown with the intervals where it was verified (``Verification.valid_on``; ``solve.intervals``).

Two stages, each in a sandboxed child process with a hard wall-clock limit from the parent:

1. Numeric (rejects almost every wrong candidate): the residual (F' - f, or the equation with y
   substituted) at 40 generic points, random constants, complex double precision (``numerics.numeric``):
   nonzero wherever finite -> ``WRONG``; the jump test (``F(b) - F(a)`` against Gauss-Legendre
   quadrature of f); for incomplete elliptic integrals F's difference quotient (``numerics.difference``);
   the residual at adaptive precision (``numerics.precise``) at the usable points, judged against the
   accuracy achieved -> ``WRONG`` if nonzero.  Too few usable or confirmed points, symbols other than
   x (c1, c2), step or piecewise functions -> ``INVALID``.
2. Symbolic proof (``proof``): the residual is simplified (expand, cancel, together; then ``simplify``):
   exactly 0 -> ``PROVED``; a nonzero constant or nonzero rational function -> ``WRONG``; else
   (or out of time) ``NUMERIC_ONLY`` (the user is told which).

``LOCAL``: where the numeric stage would say ``WRONG`` (a nonzero residual, or a jump), an
antiderivative is searched for intervals where it holds (``intervals.integral_intervals``), an ODE
answer for an interval where it holds for several values of its constants (``ode_intervals``).  An
answer with Abs, sign or roots is also checked between its kinks (``kinks``): no defect is too narrow.

``TIMEOUT``: the numeric stage did not finish; a crash or an exception is ``INVALID``.  ``PROVED``,
``NUMERIC_ONLY`` (on the real line where the question is real: "global") and ``LOCAL`` count as solved.

RawCandidates (model tokens, SymPy text) are built and printed back inside the sandbox: the caller's
process never touches untrusted expressions (SymPy can take exponential time to build some).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from generators.odes import Y0, Y1, Y2
from generators.symbols import C1, C2, F0, F1, F2, X
from generators.tasks import residual_of
from symseq.domain import Verdict
from symseq.lang.assume import describe_exclusions, exclusions, parameters_of
from symseq.numerics.exact_singularities import far_pairs
from symseq.numerics.continuity import (equation_in_x, find_jump, jump_grid, ode_jump_between, real_finite,
                                        without_deltas)
from symseq.numerics.jump_judges import has_special
from symseq.numerics.difference import difference_defect, needs_difference_check, where_difference_holds
from symseq.numerics.numeric import NotNumeric, evaluate, has_essential_constants
from symseq.numerics.precise import Zero, judge_zero
from symseq.sandbox import SandboxPool, Status
from symseq.solve.imaginary_constant import made_real
from symseq.solve.intervals import Interval, describe, integral_intervals
from symseq.solve.kinks import MAX_KINKS, kink_defects, ode_kink_jump
from symseq.solve.ode_intervals import ode_interval
from symseq.solve.parameter_draws import check_at_draws
from symseq.solve.proof import RawCandidate, build_with_exclusions, proof_stage
from symseq.solve.sample_points import sample_sets


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    seconds: float
    detail: str = ""
    answer: str | None = None  # the candidate as SymPy text, in the caller's variable
    valid_on: str = ""  # LOCAL: where it holds, for people ("-pi < x < pi"; ODEs: for which constants)
    intervals: tuple[Interval, ...] = ()  # LOCAL integrals: the intervals, for programs and tests
    provided: str = ""  # integrals with parameters: values excluded ("a != b"), shown with the answer


# Functions whose values jump: not a continuous antiderivative we can check (``sign`` and ``Abs``:
# the jump test below decides).
_DISCONTINUOUS = (sp.Piecewise, sp.Heaviside, sp.floor, sp.ceiling, sp.DiracDelta, sp.frac)
MIN_REAL_POINTS = 5  # sample points where question and answer are real and finite
SCREEN_CONFIRMATIONS = 4  # double-precision mismatches judged at adaptive precision, at most
MIN_CONFIRMED = 2  # of them, confirmed zero at adaptive precision
CONFIRM_POINTS = 6


def numeric_stage(args: tuple[str, sp.Expr, RawCandidate, sp.Symbol]) -> tuple[Verdict, str, str, str, tuple]:
    """(verdict, reason, the candidate printed in ``show_var``, where a LOCAL answer holds in
    words and as intervals); runs in a sandboxed worker."""
    task, question, candidate, show_var = args
    candidate, case_edges = build_with_exclusions(candidate, question)
    parameters = parameters_of(task, question)
    if parameters:
        excluded = exclusions(candidate, parameters)
        excluded += [f for f in exclusions(sp.Mul(*[1 / e for e in case_edges]), parameters)
                     if f not in excluded and -f not in excluded]
        verdict, reason, valid_on, intervals = check_at_draws(task, question, candidate, parameters, excluded,
                                                              _numeric_verdict)
        provided = describe_exclusions(excluded)
    else:
        verdict, reason, *where = _numeric_verdict(task, question, candidate)
        if verdict is Verdict.INVALID and task == "integrate" and reason.startswith("real and finite at only"):
            # complex at every real point, maybe by a constant: the real antiderivative is checked instead
            real = made_real(question, candidate, lambda c: _numeric_verdict(task, question, c))
            if real is not None:
                candidate, (verdict, reason, *where) = real
        (valid_on, intervals), provided = where if where else ("", ()), ""
    if intervals and show_var != X:
        valid_on = describe(intervals, str(show_var))
    return verdict, reason, sp.sstr(candidate.xreplace({X: show_var})), valid_on, intervals, provided


def _numeric_verdict(task: str, question: sp.Expr, candidate: sp.Expr) -> tuple:
    """The verifier's contract, numerically (the module docstring and docs/verifier.md):
    (verdict, reason), or for LOCAL (verdict, reason, valid_on, intervals)."""
    if candidate.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Integral, sp.Derivative):
        return Verdict.INVALID, "holds an infinity, an integral or a derivative"
    if candidate.has(*_DISCONTINUOUS):
        return Verdict.INVALID, "holds a piecewise or step function (not checked)"
    allowed = {X} if task == "integrate" else {X, C1, C2}
    extra = candidate.free_symbols - allowed
    if extra:
        return Verdict.INVALID, f"holds unknown symbols: {', '.join(sorted(map(str, extra)))}"
    # residual_of substitutes y, y', y'' away; the stand-ins catch any f(x) the question kept
    residual = without_deltas(residual_of(task, question, candidate)).xreplace({F0: Y0, F1: Y1, F2: Y2})
    rng = np.random.default_rng()  # fresh points on every call: no answer can be fitted to them
    question_real = 0  # the most sample points of one set where the question is real
    for env in sample_sets(rng):  # wider only if too few usable
        try:
            r, scale = evaluate(residual, env)
            answer = evaluate(candidate, env)[0]
            given = evaluate(question, env)[0] if task == "integrate" else np.zeros_like(answer)
        except NotNumeric as err:
            return Verdict.INVALID, f"cannot be evaluated ({err})"
        # 1. the residual, complex or not, must vanish wherever it is finite and the problem is
        # real; a point where double precision says otherwise is judged at adaptive precision
        # (cancellation inside F can exceed the screen's bound: FriCAS's answers with 10^5-sized
        # coefficients): nonzero there is wrong, zero or undecided leaves the point out
        finite = np.isfinite(r) & np.isfinite(scale)
        bound = 1e-8 * (1.0 + np.maximum(scale, np.abs(r)))
        bad = finite & (np.abs(r) > bound) & real_finite(given)
        rounding = bad.copy()  # judged mismatches shown to be double precision's rounding
        for i in np.flatnonzero(bad)[:SCREEN_CONFIRMATIONS]:
            point = {X: float(env[X][i].real), C1: float(env[C1][i].real), C2: float(env[C2][i].real)}
            judged = judge_zero(residual, point)[0]
            if judged is Zero.NONZERO:
                return _wrong_or_local(task, question, candidate, residual, rng, point,
                                       f"residual {_c(r[i])} at x = {env[X][i].real:.6g}")
            rounding[i] = judged is Zero.ZERO
        # more mismatches than were judged count as rounding only if every judged one was; the
        # usable points are judged again at adaptive precision below (step 4)
        if bad.any() and not rounding[bad][:SCREEN_CONFIRMATIONS].all():
            finite &= ~bad
        # 2. enough points where the problem and the answer are real (none usable: not verified)
        usable = finite & real_finite(answer) & real_finite(given)
        question_real = max(question_real, int(real_finite(given).sum()))
        if usable.sum() >= MIN_REAL_POINTS:
            break
    else:  # too few usable points (the question itself real at too few: said so)
        few = ("the question is real and finite at only", question_real) if question_real < MIN_REAL_POINTS \
            else ("real and finite at only", int(usable.sum()))
        return Verdict.INVALID, f"{few[0]} {few[1]} sample points"
    # 3. the answer must not jump where the integrand is continuous (for an ODE: y, and y' for
    # the second order, must not jump where the equation is defined)
    # (and where its formula may jump beyond the grid's reach: ``far_points``)
    xs = jump_grid(np.concatenate([env[X][usable].real, far_pairs(candidate)]), rng)
    if task == "integrate":
        jump = find_jump(question, candidate, xs)
        if jump:
            return _wrong_or_local(task, question, candidate, residual, rng, {C1: 0.0, C2: 0.0}, jump)
    else:
        draws = [rng.uniform(-3, 3, 2)]
        if candidate.has(sp.Abs, sp.sign):
            # a kink's jump of y' hides where y is not real at one draw of the constants
            # (sqrt(c1*Abs(x) + c2) with c2 < 0): every sign of c1 and c2 is tried too
            size = rng.uniform(0.3, 3.0, 2)
            draws += [size * np.array(signs) for signs in ((1, 1), (-1, 1), (1, -1), (-1, -1))]
        for constants in draws:
            jump = ode_jump_between(task, question, candidate, constants, xs) or \
                ode_kink_jump(task, equation_in_x(question),
                              candidate.xreplace({C1: sp.Float(constants[0]), C2: sp.Float(constants[1])}))
            if jump and jump[2].startswith("more than"):
                return Verdict.INVALID, jump[2]
            if jump:  # the answer may still solve the equation on either side: LOCAL
                return _wrong_or_local(task, question, candidate, residual, rng, {C1: constants[0], C2: constants[1]},
                                       jump[2], jumps=(jump[:2],))
    # 3b. an answer built with Abs or sign, piece by piece between its kinks (a jump or a defect
    # narrower than any grid: ``symseq.solve.kinks``)
    if task == "integrate":
        checked = kink_defects(question, candidate, residual)
        if checked is None:
            return Verdict.INVALID, f"more than {MAX_KINKS} points where Abs or sign change form: not checked"
        _, jumps, _, bad = checked
        if jumps or bad:
            where = f"jumps at x = {jumps[0]:.10g}" if jumps else \
                f"residual nonzero for {bad[0][0]:.10g} < x < {bad[0][1]:.10g}"
            return _wrong_or_local(task, question, candidate, residual, rng, {C1: 0.0, C2: 0.0}, where)
    # 3c. incomplete elliptic integrals: F's difference quotient against f where f is real, F
    # complex or not (their SymPy derivative is the principal branch's: numerics.difference)
    if task == "integrate" and needs_difference_check(candidate):
        bad = difference_defect(question, candidate, rng.permutation(env[X][finite & real_finite(given)].real))
        if bad:
            return _wrong_or_local(task, question, candidate, residual, rng, {C1: 0.0, C2: 0.0}, bad)
    # 4. the whole residual at adaptive precision, at the usable points (unless, with special
    # functions, whose values cost mpmath seconds at the deep precisions, it expands to 0 as it
    # stands: an Airy or Bessel solution's residual, with expand_func's recurrences)
    confirmed = 0
    points = np.flatnonzero(usable)[:CONFIRM_POINTS]
    special = has_special(residual)
    if special and sp.count_ops(residual) <= 300 and sp.expand(sp.expand_func(residual)) == 0:
        confirmed, points = len(points), points[:0]
    for n, i in enumerate(points):
        point = {X: float(env[X][i].real), C1: float(env[C1][i].real), C2: float(env[C2][i].real)}
        # the first point goes deeper (precisions p..16p): a tiny term (exp(-1000)*x) is
        # present everywhere, so one deep look finds it; not with special functions, which
        # mpmath evaluates too slowly there (Bessel Y at 16p: 40 s a point): p..4p
        judged, size = judge_zero(residual, point, levels=5 if n == 0 and not special else 3)
        if judged is Zero.NONZERO:
            return _wrong_or_local(task, question, candidate, residual, rng, point,
                                   f"residual {size:.3g} at x = {point[X]:.17g} (adaptive precision)")
        confirmed += judged is Zero.ZERO
    if confirmed < MIN_CONFIRMED:
        return Verdict.INVALID, f"confirmed at only {confirmed} points at high precision"
    # 5. an ODE answer is solved only if it is a general solution
    if task != "integrate":
        order = 2 if task == "ode2" else 1
        if not has_essential_constants(candidate, order, env, usable):
            return Verdict.PARTICULAR, f"a particular solution: fewer than {order} essential constants"
    return Verdict.NUMERIC_ONLY, ""


# where a residual can vanish on part of the line only: a branch (the module docstring)
_BRANCHES = (sp.Abs, sp.sign, sp.log, sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc, sp.asinh,
             sp.acosh, sp.atanh, sp.acoth)


def _wrong_or_local(task: str, question: sp.Expr, candidate: sp.Expr, residual: sp.Expr,
                    rng: np.random.Generator, failing: dict, reason: str,
                    jumps: tuple[tuple[float, float], ...] = ()) -> tuple:
    """WRONG with ``reason``, or LOCAL if an antiderivative holds on intervals, or an ODE answer
    solves the equation on an interval for every value of its constants tried, those of the
    ``failing`` point first (the module docstring).  Anything that goes wrong while looking is
    WRONG.  A residual that is nonzero somewhere can vanish on an interval only through a branch;
    an ODE answer with ``jumps`` (a < x < b) may solve the equation on each side of them."""
    if not (jumps or _has_branch(residual) or _has_branch(candidate)):
        return Verdict.WRONG, reason
    if task == "integrate":
        try:
            intervals = tuple(integral_intervals(question, candidate, residual, rng))
            if needs_difference_check(candidate):
                intervals = where_difference_holds(question, candidate, intervals)
        except Exception:  # noqa: BLE001 -- NotNumeric, or deep expressions: no interval shown
            intervals = ()
        if not intervals:
            return Verdict.WRONG, reason
        return Verdict.LOCAL, f"holds on part of the real line only (elsewhere: {reason})", \
            describe(intervals), intervals
    try:
        where = ode_interval(task, question, candidate, residual, rng, (failing[C1], failing[C2]), jumps)
    except Exception:  # noqa: BLE001 -- NotNumeric, or deep expressions: no interval shown
        where = None
    if where is None:
        return Verdict.WRONG, reason
    return Verdict.LOCAL, f"holds on part of the real line only (elsewhere: {reason})", where, ()


def _has_branch(e: sp.Expr) -> bool:
    """Whether ``e`` holds a branch or a kink (a root, Abs, sign, log, an inverse function):
    analytic otherwise, it cannot vanish on an interval without vanishing wherever defined."""
    return e.has(*_BRANCHES) or any(not p.exp.is_integer for p in e.atoms(sp.Pow))


def _c(z: complex) -> str:
    return f"{z.real:.3g}" if abs(z.imag) < 1e-12 * (1 + abs(z.real)) else f"{z:.3g}"


def verify_candidate(task: str, question: sp.Expr, candidate: RawCandidate, *, numeric_timeout: float = 5.0,
                     proof_timeout: float = 5.0, show_var: sp.Symbol = X,
                     deadline: float | None = None) -> Verification:
    """Verdict for one candidate to a parsed question; ``task`` is "integrate", "ode1" or "ode2".
    (``symseq.verify`` is the same for the user's text.)"""
    return verify_many(task, question, [candidate], workers=1, numeric_timeout=numeric_timeout,
                       proof_timeout=proof_timeout, show_var=show_var, deadline=deadline)[0]


def verify_many(task: str, question: sp.Expr, candidates: list[RawCandidate], *, workers: int = 2,
                numeric_timeout: float = 5.0, proof_timeout: float = 5.0,
                stop_at_first: bool = True, show_var: sp.Symbol = X,
                deadline: float | None = None) -> list[Verification | None]:
    """Verdicts for several candidates, in parallel over a pool of sandboxed workers.

    ``deadline`` (a ``time.perf_counter()`` value) caps both stages: no proof is started after
    it (those candidates stay NUMERIC_ONLY) and no stage runs past it.

    The numeric stage runs on every candidate; proofs are then attempted best-ranked first, and
    with ``stop_at_first`` the pool is killed at the first PROVED candidate (those not reached
    are None).  Same verdicts as ``verify_candidate`` one by one.
    """
    t0 = time.perf_counter()
    results: list[Verification | None] = [None] * len(candidates)
    passed: list[int] = []
    printed: dict[int, str] = {}
    reasons: dict[int, str] = {}
    provided: dict[int, str] = {}
    tasks = [(i, (task, question, c, show_var)) for i, c in enumerate(candidates)]

    def capped(limit: float) -> float:
        return limit if deadline is None else max(0.05, min(limit, deadline - time.perf_counter()))

    with SandboxPool(numeric_stage, workers=max(1, min(workers, len(tasks) or 1)),
                     timeout=capped(numeric_timeout)) as pool:
        for i, out in pool.imap_unordered(tasks):
            seconds = time.perf_counter() - t0
            if out.status is Status.TIMEOUT:
                results[i] = Verification(Verdict.TIMEOUT, seconds, "numeric stage timed out")
            elif not out.ok:
                results[i] = Verification(Verdict.INVALID, seconds, out.error or out.status.value)
            else:
                verdict, reasons[i], printed[i], valid_on, intervals, provided[i] = out.value
                if verdict is Verdict.NUMERIC_ONLY:
                    passed.append(i)
                else:
                    results[i] = Verification(verdict, seconds, reasons[i], printed[i], valid_on, intervals,
                                              provided[i])
    passed.sort()
    if not passed:
        return results
    if deadline is not None and deadline - time.perf_counter() < 0.1:
        for i in passed:
            results[i] = Verification(Verdict.NUMERIC_ONLY, time.perf_counter() - t0,
                                      "no time left for a proof", printed[i], provided=provided[i])
        return results
    with SandboxPool(proof_stage, workers=max(1, min(workers, len(passed))),
                     timeout=capped(proof_timeout)) as pool:
        for i, out in pool.imap_unordered([(i, tasks[i][1]) for i in passed]):
            verdict = out.value if out.ok else Verdict.NUMERIC_ONLY
            proved = verdict is Verdict.PROVED
            detail = {Verdict.PROVED: "", Verdict.WRONG: "the residual simplifies to a nonzero value"
                      }.get(verdict, "proof timed out" if out.status is Status.TIMEOUT
                            else "not proved symbolically")
            results[i] = Verification(verdict, time.perf_counter() - t0, detail, printed[i], provided=provided[i])
            if proved and stop_at_first and all(results[j] is not None for j in passed if j < i):
                break
    return results
