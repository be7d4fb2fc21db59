"""A definite integral from an antiderivative that jumps inside the interval: the fundamental
theorem piece by piece.

``sqrt(1 + sin(2*x))`` on [0, pi]: the antiderivative FriCAS finds, verified, jumps at 3*pi/4
(where ``sin(2*x) + cos(2*x) + 1`` vanishes), and ``F(pi) - F(0)`` is wrong.  On each piece
between such points F is an antiderivative, so the integral is the sum over the pieces of the
one-sided limits, ``F(b-) - F(a+) - sum over c of (F(c+) - F(c-))``.  The points c are found
where the jump test breaks the grid of (a, b), and taken exactly from the zeros in [a, b] of
what makes F singular (denominators, arguments of log, tan's poles): one exact zero per break
or no value.  The value is then held to the same agreement with quadrature as every other.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from generators.symbols import X

MAX_BREAKS = 8  # more breaks than this in [a, b]: no value from here


def singular_expressions(F: sp.Expr) -> list[sp.Expr]:
    """Expressions in x whose zeros may be points where F jumps or is undefined."""
    found = []
    for node in sp.preorder_traversal(F):
        g = None
        if node.is_Pow and node.exp.is_negative:
            g = node.base
        elif isinstance(node, sp.log):
            g = node.args[0]
        elif isinstance(node, (sp.tan, sp.sec)):
            g = sp.cos(node.args[0])
        elif isinstance(node, (sp.cot, sp.csc)):
            g = sp.sin(node.args[0])
        if g is not None and g.has(X) and g not in found:
            found.append(g)
    return found


def exact_zeros(F: sp.Expr, a: sp.Expr, b: sp.Expr) -> list[sp.Expr]:
    """The zeros in [a, b] of ``singular_expressions(F)`` that SymPy finds as a finite set."""
    zeros: list[sp.Expr] = []
    for g in singular_expressions(F):
        try:
            found = sp.solveset(g, X, sp.Interval(a, b))
        except Exception:  # noqa: BLE001 -- solveset raises many kinds: that expression is skipped
            continue
        if isinstance(found, sp.FiniteSet):
            zeros += [z for z in found if z.is_real and z not in zeros]
    return zeros


def breaks_of(flags: np.ndarray, xs: np.ndarray) -> list[tuple[float, float]]:
    """Runs of broken neighbouring pairs of the grid ``xs`` as brackets (lo, hi)."""
    out: list[tuple[float, float]] = []
    for j in np.flatnonzero(flags):
        lo, hi = float(xs[j]), float(xs[j + 1])
        if out and out[-1][1] == lo:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def break_points(F: sp.Expr, a: sp.Expr, b: sp.Expr, brackets: list) -> list[sp.Expr] | None:
    """One exact point per bracket (a zero of what makes F singular inside it), or None."""
    if len(brackets) > MAX_BREAKS:
        return None
    zeros = [(z, float(z)) for z in exact_zeros(F, a, b)]
    points = []
    for lo, hi in brackets:
        inside = [z for z, v in zeros if lo - 1e-9 <= v <= hi + 1e-9]
        if len(inside) != 1:
            return None
        points.append(inside[0])
    return points


def value_by_pieces(F: sp.Expr, a: sp.Expr, b: sp.Expr, points: list[sp.Expr]) -> sp.Expr | None:
    """``F(b-) - F(a+) - sum (F(c+) - F(c-))`` by SymPy's limits (None if one is not found)."""
    def lim(at, side):
        return sp.limit(F, X, at) if at in (sp.oo, -sp.oo) else sp.limit(F, X, at, side)

    total = lim(b, "-") - lim(a, "+")
    for c in points:
        total -= lim(c, "+") - lim(c, "-")
    return None if total.has(sp.Limit) else total
