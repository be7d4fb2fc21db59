"""Second-order ODEs by reduction of order, for the ``subst`` engine (``substitution.solve``).

A second-order equation G(x, y, y', y'') = 0 with a symmetry becomes a first-order one, solved by
the first-order engines (Maxima's ``ode2``, ``ode_substitution``, FriCAS), whose answer is then
integrated once more (FriCAS):

* **linear**, a*y'' + b*y' + c*y = r: guessed solutions and the textbook's method
  (``ode_linear``; no reduction to first order);
* **y missing**, G(x, y', y''): p = y' solves G(x, p, p') = 0; y = integral of p + c2;
* **x missing**, G(y, y', y''): p(y) = y' solves G(y, p, p*dp/dy) = 0; then dy/p(y) = dx, so
  integral of 1/p(y) = x + c2, solved for y;
* **scale-invariant in y**, G(x, t*y, t*y', t*y'') = t**k*G(x, y, y', y''): u = y'/y solves
  G(x, y0, u*y0, (u' + u**2)*y0) = 0 (y0 = 1, or another value where G does not vanish; a
  Riccati equation when G is linear); y = c2*exp(integral of u);
* **equidimensional in x**, G(t*x, y, y'/t, y''/t**2) = t**k*G: x = exp(s) makes it free of s
  (x missing, above), the answer at s = log(x);
* **the same in w = phi^-1(y)** for an outer function phi (exp, log, sinh, asinh, tanh, atanh,
  sin, asin, cos, acos, tan, atan, 1/w, sqrt, w**2): y = asinh(c1/x + c2 + 8*x) solves an
  equation that lacks w = sinh(y), y = c2/(c1 + 4*x + 4*cos(x)) one linear in w = 1/y; the
  answer is phi(w).

Each symmetry is recognized numerically (``_invariant``: the ratio G(acted)/G agrees at random
points), so a factor a(y) of G that breaks it (G = a(y)*G0(x, y', y'')) does not hide it.

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
from symseq.solve.engines import cas, ode_linear, ode_substitution
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
    in_w = {}  # the equation in w = phi^-1(y), built once
    for phi in (lambda w: w,) + OUTER:  # linear in y or in w: cheap to test, so first
        if time.monotonic() >= deadline:
            return None
        in_w[phi] = G if phi(_Y) == _Y else _in_w(G, phi)
        found = _linear(in_w[phi], deadline) if in_w[phi] is not None else []
        if found:
            return [sp.sstr(phi(w)) for w in found[:MAX_ANSWERS]]
    for reduction in (_missing_y, _missing_x, _scale_invariant, _equidimensional):
        if time.monotonic() >= deadline:
            return None
        found = reduction(G, deadline)
        if found:
            return [sp.sstr(y) for y in found[:MAX_ANSWERS]]
    for phi in OUTER:  # y = phi(w): the symmetry may be w's (y = asinh(c1/x + c2 + 8*x))
        for reduction in (_missing_y, _scale_invariant):
            if time.monotonic() >= deadline:
                return None
            found = reduction(in_w[phi], deadline) if in_w[phi] is not None else []
            if found:
                return [sp.sstr(phi(w)) for w in found[:MAX_ANSWERS]]
    return None


# y = phi(w) for the outer functions an answer often has; the equation in w may then lack w or
# be scale-invariant in it (each a guess: the verifier judges the answer)
OUTER = (sp.exp, sp.log, sp.sinh, sp.asinh, sp.tanh, sp.atanh, sp.sin, sp.asin, sp.cos, sp.acos, sp.tan,
         sp.atan, lambda w: 1 / w, sp.sqrt, lambda w: w ** 2)


def _in_w(G: sp.Expr, phi) -> sp.Expr | None:
    """G with y = phi(w), y' = phi'(w)*w', y'' = phi''(w)*w'**2 + phi'(w)*w'' (w written y, its
    derivatives p, q), over one denominator; None when it does not depend on w'' any more."""
    d1 = sp.diff(phi(_Y), _Y)
    d2 = sp.diff(d1, _Y)
    Gw = sp.numer(sp.together(G.xreplace({_Y: phi(_Y), _P: d1 * _P, _Q: d2 * _P ** 2 + d1 * _Q})))
    return Gw if Gw.has(_Q) else None


def _in_symbols(question: sp.Expr) -> sp.Expr | None:
    """G(x, y, p, q) with y, y', y'' as the symbols y, p, q (None when higher derivatives occur)."""
    G = question.xreplace({F2: _Q}).xreplace({F1: _P}).xreplace({F0: _Y})
    return None if G.has(sp.Derivative) or G.has(sp.Function("f")) else G


def _linear(G: sp.Expr, deadline: float) -> list[sp.Expr]:
    """a*y'' + b*y' + c*y = r: the textbook's method with guessed solutions (``ode_linear``)."""
    return ode_linear.solve(G, _Y, _P, _Q, deadline)


def _missing_y(G: sp.Expr, deadline: float) -> list[sp.Expr]:
    if not G.has(_Q) or (G.has(_Y) and not _invariant(G, {_Y: _Y + _T}, fixed=_Y)):
        return []
    G = _at_some_value(G, _Y)  # a(y)*G0(x, p, q): G0
    if G is None:
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
    if not G.has(_Y) or not _invariant(G, {_Y: _T * _Y, _P: _T * _P, _Q: _T * _Q}, fixed=_Y):
        return []
    y0 = _nonzero_value(G, _Y)  # G(x, y, u*y, (u' + u**2)*y) = a(y)*G(x, y0, u*y0, ...)/a(y0)
    if y0 is None:
        return []
    reduced = sp.together(G.xreplace({_Y: y0, _P: y0 * F0, _Q: y0 * (F1 + F0 ** 2)}))
    out = []
    for u in _first_order(sp.numer(reduced), deadline):
        integral = ode_substitution.antiderivative(u, X, deadline)
        if integral is not None:
            out.append(C2 * sp.exp(integral))
    return out


def _equidimensional(G: sp.Expr, deadline: float) -> list[sp.Expr]:
    """x = exp(s): y' = y_s/x, y'' = (y_ss - y_s)/x**2; free of s when G is equidimensional."""
    if not G.has(X) or not _invariant(G, {X: _T * X, _P: _P / _T, _Q: _Q / _T ** 2}, fixed=X):
        return []
    in_s = sp.together(G.xreplace({_Q: (_Q - _P) / X ** 2}).xreplace({_P: _P / X}))
    in_s = sp.numer(in_s).xreplace({X: 1})
    found = _missing_x(in_s, deadline) if in_s.has(_Y) else _missing_y(in_s, deadline)
    return [y.xreplace({X: sp.log(X)}) for y in found]


def _invariant(G: sp.Expr, action: dict, fixed: sp.Symbol) -> bool:
    """Whether G's zero set is invariant under ``action`` (at t = 2), judged numerically: the
    ratio G(acted)/G is the same at three random points that share the value of ``fixed`` (the
    ratio may depend on it: y**2 scales as t**2 whatever the rest).  A wrong yes costs only a
    candidate that the verifier refuses."""
    rng = random.Random(0)
    base = sp.Float(rng.uniform(0.5, 1.5))
    acted = G.xreplace(action)
    ratios = []
    for _ in range(3):
        point = {s: sp.Float(rng.uniform(0.5, 1.5)) for s in (X, _Y, _P, _Q)}
        point[fixed] = base
        before, after = _value(G, point), _value(acted, {**point, _T: 2})
        if before is None or after is None or abs(before) < 1e-12:
            return False
        ratios.append(after / before)
    return all(abs(r - ratios[0]) <= 1e-9 * abs(ratios[0]) for r in ratios)


def _value(G: sp.Expr, point: dict) -> complex | None:
    try:
        v = complex(G.evalf(20, subs=point))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if cmath.isfinite(v) else None


def _nonzero_value(G: sp.Expr, symbol: sp.Symbol) -> sp.Expr | None:
    """A small rational at which G, as a function of ``symbol``, is finite and nonzero at a random
    point (not identically zero there), or None."""
    rng = random.Random(1)
    point = {s: sp.Float(rng.uniform(0.5, 1.5)) for s in (X, _Y, _P, _Q)}
    for value in (sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(3)):
        v = _value(G, {**point, symbol: value})
        if v is not None and abs(v) > 1e-12:
            return value
    return None


def _at_some_value(G: sp.Expr, symbol: sp.Symbol) -> sp.Expr | None:
    """G with ``symbol`` at a value where it does not vanish (G itself when free of it)."""
    if not G.has(symbol):
        return G
    value = _nonzero_value(G, symbol)
    return None if value is None else G.xreplace({symbol: value})


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
