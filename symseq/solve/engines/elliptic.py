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

Integrands in x under a root with a factor c - d*x**2 are first written in t by x = r*sin(t),
r = sqrt(c/d) (on |x| < r), which turns ``x**2/(sqrt(4 - x**2)*sqrt(2 + 3*x**2))`` into such a
form; with a factor c + d*x**2 by x = r*tan(t) (``1/sqrt(x**4 + 3*x**2 + 2)``).  Under a cubic
with three real roots, by x = e + c*sin(t)**2 or e + c*tan(t)**2 on each interval between them
where the integrand is real (``_cubic_substitutions``).
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
MAX_Q_DEGREE = 16  # of the algebraic part's polynomial Q (a linear system of ~20 unknowns)


def applies(f: sp.Expr) -> bool:
    """Whether f has the engine's shape at a glance (the square root of a trigonometric
    expression, or square roots of polynomials of degree 3 or more in all), so that the race
    plans its job."""
    roots = _root_bases(f)
    if any(r.has(*_TRIG) for r in roots):
        return True
    return 3 <= sum(_degree(r) for r in roots) <= 8  # a cubic or quartic (beside others): elliptic


def _root_bases(f: sp.Expr) -> set[sp.Expr]:
    """The bases in x of f's half-integer powers (sqrt(b), b**(3/2), ...)."""
    return {e.base for e in f.atoms(sp.Pow) if e.exp.is_Rational and e.exp.q == 2 and e.base.has(X)}


def _degree(e: sp.Expr) -> int:
    """e's degree in x when it is a polynomial in x, read off the tree without expanding it
    (``(x**3 + x + 1)**200``: 600 at once), else 0."""
    if e == X:
        return 1
    if not e.has(X):
        return 0
    if e.is_Add:
        parts = [_degree(a) for a in e.args]
        return 0 if any(p == 0 and a.has(X) for p, a in zip(parts, e.args)) else max(parts)
    if e.is_Mul:
        parts = [_degree(a) for a in e.args]
        return 0 if any(p == 0 and a.has(X) for p, a in zip(parts, e.args)) else sum(parts)
    if e.is_Pow and e.exp.is_Integer and e.exp > 0:
        return _degree(e.base) * int(e.exp)
    return 0


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
    for t_of_x, g in _substitutions(question):
        answer = _integrate_in_t(g, half_circle=True)
        if answer is not None:
            return sp.sstr(answer.subs(_T, t_of_x))
    for t_of_x, g in _cubic_substitutions(question):
        answer = _integrate_in_t(g, quarter_circle=True)
        if answer is not None:
            return sp.sstr(answer.subs(_T, t_of_x))
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


def _substitutions(f: sp.Expr):
    """``(t(x), g(t))``: f(x) dx written in t by x = r*sin(t) for each factor c - d*x**2 of the
    base of a square root of f, and x = r*tan(t) for each factor c + d*x**2 (c, d > 0,
    r = sqrt(c/d)); so sqrt(c - d*x**2) = sqrt(c)*cos(t), sqrt(c + d*x**2) = sqrt(c)/cos(t)."""
    seen = set()  # (r, whether x = r*sin(t))
    for base in _root_bases(f):
        if not base.is_polynomial(X):
            continue
        y = sp.Dummy("y")  # x**2: the base as a polynomial in y, factored over the rationals
        in_y = sp.expand(base).subs(X**2, y)
        if in_y.has(X):
            continue
        for factor, _ in sp.factor_list(in_y, y)[1]:
            poly = sp.Poly(factor, y)
            if poly.degree() != 1:
                continue
            c, d = poly.coeff_monomial(1), poly.coeff_monomial(y)
            if c.is_negative:
                c, d = -c, -d
            if not c.is_positive or d.is_positive is None:
                continue
            seen.add((sp.sqrt(c / abs(d)), bool(d.is_negative)))
    # x = r*sin(t) first: |x| < r is where a factor c - d*x**2 under a root is real
    for r, circle in sorted(seen, key=lambda rc: (not rc[1], sp.default_sort_key(rc[0]))):
        if circle:
            yield sp.asin(X / r), f.subs(X, r * sp.sin(_T)) * r * sp.cos(_T)
        else:
            yield sp.atan(X / r), f.subs(X, r * sp.tan(_T)) * r / sp.cos(_T) ** 2


def _cubic_substitutions(f: sp.Expr):
    """``(t(x), g(t))`` for a cubic P with real roots e1 > e2 > e3 under the roots of f (the
    product of their polynomial bases, factors of even multiplicity left out), one per interval
    of the real line where f is real (0 < t < pi/2 there):

    e3 < x < e2: x = e3 + (e2 - e3)*sin(t)**2     e2 < x < e1: x = e1 - (e1 - e2)*sin(t)**2
    x > e1:      x = e1 + (e1 - e2)*tan(t)**2     x < e3:      x = e3 - (e1 - e3)*tan(t)**2

    so that each linear factor of P is a multiple of sin(t)**2, cos(t)**2 or 1 - k*sin(t)**2
    (over cos(t)**2)."""
    bases = _root_bases(f)
    if not bases or not all(b.is_polynomial(X) for b in bases):
        return
    factors = sp.factor_list(sp.Mul(*bases), X)[1]
    cubic = sp.Mul(*[p for p, k in factors if k % 2])
    if sp.degree(cubic, X) != 3:
        return
    found = sp.roots(cubic, X)
    if sum(found.values()) != 3 or len(found) != 3 or not all(r.is_real and r.is_number for r in found):
        return  # (roots with parameters in them cannot be ordered)
    e3, e2, e1 = sorted(found, key=lambda r: float(r))
    S2, T2 = sp.sin(_T) ** 2, sp.tan(_T) ** 2
    regions = (((e2 + e3) / 2, e3 + (e2 - e3) * S2, sp.asin(sp.sqrt((X - e3) / (e2 - e3)))),
               ((e1 + e2) / 2, e1 - (e1 - e2) * S2, sp.asin(sp.sqrt((e1 - X) / (e1 - e2)))),
               (e1 + 1, e1 + (e1 - e2) * T2, sp.atan(sp.sqrt((X - e1) / (e1 - e2)))),
               (e3 - 1, e3 - (e1 - e3) * T2, sp.atan(sp.sqrt((e3 - X) / (e1 - e3)))))
    params = {p: 2 for p in f.free_symbols - {X}}
    real = []  # (whether every base is >= 0 there, as a person reads the integrand: first, region)
    for inside, x_of_t, t_of_x in regions:
        value = complex(f.subs(X, inside).evalf(20, subs=params))
        if abs(value.imag) <= 1e-12 * (1 + abs(value.real)) and value == value:  # real there (not nan)
            real.append((not all(b.subs(X, inside).evalf(subs=params) >= 0 for b in bases), x_of_t, t_of_x))
    for _, x_of_t, t_of_x in sorted(real, key=lambda r: r[0]):
        yield t_of_x, f.subs(X, x_of_t) * sp.diff(x_of_t, _T)


def _in_s(g: sp.Expr, half_circle: bool = False, quarter_circle: bool = False) -> sp.Expr | None:
    """g(t) as a function of s = sin(t)**2, or None when g is not even in sin(t) and in cos(t)
    (``half_circle``: t in (-pi/2, pi/2) only, where cos(t) > 0: even in sin(t); ``quarter_circle``:
    0 < t < pi/2, where both are positive: no condition)."""
    sin_, cos_ = sp.Symbol("S"), sp.Symbol("C")
    h = g.subs({sp.sin(_T): sin_, sp.cos(_T): cos_})
    h = h.subs({sp.tan(_T): sin_ / cos_, sp.cot(_T): cos_ / sin_, sp.sec(_T): 1 / cos_, sp.csc(_T): 1 / sin_})
    if h.has(_T) or not (quarter_circle or _even(h, sin_, cos_, flip_cos=not half_circle)):
        return None
    if quarter_circle:  # sin, cos, tan > 0 there: sqrt(tan(t)**2) = |tan(t)| = tan(t)
        h = h.replace(sp.Abs, lambda a: a)
    out = h.subs({sin_: sp.sqrt(_S), cos_: sp.sqrt(1 - _S)})
    # a root of a product is the product of the roots (s, 1 - s, W > 0 where f is real): every
    # base factored, then the powers of one base added
    out = out.replace(lambda e: e.is_Pow and e.base.has(_S) and not e.exp.is_integer, _split_root)
    out = sp.powsimp(out, force=True, combine="exp")
    return None if out.has(_T, sp.I) else out


def _split_root(e: sp.Pow) -> sp.Expr:
    """(c*prod p_i**k_i)**e as c**e*prod p_i**(k_i*e) for the linear factors p_i of a rational
    base in s, each signed positive at s = 0 (so on 0 < s < 1 when it has no root there)."""
    out = sp.Integer(1)
    for part, sign in zip(sp.fraction(sp.together(e.base)), (1, -1)):
        coeff, factors = sp.factor_list(part, _S)
        for factor, k in factors:
            at_0 = factor.subs(_S, 0)
            if at_0.is_negative or (at_0 == 0 and sp.Poly(factor, _S).LC().is_negative):
                factor, coeff = -factor, coeff * (-1) ** k
            out *= factor ** (sign * k * e.exp)
        out *= coeff ** (sign * e.exp)
    return out


def _even(h: sp.Expr, sin_: sp.Symbol, cos_: sp.Symbol, flip_cos: bool) -> bool:
    """Whether h(S, C) = h(-S, C) (and, with ``flip_cos``, = h(S, -C)) at a few points of the
    circle (numerically)."""
    rng = random.Random(0)
    free = h.free_symbols - {sin_, cos_}
    for _ in range(3):
        angle = rng.uniform(0.1, 1.4)
        values = {p: sp.Rational(rng.randint(11, 29), 10) for p in free}
        point = {sin_: sp.sin(angle), cos_: sp.cos(angle), **values}
        flips = [{**point, sin_: -point[sin_]}] + ([{**point, cos_: -point[cos_]}] if flip_cos else [])
        try:
            base = complex(h.evalf(30, subs=point))
            if any(abs(complex(h.evalf(30, subs=flip)) - base) > 1e-9 * (1 + abs(base)) for flip in flips):
                return False
        except (OverflowError, TypeError):  # beyond a float (a huge power), or not a number: undecided
            return False
    return True


def _integrate_in_t(g: sp.Expr, half_circle: bool = False, quarter_circle: bool = False) -> sp.Expr | None:
    """The antiderivative in t of g(t) by the ansatz of the module docstring, or None."""
    h = _in_s(g, half_circle, quarter_circle)
    if h is None:
        return None
    roots = {e.base for e in h.atoms(sp.Pow) if e.base.has(_S) and e.exp.is_Rational and not e.exp.is_integer}
    # a power of W beyond Q's reach (|q - 1/2| > MAX_Q_DEGREE) cannot be reduced: no answer, at once
    if not roots or any(e.exp.q != 2 or abs(e.exp) > MAX_Q_DEGREE for e in h.atoms(sp.Pow) if e.base in roots):
        return None
    W = sp.expand(next(iter(roots)))
    if not W.is_polynomial(_S) or sp.degree(W, _S) != 1 or any(sp.simplify(r / W).has(_S) for r in roots):
        return None
    a, b = W.subs(_S, 0), W.coeff(_S, 1)
    if a == 0 or a.is_negative or b == 0 or a + b == 0:  # m = 0 or 1: elementary, the other engines'
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
    # Q's degree: the integrand's numerator degree in s, plus one per power of W between q and 1/2
    degree = min(MAX_Q_DEGREE, sp.Poly(sp.numer(sp.together(h_w)), _W).degree() // 2 + 2 + int(abs(q - sp.S.Half)))
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
              + sp.sin(_T) * sp.cos(_T) * H.subs(values).subs(_W, sp.sqrt(a + b * S2)))  # H is in w alone
    for C, (d, e, _) in zip(Cs, others):
        answer += values[C] / sp.sqrt(a) * sp.elliptic_pi(-e / d, _T, m)
    return answer
