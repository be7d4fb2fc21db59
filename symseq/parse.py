r"""User input -> SymPy, with one-line errors that say what is wrong.

``parse_ode(text)`` reads an ODE in y (or f): ``y'' + y = x``, ``y' = y + x``,
``f''(x) + f(x)``, or SymPy's ``Derivative(f(x), x) - f(x)`` (an expression means ``= 0``),
and returns the left-hand side minus the right-hand side in ``f(x)``, ``f'(x)``, ``f''(x)``.

``parse_integrand(text, var=None)`` accepts SymPy syntax (``x*cos(x)``, ``exp(x)/x``), common
notation (``x^2``, implicit multiplication ``2x``, ``ln``, ``arcsin``, ``e``) and LaTeX
(``\frac{1}{1+x^2}``, ``\int x e^{x} dx``; any input with a backslash or a brace, read by
SymPy's Lark LaTeX parser).  The result is written in the project's real variable ``x`` (``generators.symbols.X``) whatever the user's
variable was.  Errors are ``InputError`` (a ``ValueError``) with a message fit for one line:
syntax errors, unknown functions, several free variables without ``var``, input too long.

Input is screened before SymPy sees it: only characters that can occur in a formula are
allowed, and no ``__``, so ``parse_expr``'s evaluation cannot be used to run code.
"""

from __future__ import annotations

import string
import tokenize

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.sympy_parser import (convert_xor, function_exponentiation, implicit_application,
                                        implicit_multiplication, parse_expr,
                                        standard_transformations)

from generators.symbols import X
from symseq import grammar

MAX_INPUT_CHARS = 2000
_ALLOWED = set(string.ascii_letters + string.digits + " \t+-*/^().,_")
_ODE_ALLOWED = _ALLOWED | {"'", "="}
# implicit multiplication and application, but no splitting of names: "foo(x)" stays an
# (unknown) function instead of becoming f*o*o*x
_TRANSFORMS = standard_transformations + (convert_xor, implicit_multiplication,
                                          implicit_application, function_exponentiation)
MAX_NUMERIC_EXPONENT = 1000

# Names a user may write, mapped to SymPy (the grammar's functions plus common spellings).
_FUNCTIONS = {**{name: fn for name, fn in grammar.UNARY_FUNCTIONS.items()},
              "ln": sp.log, "Abs": sp.Abs, "arcsin": sp.asin, "arccos": sp.acos,
              "arctan": sp.atan, "arccot": sp.acot, "arcsec": sp.asec, "arccsc": sp.acsc,
              "arsinh": sp.asinh, "arcosh": sp.acosh, "artanh": sp.atanh,
              "arcsinh": sp.asinh, "arccosh": sp.acosh, "arctanh": sp.atanh}
_CONSTANTS = {"pi": sp.pi, "E": sp.E, "e": sp.E, "I": sp.I}


class InputError(ValueError):
    """Input that cannot be turned into a supported expression."""


def _screen(text: str, allowed: set = _ALLOWED, calls: dict | None = None) -> str:
    text = text.strip()
    if not text:
        raise InputError("empty expression")
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(f"expression too long ({len(text)} characters; the limit is {MAX_INPUT_CHARS})")
    bad = sorted(set(text) - allowed)
    if bad:
        raise InputError(f"unexpected character {bad[0]!r} in {text!r}")
    if "__" in text:
        raise InputError("'__' is not allowed in an expression")
    _check_function_names(text, calls or _FUNCTIONS)
    return text


def _check_function_names(text: str, known: dict) -> None:
    """A name written as a call, foo(x), must be a known function.

    One-letter names and constants are variables times a bracket: x(x + 1), pi(x + 1)."""
    import io

    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return  # parse_expr reports the syntax error
    for tok, nxt in zip(tokens, tokens[1:]):
        if tok.type == tokenize.NAME and nxt.string == "(" and len(tok.string) > 1 \
                and tok.string not in known and tok.string not in _CONSTANTS:
            raise InputError(f"unknown function {tok.string!r}; known: {', '.join(sorted(known))}")


def parse_expression(text: str, extra: dict | None = None) -> sp.Expr:
    """Parse without fixing the variable (symbols stay as written, plain SymPy symbols)."""
    extra = extra or {}
    text = _screen(text, calls={**_FUNCTIONS, **extra})
    local = {**_FUNCTIONS, **_CONSTANTS, **extra}
    try:
        raw = parse_expr(text, local_dict=local, transformations=_TRANSFORMS, evaluate=False)
        _check_powers(raw)
        expr = parse_expr(text, local_dict=local, transformations=_TRANSFORMS, evaluate=True)
    except InputError:
        raise
    except (SyntaxError, TypeError, IndexError, tokenize.TokenError) as err:
        raise InputError(f"cannot parse {text!r}: {type(err).__name__}") from None
    except (ValueError, AttributeError, ZeroDivisionError, OverflowError, RecursionError) as err:
        raise InputError(f"cannot parse {text!r}: {err}") from None
    if not isinstance(expr, sp.Expr):
        raise InputError(f"{text!r} is not an expression")
    unknown = sorted({f.func.__name__ for f in expr.atoms(AppliedUndef)} - set(extra))
    if unknown:
        raise InputError(f"unknown function {unknown[0]!r}; known: {', '.join(sorted(_FUNCTIONS))}")
    return expr


def _check_powers(expr: sp.Basic) -> None:
    """Refuse numeric powers SymPy would spend minutes evaluating (9^9^9)."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.base.is_number and node.exp.is_number:
            try:
                size = abs(complex(node.exp.evalf(15)))
            except (OverflowError, TypeError, ValueError):
                size = float("inf")
            if size > MAX_NUMERIC_EXPONENT:
                raise InputError(f"number too large: {node} (exponents above "
                                 f"{MAX_NUMERIC_EXPONENT} are refused)")


def parse_latex_expression(text: str) -> tuple[sp.Expr, str | None]:
    """A LaTeX formula, and the variable of ``\\int ... dx`` if it is an integral."""
    text = text.strip()
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(f"expression too long ({len(text)} characters; the limit is {MAX_INPUT_CHARS})")
    try:
        from sympy.parsing.latex import parse_latex

        expr = parse_latex(text, backend="lark")
    except ImportError:
        raise InputError("LaTeX input needs the 'lark' package (pip install lark)") from None
    except Exception as err:  # the Lark parser raises many unrelated types; all mean bad input
        raise InputError(f"cannot parse LaTeX {text!r}: {type(err).__name__}") from None
    var = None
    if isinstance(expr, sp.Integral):
        if len(expr.limits) != 1 or len(expr.limits[0]) != 1:
            raise InputError("only indefinite integrals in one variable are supported")
        var = expr.limits[0][0].name
        expr = expr.function
    if not isinstance(expr, sp.Expr):
        raise InputError(f"{text!r} is not an expression")
    expr = expr.subs(sp.Symbol("e"), sp.E)
    unknown = sorted({f.func.__name__ for f in expr.atoms(AppliedUndef)})
    if unknown:
        raise InputError(f"unknown function {unknown[0]!r}")
    return expr, var


def _is_latex(text: str) -> bool:
    return "\\" in text or "{" in text


def parse_integrand(text: str, var: str | None = None) -> tuple[sp.Expr, sp.Symbol]:
    """The integrand in ``X``, and the user's variable (to write the answer back in it)."""
    if _is_latex(text):
        expr, int_var = parse_latex_expression(text)
        var = var or int_var
    else:
        expr = parse_expression(text)
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    if var is not None:
        if not var.isidentifier():
            raise InputError(f"--var must be a name (got {var!r})")
        matches = [s for s in free if s.name == var]
        if not matches:
            raise InputError(f"the expression does not contain the variable {var!r}")
        user_var = matches[0]
        others = [s.name for s in free if s != user_var]
        if others:
            raise InputError(f"besides {var} the expression holds {', '.join(others)}; "
                             "only one variable is supported")
    elif len(free) > 1:
        raise InputError(f"several variables ({', '.join(s.name for s in free)}): "
                         "choose one with --var")
    else:
        user_var = free[0] if free else sp.Symbol("x")
    return expr.xreplace({user_var: X}), user_var


_ODE_NAMES = {"fY0": None, "fY1": None, "fY2": None}


def _rewrite_unknown(text: str) -> str:
    """y, y', y'' (or f, f(x), f'(x), ...) -> the names fY0, fY1, fY2; other text unchanged."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "yf" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            j = i + 1
            primes = 0
            while j < n and text[j] == "'":
                primes += 1
                j += 1
            k = j
            if text[k:k + 3] == "(x)":
                k += 3
            if k >= n or not (text[k].isalnum() or text[k] in "_("):
                if primes > 2:
                    raise InputError("only first and second derivatives are supported")
                out.append(f"fY{primes}")
                i = k
                continue
        if ch == "'":
            raise InputError(f"unexpected ' at position {i + 1}")
        out.append(ch)
        i += 1
    return "".join(out)


def parse_ode(text: str) -> tuple[sp.Expr, int]:
    """An ODE as lhs - rhs in f(x), f'(x), f''(x), and its order (1 or 2)."""
    from generators.symbols import F, F0, F1, F2

    text = _screen(text, allowed=_ODE_ALLOWED, calls={"Derivative": None, "f": None, **_FUNCTIONS})
    if text.count("=") > 1:
        raise InputError("an equation has at most one '='")
    sides = text.split("=")
    if any(not side.strip() for side in sides):
        raise InputError("empty side of the equation")
    x_user = sp.Symbol("x")
    extra = {"fY0": F(x_user), "fY1": sp.Derivative(F(x_user), x_user),
             "fY2": sp.Derivative(F(x_user), (x_user, 2)), "Derivative": sp.Derivative, "f": F,
             "x": x_user}
    parts = [parse_expression(_rewrite_unknown(side), extra) for side in sides]
    expr = parts[0] - parts[1] if len(parts) == 2 else parts[0]
    others = sorted(s.name for s in expr.free_symbols if s != x_user)
    if others:
        raise InputError(f"the equation holds symbols other than x: {', '.join(others)}")
    expr = expr.subs(x_user, X).doit()
    order = 2 if expr.has(F2) else 1 if expr.has(F1) else 0
    if order == 0:
        raise InputError("no derivative of y (or f) in the equation")
    bad = [d for d in expr.atoms(sp.Derivative) if d not in (F1, F2)]
    if bad:
        raise InputError(f"unsupported derivative {bad[0]} (only y' and y'')")
    return expr, order
