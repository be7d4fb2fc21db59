"""Continuous forms of antiderivatives whose arctangent jumps where the integrand does not.

The half-angle substitution leaves ``atan(k*tan(v) + m)``, v linear in x, which jumps by -pi at
every pole of tan(v) although the integrand is continuous there: ``2*sqrt(3)*atan(sqrt(3)*tan(x/2)/3)/3``
for ``1/(2 + cos(x))`` holds on intervals only.  With t = tan(v), tan(atan(k*t + m) - v) is
((k - 1)*t + m)/(1 + m*t + k*t**2); where k > 0 and 1 + m*t + k*t**2 has no real root (4*k > m**2)
the difference stays within (-pi/2, pi/2), so (numerator and denominator times 2*cos(v)**2)

    atan(k*tan(v) + m) = v + atan(((k - 1)*sin(2*v) + m*(1 + cos(2*v))) / (1 + k + (1 - k)*cos(2*v) + m*sin(2*v)))

up to a constant on each interval, and the right side is continuous on the whole line (for
k < 0: minus the same form of atan(-k*tan(v) - m)).  An arctangent of a ratio of sin(u) and
cos(u) (FriCAS: ``atan((2*sqrt(3)*cos(x) + sqrt(3))/(3*sin(x)))``) is, with t = tan(u/2), the
argument of Q(t) + i*P(t) = c*(t - r_1)*...*(t - r_n) up to constants: a sum of
atan((t - Re r_j)/Im r_j), each of the form above (numeric coefficients only).  SymPy's own
correction terms ``pi*floor(...)`` (which the verifier cannot accept) are dropped: this replaces them.

``rectify(F)`` is the continuous form, or None where none of this applies.  It is only a
candidate: the verifier judges it like any other answer (``continuous_variant`` offers an
engine's answer in both forms, the continuous one first).
"""

from __future__ import annotations

import sympy as sp

from generators.symbols import X
from symseq.solve import cases

MAX_OPS = 400  # larger arctangent arguments are left as they are
MAX_DEGREE = 4  # of Q + i*P in tan(u/2)


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
            new = _continuous_atan(node.args[0], x)
            if new is not None:
                swaps[node] = new
    return expr.xreplace(swaps) if swaps else None


def _continuous_atan(arg: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    affine = _affine_in_tan(arg, x)
    if affine is not None:
        return _continuous_tan_form(*affine)
    return _continuous_ratio(arg, x)


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


def _continuous_tan_form(v: sp.Expr, k: sp.Expr, m: sp.Expr) -> sp.Expr | None:
    """A continuous function equal to atan(k*tan(v) + m) up to a constant on each interval."""
    if k.is_negative:
        inner = _continuous_tan_form(v, -k, -m)
        return None if inner is None else -inner
    if k.is_positive is not True or _positive(4 * k - m**2) is not True:
        return None
    num = (k - 1) * sp.sin(2 * v) + m * (1 + sp.cos(2 * v))
    den = 1 + k + (1 - k) * sp.cos(2 * v) + m * sp.sin(2 * v)
    return v + sp.atan(_tidy(num / den))


def _tidy(ratio: sp.Expr) -> sp.Expr:
    """The shortest of the ratio as built, cancelled, and (small, numeric) simplified."""
    forms = [ratio, sp.cancel(ratio)]
    if len(ratio.free_symbols) == 1 and sp.count_ops(ratio) <= 40:
        forms.append(sp.simplify(ratio))
    return min(forms, key=sp.count_ops)


def _positive(e: sp.Expr) -> bool | None:
    if e.is_positive is not None or sp.count_ops(e) > 60:
        return e.is_positive
    return sp.simplify(e).is_positive


def _continuous_ratio(arg: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """atan(P(sin u, cos u)/Q(sin u, cos u)), numeric coefficients, as a sum of continuous forms."""
    if arg.free_symbols != {x}:
        return None
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
    roots = sp.roots(curve)
    if sum(roots.values()) != curve.degree():
        return None
    total = sp.Integer(0)
    for r, multiplicity in roots.items():
        re, im = (sp.simplify(part) for part in (sp.re(r), sp.im(r)))
        if re.has(sp.re, sp.im) or im.has(sp.re, sp.im) or not im.is_nonzero:
            return None  # the curve passes through 0 (atan's argument 0/0) or the root is unreadable
        # arg(t - r) = atan((t - re)/im) - sign(im)*pi/2, t = tan(u/2)
        part = _continuous_tan_form(u / 2, 1 / im, -re / im)
        if part is None:
            return None
        total += multiplicity * part
    return total
