r"""User input -> SymPy, with one-line errors that say what is wrong.

``parse_ode(text)`` reads an ODE in y (or f): ``y'' + y = x``, ``y' = y + x``,
``f''(x) + f(x)``, or SymPy's ``Derivative(f(x), x) - f(x)`` (an expression means ``= 0``),
and returns the left-hand side minus the right-hand side in ``f(x)``, ``f'(x)``, ``f''(x)``.

``parse_integrand(text, var=None)`` accepts SymPy syntax (``x*cos(x)``, ``exp(x)/x``), common
notation (``x^2``, implicit multiplication ``2x``, ``ln``, ``arcsin``, ``e``) and LaTeX
(``\frac{1}{1+x^2}``, ``\int x e^{x} dx``; any input with a backslash or a brace, read by
SymPy's Lark LaTeX parser), written in the project's real variable ``x`` whatever the user's
was.  Errors are ``InputError`` (a ``ValueError``) with a message fit for one line: syntax
errors, unknown functions, several free variables without ``var``, input too long.

Security model.  Untrusted text is never evaluated as Python: it is screened (characters that
can occur in a formula, no ``__``, a length cap, calls only of known function names), tokenized,
and built by ``symseq.lang.safe_eval`` from an explicit namespace (no builtins, no attribute access,
numeric powers capped).  ``parse_answer`` reads an engine's answer (SymPy syntax) the same way.
Time and memory: callers that handle untrusted input run these functions through ``in_sandbox``
(a child process under a hard wall-clock and memory limit; LaTeX is parsed by SymPy's Lark
grammar there too), so ``2^{10^{100}}`` or a slow simplification ends at the caller's budget
with an ``InputError``.
"""

from __future__ import annotations

import re
import string
import tokenize

import sympy as sp
from sympy.core.function import AppliedUndef

from generators.symbols import X
from generators.functions import LC_EXTRA, SPECIAL
from symseq.lang import grammar, safe_eval
from symseq.lang.latex import LatexError, read_latex

MAX_INPUT_CHARS = 2000
_ALLOWED = set(string.ascii_letters + string.digits + " \t+-*/^().,_")
_ODE_ALLOWED = _ALLOWED | {"'", "="}

# Names a user may write, mapped to SymPy (the grammar's functions plus common spellings).
_FUNCTIONS = {**{name: fn for name, fn in grammar.UNARY_FUNCTIONS.items()},
              "ln": sp.log, "Abs": sp.Abs, "arcsin": sp.asin, "arccos": sp.acos,
              "arctan": sp.atan, "arccot": sp.acot, "arcsec": sp.asec, "arccsc": sp.acsc,
              "arsinh": sp.asinh, "arcosh": sp.acosh, "artanh": sp.atanh,
              "arcsinh": sp.asinh, "arccosh": sp.acosh, "arctanh": sp.atanh,
              # the special functions (generators.functions.SPECIAL): evaluated by mpmath; the
              # engines carry them, the model's vocabulary does not
              **{name: row.sympy for name, row in SPECIAL.items()},
              # sech, csch, acoth, asech, acsch: evaluable and known to the engines, not the model's
              **{name: row.sympy for name, row in LC_EXTRA.items()}}
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
        return  # the parser reports the syntax error
    for tok, nxt in zip(tokens, tokens[1:]):
        if tok.type == tokenize.NAME and nxt.string == "(" and len(tok.string) > 1 \
                and tok.string not in known and tok.string not in _CONSTANTS:
            raise InputError(f"unknown function {tok.string!r}; known: {', '.join(sorted(known))}")


def parse_expression(text: str, extra: dict | None = None) -> sp.Expr:
    """Parse without fixing the variable (symbols stay as written, plain SymPy symbols).

    Nothing is evaluated as Python: ``safe_eval`` builds the tree from an explicit namespace
    (the grammar's functions, their common spellings, ``pi``, ``e``, ``I`` and ``extra``)."""
    extra = extra or {}
    text = _screen(text, calls={**_FUNCTIONS, **extra})
    names = {**_FUNCTIONS, **_CONSTANTS, **extra}
    try:
        expr = safe_eval.build(safe_eval.to_source(text, names), names)
    except safe_eval.UnsafeExpressionError as err:
        raise InputError(f"cannot parse {text!r}: {err}") from None
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, OverflowError) as err:
        raise InputError(f"cannot parse {text!r}: {type(err).__name__}: {err}") from None
    except RecursionError:
        raise InputError(f"cannot parse {text!r}: expression too deeply nested") from None
    if not isinstance(expr, sp.Expr):
        raise InputError(f"{text!r} is not an expression")
    unknown = sorted({f.func.__name__ for f in expr.atoms(AppliedUndef)} - set(extra))
    if unknown:
        raise InputError(f"unknown function {unknown[0]!r}; known: {', '.join(sorted(_FUNCTIONS))}")
    return expr


# Functions an engine's answer may hold (SymPy's printing of integrate/dsolve results): the
# grammar's functions and the special functions and conditions SymPy writes.  The verifier
# decides what it can check; this table only decides what can be *read*.
_ANSWER_NAMES = {**_FUNCTIONS, **_CONSTANTS,
                 **{name: getattr(sp, name) for name in (
                     "sqrt", "exp", "log", "Abs", "sign", "re", "im", "arg", "conjugate",
                     "Heaviside", "DiracDelta", "floor",
                     "ceiling", "Piecewise", "Integral", "Derivative", "Eq", "Ne", "And", "Or",
                     "Not", "Min", "Max", "exp_polar", "oo", "zoo", "nan", "pi", "E", "I")},
                 **{name: row.sympy for name, row in LC_EXTRA.items()},  # sech, acoth, ...
                 "true": sp.true, "false": sp.false, "True": sp.true, "False": sp.false,
                 # spellings of the CAS engines (symseq.solve.engines.cas maps their names here)
                 "cas_gamma": lambda *a: sp.gamma(*a) if len(a) == 1 else sp.uppergamma(*a),
                 "cas_dilog": lambda z: sp.polylog(2, 1 - z), "cas_e1": lambda z: sp.expint(1, z),
                 "cas_ellipticF": lambda z, m: sp.elliptic_f(sp.asin(z), m),
                 "cas_ellipticE": lambda z, m: sp.elliptic_e(sp.asin(z), m),
                 "cas_ellipticPi": lambda z, n, m: sp.elliptic_pi(n, sp.asin(z), m), "atan2": sp.atan2}
_ANSWER_ALLOWED = _ALLOWED | set("<>=&|~")


def parse_answer(text: str, symbols: dict[str, sp.Symbol]) -> sp.Expr:
    """An engine's answer written in SymPy syntax (``sstr`` output), read without evaluation.

    ``symbols`` maps names to the project's symbols (x, c1, c2); other names become plain symbols."""
    if len(text) > safe_eval.MAX_CHARS:
        raise InputError(f"answer too long ({len(text)} characters)")
    bad = sorted(set(text) - _ANSWER_ALLOWED)
    if bad:
        raise InputError(f"unexpected character {bad[0]!r} in the answer")
    names = {**_ANSWER_NAMES, **symbols}
    try:
        expr = safe_eval.build(safe_eval.to_source(text, names, safe_eval.EXPLICIT_TRANSFORMS), names,
                               relations=True)
    except safe_eval.UnsafeExpressionError as err:
        raise InputError(f"cannot read the answer: {err}") from None
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, OverflowError,
            RecursionError) as err:
        raise InputError(f"cannot read the answer: {type(err).__name__}") from None
    if not isinstance(expr, sp.Expr):
        raise InputError("the answer is not an expression")
    return expr


def parse_latex_expression(text: str, definite: bool = False) -> tuple[sp.Expr, str | None, tuple | None]:
    """A LaTeX formula, the variable of ``\\int ... dx`` if it is an integral, and (with
    ``definite``) the bounds of ``\\int_a^b`` (else None; bounds are refused without it)."""
    text = text.strip()
    if len(text) > MAX_INPUT_CHARS:
        raise InputError(f"expression too long ({len(text)} characters; the limit is {MAX_INPUT_CHARS})")
    try:
        expr = read_latex(text)
    except LatexError as err:
        raise InputError(str(err)) from None
    var, bounds = None, None
    if isinstance(expr, sp.Integral):
        limits = expr.limits
        if len(limits) != 1 or len(limits[0]) not in ((1, 3) if definite else (1,)):
            raise InputError("only integrals in one variable are supported" if len(limits) != 1 else
                             "a definite integral: ask for it with integrate --from A --to B")
        var = limits[0][0].name
        bounds = tuple(limits[0][1:]) or None
        expr = expr.function
    if not isinstance(expr, sp.Expr):
        raise InputError(f"{text!r} is not an expression")
    expr = expr.subs(sp.Symbol("e"), sp.E)
    unknown = sorted({f.func.__name__ for f in expr.atoms(AppliedUndef)})
    if unknown:
        raise InputError(f"unknown function {unknown[0]!r}")
    _check_supported(expr)
    return expr, var, bounds


_SUPPORTED_FUNCTIONS = set(_FUNCTIONS.values())


MAX_INTEGER_DIGITS = 2000


def _check_supported(expr: sp.Expr) -> None:
    """Only finite numbers of sane size, symbols, + * ** and the grammar's functions (LaTeX can
    also write sums, limits, factorials, derivatives, infinities, 2^{2^{2^{2^2}}}...)."""
    if expr.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise InputError("an infinity or an undefined value (like x/0) in the input")
    for node in sp.preorder_traversal(expr):
        if node.is_Integer and abs(int(node)).bit_length() > 3.33 * MAX_INTEGER_DIGITS:
            raise InputError(f"number too large (more than {MAX_INTEGER_DIGITS} digits)")
        if node.is_Atom or isinstance(node, (sp.Add, sp.Mul, sp.Pow)):
            continue
        if type(node) not in _SUPPORTED_FUNCTIONS:
            raise InputError(f"unsupported in an integrand: {type(node).__name__}")


def _is_latex(text: str) -> bool:
    return "\\" in text or "{" in text


def parse_integrand(text: str, var: str | None = None, assume: str | dict | None = None) -> tuple[sp.Expr, sp.Symbol]:
    """The integrand in ``X``, and the user's variable (to write the answer back in it).  Other
    symbols are parameters, with the assumptions of ``symseq.lang.assume`` (``assume``: the
    user's statements, or their parsed form)."""
    from symseq.lang.assume import parameter_symbols, parse_assumptions

    if _is_latex(text):
        expr, int_var, _ = parse_latex_expression(text)
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
    elif len(free) > 1:
        user_var = next((s for s in free if s.name == "x"), None)
        if user_var is None:
            raise InputError(f"several variables ({', '.join(s.name for s in free)}) and none is x: "
                             "choose one with --var (the others are parameters)")
    else:
        user_var = free[0] if free else sp.Symbol("x")
    names = [s.name for s in free if s != user_var]
    if X.name in names or set(names) & {"oo", "zoo", "nan", "inf", "infinity"}:
        raise InputError(f"{sorted(set(names) & {'x', 'oo', 'zoo', 'nan', 'inf', 'infinity'})[0]} cannot be a parameter")
    symbols = parameter_symbols(names, assume if isinstance(assume, dict) else parse_assumptions(assume))
    return expr.xreplace({user_var: X, **{s: symbols[s.name] for s in free if s != user_var}}), user_var


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
    from generators.symbols import F, F1, F2

    text = _screen(text, allowed=_ODE_ALLOWED, calls={"Derivative": None, "f": None, **_FUNCTIONS})
    if applied := re.search(r"\b[yf]'*\(\s*(?!x\s*\))[^()]*\)", text):  # y(2), y'(0), y(x + 1)
        where = applied.group(0)
        raise InputError(f"the unknown function may only appear as y, y', y'' of x (got {where})"
                         if re.search(r"\b[xyf]\b", where[where.index("("):]) else
                         f"{where} is a value at a point: conditions go in --ics \"{where} = ...\"")
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
    bad_calls = [a for a in expr.atoms(AppliedUndef) if a != F(x_user)]
    if bad_calls:
        raise InputError(f"the unknown function may only appear as y, y', y'' of x (got {bad_calls[0]})")
    expr = expr.subs(x_user, X).doit()
    order = 2 if expr.has(F2) else 1 if expr.has(F1) else 0
    if order == 0:
        raise InputError("no derivative of y (or f) in the equation")
    bad = [d for d in expr.atoms(sp.Derivative) if d not in (F1, F2)]
    if bad:
        raise InputError(f"unsupported derivative {bad[0]} (only y' and y'')")
    return expr, order


PARSE_MEMORY_MB = 2048  # headroom above the process's current size for reading one input


def in_sandbox(fn, *args, timeout: float, memory_mb: int = PARSE_MEMORY_MB):
    """``fn(*args)`` in a sandboxed child process under ``timeout`` seconds and ``memory_mb`` of
    headroom; every failure (bad input, time, memory, crash) is an ``InputError``."""
    from symseq.sandbox import Status, run_in_sandbox

    out = run_in_sandbox(_call_catching_input_errors, (fn, args), timeout=max(timeout, 0.05),
                         memory_mb=_current_memory_mb() + memory_mb)
    if out.status is Status.TIMEOUT:
        raise InputError(f"reading the input took longer than the time limit ({timeout:g} s)")
    if out.status is Status.CRASH or (out.error or "").startswith("MemoryError"):
        raise InputError("the input needs more memory than allowed to read; is it too large?")
    if out.status is Status.ERROR:
        raise InputError(f"cannot read the input: {(out.error or '').split(' at ')[0]}")
    kind, value = out.value
    if kind == "error":
        raise InputError(value)
    return value


def _call_catching_input_errors(job):
    fn, args = job
    try:
        return "ok", fn(*args)
    except InputError as err:
        return "error", str(err)
    except RecursionError:
        return "error", "expression too deeply nested"


def _current_memory_mb() -> int:
    """This process's address-space size (the child starts as a copy of it)."""
    try:
        with open("/proc/self/status") as fh:
            return next((int(line.split()[1]) // 1024 for line in fh if line.startswith("VmSize:")), 0)
    except (OSError, ValueError, IndexError):
        return 0
