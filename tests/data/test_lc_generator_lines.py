"""Lines exactly as Lample & Charton's generator exports them (data.prefix, no COUNT| prefix;
ODE constants a8/a9), as seen in a sample made with their code."""

import sympy as sp

from generators.symbols import C1, F0, F1, X
from symseq.data.lc_format import convert_line
from symseq.lang.prefix import from_prefix


def test_their_ode1_export_line():
    line = "add mul INT+ 4 Y' add mul pow x INT+ 2 Y' mul INT- 2 mul x Y\tmul a8 add INT+ 4 pow x INT+ 2"
    ex = convert_line(line, "ode1")
    assert from_prefix(ex.question) == 4 * F1 + X**2 * F1 - 2 * X * F0
    assert from_prefix(ex.answer) == C1 * (4 + X**2)
    # and the pair is right: y = c1 (4 + x^2) solves (4 + x^2) y' = 2 x y
    y = from_prefix(ex.answer)
    assert sp.simplify(from_prefix(ex.question).subs({F1: sp.diff(y, X), F0: y})) == 0
