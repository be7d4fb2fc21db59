"""Where a definite integral's exact value comes from besides an antiderivative: the engines'
own definite integrals (SymPy's; Maxima's and FriCAS's, also of the factored integrand and of an
infinite interval mapped onto a finite one, ``symseq.solve.interval_maps``; SymPy's of each
simpler symmetric form, ``symseq.solve.symmetry``), run as sandboxed jobs; and the condition
that stops the antiderivative's race for one of them (``ValueWatch``).  Every value is a
proposal: ``symseq.solve.definite`` checks it."""

from __future__ import annotations

import time

import sympy as sp

from generators.symbols import X
from symseq.lang.parse import InputError, parse_answer
from symseq.sandbox import BackgroundCall, Status
from symseq.solve.config import SolveConfig

STOP_GRACE_SECONDS = 1.0  # the race is never stopped by an engine's value before this: its own antiderivative first


def as_value(v: sp.Expr) -> tuple[str, float | int | None]:
    """(text, float) of an engine's value; the float is None when it is not a finite real
    number (then the text may say 'oo' or '-oo')."""
    if v.free_symbols or v.has(sp.Integral, sp.Limit, sp.Piecewise, sp.nan, sp.zoo, sp.oo, -sp.oo):
        return sp.sstr(v), None
    n = complex(sp.N(v, 30))
    if abs(n.imag) > 1e-12 * (1 + abs(n.real)):
        return sp.sstr(v), None
    expanded = sp.expand(v)  # a real value written with I (Maxima's polylog(2, I) + ...) often cancels
    if sp.count_ops(expanded) < sp.count_ops(v):
        v = expanded
    return sp.sstr(v), n.real


def sympy_definite_job(args) -> tuple[str, str, float | None]:
    f, a, b = args
    return ("", *as_value(sp.integrate(f, (X, a, b))))


def engine_definite_job(args) -> tuple[str, str, float | None]:
    """A CAS's own definite integral (``symseq.solve.engines.cas``), read back by the safe parser:
    (how the integral was written, value text, value); ("", "", None) when no form gave a real value."""
    from symseq.solve.engines import cas
    from symseq.solve.interval_maps import mapped_forms

    name, f, a, b, seconds = args
    deadline = time.monotonic() + seconds
    ask = {"maxima": cas.maxima_definite, "fricas": cas.fricas_definite}[name]
    # the factored form too: Maxima integrates log(x)/sqrt(-(x - 1)*x) over [0, 1], not log(x)/sqrt(x - x**2);
    # and an infinite interval mapped onto a finite one (x**3/(exp(x) - 1) on [0, oo) as -log(t)**3/(1 - t))
    try:
        mapped = [(f" after {how}", g, lo, hi) for how, g, lo, hi in mapped_forms(f, a, b)]
    except Exception:  # a form that cannot be built: the question as it stands still is asked
        mapped = []
    forms = [("", f, a, b)] + mapped
    tries = [(how, form, lo, hi) for how, g, lo, hi in forms for form in dict.fromkeys((g, _factored(g)))]
    for i, (how, form, lo, hi) in enumerate(tries):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        share = left / 2 if len(forms) > 1 and i < len(tries) - 1 else left  # no one form takes all the time
        text = ask(form, lo, hi, share)
        try:
            value = as_value(parse_answer(text, {"x": X})) if text is not None else ("", None)
        except InputError:  # a form the reader does not know (an unevaluated noun): try the next form
            continue
        if value[1] is not None:
            return (how, *value)
    return "", "", None


def _factored(g: sp.Expr) -> sp.Expr:
    try:
        return sp.factor(g)
    except Exception:  # factor is a convenience here
        return g


def symmetric_job(args) -> list[tuple[str, str, float | None]]:
    """SymPy's definite integral of each simpler symmetric form (``symseq.solve.symmetry``)."""
    from symseq.solve.symmetry import simpler_forms

    f, a, b = args
    found = []
    for name, g, lo, hi in simpler_forms(f, a, b):
        text, number = as_value(sp.integrate(g, (X, lo, hi)))
        found.append((f"sympy definite after {name}", text, number))
    return found


def definite_engines(cfg: SolveConfig) -> tuple[str, ...]:
    """The engines whose own definite integral is asked for a value: SymPy, Maxima and FriCAS in
    the race's modes (those installed and not left out), an engine's alone in its own mode."""
    from symseq.domain import expand_engines
    from symseq.solve.engines import available

    names = ("sympy", "maxima", "fricas") if cfg.mode in ("hybrid", "engines") else (cfg.mode,)
    skip = expand_engines(cfg.without)
    return tuple(n for n in names if n in ("sympy", "maxima", "fricas") and n not in skip and available(n))


class ValueWatch:
    """The engines' definite values as they come, beside the quadrature (``symseq.solve.definite``).

    ``should_stop`` ends the antiderivative's race (after ``STOP_GRACE_SECONDS``) once an engine
    has a value and either it agrees with the quadrature or the quadrature is still running: the
    quadrature then gets the cores the race was using.  Every value, the antiderivative's too, is
    shown only if it agrees with the quadrature, so the race could only have helped where the
    engine's value turns out wrong.  ``agreed``: some engine value agrees with the quadrature."""

    def __init__(self, quad_call: BackgroundCall, engine_calls: list[BackgroundCall]) -> None:
        self.quad_call, self.engine_calls, self.start = quad_call, engine_calls, time.perf_counter()
        self.fired = False  # whether should_stop has said yes

    def numbers(self) -> list[float]:
        found = []
        for call in self.engine_calls:
            out = call.result(0.0) if call.ready() else None
            if out is not None and out.status is Status.OK:
                found += [n for *_, n in (out.value if isinstance(out.value, list) else [out.value]) if n is not None]
        return found

    def agreed(self, numbers: list[float] | None = None) -> bool:
        """Whether the quadrature is in and agrees with one of ``numbers`` (default: ``numbers()``)."""
        if not self.quad_call.ready():
            return False
        q = self.quad_call.result(0.0)
        return q.status is Status.OK and q.value.ok and any(q.value.agrees(n) for n in numbers or self.numbers())

    def should_stop(self) -> bool:
        numbers = self.numbers() if time.perf_counter() >= self.start + STOP_GRACE_SECONDS else []
        if not numbers:
            return False
        self.fired = not self.quad_call.ready() or self.agreed(numbers)
        return self.fired
