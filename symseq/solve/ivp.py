"""Initial value problems: ``solve_ivp("y' = y", "y(0) = 1")`` -> an ``IVPSolution``.

The general solution comes from the race (``symseq.solve.solver.solve_ode``), verified as every
ODE answer is.  Its constants are then solved from the conditions (SymPy's ``solve``, in a
sandbox): one answer per real solution, all of them kept when several fit.  An answer is shown
only when

* the general solution holds on the whole real line, or (a LOCAL general solution, whose
  interval depends on its constants, or a branch of SymPy's general solution that the race did
  not verify: it stops at its first proved answer, and y = -sqrt(c1 + x**2) does not fit
  y(1) = 2; or one of two engine answers refused as general solutions, which may hold for some
  constants only) the particular solution itself solves the equation on an interval around every
  condition's point: the residual vanishes on a 0.01 grid out to 10 on
  each side, confirmed at adaptive precision, y does not jump there; the answer is then shown
  with that interval (``valid_on``), and
* every condition holds exactly: y(x0) - y0 (y'(x0) - y1) is 0 at 30 digits and SymPy's
  ``simplify`` makes it 0 (in the sandbox); a condition not proved so is "not met".

A condition where the general solution is complex (log(x), x**(1/3) at x < 0) is also tried on
its real form (``real_form``: log(Abs(x)), the real root), held to the local standard above.

With no explicit general solution but a verified implicit one H(x, y) = c1 (first order, one
condition y(x0) = y0), the answer is its curve through the condition, ``IVPSolution.implicit``
(``symseq.solve.implicit.curve_through``), never counted as solved.

Conditions are written ``y(0) = 1, y'(0) = 0`` (or with f), at most one per derivative order
below the equation's; points and values are constants (``pi``, ``sqrt(2)``, ``-1/2``).
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass, field

import sympy as sp

from generators.symbols import C1, C2, X
from symseq.domain import Verdict, kind_of_order
from symseq.lang.parse import InputError, in_sandbox, parse_answer, parse_expression, parse_ode
from symseq.sandbox import BackgroundCall, Status
from symseq.solve.config import SolveConfig, configured
from symseq.solve.implicit import curve_through_call
from symseq.solve.ivp_constants import constant_solves_job, constants_job, met_job
from symseq.solve.ivp_local import existence_job as _existence_job, local_job as _local_job, other_roots, real_form
from symseq.solve.race.budget import ENGINE_MEMORY_MB

GENERAL_SHARE = 0.7  # of the budget, for the general solution's race
MAX_REFUSED = 2  # engine answers refused as general solutions, tried for particular ones
MAX_CONDITION_CHARS = 500
_CONDITION = re.compile(r"^([yf])('{0,2})\s*\((.+)\)\s*=(.+)$")


@dataclass(frozen=True)
class Condition:
    order: int  # 0: y(x0) = value; 1: y'(x0) = value
    point: sp.Expr
    value: sp.Expr

    @property
    def text(self) -> str:
        return f"y{chr(39) * self.order}({sp.sstr(self.point)}) = {sp.sstr(self.value)}"


@dataclass(frozen=True)
class Particular:
    """One answer: a particular solution that meets every condition."""
    answer: str
    source: str  # the general solution it comes from
    verdict: str  # its general solution's verdict, or "local"
    valid_on: str = ""  # "" (the whole line) or where it solves the equation (local)
    exists_on: str = ""  # "" or, for a rational answer, the interval between its nearest poles


@dataclass
class IVPSolution:
    question: str  # the equation, as for solve_ode
    conditions: list[Condition]
    particulars: list[Particular] = field(default_factory=list)  # every answer that meets all conditions
    general: str | None = None  # the verified general solution the answers come from
    general_verdict: str | None = None
    engine: str | None = None
    met: list[list[bool]] = field(default_factory=list)  # per constants tried: each condition met?
    tried: list[str] = field(default_factory=list)  # the particular solutions tried
    notes: list[str] = field(default_factory=list)
    wall: float = 0.0
    # no explicit answer: the level curve of a verified implicit general solution through the
    # condition, "H(x, y) = H(x0, y0)" (first order; never counted as solved)
    implicit: str = ""

    @property
    def solved(self) -> bool:
        return bool(self.particulars)

    @property
    def answers(self) -> list[str]:
        return [p.answer for p in self.particulars]

    @property
    def answer(self) -> str | None:
        return self.answers[0] if self.answers else None

    @property
    def valid_on(self) -> list[str]:
        return [p.valid_on for p in self.particulars]

    @property
    def exists_on(self) -> list[str]:
        return [p.exists_on for p in self.particulars]

    def to_json(self) -> dict:
        return {"question": self.question, "conditions": [c.text for c in self.conditions],
                "answer": self.answer, "answers": self.answers,
                "valid_on": [v or None for v in self.valid_on], "exists_on": [v or None for v in self.exists_on],
                "verdicts": [p.verdict for p in self.particulars], "from": [p.source for p in self.particulars],
                "general": self.general,
                "general_verdict": self.general_verdict, "engine": self.engine,
                "tried": [{"answer": a, "conditions_met": dict(zip((c.text for c in self.conditions), m))}
                          for a, m in zip(self.tried, self.met)],
                "implicit": self.implicit or None, "notes": self.notes, "seconds": round(self.wall, 3)}


def parse_conditions(text: str, order: int) -> list[Condition]:
    """``"y(0) = 1, y'(0) = 0"`` -> the conditions of an ODE of ``order`` (raises InputError)."""
    text = str(text)
    if len(text) > MAX_CONDITION_CHARS:
        raise InputError(f"the conditions are longer than {MAX_CONDITION_CHARS} characters")
    parts = [p.strip() for p in _split(text) if p.strip()]
    if not parts:
        raise InputError("no initial condition given (write e.g. \"y(0) = 1\")")
    found: list[Condition] = []
    for part in parts:
        m = _CONDITION.match(part)
        if not m:
            raise InputError(f"cannot read the condition {part!r}: write e.g. \"y(0) = 1\" or \"y'(pi) = 2\"")
        k = len(m.group(2))
        if k >= order:
            raise InputError(f"{part!r}: a condition of an order-{order} equation is on y"
                             f"{' or y' + chr(39) if order > 1 else ''} only")
        if any(c.order == k for c in found):
            raise InputError(f"two conditions on y{chr(39) * k}: give one")
        point, value = (_constant(s, part) for s in (m.group(3), m.group(4)))
        if not point.is_real or not value.is_real:
            raise InputError(f"{part!r}: the point and the value must be real numbers")
        found.append(Condition(k, point, value))
    return found


def _split(text: str) -> list[str]:
    """Split at commas and semicolons outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch in ",;" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return parts + [text[start:]]


def _constant(text: str, part: str) -> sp.Expr:
    expr = sp.sympify(parse_expression(text.strip()))
    if expr.free_symbols or expr.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise InputError(f"{part!r}: points and values must be finite constants (got {text.strip()!r})")
    return expr


def _read_ivp(eq: str, ics: str) -> tuple[list[Condition], sp.Expr, int]:
    equation, order = parse_ode(eq)
    return parse_conditions(ics, order), equation, order


def _branches_job(equation: sp.Expr) -> list[str]:
    """Every explicit branch of SymPy's general solution (``dsolve``), constants c1, c2."""
    from symseq.solve.engines.sympy_engines import dsolve_explicit

    return [sp.sstr(e) for e in dsolve_explicit(equation) if not e.has(sp.Integral, sp.I)]


def _call(fn, arg, seconds: float):
    out = BackgroundCall(fn, arg, memory_mb=ENGINE_MEMORY_MB).result(max(seconds, 0.1))
    return out.value if out.status is Status.OK else None


def solve_ivp(eq: str, ics: str, *, config: SolveConfig | None = None, **changes) -> IVPSolution:
    """The initial value problem ``eq`` with conditions ``ics`` (module docstring); ``config``
    and ``changes`` as for ``solve_ode`` (``timeout`` is the whole budget).  Raises
    ``InputError`` for an equation or conditions that cannot be read."""
    from symseq.solve.solver import solve_ode

    cfg = configured(config, changes)
    t0 = time.perf_counter()
    deadline = t0 + cfg.timeout
    conditions, equation, order = in_sandbox(_read_ivp, eq, ics, timeout=cfg.timeout)
    general = solve_ode(eq, config=dataclasses.replace(cfg, timeout=max(1.0, GENERAL_SHARE * cfg.timeout)))
    sol = IVPSolution(general.question, conditions, general=general.answer,
                      general_verdict=None if general.verdict is None else general.verdict.value,
                      engine=general.engine)
    # every verified general solution the race met: the branches of an implicit answer
    # (y = +-sqrt(c1 + x**2)) fit different conditions
    generals = [(general.answer, general.verdict)] if general.solved else []
    generals += [(c.answer, c.verdict) for c in general.candidates if c.verdict.solved]
    if generals and cfg.mode in ("hybrid", "engines", "sympy"):
        # the race stops at its first proved answer: dsolve's other branches, unverified, give
        # particular solutions held to the local standard (``_local_job``)
        seconds = (1 - GENERAL_SHARE) / 2 * cfg.timeout
        generals += [(b, None) for b in _call(_branches_job, equation, seconds) or []]
    # an engine's answer refused as a general solution may still hold near the points for the
    # constants that fit (y = (c1*exp(-x**2/4) - 1)**(-2) solves y' - x*y = x*y**(3/2) where its
    # base is positive, for c1 > 1 only): held to the local standard like the branches
    verified = bool(generals)
    refused = [c.answer for c in general.candidates if c.verdict is Verdict.WRONG and not c.by_model]
    generals += [(text, None) for text in refused[:MAX_REFUSED]]
    # the other sign of each square root of a constant: the branch an engine left out
    generals += [(sp.sstr(o), None) for text, _ in generals for o in other_roots(_read_general(text) or sp.S.Zero)]
    generals = _each_once(generals)
    # an equilibrium through the condition, which the general solution may miss (y = -1 for
    # y' = -(y + 1)**2*g(x)): a constant y0 whose residual is 0
    constant = _constant_condition(conditions)
    if constant is not None and _call(constant_solves_job, (kind_of_order(order), equation, constant.value,
                                                            constant.point), deadline - time.perf_counter()):
        value = sp.sstr(constant.value)
        sol.particulars.append(Particular(value, f"the constant solution y = {value} (its residual is 0)", "proved"))
    read = {text: _read_general(text) for text, _ in generals}  # None: a SymPy branch we cannot read
    for text, verdict in generals:
        source = f"the verified general solution {text} ({verdict.value})" if verdict is not None else \
            f"the branch {text} (checked near the points)"
        shown = verdict.value if verdict is not None and verdict.is_global else "local"
        if read[text] is not None:
            _particulars(sol, read[text], source, shown, equation, order, deadline)
    if generals and not sol.answers:
        # log(x) and x**(1/3) are complex for x < 0: a condition there has no real constants, while
        # log(Abs(x)) and the real cube root solve the equation on each side (checked near the points)
        for text, _ in generals:
            G = read[text]
            if G is not None and (real := real_form(G)) != G:
                _particulars(sol, real, f"the real form {sp.sstr(real)} of the general solution {text} "
                             "(checked near the points)", "local", equation, order, deadline)
    if not sol.answers and general.implicit and order == 1 and [c.order for c in conditions] == [0]:
        c = conditions[0]
        sol.implicit = _call(curve_through_call, (general.implicit, c.point, c.value), deadline - time.perf_counter()) or ""
        sol.notes.append(f"y given implicitly, from the verified implicit general solution {general.implicit}"
                         if sol.implicit else f"the implicit general solution {general.implicit} does not define y "
                         f"near {c.text}")
    elif not verified and not sol.answers:
        sol.notes.append("no verified general solution")
    if verified and not sol.tried and not sol.answers:
        sol.notes.append("no real values of the constants meet the conditions")
    sol.wall = time.perf_counter() - t0
    return sol


def _each_once(generals: list[tuple[str, Verdict | None]]) -> list[tuple[str, Verdict | None]]:
    """Each general solution's text once, in order, with its first verdict (a verified one before
    the same text as an unverified branch)."""
    first: dict[str, Verdict | None] = {}
    for text, verdict in generals:
        first.setdefault(text, verdict)
    return list(first.items())


def _constant_condition(conditions: list[Condition]) -> Condition | None:
    """The condition y(x0) = y0 when the constant y = y0 meets every condition (y'(x0) = 0 if given)."""
    on_y = [c for c in conditions if c.order == 0]
    return on_y[0] if on_y and all(c.value == 0 for c in conditions if c.order > 0) else None


def _read_general(text: str) -> sp.Expr | None:
    try:
        return parse_answer(text, {"x": X, "c1": C1, "c2": C2})
    except InputError:  # an unverified dsolve branch in functions the answer reader does not know
        return None


def _same(y: sp.Expr, answer: str) -> bool:
    """Whether ``y`` and an answer already shown are one function written two ways (equal at
    three points to 12 digits): shown once."""
    other = parse_answer(answer, {"x": X})
    try:
        return all(abs(complex(sp.N((y - other).subs(X, t), 15))) < 1e-12 for t in (sp.Rational(3, 10), sp.Rational(7, 5),
                                                                                  sp.Rational(-13, 10)))
    except (TypeError, ValueError):
        return False


def _particulars(sol: IVPSolution, G: sp.Expr, source: str, verdict: str, equation: sp.Expr, order: int,
                 deadline: float) -> None:
    """The particular solutions of one general solution (``verdict``: its own, or "local" when it
    does not hold on the whole line) that meet every condition, added to ``sol``."""
    conditions = sol.conditions
    for particular, local in _call(constants_job, (G, conditions), deadline - time.perf_counter()) or []:
        text = sp.sstr(particular)
        if text in sol.tried or any(_same(particular, a) for a in sol.answers):
            continue
        met = _call(met_job, (particular, conditions), deadline - time.perf_counter())
        sol.tried.append(text)
        sol.met.append(met or [False] * len(conditions))
        if not (met and all(met)):
            continue
        where = ""
        if verdict == "local" or local:
            points = sorted({float(c.point) for c in conditions})
            where = _call(_local_job, (kind_of_order(order), equation, particular, points),
                          deadline - time.perf_counter())
            if not where:
                sol.notes.append(f"{text} meets the conditions, but does not solve the equation on an "
                                 "interval around their points (or that was not shown in time)")
                continue
        exists = ""
        if not where:
            exists = _call(_existence_job, (particular, [c.point for c in conditions], equation),
                           deadline - time.perf_counter())
            if exists is None:
                sol.notes.append(f"{text} meets the conditions, but has a pole between their points")
                continue
        sol.particulars.append(Particular(text, source, "local" if local else verdict, valid_on=where,
                                          exists_on=exists))
