"""Continuous forms of antiderivatives whose arctangent jumps where the integrand does not.

The half-angle substitution leaves ``atan(k*tan(v) + m)``, v linear in x, which jumps by -pi at
every pole of tan(v) although the integrand is continuous there: ``2*sqrt(3)*atan(sqrt(3)*tan(x/2)/3)/3``
for ``1/(2 + cos(x))`` holds on intervals only.  With t = tan(v) and k > 0, phi = atan(k*t + m) -
atan(t) is continuous in v (both jump together) with values in (-pi, pi): the argument of
(1 + m*t + k*t**2) + i*((k - 1)*t + m), an ellipse in w = 2*v that does not wind around 0.  Turned
by the argument of its centre (1 + k + i*m), it stays in the right half-plane (its real part,
(1 + k)**2 + m**2 + (1 - k**2 + m**2)*cos(w) + 2*k*m*sin(w), has minimum > 0: the squares differ
by 4*k*((1 + k)**2 + m**2)), so

    atan(k*tan(v) + m) = v + atan(((k**2 - 1 - m**2)*sin(w) + 2*k*m*cos(w))
                                  / ((1 + k)**2 + m**2 + (1 - k**2 + m**2)*cos(w) + 2*k*m*sin(w)))

up to a constant on each interval, the right side continuous on the whole line (k < 0: minus the
same form of atan(-k*tan(v) - m)).  An arctangent of a ratio of sin(u) and cos(u) (FriCAS:
``atan((2*sqrt(3)*cos(x) + sqrt(3))/(3*sin(x)))``) is, with t = tan(u/2), the argument of
Q(t) + i*P(t) = c*(t - r_1)*...*(t - r_n) up to constants: a sum of atan((t - Re r_j)/Im r_j),
each of the form above (with parameters: a double root only, which needs no square root; a
parameters' radical such as sqrt(a**2 - b**2) stands for a positive number, as where the answer is
real).  SymPy's own correction terms ``pi*floor(...)`` (which the verifier cannot accept) are
dropped: this replaces them.

``rectify(F)`` is the continuous form, or None where none of this applies.  It is only a
candidate: the verifier judges it like any other answer (``continuous_variant`` offers an
engine's answer in both forms, the continuous one first).
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from generators.symbols import X
from symseq.lang.assume import draw_values
from symseq.solve import cases

MAX_OPS = 400  # larger arctangent arguments are left as they are
MAX_DEGREE = 4  # of Q + i*P in tan(u/2)
MAX_ROOT_OPS = 60  # larger roots are not written out
SIGN_DRAWS, MIN_REAL_DRAWS = 40, 8


def continuous_variant(answer: str, question: sp.Expr) -> str | None:
    """An engine's answer text (or ``cases: [...]`` list) with every arctangent made continuous
    where ``rectify`` can, or None when nothing changed.  Runs in the engine's sandboxed job."""
    from symseq.lang.parse import InputError, parse_answer

    names = {**{s.name: s for s in question.free_symbols}, "x": X}
    texts = cases.split_list(answer[len(cases.PREFIX):]) if answer.startswith(cases.PREFIX) else [answer]
    out, changed = [], False
    for text in texts:
        try:
            expr = parse_answer(text, names)
        except InputError:
            return None
        new = rectify(expr)
        changed |= new is not None
        out.append(sp.sstr(new if new is not None else expr))
    if not changed:
        return None
    return cases.case_list_text("[" + ", ".join(out) + "]") if answer.startswith(cases.PREFIX) else out[0]


def rectify(expr: sp.Expr, x: sp.Symbol = X) -> sp.Expr | None:
    """``expr`` with its jumping arctangents replaced by continuous forms (the module
    docstring), or None if there is none to replace."""
    if not expr.has(sp.atan):
        return None
    if expr.has(sp.floor):
        expr = expr.replace(lambda n: isinstance(n, sp.floor), lambda n: sp.Integer(0))
    swaps = {}
    for node in expr.atoms(sp.atan):
        if node.has(x) and sp.count_ops(node.args[0]) <= MAX_OPS:
            arg, back = _radicals_as_positive(node.args[0], x)
            new = _continuous_atan(arg, x, back)
            if new is not None:
                new = new.xreplace(back)  # then tidied, the radicals' squares multiplied out
                swaps[node] = new.xreplace({a: sp.atan(_tidy(a.args[0])) for a in new.atoms(sp.atan)})
    return expr.xreplace(swaps) if swaps else None


def _radicals_as_positive(arg: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, dict]:
    """``arg`` with each radical of the parameters (``sqrt(a**2 - b**2)``, its powers and
    reciprocals alike) written through a positive stand-in, and the map back."""
    stand: dict[sp.Expr, sp.Dummy] = {}
    swaps = {}
    for p in arg.atoms(sp.Pow):
        if p.has(x) or not p.free_symbols or not p.exp.is_Rational or p.exp.is_integer:
            continue
        root = p.base ** sp.Rational(1, p.exp.q)
        if root.is_positive:
            continue
        d = stand.setdefault(root, sp.Dummy("r", positive=True))
        swaps[p] = d ** p.exp.p
    return arg.xreplace(swaps), {d: root for root, d in stand.items()}


def _continuous_atan(arg: sp.Expr, x: sp.Symbol, back: dict) -> sp.Expr | None:
    affine = _affine_in_tan(arg, x)
    if affine is not None:
        return _continuous_tan_form(*affine, back)
    return _continuous_ratio(arg, x, back)


def _linear(u: sp.Expr, x: sp.Symbol) -> bool:
    slope = sp.diff(u, x)
    return u.has(x) and not slope.has(x) and slope.is_zero is False


def _affine_in_tan(arg: sp.Expr, x: sp.Symbol) -> tuple | None:
    """(v, k, m) when ``arg`` is k*tan(v) + m (or k*cot(v) + m, as tan(pi/2 - v)), v linear in x."""
    heads = [h for h in arg.atoms(sp.tan, sp.cot) if h.has(x)]
    if len(heads) != 1 or not _linear(heads[0].args[0], x):
        return None
    head, t = heads[0], sp.Dummy("t")
    in_t = sp.expand(arg.xreplace({head: t}))
    if in_t.has(x) or not in_t.is_polynomial(t) or sp.degree(in_t, t) != 1:
        return None
    v = head.args[0] if isinstance(head, sp.tan) else sp.pi / 2 - head.args[0]
    return v, in_t.coeff(t, 1), in_t.coeff(t, 0)


def _continuous_tan_form(v: sp.Expr, k: sp.Expr, m: sp.Expr, back: dict) -> sp.Expr | None:
    """A continuous function equal to atan(k*tan(v) + m) up to a constant on each interval
    (the module docstring), or None when the sign of k is not known or m is not real."""
    sign = _sign(k, m, back)
    if sign is None:
        return None
    if sign < 0:
        k, m = -k, -m
    w = 2 * v
    num = (k**2 - 1 - m**2) * sp.sin(w) + 2 * k * m * sp.cos(w)
    den = (1 + k)**2 + m**2 + (1 - k**2 + m**2) * sp.cos(w) + 2 * k * m * sp.sin(w)
    return sign * (v + sp.atan(num / den))


def _sign(k: sp.Expr, m: sp.Expr, back: dict) -> int | None:
    """The sign of k, if SymPy knows it and that m is real, else as seen at ``SIGN_DRAWS`` draws
    of the parameters from their assumed domain (``draw_values``, as the verifier draws them)
    where k and m are both real: the same at every one of at least ``MIN_REAL_DRAWS`` of them (a
    guess that only decides which candidate to build: the verifier judges it)."""
    if m.is_extended_real and k.is_positive:
        return 1
    if m.is_extended_real and k.is_negative:
        return -1
    k, m = k.xreplace(back), m.xreplace(back)
    symbols = k.free_symbols | m.free_symbols
    if not symbols:
        return None
    seen = []
    for point in draw_values(symbols, np.random.default_rng(0), draws=SIGN_DRAWS):
        try:
            kv, mv = (complex(e.evalf(15, subs=point)) for e in (k, m))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if all(math.isfinite(abs(z)) and abs(z.imag) <= 1e-12 * (1 + abs(z.real)) for z in (kv, mv)) and kv.real:
            seen.append(kv.real > 0)
    if len(seen) < MIN_REAL_DRAWS or len(set(seen)) != 1:
        return None
    return 1 if seen[0] else -1


def _tidy(ratio: sp.Expr) -> sp.Expr:
    """The shortest of the ratio as built, cancelled, and (small, numeric) simplified."""
    forms = [ratio, sp.cancel(ratio)]
    if len(ratio.free_symbols) == 1 and sp.count_ops(ratio) <= 40:
        forms.append(sp.simplify(ratio))
    return min(forms, key=sp.count_ops)


def _continuous_ratio(arg: sp.Expr, x: sp.Symbol, back: dict) -> sp.Expr | None:
    """atan(P(sin u, cos u)/Q(sin u, cos u)) as a sum of continuous forms (with parameters: when
    Q + i*P has one root, or a double one)."""
    numeric = arg.free_symbols == {x}
    heads = arg.atoms(sp.sin, sp.cos, sp.tan, sp.cot)
    angles = {h.args[0] for h in heads}
    if not heads or len(angles) != 1 or not _linear(next(iter(angles)), x):
        return None
    u, t = angles.pop(), sp.Dummy("t", real=True)
    s, c = 2 * t / (1 + t**2), (1 - t**2) / (1 + t**2)
    in_t = sp.cancel(arg.xreplace({sp.sin(u): s, sp.cos(u): c, sp.tan(u): s / c, sp.cot(u): c / s}))
    p, q = sp.fraction(in_t)
    if in_t.has(x) or not (p.is_polynomial(t) and q.is_polynomial(t)):
        return None
    curve = sp.Poly(sp.expand(q + sp.I * p), t)
    if not 1 <= curve.degree() <= MAX_DEGREE:
        return None
    roots = sp.roots(curve) if numeric else _double_or_single_root(curve, back)
    if not roots or sum(roots.values()) != curve.degree():
        return None
    total = sp.Integer(0)
    if any(sp.count_ops(r) > MAX_ROOT_OPS for r in roots):
        return None  # a quartic's radicals: simplifying them could eat the engine's time
    for r, multiplicity in roots.items():
        re, im = (sp.simplify(part) for part in sp.expand_complex(r).as_real_imag())
        if re.has(sp.re, sp.im) or im.has(sp.re, sp.im) or im.is_zero:
            return None  # the curve passes through 0 (atan's argument 0/0) or the root is unreadable
        # arg(t - r) = atan((t - re)/im) - sign(im)*pi/2, t = tan(u/2)
        part = _continuous_tan_form(u / 2, 1 / im, -re / im, back)
        if part is None:
            return None
        total += multiplicity * part
    return total


def _double_or_single_root(curve: sp.Poly, back: dict) -> dict | None:
    """{root: multiplicity} of a polynomial of degree 1, or of degree 2 whose discriminant
    simplifies to 0 with the radicals' stand-ins put ``back`` (no new square root needed)."""
    coeffs = curve.all_coeffs()
    if curve.degree() == 1:
        return {-coeffs[1] / coeffs[0]: 1}
    if curve.degree() == 2:
        a, b, c = coeffs
        if sp.simplify(sp.expand(b**2 - 4 * a * c).xreplace(back)) == 0:
            return {sp.cancel(-b / (2 * a)): 2}
    return None
