"""Definite integrals with parameters (``symseq.solve.definite`` hands them here): the value is an
expression in the parameters, shown, with the assumptions, only when both hold:

(a) it is lim F(x -> b-) - lim F(x -> a+) (SymPy's limits, the parameters as symbols carrying
    their assumptions) of an antiderivative F found by the race and verified under the
    assumptions, with F continuous on the interval at every draw of the parameters (the jump
    test with their values put in); or it is SymPy's own definite integral when that holds no
    condition (no Piecewise); and
(b) at every draw of the parameters from the assumed domain it agrees with the adaptive
    quadrature of the integrand at those values (``symseq.numerics.quadrature``).

The draws (``draws``, made in a sandboxed child) spread each real parameter's size over three
bands, 1/20 to 1/3, 1/3 to 3 and 3 to 40, twice each (and on both sides of zero when its sign is
free), add the values that put a singular point of the integrand inside the interval
(``singular_draws``) and values on both sides of zero of every radicand or Abs argument of the
value (``symseq.solve.cases.sign_draws``); an integer parameter runs through a range, 0 and -1
included where allowed.  One draw where either check fails, or where the quadrature finds no
value (``x**n`` at n = -1 on [0, 1]), is enough to refuse the value.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.lang.assume import describe, describe_exclusions, draw_values, exclusions, parameters_of, random_size
from symseq.lang.parse import parse_answer
from symseq.numerics.quadrature import quadrature
from symseq.sandbox import BackgroundCall, Status
from symseq.solve.cases import sign_draws
from symseq.solve.definite import _call
from symseq.solve.definite_engines import definite_engines
from symseq.solve.race.budget import ENGINE_MEMORY_MB
from symseq.solve.race.jobs import ParsedProblem
from symseq.solve.race.loop import Race

BANDS = ((0.05, 1 / 3), (1 / 3, 3.0), (3.0, 40.0))  # a real parameter's size at the draws, two of each
MAX_DRAWS = 18
MIN_DRAWS = 3  # draws left where the antiderivative is defined, at the least
MAX_SINGULAR_DRAWS = 6
# functions whose singular points (poles, ends of the real domain) ``singular_draws`` does not look for
# (tanh and sech have none on the real line: cosh >= 1)
_UNSEARCHED = (sp.tan, sp.cot, sp.sec, sp.csc, sp.coth, sp.csch, sp.atanh, sp.acoth,
               sp.asin, sp.acos, sp.asec, sp.acsc, sp.acosh)
DRAWS_SECONDS = 3.0


def draws(parameters: list, f: sp.Expr, a: sp.Expr, b: sp.Expr, seed: int) -> list[dict]:
    """The parameters' values at which a value is checked (module docstring): each real
    parameter's size over the bands, two draws each, on both sides of zero when its sign is free,
    and the values that put a singular point of f inside the interval (``singular_draws``)."""
    rng = np.random.default_rng(seed)
    free_sign = any(not s.is_integer and s.is_positive is None and s.is_negative is None
                    and s.is_nonnegative is None and s.is_nonpositive is None for s in parameters)
    out = draw_values(parameters, rng, (4 if free_sign else 2) * len(BANDS))
    for k, point in enumerate(out):
        for s in parameters:
            if not s.is_integer:
                size = random_size(rng, *BANDS[k % len(BANDS)])
                fixed = 1 if s.is_positive or s.is_nonnegative else -1 if s.is_negative or s.is_nonpositive else 0
                point[s] = size * (fixed or (1 if (k // len(BANDS)) % 2 == 0 else -1))
    return out + singular_draws(f, parameters, a, b, out[0])[:MAX_SINGULAR_DRAWS]


def singular_draws(f: sp.Expr, parameters: list, a: sp.Expr, b: sp.Expr, base: dict) -> list[dict]:
    """Values of one real parameter (the others as in ``base``) that put a zero of a denominator,
    of a logarithm's argument or of a root's radicand of f at 1/4, 1/2 or 3/4 of the interval (of
    [a, a + 10] for an infinite one): 1/(x + a) on [0, 1] for a real diverges at a = -1/2, a value
    that holds for a > 0 and a < -1 only is then refused whatever the random draws were."""
    lo = a if a.is_finite else (b - 10 if b.is_finite else sp.Integer(-5))
    hi = b if b.is_finite else lo + 10
    xs = [lo + (hi - lo) * sp.Rational(k, 4) for k in (1, 2, 3)]
    places = [e.base for e in f.atoms(sp.Pow) if e.exp.is_negative or not e.exp.is_integer] + \
        [e.args[0] for e in f.atoms(sp.log)]
    out = []
    for g in dict.fromkeys(places):
        for s in parameters:
            if s.is_integer or not g.has(s) or not g.has(X):
                continue
            others = {t: v for t, v in base.items() if t != s}
            for x0 in xs:
                t = sp.Dummy("t", real=True)
                try:
                    roots = sp.solve(g.xreplace(others).xreplace({X: x0, s: t}), t)
                except (NotImplementedError, ValueError, TypeError):
                    continue
                for r in roots:
                    if r.is_real and r.is_finite and not r.free_symbols and _allowed(s, r):
                        out.append({**base, s: r})
    return list({tuple(sorted((k.name, sp.sstr(v)) for k, v in p.items())): p for p in out}.values())


def _allowed(s: sp.Symbol, v: sp.Expr) -> bool:
    """Whether ``v`` lies in the parameter's assumed domain."""
    return not ((s.is_positive and not v > 0) or (s.is_negative and not v < 0) or (s.is_nonnegative and not v >= 0)
                or (s.is_nonpositive and not v <= 0) or (s.is_nonzero and v == 0))


def _draws_job(args) -> list[dict]:
    return draws(*args)


def shown_values(point: dict) -> str:
    return ", ".join(f"{s} = {v}" for s, v in sorted(point.items(), key=lambda kv: kv[0].name))


def _quadratures_job(args) -> list:
    """The quadrature of f at each draw (a Quadrature each), None for the draws after the first
    without a value (a value is then refused whatever they give)."""
    f, a, b, points = args
    out = []
    with np.errstate(all="ignore"):  # overflow in the scan of exp(x) on [0, oo): no value, said so
        for p in points:
            out.append(quadrature(f.xreplace(p), a, b))
            if not out[-1].ok:
                return out + [None] * (len(points) - len(out))
    return out


def _continuous_job(args) -> bool:
    """Whether the jump test finds F continuous on (a, b) at every draw."""
    from symseq.solve.definite import _breaks_job

    f, F, a, b, points = args
    return all(_breaks_job((f.xreplace(p), F.xreplace(p), a, b)) == [] for p in points)


def _limits_job(args) -> sp.Expr | None:
    """F(b-) - F(a+) by SymPy's limits, the parameters as symbols; None when a limit stays
    unevaluated or is infinite."""
    from symseq.solve.definite import _one_limit

    F, a, b = args
    value = _one_limit(F, b, "-") - _one_limit(F, a, "+")
    if value.has(sp.Limit, sp.oo, -sp.oo, sp.zoo, sp.nan):
        return None
    simpler = sp.simplify(value)
    return _without_i(simpler if sp.count_ops(simpler) < sp.count_ops(value) else value)


def _without_i(value: sp.Expr) -> sp.Expr:
    """A real value written with I (erf of an imaginary argument, from an antiderivative in erf)
    in a form free of it, by identities only (erf(I*z) = I*erfi(z)); else the value as it is."""
    if not value.has(sp.I):
        return value
    plain = sp.expand(value.replace(lambda e: isinstance(e, sp.erf) and (e.args[0] / sp.I).is_real,
                                    lambda e: sp.I * sp.erfi(sp.expand(e.args[0] / sp.I))))
    return plain if not plain.has(sp.I) else value


def _sympy_job(args) -> sp.Expr | None:
    """SymPy's definite integral when it holds no condition."""
    f, a, b = args
    value = sp.integrate(f, (X, a, b))
    return None if value.has(sp.Integral, sp.Piecewise, sp.oo, -sp.oo, sp.zoo, sp.nan) else _without_i(value)


def _defined_job(args) -> tuple[list, list[int]]:
    """(the factors of F's denominators in the parameters that may vanish, the draws where none does)."""
    F, parameters, points = args
    undefined = exclusions(F, parameters)
    return undefined, [k for k, p in enumerate(points) if all(g.xreplace(p) != 0 for g in undefined)]


def _judge_job(args) -> tuple[bool, list[dict], list[dict], str]:
    """(the value agrees at every draw, the per-draw record, draws on both sides of the value's
    radicands not yet made, where the value or its antiderivative is undefined, for people)."""
    value, points, quads, parameters, undefined, seed = args
    ok, record = check_at_draws(value, points, quads)
    extra = [p for p in sign_draws(value, parameters, [], np.random.default_rng(seed)) if p not in points]
    factors = undefined + exclusions(value, parameters)
    return ok, record, extra, describe_exclusions([g for k, g in enumerate(factors) if g not in factors[:k]
                                                   and -g not in factors[:k]])


def _judge(value, points, quads, parameters, undefined, seed, deadline: float, min_step: float):
    """``_judge_job`` in a sandboxed child (SymPy evaluates the value at each draw): None on a timeout."""
    return _call(_judge_job, (value, points, quads, parameters, undefined, seed),
                 max(min_step, deadline - time.perf_counter()))


def _result(call: BackgroundCall, seconds: float):
    """A call started earlier: its value, or None on a timeout, crash or error (``_call`` for one
    started and awaited at once)."""
    out = call.result(max(seconds, 0.1))
    return out.value if out.status is Status.OK else None


def check_at_draws(value: sp.Expr, points: list[dict], quads: list) -> tuple[bool, list[dict]]:
    """(whether ``value`` agrees with the quadrature at every draw, the per-draw record)."""
    record, ok = [], bool(points) and len(quads) == len(points)
    for point, q in zip(points, quads):
        try:
            n = complex(sp.N(value.xreplace(point), 30))
        except (TypeError, ValueError):
            n = complex("nan")
        real = abs(n.imag) <= 1e-12 * (1 + abs(n.real))
        agrees = q is not None and q.ok and real and q.agrees(n.real)
        ok = ok and agrees
        record.append({"values": shown_values(point), "quadrature": q.digits if q is not None and q.ok else None,
                       "value": repr(n.real) if real else None, "agrees": agrees})
    return ok, record


def integrate_with_parameters(sol, f: sp.Expr, user_var: sp.Symbol, a: sp.Expr, b: sp.Expr, cfg, deadline: float,
                              race_share: float, min_step: float) -> None:
    """Fill ``sol`` (a ``DefiniteSolution``) for an integrand with parameters (module docstring)."""
    parameters = parameters_of("integrate", f)
    sol.assumptions = describe(parameters)
    unsearched = sorted({type(e).__name__ for e in f.atoms(sp.Function) if isinstance(e, _UNSEARCHED)
                         and e.args[0].free_symbols & set(parameters)})
    if unsearched:  # their poles or domain ends move with the parameters, and no draw is made at them
        sol.notes.append(f"{', '.join(unsearched)} of a parameter: its singular points are not searched for "
                         "(tan(a*x) on [0, 1/100] diverges for a > 50*pi): no value is shown")
        return
    rng = np.random.default_rng()
    points = _call(_draws_job, (parameters, f, a, b, int(rng.integers(2 ** 32))), DRAWS_SECONDS)
    if not points:
        sol.notes.append("the parameters' draws could not be made in time: no value is shown")
        return
    quad_call = BackgroundCall(_quadratures_job, (f, a, b, points), memory_mb=ENGINE_MEMORY_MB)
    sympy_call = BackgroundCall(_sympy_job, (f, a, b), memory_mb=ENGINE_MEMORY_MB) \
        if "sympy" in definite_engines(cfg) else None
    race_cfg = dataclasses.replace(cfg, timeout=max(min_step, race_share * (deadline - time.perf_counter())))
    found = Race(ParsedProblem("integrate", f, sol.question, user_var, 0.0), race_cfg).run()
    # (source, value, the factors where it or its antiderivative is undefined, the draws where they are not)
    values: list[tuple[str, sp.Expr, list, list[int]]] = []
    if found.solved:
        names = {user_var.name: X, **{s.name: s for s in parameters}}
        F = parse_answer(found.answer, names)
        sol.antiderivative = found.answer
        # draws where F is undefined are left out, and the values said excluded (the verifier's rule for
        # F itself): cos(n*x)*cos(5*x) on [0, pi] is 0 by an F over n**2 - 25, and pi/2 at n = 5
        step = max(min_step, (deadline - time.perf_counter()) / 3)
        undefined, kept = _call(_defined_job, (F, parameters, points), step) or ([], [])
        limits_call = BackgroundCall(_limits_job, (F, a, b), memory_mb=ENGINE_MEMORY_MB)
        continuous = len(kept) >= MIN_DRAWS and _call(_continuous_job, (f, F, a, b, [points[k] for k in kept]), step)
        limits = _result(limits_call, 2 * step) if continuous else None
        limits_call.stop()
        if limits is not None:
            values.append((f"antiderivative ({found.engine})", limits, undefined, kept))
        elif not continuous:
            sol.notes.append(f"the antiderivative {found.answer} is not continuous on the interval at every draw "
                             "of the parameters, or no time was left to test it")
    quads = _result(quad_call, deadline - time.perf_counter())
    if quads is None:
        sol.notes.append("no quadrature at the parameters' draws within the time limit")
        return
    missing = next((k for k, q in enumerate(quads) if q is not None and not q.ok), None)
    if missing is not None:
        sol.notes.append(f"no numeric value at {shown_values(points[missing])} ({quads[missing].reason}): "
                         "no value is shown")
    if sympy_call is not None:
        engine = _result(sympy_call, 0.0 if values else deadline - time.perf_counter())
        values += [("sympy definite", engine, [], list(range(len(points))))] if engine is not None else []
    for source, value, undefined, kept in values:
        judged = _judge(value, [points[k] for k in kept], [quads[k] for k in kept], parameters, undefined,
                        int(rng.integers(2 ** 32)), deadline, min_step)
        if judged is None:
            sol.notes.append(f"{source} gave {sp.sstr(value)}, not checked in time: not shown")
            continue
        ok, record, extra, excluded = judged
        if ok and extra:  # both sides of the value's own radicands and Abs arguments too
            more_quads = _call(_quadratures_job, (f, a, b, extra), deadline - time.perf_counter()) or []
            more = _judge(value, extra, more_quads, parameters, undefined, 0, deadline, min_step)
            ok = more is not None and more[0]
            record += more[1] if more is not None else []
        sol.tried.append({"source": source, "value": sp.sstr(value), "agrees": ok, "draws": record})
        if ok:
            sol.value, sol.method, sol.draws = sp.sstr(value), source, record
            sol.assumptions += f", {excluded}" if excluded else ""
            return
        failed = next((r for r in record if not r["agrees"]), None)
        sol.notes.append(f"{source} gave {sp.sstr(value)}, but at {failed['values'] if failed else 'some draws'} "
                         f"the quadrature gives {failed['quadrature'] if failed else 'no value'}: not shown")
