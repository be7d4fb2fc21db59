"""Definite integrals: ``integrate_definite("x^2", 0, 1)`` -> a ``DefiniteSolution``.

An exact value is shown only when both hold:

(a) it comes from an antiderivative F found by the race and verified, continuous on the
    interval (the jump test on a grid of (a, b), capped at +-``GRID_REACH`` for an infinite end),
    taken as lim F(x -> b-) - lim F(x -> a+) by SymPy's ``limit`` (or, when F jumps at points of
    a finite interval, piece by piece between them: ``symseq.solve.pieces``); or from an engine's own
    definite integral (SymPy's, Maxima's, FriCAS's, also of rewritten forms:
    ``symseq.solve.definite_engines``; once one agrees with (b) the race for F stops); and
(b) it agrees with adaptive numeric quadrature (``symseq.numerics.quadrature``: mpmath, two
    different subdivisions, the error estimate stated) to the tolerance recorded in the answer.

A value that fails (b) is never shown (a note says which source gave it).  A divergent integral
says so when an engine (the limits of F, or an engine's definite integral) finds +-oo and the
quadrature over shrinking cut-offs grows without bound the same way.  Otherwise "no verified
answer", with the quadrature value (``numeric``) and, when an integer-relation search finds a
short combination of common constants matching its digits, that proposal: never a proved value.

Every SymPy and mpmath step runs in a sandboxed child under the problem's time budget.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.lang.assume import parameters_of
from symseq.lang.bounds import parse_definite
from symseq.lang.parse import in_sandbox, parse_answer
from symseq.numerics.quadrature import Quadrature, closed_form, divergence, quadrature
from symseq.sandbox import BackgroundCall, Status
from symseq.solve.config import SolveConfig, configured
from symseq.solve.definite_engines import (as_value, definite_engines, engine_definite_job, symmetric_job,
                                           sympy_definite_job, ValueWatch)
from symseq.solve.race.budget import DRAIN_SECONDS, ENGINE_MEMORY_MB
from symseq.solve.race.jobs import ParsedProblem
from symseq.solve.race.loop import Race

RACE_SHARE = 0.6  # of the time left after parsing, for finding an antiderivative
GRID_REACH = 100.0  # the jump test's grid stops this far out on an infinite interval
GRID_STEP = 0.05
MIN_STEP_SECONDS = 1.0  # limits, continuity and the closed-form search each get at least this


@dataclass
class DefiniteSolution:
    question: str  # "x**2 for x from 0 to 1"
    lower: str
    upper: str
    value: str | None = None  # the exact value, verified by (a) and (b)
    divergent: int = 0  # +1 / -1: the integral diverges to +oo / -oo (engines and quadrature agree)
    method: str = ""  # where the value came from
    antiderivative: str | None = None  # F used for the value (in the user's variable)
    quadrature: Quadrature | None = None
    proposal: str | None = None  # a closed form matching the quadrature's digits (not proved)
    assumptions: str = ""  # with parameters: what the value assumes of them ("b > 0"), always shown with it
    draws: list = field(default_factory=list)  # with parameters: the value against quadrature at each draw
    notes: list[str] = field(default_factory=list)
    tried: list[dict] = field(default_factory=list)  # every exact value met: source, value, agrees
    wall: float = 0.0

    @property
    def solved(self) -> bool:
        """An exact value verified by both checks, or a divergence both sides agree on."""
        return self.value is not None or self.divergent != 0

    @property
    def numeric(self) -> str | None:
        """The quadrature's value (20 digits), when it converged."""
        return self.quadrature.digits if self.quadrature is not None and self.quadrature.ok else None

    def to_json(self) -> dict:
        return {"question": self.question, "lower": self.lower, "upper": self.upper, "value": self.value,
                "divergent": {1: "oo", -1: "-oo"}.get(self.divergent), "method": self.method or None,
                "antiderivative": self.antiderivative,
                "quadrature": None if self.quadrature is None else self.quadrature.to_json(),
                "proposal": self.proposal, "assumptions": self.assumptions or None, "draws": self.draws,
                "notes": self.notes, "tried": self.tried,
                "seconds": round(self.wall, 3)}


def _read(text: str, var: str | None, lower, upper, assume=None):
    integrand, user_var, a, b = parse_definite(text, var, lower, upper, assume)
    shown = f"{sp.sstr(integrand.xreplace({X: user_var}))} for {user_var} from {sp.sstr(a)} to {sp.sstr(b)}"
    return integrand, user_var, a, b, shown


def _quadrature_job(args) -> Quadrature:
    f, a, b = args
    return quadrature(f, a, b)


def _one_limit(F: sp.Expr, point: sp.Expr, direction: str) -> sp.Expr:
    """SymPy's limit of F at ``point`` from ``direction`` ('+', '-'; ignored at an infinity);
    when it stays unevaluated, the limit of F with E_n written by Ei (expint(1, -3*log(x)/2) as
    x -> 0+), its polar numbers made plain."""
    def limit(G: sp.Expr) -> sp.Expr:
        return sp.limit(G, X, point) if point in (sp.oo, -sp.oo) else sp.limit(G, X, point, direction)

    value = limit(F)
    if value.has(sp.Limit) and F.has(sp.expint):
        value = sp.unpolarify(limit(F.rewrite(sp.Ei)))
    return value


def _limits_job(args) -> tuple[str, float | None]:
    """F(b-) - F(a+) by SymPy's limits."""
    F, a, b = args
    upper, lower = _one_limit(F, b, "-"), _one_limit(F, a, "+")
    if upper.has(sp.Limit) or lower.has(sp.Limit):
        return "", None
    value = upper - lower
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        return sp.sstr(value), None
    text, number = as_value(value)
    try:
        simpler = sp.simplify(value)
        if sp.count_ops(simpler) < sp.count_ops(value):
            return sp.sstr(simpler), number
    except Exception:  # simplification is optional
        pass
    return text, number


def _grid(f: sp.Expr, F: sp.Expr, a: sp.Expr, b: sp.Expr) -> np.ndarray:
    """The jump test's grid inside (a, b) (an infinite end cut at ``_reach``)."""
    lo = -_reach(f, F, -1) if a == -sp.oo else float(a)
    hi = _reach(f, F, 1) if b == sp.oo else float(b)
    if a != -sp.oo and b != sp.oo and hi - lo < 0:
        lo, hi = hi, lo
    n = int(min(8001, max(201, (hi - lo) / GRID_STEP)))
    return np.linspace(lo, hi, n)[1:-1] if hi > lo else np.array([])


def _breaks_job(args) -> list[tuple[float, float]]:
    """Where the jump test breaks its grid of (a, b) (``symseq.solve.pieces.breaks_of``): [] when
    it finds F continuous (and real) there."""
    from symseq.numerics.continuity import interval_breaks
    from symseq.solve.pieces import breaks_of

    f, F, a, b = args
    xs = _grid(f, F, a, b)
    return breaks_of(interval_breaks(f, F, xs), xs) if len(xs) >= 2 else []


def _pieces_job(args) -> tuple[str, float | None]:
    """The value piece by piece between the points where F jumps (``symseq.solve.pieces``),
    given the jump test's ``brackets`` of them."""
    from symseq.solve.pieces import break_points, value_by_pieces

    F, a, b, brackets = args
    if a.has(sp.oo, -sp.oo) or b.has(sp.oo, -sp.oo) or b < a:
        return "", None
    points = break_points(F, a, b, brackets)
    value = value_by_pieces(F, a, b, points) if points else None
    return ("", None) if value is None else as_value(sp.simplify(value))


def _reach(f: sp.Expr, F: sp.Expr, direction: int) -> float:
    """How far out the grid of an infinite end goes: ``GRID_REACH``, or less where f or F
    overflows double precision before it (exp(2*x) at 100); the limit at infinity is SymPy's."""
    from symseq.numerics.numeric import NotNumeric, evaluate

    for r in (GRID_REACH, 50.0, 20.0, 10.0, 5.0):
        try:
            t = np.array([direction * r], dtype=np.complex128)
            if np.isfinite(evaluate(F, {X: t})[0]).all() and np.isfinite(evaluate(f, {X: t})[0]).all():
                return r
        except NotNumeric:
            return GRID_REACH
    return 5.0


def _divergence_job(args) -> int:
    return divergence(*args)


def _closed_form_job(q: Quadrature) -> str | None:
    found = closed_form(q)
    return None if found is None else sp.sstr(found)


def _call(fn, arg, seconds: float):
    """``fn(arg)`` in the sandbox; its value, or None on a timeout, crash or error."""
    out = BackgroundCall(fn, arg, memory_mb=ENGINE_MEMORY_MB).result(max(seconds, 0.1))
    return out.value if out.status is Status.OK else None


def integrate_definite(expr: str, lower: str | None = None, upper: str | None = None,
                       x: str | None = None, *, assume: str | None = None, config: SolveConfig | None = None,
                       **changes) -> DefiniteSolution:
    """The definite integral of ``expr`` from ``lower`` to ``upper`` (or LaTeX ``\\int_a^b``);
    see the module docstring.  ``config`` / ``changes`` as for ``integrate`` (``timeout`` is
    the whole budget; the antiderivative's race gets ``RACE_SHARE`` of it).  Raises
    ``InputError`` for text that cannot be read."""
    cfg = configured(config, changes)
    timeout = cfg.timeout
    t0 = time.perf_counter()
    deadline = t0 + timeout
    f, user_var, a, b, shown = in_sandbox(_read, expr if isinstance(expr, str) else sp.sstr(expr), x,
                                          lower, upper, assume, timeout=timeout)
    sol = DefiniteSolution(shown, sp.sstr(a), sp.sstr(b))
    if parameters_of("integrate", f):  # the value is an expression in them: checked at their draws
        from symseq.solve.definite_parameters import integrate_with_parameters

        integrate_with_parameters(sol, f, user_var, a, b, cfg, deadline, RACE_SHARE, MIN_STEP_SECONDS)
        sol.wall = time.perf_counter() - t0
        return sol
    quad_call = BackgroundCall(_quadrature_job, (f, a, b), memory_mb=ENGINE_MEMORY_MB)
    engines = definite_engines(cfg)
    engine_calls = {name: BackgroundCall(sympy_definite_job, (f, a, b), memory_mb=ENGINE_MEMORY_MB)
                    if name == "sympy" else
                    BackgroundCall(engine_definite_job, (name, f, a, b, timeout), memory_mb=ENGINE_MEMORY_MB,
                                   affinity=name)
                    for name in engines}
    symmetric_call = BackgroundCall(symmetric_job, (f, a, b), memory_mb=ENGINE_MEMORY_MB) \
        if "sympy" in engines else None
    left = deadline - time.perf_counter()
    race_time = max(MIN_STEP_SECONDS, RACE_SHARE * left)
    race_cfg = dataclasses.replace(cfg, timeout=race_time)
    watch = ValueWatch(quad_call, [*engine_calls.values(), *([symmetric_call] if symmetric_call else [])])
    found = Race(ParsedProblem("integrate", f, shown, user_var, 0.0), race_cfg, stop=watch.should_stop).run()
    values: list[tuple[str, str, float | None]] = []  # (source, text, number)
    if found.solved and not watch.fired:  # (a race stopped for an engine's value: that value is checked first)
        F = parse_answer(found.answer, {user_var.name: X})
        sol.antiderivative = found.answer
        t_steps = time.perf_counter()
        step = max(MIN_STEP_SECONDS, (deadline - time.perf_counter()) / 3)
        limits_call = BackgroundCall(_limits_job, (F, a, b), memory_mb=ENGINE_MEMORY_MB)  # beside the jump test
        brackets = _call(_breaks_job, (f, F, a, b), step)
        limits = limits_call.result(max(0.1, 2 * step - (time.perf_counter() - t_steps))) if brackets == [] else None
        limits_call.stop()
        if brackets == []:  # continuous on the interval
            limits = limits.value if limits is not None and limits.status is Status.OK else None
            if limits and limits[0]:
                values.append((f"antiderivative ({found.engine})", *limits))
        else:
            pieces = _call(_pieces_job, (F, a, b, brackets), step) if brackets else None
            if pieces and pieces[0]:
                values.append((f"antiderivative ({found.engine}), piece by piece", *pieces))
            elif brackets is None:
                sol.notes.append(f"no time left to test the antiderivative {found.answer} for jumps on the interval")
            else:
                sol.notes.append(f"the antiderivative {found.answer} is not continuous on the interval")
    quad = quad_call.result(max(MIN_STEP_SECONDS, deadline - time.perf_counter()))
    sol.quadrature = quad.value if quad.status is Status.OK else None
    q = sol.quadrature
    found_one = watch.agreed() or q is not None and q.ok and any(n is not None and q.agrees(n) for _, _, n in values)
    for name, call in engine_calls.items():  # waited for only while no value agrees
        if found_one and not call.ready():
            call.stop(drain=DRAIN_SECONDS)  # a warm CAS session may finish and be kept
            continue
        engine = call.result(0.0 if found_one else max(0.1, deadline - time.perf_counter()))
        if engine.status is Status.OK and engine.value[1]:
            how, text, number = engine.value
            values.append((f"{name} definite{how}", text, number))
    if symmetric_call is not None:
        symmetric = symmetric_call.result(0.0 if found_one else max(0.1, deadline - time.perf_counter()))
        values += [v for v in symmetric.value if v[1]] if symmetric.status is Status.OK else []
    _choose(sol, values, f, a, b, deadline)
    sol.wall = time.perf_counter() - t0
    return sol


def _choose(sol: DefiniteSolution, values: list, f: sp.Expr, a: sp.Expr, b: sp.Expr, deadline: float) -> None:
    q = sol.quadrature
    infinite = 0
    for source, text, number in values:
        agrees = number is not None and q is not None and q.agrees(number)
        sol.tried.append({"source": source, "value": text, "agrees": agrees})
        if text in ("oo", "-oo"):
            infinite = infinite or (1 if text == "oo" else -1)
        if agrees and sol.value is None:
            sol.value, sol.method = text, source
        elif number is not None and not agrees:
            why = "no quadrature value to compare with" if q is None or not q.ok else \
                f"quadrature gives {q.digits} (error {q.error:.1g})"
            sol.notes.append(f"{source} gave {text} = {number:.15g}, but {why}: not shown")
    if sol.value is not None:
        return
    seconds = max(MIN_STEP_SECONDS, deadline - time.perf_counter())
    if infinite and _call(_divergence_job, (f, a, b), seconds) == infinite:
        sol.divergent = infinite
        return
    if q is not None and q.ok:
        sol.proposal = _call(_closed_form_job, q, seconds)
    elif q is not None:
        sol.notes.append(f"no numeric value: {q.reason}")
