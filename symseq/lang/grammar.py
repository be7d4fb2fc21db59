"""The single operator/leaf table of the prefix language.

Every token the models read or write is declared here, once:

* ``OPERATORS``: token -> (SymPy constructor, arity).  ``add``/``mul``/``pow`` are SymPy's own
  Add/Mul/Pow (n-ary Add and Mul are folded to binary nodes); subtraction and division are
  written as SymPy represents them (``x - y`` is ``add x mul INT- 1 y``, ``1/x`` is
  ``pow x INT- 1``).  ``div`` only ever encodes a rational number ``p/q`` (but decodes any
  quotient, so every token sequence with the right arities means something).
* ``LEAVES``: token -> SymPy atom: the variable ``x``, the constants ``pi``, ``E``, ``I``, the ODE
  integration constants ``c1``, ``c2``, and the unknown function of an ODE with its first two
  derivatives (``f``, ``f'``, ``f''`` stand for ``f(x)``, ``f'(x)``, ``f''(x)``).
* Integers: a sign token (``INT+``/``INT-``) followed by one or more base-10 digit tokens.

To add a function: add its row to ``generators/functions.py`` (the one function table); its
token here, the vocabulary, the codec, the decoder's arity constraints, the evaluators, the
random trees and the parsers all follow.
"""

from __future__ import annotations

import sympy as sp

from generators.functions import FUNCTIONS
from generators.symbols import C1, C2, F0, F1, F2, X  # noqa: F401  (re-exported)

INT_POS = "INT+"
INT_NEG = "INT-"
DIGITS = tuple(str(d) for d in range(10))

BINARY_OPERATORS: dict[str, object] = {
    "add": sp.Add,
    "mul": sp.Mul,
    "pow": sp.Pow,
    "div": lambda a, b: a / b,
}

# exp, log, sqrt, then the rest of the function table in its order (the vocabulary's order).
UNARY_FUNCTIONS: dict[str, type] = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,  # encodes Pow(a, 1/2)
    **{name: row.sympy for name, row in FUNCTIONS.items()},
}

OPERATORS: dict[str, tuple[object, int]] = {
    **{tok: (fn, 2) for tok, fn in BINARY_OPERATORS.items()},
    **{tok: (fn, 1) for tok, fn in UNARY_FUNCTIONS.items()},
}

LEAVES: dict[str, sp.Expr] = {
    "x": X,
    "pi": sp.pi,
    "E": sp.E,
    "I": sp.I,
    "c1": C1,
    "c2": C2,
    "f": F0,
    "f'": F1,
    "f''": F2,
}

# SymPy function class -> token (sqrt is a Pow, handled by the codec).
FUNCTION_TOKENS: dict[type, str] = {
    cls: tok for tok, cls in UNARY_FUNCTIONS.items() if tok != "sqrt"
}

# Every token of the language, in a fixed order (the vocabulary is built from this).
ALL_TOKENS: tuple[str, ...] = (
    tuple(BINARY_OPERATORS)
    + tuple(UNARY_FUNCTIONS)
    + tuple(LEAVES)
    + (INT_POS, INT_NEG)
    + DIGITS
)


def arity(token: str) -> int:
    """Number of children of ``token`` (0 for leaves, sign tokens and digits)."""
    entry = OPERATORS.get(token)
    return entry[1] if entry else 0
