"""Legendre's reduction of trigonometric elliptic integrals: the ``elliptic`` engine.

``sqrt(1 + cos(x)**2)`` or ``1/(1 + cos(x)**2)**(3/2)`` have no elementary antiderivative, and
neither FriCAS, Maxima nor SymPy finds their elliptic one.  An integrand that is a rational
function of s = sin(t)**2 (t = k*x + c; cos**2 = 1 - s, tan, sec, csc, cot included) times a
half-integer power of one linear W = a + b*s integrates, by Legendre's reduction, to

    A*E(t|m) + B*F(t|m) + sum_i C_i*Pi(n_i; t|m) + sin(t)*cos(t)*H(s),   m = -b/a,

with one Pi per linear factor d_i + e_i*s of the denominator (n_i = -e_i/d_i) and
H(s) = Q(s)*W**q / (s**alpha*(1 - s)**beta*prod_i (d_i + e_i*s)**(k_i - 1)) for a polynomial Q.
The coefficients are found by differentiating the ansatz: with W = w**2 every term is rational in
w, and equating the numerator's coefficients gives a linear system (no solution: no answer).

Integrands in x under sqrt(c - d*x**2) are first written in t by x = sqrt(c/d)*sin(t) (on
|x| < sqrt(c/d)), which turns ``x**2/(sqrt(4 - x**2)*sqrt(2 + 3*x**2))`` into such a form.
The answer is a proposal: the verifier checks it against the original integrand like any other.
"""

from __future__ import annotations

import random

import sympy as sp

from generators.symbols import X

_T = sp.Symbol("t", real=True)
_S = sp.Symbol("s", positive=True)  # sin(t)**2
_W = sp.Symbol("w", positive=True)  # sqrt(W)
_TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)
MAX_Q_DEGREE = 8


def applies(f: sp.Expr) -> bool:
    """Whether f has the engine's shape at a glance (a square root of something in x, and a
    trigonometric function or a root of a quadratic in x), so that the race plans its job."""
    roots = [e for e in f.atoms(sp.Pow) if e.exp.is_Rational and e.exp.q == 2 and e.base.has(X)]
    return bool(roots) and (f.has(*_TRIG) or any(
        e.base.is_polynomial(X) and sp.degree(e.base, X) == 2 for e in roots))


def solve(kind: str, question: sp.Expr, seconds: float) -> str | None:
    """The engine's answer (SymPy text) or None when the integrand is not of the reducible kind."""
    if kind != "integrate" or not question.has(*_TRIG, sp.Pow):
        return None
    if question.has(*_TRIG):
        found = _in_t(question)
        if found is None:
            return None
        g, t_of_x, scale = found
        answer = _integrate_in_t(g)
        return None if answer is None else sp.sstr(answer.xreplace({_T: t_of_x}) / scale)
    for r, g in _circular_substitutions(question):
        answer = _integrate_in_t(g)
        if answer is not None:
            return sp.sstr(answer.subs(_T, sp.asin(X / r)))
    return None


def _in_t(f: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr] | None:
    """``(g(t), t(x), k)`` with f(x) = g(t) for the one trigonometric argument t = k*x + c of f,
    or None when f has several arguments, a non-linear one, or x outside them."""
    args = {node.args[0] for node in f.atoms(*_TRIG)}
    if len(args) != 1:
        return None
    arg = args.pop()
    k = sp.diff(arg, X)
    if not k.is_number or k == 0 or sp.diff(arg, X, 2) != 0:
        return None
    g = f.xreplace({node: node.func(_T) for node in f.atoms(*_TRIG)})
    if g.has(X):
        return None
    return g, arg, k


def _circular_substitutions(f: sp.Expr):
    """``(r, g(t))`` for x = r*sin(t), one per root sqrt(c - d*x**2) of f (c, d > 0)."""
    seen = set()
    for node in f.atoms(sp.Pow):
        if node.exp.is_Rational and node.exp.q == 2 and node.base.has(X):
            poly = sp.Poly(node.base, X) if node.base.is_polynomial(X) else None
            if poly is None or poly.degree() != 2 or poly.coeff_monomial(X) != 0:
                continue
            c, d = poly.coeff_monomial(1), -poly.coeff_monomial(X**2)
            if not (c.is_positive and d.is_positive):
                continue
            r = sp.sqrt(c / d)
            if r in seen:
                continue
            seen.add(r)
            g = f.subs(X, r * sp.sin(_T)) * r * sp.cos(_T)
            # on |t| < pi/2: sqrt(c - c*sin(t)**2) = sqrt(c)*cos(t)
            g = g.replace(lambda e: e.is_Pow and e.base.has(_T) and e.exp.is_Rational and e.exp.q == 2,
                          lambda e: _cos_root(e))
            yield r, g


def _cos_root(e: sp.Pow) -> sp.Expr:
    base = sp.expand(e.base.subs(sp.sin(_T) ** 2, 1 - sp.cos(_T) ** 2))
    c = base.coeff(sp.cos(_T), 2)
    if c.is_positive and sp.expand(base - c * sp.cos(_T) ** 2) == 0:
        return (sp.sqrt(c) * sp.cos(_T)) ** (2 * e.exp)
    return e


def _in_s(g: sp.Expr) -> sp.Expr | None:
    """g(t) as a function of s = sin(t)**2, or None when g is not even in sin(t) and in cos(t)."""
    sin_, cos_ = sp.Symbol("S"), sp.Symbol("C")
    h = g.subs({sp.sin(_T): sin_, sp.cos(_T): cos_})
    h = h.subs({sp.tan(_T): sin_ / cos_, sp.cot(_T): cos_ / sin_, sp.sec(_T): 1 / cos_, sp.csc(_T): 1 / sin_})
    if h.has(_T) or not _even(h, sin_, cos_):
        return None
    out = sp.powsimp(h.subs({sin_: sp.sqrt(_S), cos_: sp.sqrt(1 - _S)}), force=True)
    return None if out.has(_T) else out


def _even(h: sp.Expr, sin_: sp.Symbol, cos_: sp.Symbol) -> bool:
    """Whether h(S, C) = h(-S, C) = h(S, -C) at a few points of the circle (numerically)."""
    rng = random.Random(0)
    free = h.free_symbols - {sin_, cos_}
    for _ in range(3):
        angle = rng.uniform(0.1, 1.4)
        values = {p: sp.Rational(rng.randint(11, 29), 10) for p in free}
        point = {sin_: sp.sin(angle), cos_: sp.cos(angle), **values}
        base = complex(h.evalf(30, subs=point))
        for flip in ({**point, sin_: -point[sin_]}, {**point, cos_: -point[cos_]}):
            if abs(complex(h.evalf(30, subs=flip)) - base) > 1e-9 * (1 + abs(base)):
                return False
    return True


def _integrate_in_t(g: sp.Expr) -> sp.Expr | None:
    """The antiderivative in t of g(t) by the ansatz of the module docstring, or None."""
    h = _in_s(g)
    if h is None:
        return None
    roots = {e.base for e in h.atoms(sp.Pow) if e.base.has(_S) and e.exp.is_Rational and not e.exp.is_integer}
    if not roots or any(e.exp.q != 2 for e in h.atoms(sp.Pow) if e.base in roots):
        return None
    W = sp.expand(next(iter(roots)))
    if not W.is_polynomial(_S) or sp.degree(W, _S) != 1 or any(sp.simplify(r / W).has(_S) for r in roots):
        return None
    a, b = W.subs(_S, 0), W.coeff(_S, 1)
    if a == 0 or a.is_negative:
        return None
    # W -> w**2, every power of W a power of w: h becomes rational in w
    s_of_w = (_W**2 - a) / b
    h_w = sp.together(sp.powdenest(h.subs(_S, s_of_w), force=True))
    if not h_w.is_rational_function(_W):
        return None
    den_s = sp.factor_list(sp.denom(sp.together(h.replace(
        lambda e: e.is_Pow and e.base in roots, lambda e: sp.Integer(1)))), _S)[1]
    alpha = beta = 0
    others = []
    for factor, power in den_s:
        p = sp.Poly(factor, _S)
        if p.degree() == 0:
            continue
        if p.degree() > 1:
            return None  # an irreducible quadratic: complex characteristics, not handled
        d, e = p.coeff_monomial(1), p.coeff_monomial(_S)
        if d == 0:
            alpha = power
        elif sp.simplify(d + e) == 0:
            beta = power
        elif sp.simplify(factor / W).has(_S):
            others.append((d, e, power))
    exponents = [e.exp for e in h.atoms(sp.Pow) if e.base in roots]
    q = min(sp.Rational(1, 2), min(exponents) + 1)
    degree = min(MAX_Q_DEGREE, sp.Poly(sp.numer(sp.together(h_w)), _W).degree() // 2 + 2)
    return _solve_ansatz(h_w, a, b, q, alpha, beta, others, degree)


def _solve_ansatz(h_w, a, b, q, alpha, beta, others, degree):
    s = (_W**2 - a) / b
    A, B = sp.symbols("A B")
    Cs = sp.symbols(f"C0:{len(others)}")
    Qs = sp.symbols(f"q0:{degree + 1}")
    Q = sum(c * s**i for i, c in enumerate(Qs))
    H = Q * _W ** (2 * q) / (s**alpha * (1 - s) ** beta)
    for d, e, power in others:
        H /= (d + e * s) ** (power - 1)
    dH_ds = sp.diff(H, _W) * b / (2 * _W)
    # A' = A/sqrt(a), B' = B*sqrt(a), C' = C*sqrt(a): E' = w/sqrt(a), F' = sqrt(a)/w
    derivative = A * _W + B / _W + (1 - 2 * s) * H + 2 * s * (1 - s) * dH_ds
    for C, (d, e, _) in zip(Cs, others):
        derivative += C * d / (_W * (d + e * s))
    residual = sp.numer(sp.together(derivative - h_w))
    equations = sp.Poly(sp.expand(residual), _W).coeffs()
    unknowns = (A, B) + Cs + Qs
    solutions = sp.linsolve(equations, unknowns)
    if not solutions:
        return None
    values = dict(zip(unknowns, next(iter(solutions))))
    values = {k: v.subs({u: 0 for u in unknowns}) for k, v in values.items()}  # free ones: 0
    m = -b / a
    S2 = sp.sin(_T) ** 2
    answer = (values[A] * sp.sqrt(a) * sp.elliptic_e(_T, m) + values[B] / sp.sqrt(a) * sp.elliptic_f(_T, m)
              + sp.sin(_T) * sp.cos(_T) * H.subs(values).subs(_W, sp.sqrt(a + b * S2)).subs(_S, S2))
    for C, (d, e, _) in zip(Cs, others):
        answer += values[C] / sp.sqrt(a) * sp.elliptic_pi(-e / d, _T, m)
    return answer
