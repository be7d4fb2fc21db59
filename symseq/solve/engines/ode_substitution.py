"""First-order ODEs by the textbook's substitutions, then FriCAS: the ``odesubst`` engine.

With the equation solved for the slope, y' = F(x, y):

* **separable**, F = f(x)*g(y): H = A(y) - B(x) = c1, A' = 1/g and B' = f (SymPy's ``dsolve``
  does these too, but may spend the budget on one of the integrals: Trench 2.2.6);
* **homogeneous**, F(t*x, t*y) = F(x, y): u = y/x turns it into x*u' = F(1, u) - u, separable:
  H = I(y/x) - log(x) = c1, where I(u) is an antiderivative of 1/(F(1, u) - u);
* **shifted homogeneous**, F a function of (a1*x + b1*y + e1)/(a2*x + b2*y + e2) with the two
  lines crossing at (h, k): in x - h, y - k it is homogeneous (above), the answer shifted back;
* **linear argument**, F a function of z = r*x + y alone (F_x = r*F_y, r constant): z' = r + G(z),
  separable: H = J(r*x + y) - x = c1, J an antiderivative of 1/(r + G(z));
* **scaled**, y = g(x)*u for a function g of x in F (tan(x), log(x), ...) when the equation in u
  is separable: H = K(y/g) - L(x) = c1 (Trench 2.4.48: g = tan(x));
* **Bernoulli**, F = P*y + Q*y**n: v = y**(1 - n) solves a linear equation, which FriCAS solves;
  the answer, explicit, is y = v**(1/(1 - n));
* **Riccati**, F = P + Q*y + R*y**2: y = -u'/(R*u) turns it into a linear second-order equation
  for u, which FriCAS solves (u = c1*u1 + c2*u2), or else SymPy (Airy, Bessel); the answer,
  explicit, is y with c2 = 1.

SymPy's ``dsolve`` knows these methods but often spends the whole budget in its own integrals
(Trench 2.4.31, ``y' = (x + 2*y)/(2*x + y)``: over 20 s); FriCAS integrates the one-variable
rational or algebraic function in milliseconds.  The answer (but Riccati's) is an implicit solution
(``implicit: H``, ``symseq.solve.implicit``), its logarithms log(w) written log(w**2)/2 (real on
both sides of w = 0): verified like any other, and the race then tries to isolate y from it
(``symseq.solve.isolate``).
"""

from __future__ import annotations

import time

import sympy as sp

from generators.symbols import C1, C2, F0, F1, F2, X
from symseq.solve.engines import cas
from symseq.solve.implicit import PREFIX, Y
from symseq.solve.isolate import explicit_forms

_U = sp.Symbol("u")
_T = sp.Symbol("t", positive=True)


def solve(kind: str, question: sp.Expr, seconds: float) -> str | list[str] | None:
    """The engine: an implicit solution ``implicit: H`` of a first-order ODE of one of the
    module's kinds (Bernoulli and Riccati explicit; the scaled kind with y isolated too), or None."""
    if kind != "ode1":
        return None
    deadline = time.monotonic() + seconds
    slope = _slope(question)
    if slope is None:
        return None
    y = _bernoulli(slope, deadline)  # explicit, where a separable method would give a relation
    if y is not None:
        return sp.sstr(y)
    for method in (_separable, _homogeneous, _shifted, _linear_argument, _scaled):
        if time.monotonic() >= deadline:
            return None
        H = method(slope, deadline)
        if H is not None and method is _scaled:  # y isolated here too: SymPy rarely proves this relation
            return [*explicit_forms(PREFIX + sp.sstr(H)), PREFIX + sp.sstr(real_logs(H))]
        if H is not None:
            return PREFIX + sp.sstr(real_logs(H))
    y = _riccati(slope, deadline)
    return None if y is None else sp.sstr(y)


def real_logs(H: sp.Expr) -> sp.Expr:
    """log(w) as log(w**2)/2: the same derivative w'/w, and real wherever w != 0 (the implicit
    check samples the plane where the relation is real: log(y/x - 1) is real on an eighth of it)."""
    H = H.replace(lambda e: isinstance(e, sp.log) and e.args[0].has(X, Y), lambda e: sp.log(e.args[0] ** 2) / 2)
    return H.replace(lambda e: e.is_Pow and isinstance(e.base, sp.Abs) and e.exp == 2, lambda e: e.base.args[0] ** 2)


def _slope(question: sp.Expr) -> sp.Expr | None:
    """F(x, y) with y' = F, when the equation is linear in y' (one solution), else None."""
    try:
        found = sp.solve(question, F1)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if len(found) != 1 or found[0].has(sp.Derivative):
        return None
    # log|w| as log(w**2)/2 (the same where w != 0, and smooth): FriCAS integrates the latter
    return found[0].xreplace({F0: Y}).replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Abs),
                                              lambda e: sp.log(e.args[0].args[0] ** 2) / 2)


def antiderivative(f: sp.Expr, v: sp.Symbol, deadline: float) -> sp.Expr | None:
    """FriCAS's antiderivative of ``f`` in ``v`` (read back), or None."""
    from symseq.lang.parse import InputError, parse_answer

    left = deadline - time.monotonic()
    if left <= 0:
        return None
    text = cas.fricas("integrate", f.xreplace({v: X}), left)
    text = text[1] if isinstance(text, list) and len(text) > 1 else text  # a case list: its first case
    if not isinstance(text, str):
        return None
    try:
        return parse_answer(text, {"x": X}).xreplace({X: v})
    except InputError:
        return None


def _separable(F: sp.Expr, deadline: float) -> sp.Expr | None:
    parts = sp.separatevars(F, [X, Y], dict=True)
    if not parts or not F.has(Y) or parts[Y] == 0:
        return None
    in_y = antiderivative(1 / parts[Y], Y, deadline)
    in_x = antiderivative(parts["coeff"] * parts[X], X, deadline) if in_y is not None else None
    return None if in_x is None else in_y - in_x


def _homogeneous(F: sp.Expr, deadline: float) -> sp.Expr | None:
    if not F.has(X) or not F.has(Y) or sp.simplify(F.subs({X: _T * X, Y: _T * Y}, simultaneous=True) - F) != 0:
        return None
    G = sp.simplify(F.subs(Y, _U * X))
    if G.has(X):
        G = sp.simplify(G.subs(X, 1))  # F(1, u): the same function of u where x > 0
    denominator = sp.cancel(G - _U)
    if denominator == 0:
        return None
    I = antiderivative(1 / denominator, _U, deadline)
    return None if I is None else _in_x_and_y(I) - sp.log(X)


def _in_x_and_y(I: sp.Expr) -> sp.Expr:
    """I(u) at u = y/x, its square roots sqrt(B(u)) written sqrt(x**2*B(y/x))/x: for x > 0 the
    same, and for x < 0 the other root, which is what the equation there asks when F was
    homogeneous for t > 0 only (sqrt(x**2 + y**2) = x*sqrt(1 + u**2) for x > 0 only); the identity
    I' = 1/(G - u) holds for either root, being algebraic in it."""
    def root(e: sp.Pow) -> sp.Expr:
        return sp.sqrt(sp.cancel(e.base.xreplace({_U: Y / X}) * X ** 2)) / X
    return I.replace(lambda e: e.is_Pow and e.exp == sp.Rational(1, 2) and e.base.has(_U), root).xreplace({_U: Y / X})


def _shifted(F: sp.Expr, deadline: float) -> sp.Expr | None:
    lines = [p for p in _linear_factors(F) if p.subs({X: 0, Y: 0}) != 0]
    if not lines:
        return None
    others = [q for q in _linear_factors(F) if q not in lines]
    for first in lines:
        for second in [q for q in lines + others if q != first]:
            point = sp.solve([first, second], [X, Y], dict=True)
            if len(point) != 1 or set(point[0]) != {X, Y}:
                continue
            h, k = point[0][X], point[0][Y]
            moved = F.subs({X: X + h, Y: Y + k}, simultaneous=True)
            H = _homogeneous(sp.cancel(moved), deadline)
            if H is not None:
                return H.subs({X: X - h, Y: Y - k}, simultaneous=True)
    return None


def _linear_factors(F: sp.Expr) -> list[sp.Expr]:
    """The factors of F's numerator and denominator that are polynomials of degree 1 in x and y
    together (x + 2*y - 4)."""
    found = []
    for part in sp.fraction(sp.together(F)):
        for factor, _ in sp.factor_list(part, X, Y)[1] if part.is_polynomial(X, Y) else []:
            if sp.Poly(factor, X, Y).total_degree() == 1 and factor.has(X) and factor.has(Y):
                found.append(sp.expand(factor))
    return list(dict.fromkeys(found))


def _linear_argument(F: sp.Expr, deadline: float) -> sp.Expr | None:
    Fx, Fy = sp.diff(F, X), sp.diff(F, Y)
    if Fy == 0 or Fx == 0:
        return None
    r = sp.simplify(Fx / Fy)
    if r.free_symbols or r == 0:
        return None
    G = sp.simplify(F.subs(Y, _U - r * X))
    if G.has(X):
        return None
    denominator = sp.cancel(r + G)
    if denominator == 0:
        return None
    J = antiderivative(1 / denominator, _U, deadline)
    return None if J is None else J.xreplace({_U: r * X + Y}) - X


def _scales(F: sp.Expr) -> list[sp.Expr]:
    """The functions of x alone in F (tan(x), log(x), exp(x), ...), smallest first, at most 3."""
    found = {e for e in sp.preorder_traversal(F)
             if isinstance(e, (sp.tan, sp.log, sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh)) and e.has(X) and not e.has(Y)}
    return sorted(found, key=sp.count_ops)[:3]


def _scaled(F: sp.Expr, deadline: float) -> sp.Expr | None:
    """y = g(x)*u for g a function of x in F: u' = (F(x, g*u) - g'*u)/g, when that is separable
    (y' = (y**2 + y*tan(x) + tan(x)**2)/sin(x)**2 with u = y/tan(x): u' = (u**2 + 1)/(sin(x)*cos(x)))."""
    for g in _scales(F):
        if time.monotonic() >= deadline:
            return None
        in_u = sp.simplify((F.xreplace({Y: g * _U}) - sp.diff(g, X) * _U) / g).xreplace({_U: Y})  # u' as y' was
        H = _separable(in_u, deadline)
        if H is not None:
            return H.xreplace({Y: Y / g})
    return None


def _bernoulli(F: sp.Expr, deadline: float) -> sp.Expr | None:
    """y' = P*y + Q*y**n (n not 0 or 1): v = y**(1 - n) solves the linear v' = (1 - n)*(P*v + Q),
    which FriCAS solves; y = v**(1/(1 - n))."""
    P, Q, n = sp.S.Zero, sp.S.Zero, None
    for term in sp.Add.make_args(sp.expand(F)):
        coefficient, power = term.as_independent(Y, as_Add=False)
        k = 1 if power == Y else power.exp if power.is_Pow and power.base == Y and power.exp.is_Rational else None
        if k is None or coefficient.has(Y):
            return None
        if k == 1:
            P += coefficient
        elif n in (None, k) and k != 0:
            Q, n = Q + coefficient, k
        else:
            return None
    if n is None or P == 0:
        return None
    v = _linear_solution("ode1", F1 - sp.cancel((1 - n) * P) * F0 - sp.cancel((1 - n) * Q), deadline)
    return v ** (1 / (1 - n)) if v is not None and v.has(C1) else None


def _riccati(F: sp.Expr, deadline: float) -> sp.Expr | None:
    """y' = P + Q*y + R*y**2 (R != 0): y = -u'/(R*u) with u'' - (Q + R'/R)*u' + P*R*u = 0, the
    linear equation solved by FriCAS (u = c1*u1 + c2*u2), its constants' ratio the one constant."""
    if not F.has(Y) or not F.is_polynomial(Y):
        return None
    P, Q, R = (sp.cancel(F.as_poly(Y).coeff_monomial(Y ** k)) for k in range(3))
    if R == 0 or sp.degree(F, Y) != 2:
        return None
    linear = F2 - sp.cancel(Q + sp.diff(R, X) / R) * F1 + sp.cancel(P * R) * F0
    u = _linear_solution("ode2", linear, deadline)
    if u is None and time.monotonic() < deadline:  # SymPy knows Airy and Bessel forms FriCAS does not
        u = _sympy_linear_solution(linear)
    if u is None or not u.xreplace({C2: 1}).has(C1):
        return None
    u = u.xreplace({C2: 1})
    if u.has(sp.I):  # a conjugate pair exp(+-I*x)*v: its real and imaginary parts instead
        u = _real_basis(u, C1)
        if u is None:
            return None
    y = -sp.diff(u, X) / (R * u)
    return sp.cancel(y) if sp.count_ops(u) < 60 else y


def _linear_solution(kind: str, equation: sp.Expr, deadline: float) -> sp.Expr | None:
    """FriCAS's general solution of a linear ODE (= 0 in f(x)), constants c1, c2, read back; or None."""
    from symseq.lang.parse import InputError, parse_answer

    left = deadline - time.monotonic()
    text = cas.fricas(kind, equation, left) if left > 0 else None
    if not isinstance(text, str):
        return None
    try:
        return parse_answer(text, {"x": X, "c1": C1, "c2": C2})
    except InputError:
        return None


def _sympy_linear_solution(equation: sp.Expr) -> sp.Expr | None:
    """SymPy's general solution of a linear second-order ODE (y' = y**2 - x: u'' - x*u = 0, Airy),
    constants c1, c2; or None.  (The engine's time limit is enforced from the parent.)"""
    from symseq.solve.engines.sympy_engines import dsolve_explicit

    try:
        found = dsolve_explicit(equation)
    except Exception:  # SymPy's own failures (NotImplementedError, TypeError inside its solvers)
        return None
    return next((u for u in found if u.has(C1) and u.has(C2)), None)


def _real_basis(u: sp.Expr, c: sp.Symbol) -> sp.Expr | None:
    """c*Re(u1) + Im(u1) for u = c*u1 + u2 with u2 = u1 with I as -I (exp(+-I*x)/sqrt(x)), else
    None; real and imaginary parts taken by that conjugation (the rest real where x > 0)."""
    u1, u2 = (sp.expand(e.rewrite(sp.cos)) for e in (u.coeff(c), u.subs(c, 0)))
    conjugate = u1.subs(sp.I, -sp.I)
    if sp.simplify(u2 - conjugate) != 0:
        return None
    re, im = sp.simplify((u1 + conjugate) / 2), sp.simplify((u1 - conjugate) / (2 * sp.I))
    if re == 0 or im == 0 or re.has(sp.I) or im.has(sp.I):
        return None
    return c * re + im
