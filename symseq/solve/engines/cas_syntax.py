"""Our expressions in FriCAS's and Maxima's input language, and their answers back as SymPy-syntax
text (names mapped, never evaluated here): the translation layer of ``symseq.solve.engines.cas``."""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.str import StrPrinter

from generators.symbols import F0, F1, F2

MAX_ANSWER_CHARS = 20_000


# --- our expressions in their language ---------------------------------------------------------

_Y, _D1, _D2 = sp.symbols("cas_y cas_d1 cas_d2")


class _CasPrinter(StrPrinter):
    """SymPy -> FriCAS / Maxima input: explicit parentheses, ``^``, their constant names."""

    functions: dict[str, str] = {}
    symbols: dict[str, str] = {}
    constants = {"E": "%e", "pi": "%pi", "I": "%i"}

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.as_base_exp()
        return f"({self._print(base)})^({self._print(exp)})"

    def _print_Rational(self, expr):
        return f"({expr.p}/{expr.q})"

    def _print_Integer(self, expr):
        return f"({expr.p})" if expr.p < 0 else str(expr.p)

    def _print_Exp1(self, expr):
        return self.constants["E"]

    def _print_Pi(self, expr):
        return self.constants["pi"]

    def _print_ImaginaryUnit(self, expr):
        return self.constants["I"]

    def _print_Symbol(self, expr):
        return self.symbols.get(expr.name, expr.name)

    def _print_Function(self, expr):
        name = type(expr).__name__
        return f"{self.functions.get(name, name)}({', '.join(self._print(a) for a in expr.args)})"

    _print_exp = _print_Function
    _print_Abs = _print_Function
    _print_sign = _print_Function


class _FricasPrinter(_CasPrinter):
    functions = {"Abs": "abs", "fresnels": "fresnelS", "fresnelc": "fresnelC", "gamma": "Gamma",
                 "uppergamma": "Gamma", "LambertW": "lambertW", "besselj": "besselJ", "bessely": "besselY",
                 "besseli": "besselI", "besselk": "besselK", "airyai": "airyAi", "airybi": "airyBi"}
    symbols = {"cas_y": "y(x)", "cas_d1": "D(y(x), x)", "cas_d2": "D(y(x), x, 2)"}


class _MaximaPrinter(_CasPrinter):
    functions = {"Abs": "abs", "sign": "signum", "Ei": "expintegral_ei", "li": "expintegral_li",
                 "Si": "expintegral_si", "Ci": "expintegral_ci", "Shi": "expintegral_shi",
                 "Chi": "expintegral_chi", "expint": "expintegral_e", "uppergamma": "gamma_incomplete",
                 "lowergamma": "gamma_incomplete_lower", "LambertW": "lambert_w", "fresnels": "fresnel_s",
                 "fresnelc": "fresnel_c", "besselj": "bessel_j", "bessely": "bessel_y", "besseli": "bessel_i",
                 "besselk": "bessel_k", "airyai": "airy_ai", "airybi": "airy_bi", "elliptic_k": "elliptic_kc"}

    def _print_polylog(self, expr):  # Maxima writes Li_s(z) as li[s](z)
        return f"li[{self._print(expr.args[0])}]({self._print(expr.args[1])})"
    symbols = {"cas_y": "y", "cas_d1": "'diff(y, x)", "cas_d2": "'diff(y, x, 2)"}


def _printable(question: sp.Expr) -> sp.Expr:
    """The ODE's unknown as plain symbols (y, y', y''), which each printer spells its own way."""
    return question.xreplace({F2: _D2, F1: _D1}).xreplace({F0: _Y})


def to_fricas(question: sp.Expr) -> str:
    return _FricasPrinter().doprint(_printable(question))


def to_maxima(question: sp.Expr) -> str:
    return _MaximaPrinter().doprint(_printable(question))


# --- their answers as SymPy syntax --------------------------------------------------------------

NAME = re.compile(r"%?[A-Za-z_][A-Za-z0-9_]*")
# their names -> SymPy's (cas_gamma, cas_dilog: symseq.lang.parse's answer names)
FRICAS_NAMES = {"%pi": "pi", "%e": "E", "%i": "I", "abs": "Abs", "fresnelS": "fresnels",
                 "fresnelC": "fresnelc", "Gamma": "cas_gamma", "dilog": "cas_dilog", "lambertW": "LambertW",
                 "besselJ": "besselj", "besselY": "bessely", "besselI": "besseli", "besselK": "besselk",
                 "airyAi": "airyai", "airyBi": "airybi",
                 # FriCAS's incomplete elliptic integrals take z = sin(phi): cas_elliptic* convert
                 "ellipticF": "cas_ellipticF", "ellipticE": "cas_ellipticE", "ellipticPi": "cas_ellipticPi"}
MAXIMA_NAMES = {"%pi": "pi", "%e": "E", "%i": "I", "abs": "Abs", "signum": "sign",
                 "%c": "c1", "%k1": "c1", "%k2": "c2",
                 **{their: ours for ours, their in _MaximaPrinter.functions.items() if ours not in ("Abs", "sign")},
                 "gamma_incomplete": "uppergamma", "expintegral_e1": "cas_e1", "elliptic_ec": "elliptic_e"}
_MAXIMA_POLYLOG = re.compile(r"\bli\[([^\]]+)\]\(")  # li[2](z) -> polylog(2, z)
_UNEVALUATED = ("integral(", "integrate(", "'")


def to_sympy_text(text: str, names: dict[str, str]) -> str | None:
    """A CAS answer as SymPy-syntax text (None for an unevaluated integral or an empty answer)."""
    text = " ".join(text.split())
    if not text or any(u in text for u in _UNEVALUATED) or len(text) > MAX_ANSWER_CHARS:
        return None
    text = text.replace("pi()", "%pi")  # FriCAS's InputForm writes the constant as a call
    text = _MAXIMA_POLYLOG.sub(lambda m: f"polylog({m.group(1)}, ", text)
    return NAME.sub(lambda m: names.get(m.group(0), m.group(0)), text).replace("^", "**")


_MAXIMA_FACTS = (("positive", "assume({} > 0)$"), ("negative", "assume({} < 0)$"),
                 ("nonnegative", "assume({} >= 0)$"), ("nonpositive", "assume({} <= 0)$"),
                 ("nonzero", "assume(notequal({}, 0))$"), ("integer", "declare({}, integer)$"))


def maxima_facts(question: sp.Expr) -> list[str]:
    """Maxima commands stating what is assumed of the question's parameters (symbols other than
    x, with SymPy assumptions): so Maxima answers for a > 0 instead of asking."""
    out = []
    for s in sorted(question.free_symbols, key=lambda s: s.name):
        if s.name == "x" or not s.name.isidentifier():
            continue
        for fact, command in _MAXIMA_FACTS:
            if s.assumptions0.get(fact) and not (fact == "nonzero" and (s.is_positive or s.is_negative)) \
                    and not (fact in ("nonnegative", "nonpositive") and (s.is_positive or s.is_negative)):
                out.append(command.format(s.name))
    return out
