import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from generators.symbols import X
from symseq.lang.parse import InputError, parse_integrand

x = X


@pytest.mark.parametrize("text, expected", [
    ("x*cos(x)", x * sp.cos(x)),
    ("exp(x)/x", sp.exp(x) / x),
    ("x^2", x**2),
    ("2x", 2 * x),
    ("2 sin(x)", 2 * sp.sin(x)),
    ("ln(x) + arcsin(x)", sp.log(x) + sp.asin(x)),
    ("e^x", sp.exp(x)),
    ("1/(1+x^2)", 1 / (1 + x**2)),
    ("abs(x)", sp.Abs(x)),
    ("x(x+1)", x * (x + 1)),
    ("sin x", sp.sin(x)),
])
def test_accepted_notations(text, expected):
    expr, var = parse_integrand(text)
    assert expr == expected and var.name == "x"


def test_other_variable_is_mapped_to_x():
    expr, var = parse_integrand("t*exp(t)")
    assert expr == x * sp.exp(x) and var.name == "t"


@pytest.mark.parametrize("text, var, message", [
    ("", None, "empty"),
    ("x +", None, "cannot parse"),
    ("foo(x)", None, "unknown function 'foo'"),
    ("t*y", None, "several variables"),
    ("x*y", "z", "does not contain"),
    ("x*t", "t", "x cannot be a parameter"),
    ("x*oo", None, "oo cannot be a parameter"),
    ("x; import os", None, "unexpected character"),
    ("__import__('os')", None, "unexpected character"),
    ("x" * 3000, None, "too long"),
    ("(((x)", None, "cannot parse"),
    (")(", None, "cannot parse"),
    ("9^9^9^9", None, "too large"),
    ("x^(10^10)", None, "too large") if False else ("2^(3^99)", None, "too large"),
])
def test_bad_input_gives_one_clear_error(text, var, message):
    with pytest.raises(InputError, match=message):
        parse_integrand(text, var)


@settings(max_examples=300)
@given(st.text(alphabet="x+-*/^()0123456789 .,sincoexplgqrt", max_size=30))
def test_fuzzed_input_only_raises_input_error(text):
    try:
        expr, _ = parse_integrand(text)
    except InputError:
        return
    assert isinstance(expr, sp.Expr)


@pytest.mark.parametrize("text, order", [("y'' + y = x", 2), ("y' = y + x", 1), ("y' = y (x + 1)", 1),
                                         ("f''(x) + f(x)", 2), ("Derivative(f(x), x) - f(x)", 1)])
def test_odes(text, order):
    from generators.symbols import F0, F1, F2
    from symseq.lang.parse import parse_ode

    expr, got = parse_ode(text)
    assert got == order and expr.has(F2 if order == 2 else F1) and expr.has(F0)


@pytest.mark.parametrize("text, message", [("y''' = y", "second derivatives"), ("y = x", "no derivative"),
                                           ("y' = z", "other than x"), ("y' = = x", "at most one"),
                                           ("y' = y(2)", "value at a point.*--ics \"y\\(2\\) = "),
                                           ("y'(0) + y = 0", "value at a point"), ("y' = f(0)*x", "value at a point"),
                                           ("y' = y(x + 1)", "only appear as y")])
def test_bad_odes(text, message):
    from symseq.lang.parse import parse_ode

    with pytest.raises(InputError, match=message):
        parse_ode(text)


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", [
    (r"\frac{1}{1+x^2}", 1 / (1 + x**2)),
    (r"\int x e^{x} dx", x * sp.exp(x)),
    (r"\sqrt{x}\sin x", sp.sqrt(x) * sp.sin(x)),
    (r"\int t^2 \, dt", x**2),
    # products of a power or a bracket with a function, which SymPy's Lark grammar cannot read as written
    (r"\int x^2 \sin(x) dx", x**2 * sp.sin(x)), (r"e^{x} \cos(x)", sp.exp(x) * sp.cos(x)),
    (r"(x+1) \ln(x)", (x + 1) * sp.log(x)), (r"x^2\tan x", x**2 * sp.tan(x)),
])
def test_latex(text, expected):
    expr, _ = parse_integrand(text)
    assert expr == expected


@pytest.mark.parametrize("text", [r"\frac{1}{", r"\int_0^1 x dx", r"\foo{x}", r"x^2 \sin(", r"x^2 \sin",
                                  r"\sinh(x)"])  # \sinh: SymPy's Lark grammar returns a bare tree
def test_bad_latex(text):
    with pytest.raises(InputError):
        parse_integrand(text)
