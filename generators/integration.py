"""Integration problems: (integrand f, antiderivative F) with F' == f checked on every pair.

* ``bwd`` (backward): draw F, differentiate.  f is SymPy's evaluated derivative (its canonical
  automatic form); no ``simplify`` on the hot path.  Fast, long integrands, short answers.
  (``ExprConfig.simplify_prob``: the data driver, ``symseq.data.generate``, replaces f with
  that probability by ``simplify(f)`` under its own time limit.)
* ``fwd`` (forward): draw f, ask SymPy's ``integrate``; kept only when the result has no
  ``Integral`` and passes the numeric check (SymPy's result is not trusted blindly).  Must run
  under a hard timeout from the parent (``integrate`` can run forever).
* ``ibp`` (integration by parts): Lample & Charton use int F g = F G - int f G, with f = F',
  g = G', when int f G is a *known* primitive.  They look f G up in a cache of primitives found
  so far, which needs hours to warm.  We make the known pair on demand instead: draw F and a
  primitive K, and set G = K' / F', so that f G = K' and int F g = F G - K by construction.  Same
  identity, same kind of integrands (x cos x, log(x) * ..., x^2 exp x ...), no cold start.

Every answer has its constant terms dropped, so targets are not noisy.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.polys.polyerrors import PolynomialError

from generators import base
from generators.base import Problem, Skip
from symseq.numerics.numeric import Check, check_zero, is_real_somewhere
from generators.symbols import X
from generators.trees import ExprConfig, random_expr


def _finish(task: str, f: sp.Expr, F: sp.Expr, meta: dict) -> Problem | Skip:
    F = base.drop_constant_terms(F)
    if not f.has(X) and not F.has(X):
        return Skip(base.CONSTANT)
    if F == 0 or f == 0:
        return Skip(base.CONSTANT)
    if base.is_invalid(f, F):
        return Skip(base.INVALID)
    if not is_real_somewhere(f):
        return Skip(base.NOT_REAL)
    if check_zero(sp.diff(F, X) - f) is not Check.ZERO:
        return Skip(base.UNVERIFIED)
    return Problem(task, f, F, meta)


@base.generator
def gen_bwd(rng: np.random.Generator, cfg: ExprConfig) -> Problem | Skip:
    n_ops = int(rng.integers(cfg.min_ops, cfg.max_ops + 1))
    F = base.drop_constant_terms(random_expr(cfg, rng, n_ops=n_ops))
    if not F.has(X):
        return Skip(base.CONSTANT)
    if base.is_invalid(F):
        return Skip(base.INVALID)
    return _finish("bwd", sp.diff(F, X), F, {"n_ops": n_ops})


@base.generator
def gen_fwd(rng: np.random.Generator, cfg: ExprConfig) -> Problem | Skip:
    n_ops = int(rng.integers(cfg.min_ops, cfg.max_ops + 1))
    f = random_expr(cfg, rng, n_ops=n_ops)
    if not f.has(X):
        return Skip(base.CONSTANT)
    if base.is_invalid(f):
        return Skip(base.INVALID)
    return integrated("fwd", f, {"n_ops": n_ops})


def integrated(task: str, f: sp.Expr, meta: dict) -> Problem | Skip:
    """(f, SymPy's integrate(f)), checked, or a Skip when SymPy finds no closed form."""
    try:
        F = sp.integrate(f, X)
    except (NotImplementedError, PolynomialError, ValueError):
        return Skip(base.NO_CLOSED_FORM)
    if F.has(sp.Integral):
        return Skip(base.NO_CLOSED_FORM)
    return _finish(task, f, F, meta)


@base.generator
def gen_ibp(rng: np.random.Generator, cfg: ExprConfig) -> Problem | Skip:
    n_ops_F = int(rng.integers(0, max(1, cfg.max_ops // 4) + 1))
    n_ops_K = int(rng.integers(max(1, cfg.min_ops), max(1, (cfg.max_ops + 1) // 2) + 1))
    F = random_expr(cfg, rng, n_ops=n_ops_F) if n_ops_F else X
    K = base.drop_constant_terms(random_expr(cfg, rng, n_ops=n_ops_K))
    if not F.has(X) or not K.has(X):
        return Skip(base.CONSTANT)
    dF = sp.diff(F, X)
    if dF == 0 or base.is_invalid(F, K, dF):
        return Skip(base.INVALID)
    G = sp.diff(K, X) / dF
    h = F * sp.diff(G, X)  # the integrand F g
    H = F * G - K  # its primitive
    if not h.has(X):
        return Skip(base.CONSTANT)
    return _finish("ibp", h, H, {"n_ops": n_ops_F + n_ops_K})
