"""Second-order ODEs by reduction of order: the ``reduce`` engine.

A second-order equation G(x, y, y', y'') = 0 with a symmetry becomes a first-order one, solved by
the first-order engines (Maxima's ``ode2``, ``ode_substitution``, FriCAS), whose answer is then
integrated once more (FriCAS):

* **y missing**, G(x, y', y''): p = y' solves G(x, p, p') = 0; y = integral of p + c2;
* **x missing**, G(y, y', y''): p(y) = y' solves G(y, p, p*dp/dy) = 0; then dy/p(y) = dx, so
  integral of 1/p(y) = x + c2, solved for y;
* **scale-invariant in y**, G(x, t*y, t*y', t*y'') = t**k*G(x, y, y', y''): u = y'/y solves
  G(x, 1, u, u' + u**2) = 0 (a Riccati equation when G is linear); y = c2*exp(integral of u);
* **equidimensional in x**, G(t*x, y, y'/t, y''/t**2) = t**k*G: x = exp(s) makes it free of s
  (x missing, above), the answer at s = log(x).

Lample & Charton's ode2 questions are made by eliminating two constants from a random y(x, c1,
c2), so they often carry one of these symmetries (42 of the 112 their suite left unsolved before
are scale-invariant in y).  Every answer is only a candidate: the race verifies it against the
equation as asked, with both constants essential.
"""

from __future__ import annotations

import cmath
import random
import time

import sympy as sp

from generators.symbols import C1, C2, F0, F1, F2, X
from symseq.solve.engines import cas, ode_substitution
from symseq.solve.implicit import is_implicit
from symseq.solve.isolate import explicit_forms

_Y, _P, _Q, _T = sp.symbols("y p q t", positive=True)
MAX_FIRST = 3  # first-order solutions carried to the second integration
MAX_ANSWERS = 4


def solve(kind: str, question: sp.Expr, seconds: float) -> list[str] | None:
    """Explicit general solutions y(x, c1, c2) of a second-order ODE with one of the module's
    symmetries, as texts, or None."""
    if kind != "ode2":
        return None
    deadline = time.monotonic() + seconds
    G = _in_symbols(question)
    if G is None:
        return None
    for reduction in (_missing_y, _missing_x, _scale_invariant, _equidimensional):
        if time.monotonic() >= deadline:
            return None
        found = reduction(G, deadline)
        if found:
            return [sp.sstr(y) for y in found[:MAX_ANSWERS]]
    return None


def _in_symbols(question: sp.Expr) -> sp.Expr | None:
    """G(x, y, p, q) with y, y', y'' as the symbols y, p, q (None when higher derivatives occur)."""
    G = question.xreplace({F2: _Q}).xreplace({F1: _P}).xreplace({F0: _Y})
    return None if G.has(sp.Derivative) or G.has(sp.Function("f")) else G


def _missing_y(G: sp.Expr, deadline: float) -> list[sp.Expr]:
    if G.has(_Y) or not G.has(_Q):
        return []
    out = []
    for p in _first_order(G.xreplace({_Q: F1}).xreplace({_P: F0}), deadline):
        integral = ode_substitution.antiderivative(p, X, deadline)
        if integral is not None:
            out.append(integral + C2)
    return out


def _missing_x(G: sp.Expr, deadline: float) -> list[sp.Expr]:
    """p(y) = y': the first-order equation in p with y written x, then 1/p integrated in y."""
    if G.has(X) or not G.has(_Q) or not G.has(_Y):
        return []
    out = []
    for p in _first_order(G.xreplace({_Q: F0 * F1}).xreplace({_P: F0, _Y: X}), deadline):
        if p.is_zero:
            continue
        integral = ode_substitution.antiderivative(1 / p, X, deadline)
        if integral is None or time.monotonic() >= deadline:
            continue
        out += _isolated(integral.xreplace({X: _Y}) - X - C2)
    return out


def _scale_invariant(G: sp.Expr, deadline: float) -> list[sp.Expr]:
    if not G.has(_Y) or not _homogeneous_ratio(G, {_Y: _T * _Y, _P: _T * _P, _Q: _T * _Q}):
        return []
    reduced = sp.together(G.xreplace({_Y: 1, _P: F0, _Q: F1 + F0 ** 2}))
    out = []
    for u in _first_order(sp.numer(reduced), deadline):
        integral = ode_substitution.antiderivative(u, X, deadline)
        if integral is not None:
            out.append(C2 * sp.exp(integral))
    return out


def _equidimensional(G: sp.Expr, deadline: float) -> list[sp.Expr]:
    """x = exp(s): y' = y_s/x, y'' = (y_ss - y_s)/x**2; free of s when G is equidimensional."""
    if not G.has(X) or not _homogeneous_ratio(G, {X: _T * X, _P: _P / _T, _Q: _Q / _T ** 2}):
        return []
    in_s = sp.together(G.xreplace({_Q: (_Q - _P) / X ** 2}).xreplace({_P: _P / X}))
    in_s = sp.numer(in_s).xreplace({X: 1})
    found = _missing_x(in_s, deadline) if in_s.has(_Y) else _missing_y(in_s, deadline)
    return [y.xreplace({X: sp.log(X)}) for y in found]


def _homogeneous_ratio(G: sp.Expr, scaling: dict) -> bool:
    """Whether G(scaled)/G is a function of t alone, judged numerically: at t = 2 the ratio is
    the same at three random points (a wrong yes costs only a candidate the verifier refuses)."""
    rng = random.Random(0)
    ratios = []
    for _ in range(3):
        point = {s: sp.Float(rng.uniform(0.5, 1.5)) for s in (X, _Y, _P, _Q)}
        try:
            before = complex(G.evalf(20, subs=point))
            after = complex(G.xreplace(scaling).evalf(20, subs={**point, _T: 2}))
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if not (cmath.isfinite(before) and cmath.isfinite(after)) or abs(before) < 1e-12:
            return False
        ratios.append(after / before)
    return all(abs(r - ratios[0]) <= 1e-9 * abs(ratios[0]) for r in ratios)


def _isolated(relation: sp.Expr) -> list[sp.Expr]:
    """y from relation(x, y, c1, c2) = 0, real branches only."""
    try:
        found = sp.solve(relation, _Y, check=False, simplify=False)
    except (NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return []
    return [y for y in found if not y.has(_Y, sp.I, sp.RootOf, sp.nan, sp.zoo) and y.has(C2)]


def _first_order(equation: sp.Expr, deadline: float) -> list[sp.Expr]:
    """Explicit solutions p(x, c1) of a first-order ODE (= 0 in f(x)), from Maxima, then the
    textbook substitutions, then FriCAS (linear equations), each given what is left."""
    from symseq.lang.parse import InputError, parse_answer

    out: list[sp.Expr] = []
    engines = (lambda s: cas.maxima("ode1", equation, s),
               lambda s: ode_substitution.solve("ode1", equation, s),
               lambda s: cas.fricas("ode1", equation, s))
    for engine in engines:
        left = deadline - time.monotonic()
        if left <= 0 or len(out) >= MAX_FIRST:
            break
        try:
            answer = engine(left / 2)
        except Exception:  # noqa: BLE001 -- one engine's fault: the next one may answer
            continue
        texts = answer if isinstance(answer, list) else [answer] if answer else []
        for text in texts:
            for explicit in explicit_forms(text) if is_implicit(text) else [text]:
                try:
                    p = parse_answer(explicit, {"x": X, "c1": C1})
                except InputError:
                    continue
                if p.has(C1) and p not in out:
                    out.append(p)
        if out:
            break
    return out[:MAX_FIRST]
