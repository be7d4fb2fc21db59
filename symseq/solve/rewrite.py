"""Equivalent forms of an integrand: the same function written another way.

An engine or the model that fails on ``f`` may succeed on ``apart(f)`` or ``expand(f)``: SymPy's
heuristics and the model's training distribution both depend on the form.  Every answer found
for a rewritten form is verified against the original integrand, so a rewrite that is not an
identity (or only one on part of the line) can cost time, never a wrong answer.

``run_rewrites`` is the sandboxed job: it returns the distinct forms (as prefix tokens) in
``REWRITES`` order; the race then runs SymPy on each (a capped job, ``sympy/apart``) and the
model on all of them in one batch (``model/apart``).
"""

from __future__ import annotations

import time

import sympy as sp

from generators.symbols import X

MAX_OPS_GROWTH = 3  # a form with more than this many times the original's operations is dropped
MIN_OPS_LIMIT = 20  # ... unless it has at most this many
SECONDS = 1.0  # no rewrite starts after this long (the race caps the job at 2 s)


def _hyperbolic_as_exp(f: sp.Expr) -> sp.Expr:
    hyperbolic = (sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)
    return f.replace(lambda e: isinstance(e, hyperbolic), lambda e: e.rewrite(sp.exp))


def _trig_products_as_sums(f: sp.Expr) -> sp.Expr:
    from sympy.simplify.fu import TR8

    return TR8(f)


REWRITES = {
    "expand": lambda f: sp.expand(f),
    "cancel": lambda f: sp.cancel(f, X),
    "apart": lambda f: sp.apart(f, X) if f.is_rational_function(X) else f,
    "together": lambda f: sp.together(f),
    "trig": _trig_products_as_sums,  # products and powers of sin/cos as sums
    "exp": _hyperbolic_as_exp,  # hyperbolic functions as exponentials
}


def rewrites(integrand: sp.Expr, seconds: float = SECONDS) -> list[tuple[str, sp.Expr]]:
    """``(name, form)`` for each rewrite that changes the integrand, distinct, not much larger;
    no new rewrite is started after ``seconds`` (the caller's sandbox enforces the hard limit)."""
    seen = {integrand}
    limit = max(MIN_OPS_LIMIT, MAX_OPS_GROWTH * sp.count_ops(integrand))
    out = []
    start = time.perf_counter()
    for name, how in REWRITES.items():
        if time.perf_counter() - start > seconds:
            break
        try:
            form = how(integrand)
        except Exception:  # SymPy's polynomial machinery raises many kinds: that form is skipped
            continue
        if form in seen or not form.has(X) or sp.count_ops(form) > limit:
            continue
        seen.add(form)
        out.append((name, form))
    return out


def run_rewrites(integrand: sp.Expr) -> list[tuple[str, list[str]]]:
    """The sandboxed job: the integrand's distinct rewritten forms as ``(name, prefix tokens)``
    (the parent rebuilds them with our own grammar, never by evaluating text); forms the
    grammar cannot write are left out."""
    from symseq.lang.prefix import UnsupportedExpressionError, to_prefix

    out = []
    for name, form in rewrites(integrand):
        try:
            out.append((name, to_prefix(form)))
        except UnsupportedExpressionError:
            continue
    return out
