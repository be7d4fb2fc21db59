"""Reading definite integrals: bounds from options or LaTeX, with one-line errors."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.lang.bounds import is_definite_latex, parse_bound, parse_definite
from symseq.lang.parse import InputError


@pytest.mark.parametrize("text, value", [("0", 0), ("-1/2", sp.Rational(-1, 2)), ("pi", sp.pi), ("e", sp.E),
                                         ("sqrt(2)", sp.sqrt(2)), ("oo", sp.oo), ("-oo", -sp.oo), ("inf", sp.oo),
                                         ("\\infty", sp.oo), ("-\\infty", -sp.oo), ("\\frac{1}{2}", sp.Rational(1, 2))])
def test_bounds(text, value):
    assert parse_bound(text) == value


@pytest.mark.parametrize("text, match", [("x", "must be a number"), ("I", "real number"), ("log(-1)", "real number"),
                                         ("1e9", "beyond"), ("__import__('os')", "unexpected character"), ("__class__", "not allowed"), ("", "empty"),
                                         ("1 + \\infty", "number or an infinity")])
def test_bad_bounds_say_why(text, match):
    with pytest.raises(InputError, match=match):
        parse_bound(text)


def test_latex_definite_integrals():
    assert parse_definite(r"\int_0^1 x^2 dx") == (X ** 2, sp.Symbol("x"), 0, 1)
    f, var, a, b = parse_definite(r"\int_{0}^{\infty} e^{-t}\,dt")
    assert (f, var.name, a, b) == (sp.exp(-X), "t", 0, sp.oo)
    assert is_definite_latex(r"\int_0^1 x dx") and not is_definite_latex(r"\int x dx")


def test_latex_pi_is_read_in_bounds_and_integrands():  # SymPy's Lark grammar has no \pi of its own
    assert parse_definite(r"\int_0^\pi \sin(x) dx") == (sp.sin(X), sp.Symbol("x"), 0, sp.pi)
    f, _, a, b = parse_definite(r"\int_{0}^{2\pi} \sin(\pi x)\,dx")
    assert (f, a, b) == (sp.sin(sp.pi * X), 0, 2 * sp.pi)
    f, _, a, b = parse_definite(r"\int_0^{\pi/2} Q x\,dx")  # the stand-in letter is one the text does not use
    assert f.has(sp.Symbol("Q", positive=True)) and not f.has(sp.pi) and b == sp.pi / 2
    with pytest.raises(InputError):
        parse_definite(r"\int_0^\pix x dx")  # \pix is no \pi


@pytest.mark.parametrize("args, match", [((r"\int_0^1 x dx", None, "0", "1"), "given twice"),
                                         (("x", None, "0", None), "both bounds"),
                                         ((r"\int x dx",), "both bounds"),
                                         (("t*y", None, "0", "1"), "several variables")])
def test_bad_definite_integrals_say_why(args, match):
    with pytest.raises(InputError, match=match):
        parse_definite(*args)


def test_indefinite_parsing_still_refuses_bounds():
    from symseq.lang.parse import parse_integrand

    with pytest.raises(InputError, match="--from A --to B"):
        parse_integrand(r"\int_0^1 x dx")


@pytest.mark.parametrize("text, match", [("10^10^10", "too large"), ("10^(-10^10)", "too large"),
                                         ("1/0", "real number"), ("exp(1000)", "beyond"),
                                         ("sin(x)", "must be a number"), ("oo + I", "real number")])
def test_hostile_bounds_get_one_line_errors(text, match):
    with pytest.raises(InputError, match=match):
        parse_bound(text)
