"""Prefix (Polish) codec: SymPy expression <-> list of tokens.

``to_prefix(expr)`` walks the SymPy tree (``expr == expr.func(*expr.args)``) and writes one token
per node, folding n-ary Add/Mul into right-nested binary nodes; integers are a sign token followed by
base-10 digits (``-12`` -> ``INT- 1 2``), rationals ``div p q``.

``from_prefix(tokens)`` is its inverse.  It never recurses (deep trees are fine) and raises
``PrefixError`` -- and only that -- on malformed input: unknown token, wrong arity, leftover
tokens, a sign without digits, digits without a sign, integer powers too large to evaluate.

Both are pure functions of their input.  The token table lives in ``symseq.lang.grammar``.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from symseq.lang import grammar as g


class PrefixError(ValueError):
    """A token sequence that is not a well-formed prefix expression."""


class UnsupportedExpressionError(ValueError):
    """A SymPy expression that the prefix language cannot represent."""


# Largest |exponent| evaluated when both base and exponent are numbers (guards 9999**99999).
MAX_NUMERIC_EXPONENT = 1000
MAX_INTEGER_DIGITS = 100
MAX_POWER_BITS = 20_000

_LEAF_BY_NAME = {"x": "x", "c1": "c1", "c2": "c2"}
_HALF = sp.Rational(1, 2)


def _int_tokens(value: int) -> list[str]:
    return [g.INT_NEG if value < 0 else g.INT_POS, *str(abs(value))]


def to_prefix(expr: sp.Basic) -> list[str]:
    """Encode ``expr`` as prefix tokens; raise UnsupportedExpressionError if it cannot be."""
    out: list[str] = []
    if isinstance(expr, str):  # text is untrusted: read it with symseq.lang.parse, never sympify it
        raise TypeError("to_prefix takes an expression, not text")
    try:
        _encode(sp.sympify(expr), out)
    except RecursionError:
        raise UnsupportedExpressionError("expression too deep to encode") from None
    return out


def _encode(e: sp.Basic, out: list[str]) -> None:
    if e.is_Integer:
        out.extend(_int_tokens(int(e)))
    elif e.is_Rational:
        out.append("div")
        out.extend(_int_tokens(int(e.p)))
        out.extend(_int_tokens(int(e.q)))
    elif e.is_Symbol:
        token = _LEAF_BY_NAME.get(e.name)
        if token is None:
            raise UnsupportedExpressionError(f"unsupported symbol {e.name!r} (only x, c1, c2)")
        out.append(token)
    elif e is sp.pi:
        out.append("pi")
    elif e is sp.E:
        out.append("E")
    elif e is sp.I:
        out.append("I")
    elif e.is_Add or e.is_Mul:
        # right-nested (a + (b + c)): rebuilding Mul(c, Mul(...)) keeps SymPy from distributing
        # a numeric coefficient over a sum, which a left-nested Mul(Mul(-1, a + b), y) would do
        op = "add" if e.is_Add else "mul"
        *init, last = e.args
        for a in init:
            out.append(op)
            _encode(a, out)
        _encode(last, out)
    elif e.is_Pow:
        base, exponent = e.args
        if exponent == _HALF:
            out.append("sqrt")
            _encode(base, out)
        else:
            out.append("pow")
            _encode(base, out)
            _encode(exponent, out)
    elif isinstance(e, AppliedUndef):
        if e.func.__name__ != "f" or len(e.args) != 1 or not _is_x(e.args[0]):
            raise UnsupportedExpressionError(f"unsupported function {e} (only f(x))")
        out.append("f")
    elif isinstance(e, sp.Derivative):
        out.append(_derivative_token(e))
    elif type(e) in g.FUNCTION_TOKENS:
        out.append(g.FUNCTION_TOKENS[type(e)])
        _encode(e.args[0], out)
    elif e.is_Float:
        raise UnsupportedExpressionError(f"floating-point number {e} (write it as a fraction)")
    else:
        name = getattr(e, "func", type(e)).__name__
        raise UnsupportedExpressionError(f"unsupported function or object {name!r} in {e}")


def _is_x(e: sp.Basic) -> bool:
    return e.is_Symbol and e.name == "x"


def _derivative_token(e: sp.Derivative) -> str:
    inner = e.expr
    if isinstance(inner, AppliedUndef) and inner.func.__name__ == "f" and len(e.variable_count) == 1:
        var, count = e.variable_count[0]
        if _is_x(var) and _is_x(inner.args[0]) and count in (1, 2):
            return "f'" if count == 1 else "f''"
    raise UnsupportedExpressionError(f"unsupported derivative {e} (only f'(x) and f''(x))")


def from_prefix(tokens: Sequence[str] | str) -> sp.Expr:
    """Decode prefix tokens (a list, or one space-separated string) into a SymPy expression."""
    if isinstance(tokens, str):
        tokens = tokens.split()
    if len(tokens) == 0:
        raise PrefixError("empty token sequence")
    try:
        return _decode(tokens)
    except RecursionError:  # SymPy's own constructors recurse on very deep trees
        raise PrefixError("expression too deep to build") from None


def _decode(tokens: Sequence[str]) -> sp.Expr:
    stack: list[sp.Expr] = []
    digits: list[str] = []  # digits seen (in reverse) since the last non-digit token
    for pos in range(len(tokens) - 1, -1, -1):
        tok = tokens[pos]
        if tok in g.DIGITS:
            digits.append(tok)
            continue
        if tok in (g.INT_POS, g.INT_NEG):
            stack.append(_make_integer(tok, digits, pos))
            digits = []
            continue
        if digits:
            raise PrefixError(f"digits without a sign token after position {pos} ({tok!r})")
        if tok in g.LEAVES:
            stack.append(g.LEAVES[tok])
            continue
        entry = g.OPERATORS.get(tok)
        if entry is None:
            raise PrefixError(f"unknown token {tok!r} at position {pos}")
        fn, n_args = entry
        if len(stack) < n_args:
            raise PrefixError(f"operator {tok!r} at position {pos} lacks arguments")
        args = [stack.pop() for _ in range(n_args)]
        if tok == "pow":
            _check_power(*args)
        stack.append(fn(*args))
    if digits:
        raise PrefixError("sequence starts with digits (missing sign token)")
    if len(stack) != 1:
        raise PrefixError(f"{len(stack) - 1} leftover subexpression(s) after the first one")
    return stack[0]


def _make_integer(sign: str, digits_reversed: list[str], pos: int) -> sp.Integer:
    if not digits_reversed:
        raise PrefixError(f"sign token {sign!r} at position {pos} has no digits")
    if len(digits_reversed) > MAX_INTEGER_DIGITS:
        raise PrefixError(f"integer at position {pos} has more than {MAX_INTEGER_DIGITS} digits")
    value = int("".join(reversed(digits_reversed)))
    return sp.Integer(-value if sign == g.INT_NEG else value)


def _check_power(base: sp.Expr, exponent: sp.Expr) -> None:
    """Refuse numeric powers whose evaluation would take SymPy minutes (9999**99999)."""
    if not (base.is_Number and exponent.is_Number):
        return
    if abs(exponent) > MAX_NUMERIC_EXPONENT:
        raise PrefixError(f"numeric power with exponent {exponent} is too large to evaluate")
    if base.is_Rational:
        bits = max(abs(int(base.p)).bit_length(), int(base.q).bit_length())
        if bits * abs(exponent) > MAX_POWER_BITS:
            raise PrefixError("numeric power too large to evaluate")


def tokens_to_str(tokens: Iterable[str]) -> str:
    return " ".join(tokens)
