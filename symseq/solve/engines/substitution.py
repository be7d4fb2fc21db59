"""A change of variables, then FriCAS: the ``subst`` engine.

``x/(sqrt(1 - x**2)*acos(x))`` defeats every engine as it stands; with u = acos(x) it is
``-cos(u)/u``, whose integral ``-Ci(u)`` FriCAS knows.  For each inner function g of the
integrand (an inverse trigonometric or hyperbolic function, a logarithm, an exponential, a root
of an expression in x), smallest first, the integrand is rewritten in u = g(x) (x = g^-1(u),
dx = (g^-1)'(u) du), simplified as if u stayed where g^-1 is the principal inverse (roots of
squares taken positive, acos(cos(u)) = u), and given to FriCAS when x is gone; its answer H(u)
comes back as H(g(x)).  Those simplifications hold on part of the line only, and may not hold at
all: the answer is a proposal, verified like any other against the original integrand.

For a first-order ODE the engine is ``symseq.solve.engines.ode_substitution`` (u = y/x, a shifted
origin, z = r*x + y); for a second-order one ``symseq.solve.engines.ode_reduction`` (p = y',
u = y'/y, x = exp(s): reduction of order).
"""

from __future__ import annotations

import time

import sympy as sp

from generators.symbols import X
from symseq.solve import cases
from symseq.solve.engines import cas

MAX_SUBSTITUTIONS = 4  # inner functions tried, smallest first
MAX_ROOT_INDEX = 60  # x = u**L for x's fractional powers only up to this L (x**(1/999983) beside x**(1/999979): no)
_U = sp.Symbol("u", positive=True)
_INVERSE = (sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc, sp.asinh, sp.acosh, sp.atanh, sp.log)


def inner_functions(f: sp.Expr) -> list[sp.Expr]:
    """The candidates for u: the root of x that rationalizes its fractional powers (first), then
    inverse functions, logarithms, exponentials (also of another base: 2**x) and roots of
    x-dependent expressions in ``f`` (not x itself), smallest first, at most ``MAX_SUBSTITUTIONS``."""
    found = []
    for node in sp.preorder_traversal(f):
        if not node.has(X) or node == X or node in found:
            continue
        root = node.is_Pow and node.exp.is_Rational and not node.exp.is_integer
        exponential = node.is_Pow and node.base.is_number and node.base.is_positive  # 2**x, as exp(x)
        if isinstance(node, _INVERSE + (sp.exp,)) or root or exponential:
            found.append(node)
    rationalizing = _rationalizing(f)
    return ([rationalizing] if rationalizing is not None and rationalizing not in found else []) + \
        sorted(found, key=sp.count_ops)[:MAX_SUBSTITUTIONS - (rationalizing is not None)]


def _rationalizing(f: sp.Expr) -> sp.Expr | None:
    """x**(1/L), L the least common multiple of the denominators of the fractional powers of x
    itself in ``f`` (x**(2/3) beside x: with x = u**3 every power of x is one of u), or None (also
    when L exceeds ``MAX_ROOT_INDEX``: u**L that large only spends the engine's time)."""
    denominators = {node.exp.q for node in sp.preorder_traversal(f)
                    if node.is_Pow and node.base == X and node.exp.is_Rational and not node.exp.is_integer}
    index = sp.ilcm(1, *denominators) if denominators else 1
    return X ** sp.Rational(1, index) if 1 < index <= MAX_ROOT_INDEX else None


def in_u(f: sp.Expr, g: sp.Expr) -> sp.Expr | None:
    """``f(x) dx`` written in u = g(x), or None when x cannot be eliminated."""
    try:
        inverses = sp.solve(sp.Eq(g, _U), X)
    except (NotImplementedError, ValueError, TypeError):
        return None
    for x_of_u in inverses[:2]:
        h = f.xreplace({g: _U}).subs(X, x_of_u) * sp.diff(x_of_u, _U)
        h = sp.powdenest(sp.simplify(h), force=True)
        h = h.replace(sp.Abs, lambda a: a)  # the principal branch: |sin(u)| = sin(u) for acos
        h = h.replace(_inverse_of_its_function, lambda e: e.args[0].args[0])  # acos(cos(u)) = u
        if not h.has(X) and h.has(_U):
            return h
    return None


def _inverse_of_its_function(e: sp.Expr) -> bool:
    return isinstance(e, (sp.acos, sp.asin, sp.atan)) and e.args[0].func in (sp.cos, sp.sin, sp.tan)


def solve(kind: str, question: sp.Expr, seconds: float) -> list[str] | None:
    """The engine: FriCAS's integral of the integrand in each u, written back in x (SymPy text);
    a first-order ODE by its textbook substitutions (``ode_substitution``), a second-order one by
    reduction of order (``ode_reduction``)."""
    if kind == "ode1":
        from symseq.solve.engines import ode_substitution

        return ode_substitution.solve(kind, question, seconds)
    if kind == "ode2":
        from symseq.solve.engines import ode_reduction

        return ode_reduction.solve(kind, question, seconds)
    # parameters (a, b, ...) stay symbols: FriCAS integrates with them; only the name u is taken
    if kind != "integrate" or any(s.name == _U.name for s in question.free_symbols):
        return None
    from symseq.lang.parse import InputError

    deadline = time.monotonic() + seconds
    answers = []
    for g in inner_functions(question):
        if time.monotonic() >= deadline:
            break
        h = in_u(question, g)
        if h is None:
            continue
        text = cas.fricas("integrate", h.xreplace({_U: X}), deadline - time.monotonic())
        # FriCAS's answer, or its answers by case of the parameters ("cases: [H1, H2]", then each)
        for item in [text] if isinstance(text, str) else text or []:
            try:
                if item.startswith(cases.PREFIX):
                    back = [_back(one, g) for one in cases.split_list(item[len(cases.PREFIX):])]
                    answers.append(cases.case_list_text(f"[{', '.join(back)}]"))
                else:
                    answers.append(_back(item, g))
            except InputError:
                continue
        if answers:
            return answers
    return None


def _back(text: str, g: sp.Expr) -> str:
    """FriCAS's H(u) (its text, in x) written back in x: H(g(x)), as SymPy text."""
    from symseq.lang.parse import parse_answer

    return sp.sstr(parse_answer(text, {"x": X}).xreplace({X: g}))
