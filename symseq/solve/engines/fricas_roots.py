"""FriCAS's ``rootOf``: an algebraic number it names by its polynomial, written out by radicals.

FriCAS integrates log(c*(d + k/(f + g*x)**3)**q) with ``rootOf(p(%%G0), %%G0)``, a root of a cubic
whose coefficients hold the parameters, around it the log of a quadratic and an atan that belong to
a real root.  Our reader cannot build a rootOf, so the answer was lost.  ``named_roots`` replaces
every rootOf of one polynomial by each root SymPy finds by radicals (degree <= 3) that is real at a
draw of the parameters: one answer text per such root.  Each is only a proposal; the verifier
judges it at its own draws, so a root that is real at some values only is refused there.
"""

from __future__ import annotations

import re

import numpy as np
import sympy as sp

from generators.symbols import X

MAX_DEGREE = 3
MAX_ANSWERS = 3
_PLACEHOLDER = re.compile(r"%%(\w+)")


def root_of_calls(text: str) -> list[tuple[int, int, str, str]]:
    """Each ``rootOf(p, v)`` in ``text``: (start, end, p's text, v's text); [] if one is unbalanced
    or has no second argument."""
    calls, start = [], text.find("rootOf(")
    while start >= 0:
        depth, comma = 0, -1
        for end in range(start + len("rootOf("), len(text)):
            ch = text[end]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                comma = end
        else:
            return []
        if comma < 0:
            return []
        calls.append((start, end + 1, text[start + len("rootOf("):comma], text[comma + 1:end].strip()))
        start = text.find("rootOf(", end)
    return calls


def _readable(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: f"cas_root_{m.group(1)}", text)


def _real_roots(poly_text: str, var_text: str, symbols: dict[str, sp.Symbol]) -> list[sp.Expr]:
    """The roots of the polynomial by radicals that are real at a draw of the parameters."""
    from symseq.lang.assume import draw_values
    from symseq.lang.parse import parse_answer

    var = sp.Symbol(_readable(var_text))
    if not var.name.isidentifier():
        return []
    p = parse_answer(_readable(poly_text), {**symbols, var.name: var})
    numerator = sp.numer(sp.together(p))
    if numerator.has(X) or not numerator.is_polynomial(var):
        return []
    poly = sp.Poly(numerator, var)
    if not 1 <= poly.degree() <= MAX_DEGREE:
        return []
    roots = [r.replace(lambda e: e.is_Pow and not e.exp.is_integer, lambda e: sp.factor(e.base) ** e.exp)
             for r in sp.roots(poly, cubics=True, quartics=False)]  # radicands factored: k*q**3/(d*g**3)
    parameters = sorted(numerator.free_symbols - {var}, key=lambda s: s.name)
    values = draw_values(parameters, np.random.default_rng(), 1)[0] if parameters else {}
    real = []
    for r in roots:
        z = complex(sp.N(r.xreplace(values), 30))
        if abs(z.imag) <= 1e-12 * (1 + abs(z.real)):
            real.append(r)
    return real


def named_roots(text: str, question: sp.Expr) -> list[str]:
    """FriCAS's answer ``text`` (SymPy syntax) with its rootOf written by radicals: one text per
    real root (at most ``MAX_ANSWERS``); [] when it has rootOfs of more than one polynomial, or of
    one that cannot be solved by radicals, or no real root."""
    calls = root_of_calls(text)
    if not calls or len({(p, v) for _, _, p, v in calls}) != 1:
        return []
    symbols = {s.name: s for s in question.free_symbols}
    symbols["x"] = X
    answers = []
    for root in _real_roots(calls[0][2], calls[0][3], symbols)[:MAX_ANSWERS]:
        pieces, last = [], 0
        for start, end, _, _ in calls:
            pieces += [text[last:start], f"({sp.sstr(root)})"]
            last = end
        answer = "".join(pieces) + text[last:]
        if "%%" not in answer:
            answers.append(answer)
    return answers
