"""LaTeX text to a SymPy object with SymPy's Lark grammar, around two gaps in it (SymPy 1.14):

* it has no ``\\pi``: ``\\pi`` stands in as a capital letter the text does not use, replaced by
  pi after parsing;
* it cannot read a product of a power or a bracket with a function (``x^2 \\sin x``,
  ``e^{x} \\cos(x)``, ``(x+1) \\ln(x)``): when the text as given fails, it is tried again with
  ``\\cdot`` written in.

``read_latex(text)`` returns the parsed object or raises ``LatexError`` with a one-line reason;
``symseq.lang.parse`` checks what the expression may contain.
"""

from __future__ import annotations

import re

import sympy as sp

_PI = re.compile(r"\\pi(?![A-Za-z])")
_PRODUCT = re.compile(r"([)}\]0-9A-Za-z])\s*(\\(?:sin|cos|tan|cot|sec|csc|sinh|cosh|tanh|coth|arcsin|arccos|"
                      r"arctan|ln|log|exp|sqrt|frac)(?![A-Za-z]))")
_STAND_INS = "QPRSTUVWZ"


class LatexError(ValueError):
    """LaTeX that cannot be read (the message is one line for the user)."""


def read_latex(text: str) -> sp.Basic:
    try:
        from sympy.parsing.latex import parse_latex
    except ImportError:
        raise LatexError("LaTeX input needs the 'lark' package (pip install lark)") from None
    stand_in = next((c for c in _STAND_INS if c not in text), None)
    latex = _PI.sub(f" {stand_in} ", text) if stand_in else text
    try:
        expr = parse_latex(latex, backend="lark")
    except Exception as err:  # the Lark parser raises many unrelated types; all mean bad input
        spelled = _PRODUCT.sub(r"\1 \\cdot \2", latex)
        try:
            expr = parse_latex(spelled, backend="lark") if spelled != latex else None
        except Exception:  # noqa: BLE001 -- the original error is the one to report
            expr = None
        if expr is None:
            raise LatexError(f"cannot parse LaTeX {text!r}: {type(err).__name__}") from None
    if not isinstance(expr, sp.Basic):  # a bare parse tree for what the grammar cannot build (\sinh)
        raise LatexError(f"cannot read LaTeX {text!r}")
    return expr.xreplace({sp.Symbol(stand_in): sp.pi}) if stand_in else expr
