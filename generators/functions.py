"""The one table of elementary functions: every unary function the project knows, once.

Each row says how the function is built (SymPy), evaluated in double precision on complex
arrays (numpy, ``symseq.numerics.numeric``) and at arbitrary precision (mpmath,
``symseq.numerics.precise``), which function undoes it (ODE constant elimination,
``generators.odes``), and its name in Lample & Charton's token format and trees.

Everything else derives from here: the prefix grammar's function tokens (``symseq.lang.grammar``),
the random trees' operators (``generators.trees``), the evaluators, the L&C importer and the
names users may type (``symseq.lang.parse``).  To add a function: add one row below (and give it
a weight in an ``ExprConfig`` if random trees should use it).  ``sqrt`` is not a row: SymPy
writes it as a power, which every table handles as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import mpmath
import numpy as np
import sympy as sp


@dataclass(frozen=True)
class Function:
    name: str  # our token, and SymPy's name
    sympy: type
    numpy: Callable  # complex128 array -> complex128 array
    mpmath: Callable  # mpc -> mpc (or mpf)
    inverse: type | None = None  # f such that f(self(y)) = y on a branch (ODE elimination)
    lc_name: str | None = None  # name in Lample & Charton's format when it differs


def _np_acot(z):
    return np.arctan(1 / z)


def _np_sign(z):
    return np.where(z == 0, 0, z / np.abs(z))


def _mp_sign(z):
    return mpmath.mpc(0) if z == 0 else z / abs(z)


_ROWS = (
    Function("exp", sp.exp, np.exp, mpmath.exp, sp.log),
    Function("log", sp.log, np.log, mpmath.log, sp.exp, lc_name="ln"),
    Function("sin", sp.sin, np.sin, mpmath.sin, sp.asin),
    Function("cos", sp.cos, np.cos, mpmath.cos, sp.acos),
    Function("tan", sp.tan, np.tan, mpmath.tan, sp.atan),
    Function("cot", sp.cot, lambda z: 1 / np.tan(z), mpmath.cot, sp.acot),
    Function("sec", sp.sec, lambda z: 1 / np.cos(z), mpmath.sec),
    Function("csc", sp.csc, lambda z: 1 / np.sin(z), mpmath.csc),
    Function("asin", sp.asin, np.arcsin, mpmath.asin, sp.sin),
    Function("acos", sp.acos, np.arccos, mpmath.acos, sp.cos),
    Function("atan", sp.atan, np.arctan, mpmath.atan, sp.tan),
    Function("acot", sp.acot, _np_acot, lambda z: mpmath.atan(1 / z), sp.cot),
    Function("asec", sp.asec, lambda z: np.arccos(1 / z), lambda z: mpmath.acos(1 / z)),
    Function("acsc", sp.acsc, lambda z: np.arcsin(1 / z), lambda z: mpmath.asin(1 / z)),
    Function("sinh", sp.sinh, np.sinh, mpmath.sinh, sp.asinh),
    Function("cosh", sp.cosh, np.cosh, mpmath.cosh, sp.acosh),
    Function("tanh", sp.tanh, np.tanh, mpmath.tanh, sp.atanh),
    Function("coth", sp.coth, lambda z: 1 / np.tanh(z), mpmath.coth),
    Function("asinh", sp.asinh, np.arcsinh, mpmath.asinh, sp.sinh),
    Function("acosh", sp.acosh, np.arccosh, mpmath.acosh, sp.cosh),
    Function("atanh", sp.atanh, np.arctanh, mpmath.atanh, sp.tanh),
    Function("abs", sp.Abs, lambda z: np.abs(z).astype(np.complex128), lambda z: mpmath.mpc(abs(z))),
    Function("sign", sp.sign, _np_sign, _mp_sign),
)

FUNCTIONS: dict[str, Function] = {row.name: row for row in _ROWS}
BY_SYMPY: dict[type, Function] = {row.sympy: row for row in _ROWS}

# Functions that occur in Lample & Charton's data but not in our grammar (their import reports
# such lines as unsupported); the evaluators know them too.
LC_EXTRA: dict[str, Function] = {row.name: row for row in (
    Function("sech", sp.sech, lambda z: 1 / np.cosh(z), mpmath.sech),
    Function("csch", sp.csch, lambda z: 1 / np.sinh(z), mpmath.csch),
    Function("acoth", sp.acoth, lambda z: np.arctanh(1 / z), lambda z: mpmath.atanh(1 / z)),
    Function("asech", sp.asech, lambda z: np.arccosh(1 / z), lambda z: mpmath.acosh(1 / z)),
    Function("acsch", sp.acsch, lambda z: np.arcsinh(1 / z), lambda z: mpmath.asinh(1 / z)),
)}

EVALUABLE: dict[type, Function] = {**BY_SYMPY, **{row.sympy: row for row in LC_EXTRA.values()}}


def lc_name(row: Function) -> str:
    """The function's name in Lample & Charton's format (and in our random-tree operators)."""
    return row.lc_name or row.name


# ------------------------------------------------------------------------- special functions
# Functions that answers (and questions) may hold beyond the elementary ones: built by SymPy,
# evaluated with mpmath (at double precision for the screens, at any precision for the verifier),
# differentiated by SymPy.  The model's vocabulary does not hold them: engines carry them.
# ``arities``: the argument counts SymPy's class takes, in its argument order.


@dataclass(frozen=True)
class SpecialFunction:
    name: str  # SymPy's name, which users type too
    sympy: type
    arities: tuple[int, ...]
    mpmath: Callable  # mpmath numbers (SymPy's argument order) -> mpmath number
    about: str  # one line, for help texts


def _lambertw(z, k=0):
    return mpmath.lambertw(z, int(mpmath.re(k)))


_SPECIAL_ROWS = (
    SpecialFunction("erf", sp.erf, (1,), mpmath.erf, "error function"),
    SpecialFunction("erfc", sp.erfc, (1,), mpmath.erfc, "complementary error function"),
    SpecialFunction("erfi", sp.erfi, (1,), mpmath.erfi, "imaginary error function"),
    SpecialFunction("Ei", sp.Ei, (1,), mpmath.ei, "exponential integral"),
    SpecialFunction("expint", sp.expint, (2,), mpmath.expint, "generalized exponential integral E_n"),
    SpecialFunction("li", sp.li, (1,), mpmath.li, "logarithmic integral"),
    SpecialFunction("Si", sp.Si, (1,), mpmath.si, "sine integral"),
    SpecialFunction("Ci", sp.Ci, (1,), mpmath.ci, "cosine integral"),
    SpecialFunction("Shi", sp.Shi, (1,), mpmath.shi, "hyperbolic sine integral"),
    SpecialFunction("Chi", sp.Chi, (1,), mpmath.chi, "hyperbolic cosine integral"),
    SpecialFunction("fresnels", sp.fresnels, (1,), mpmath.fresnels, "Fresnel integral S"),
    SpecialFunction("fresnelc", sp.fresnelc, (1,), mpmath.fresnelc, "Fresnel integral C"),
    SpecialFunction("gamma", sp.gamma, (1,), mpmath.gamma, "gamma function"),
    SpecialFunction("uppergamma", sp.uppergamma, (2,), lambda a, z: mpmath.gammainc(a, z),
                    "upper incomplete gamma function"),
    SpecialFunction("lowergamma", sp.lowergamma, (2,), lambda a, z: mpmath.gammainc(a, 0, z),
                    "lower incomplete gamma function"),
    SpecialFunction("polylog", sp.polylog, (2,), mpmath.polylog, "polylogarithm Li_s(z)"),
    SpecialFunction("zeta", sp.zeta, (1, 2), mpmath.zeta, "Riemann zeta (Hurwitz zeta with a second argument)"),
    SpecialFunction("LambertW", sp.LambertW, (1, 2), _lambertw, "Lambert W (branch k)"),
    SpecialFunction("elliptic_k", sp.elliptic_k, (1,), mpmath.ellipk, "complete elliptic integral K(m)"),
    SpecialFunction("elliptic_f", sp.elliptic_f, (2,), mpmath.ellipf, "incomplete elliptic integral F(phi|m)"),
    SpecialFunction("elliptic_e", sp.elliptic_e, (1, 2), mpmath.ellipe, "elliptic integral E(m), E(phi|m)"),
    SpecialFunction("elliptic_pi", sp.elliptic_pi, (2, 3), mpmath.ellippi, "elliptic integral Pi(n|m), Pi(n; phi|m)"),
    SpecialFunction("besselj", sp.besselj, (2,), mpmath.besselj, "Bessel function J_nu"),
    SpecialFunction("bessely", sp.bessely, (2,), mpmath.bessely, "Bessel function Y_nu"),
    SpecialFunction("besseli", sp.besseli, (2,), mpmath.besseli, "modified Bessel function I_nu"),
    SpecialFunction("besselk", sp.besselk, (2,), mpmath.besselk, "modified Bessel function K_nu"),
    SpecialFunction("airyai", sp.airyai, (1,), mpmath.airyai, "Airy function Ai"),
    SpecialFunction("airybi", sp.airybi, (1,), mpmath.airybi, "Airy function Bi"),
    # the derivatives SymPy writes for y' of an Airy solution
    SpecialFunction("airyaiprime", sp.airyaiprime, (1,), lambda z: mpmath.airyai(z, derivative=1),
                    "derivative of Airy Ai"),
    SpecialFunction("airybiprime", sp.airybiprime, (1,), lambda z: mpmath.airybi(z, derivative=1),
                    "derivative of Airy Bi"),
)

SPECIAL: dict[str, SpecialFunction] = {row.name: row for row in _SPECIAL_ROWS}
SPECIAL_BY_SYMPY: dict[type, SpecialFunction] = {row.sympy: row for row in _SPECIAL_ROWS}


def _polylog_without_equals_test() -> None:
    """SymPy builds every ``polylog(s, z)`` with a non-numeric z by asking ``z.equals(1)``, a
    simplification: with FriCAS's complex arguments one node cost 1.6 s and one answer 20 s of
    building alone.  Here a symbolic z is left as it is (``s = 0, -1``: their rational forms,
    as SymPy gives them); numbers are evaluated as before.  Nothing is lost for checking: at
    z = 1, mpmath's polylog is zeta(s), what SymPy would have written."""
    original = sp.polylog.eval.__func__

    def eval(cls, s, z):  # noqa: A001 -- SymPy's name for it
        if z.is_number:
            return original(cls, s, z)
        if z.is_zero:
            return sp.S.Zero
        if s.is_zero:
            return z / (1 - z)
        if s is sp.S.NegativeOne:
            return z / (1 - z) ** 2
        return None

    sp.polylog.eval = classmethod(eval)


_polylog_without_equals_test()
