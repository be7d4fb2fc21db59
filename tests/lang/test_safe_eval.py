"""safe_eval builds expressions from an explicit namespace and runs no code."""

import pytest
import sympy as sp

from symseq.lang.parse import InputError, parse_answer, parse_expression, parse_integrand, parse_ode
from symseq.lang.safe_eval import UnsafeExpressionError, build, to_source

NAMES = {"sin": sp.sin, "x": sp.Symbol("x")}


@pytest.mark.parametrize("source", [
    "__import__('os').system('touch CANARY')",
    "exec('1')", "eval('1')", "open('f')", "getattr(x, 'subs')", "print(x)",
    "x.__class__", "x.subs(x, 1)", "(lambda: 1)()", "[x for x in ()]", "{}", "x[0]",
    "Integer.__subclasses__()", "Symbol('__class__')", "Function('os')(x)", "sin(x, evaluate=False)",
    "Integer('1')", "Float(1.5)", "Symbol(x)", "x if x else x", "'abc'", "None", "x < 1",
])
def test_hostile_sources_are_refused(source):
    with pytest.raises(UnsafeExpressionError):
        build(source, NAMES)


def test_builtins_are_not_in_reach_through_implicit_application(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for text in ("exec input x", "eval input x", "open x", "print x", "getattr x", "compile x",
                 "breakpoint x", "exit x", "globals x", "vars x", "dir x"):
        source = to_source(text, NAMES)
        try:
            expr = build(source, NAMES)
        except UnsafeExpressionError:
            continue
        assert isinstance(expr, sp.Expr)  # the names are plain symbols, never called
        assert all(isinstance(s, sp.Symbol) for s in expr.free_symbols)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", ["9^9^9", "2**10**5", "(10**100)**(10**100)", "7**(3**8)"])
def test_huge_numeric_powers_are_refused(text):
    with pytest.raises(InputError, match="too large"):
        parse_expression(text)


def test_nesting_and_size_guards():
    with pytest.raises(InputError):
        parse_expression("(" * 400 + "x" + ")" * 400)
    with pytest.raises(InputError):
        parse_expression("sin(" * 150 + "x" + ")" * 150)
    with pytest.raises(InputError, match="too long"):
        parse_expression("x+" * 1500 + "x")


def test_ordinary_input_still_reads():
    x = sp.Symbol("x")
    assert parse_expression("2x sin x^2") == 2 * x * sp.sin(x**2)
    assert parse_expression("sin^2 x") == sp.sin(x)**2
    assert parse_expression("e^(2x) + ln(x) + 1.5") == sp.exp(2 * x) + sp.log(x) + sp.Float(1.5)
    assert parse_expression("x(x+1)") == x * (x + 1)
    expr, var = parse_integrand("t^2 exp(t)", "t")
    assert var.name == "t"
    eq, order = parse_ode("y'' + y = x")
    assert order == 2


def test_answers_in_sympy_syntax_are_read_without_eval():
    x = sp.Symbol("x")
    assert parse_answer("Piecewise((x, x < 0), (x**2, True))", {"x": x}) == \
        sp.Piecewise((x, x < 0), (x**2, True))
    assert parse_answer("erf(x)*sqrt(pi)/2 + Abs(x)", {"x": x}) == sp.erf(x) * sp.sqrt(sp.pi) / 2 + sp.Abs(x)
    with pytest.raises(InputError):
        parse_answer("__import__('os')", {"x": x})
    with pytest.raises(InputError):
        parse_answer("x.func", {"x": x})


def test_lc_prefix_powers_are_guarded():
    from symseq.data.lc_format import parse_lc_prefix
    from symseq.lang.prefix import PrefixError

    with pytest.raises(PrefixError, match="too large"):
        parse_lc_prefix("pow INT+ 9 pow INT+ 9 INT+ 9".split())
    with pytest.raises(PrefixError):
        parse_lc_prefix(["INT+"] + ["9"] * 500)



@pytest.mark.parametrize("text", ["(2^1000*sqrt(2))^1000", "sqrt(sqrt(2)^1000+1)^1000"])
def test_powers_of_algebraic_numbers_are_capped_too(text):
    with pytest.raises(InputError, match="too large"):
        parse_expression(text)


def test_long_sums_are_not_too_deep():
    x = sp.Symbol("x")
    text = "+".join(f"x^{k}" for k in range(1, 300))
    assert parse_expression(text) == sum(x**k for k in range(1, 300))
    assert parse_expression("1 - 2*x/3 + x^2 - x/4") == 1 - 2 * x / 3 + x**2 - x / 4


@pytest.mark.parametrize("text, match", [("2^{2^{2^{2^{2}}}}", "too large"), ("x^{\\infty}", "infinity"),
                                         ("\\frac{x}{0}", "infinity")])
def test_latex_results_are_checked(text, match):
    from symseq.lang.parse import parse_latex_expression

    with pytest.raises(InputError, match=match):
        parse_latex_expression(text)


@pytest.mark.parametrize("text", ["y' = f(x+1)", "f(f(x)) + y'", "y' + f(y)"])
def test_odes_hold_only_y_of_x(text):
    with pytest.raises(InputError, match="only appear as y"):
        parse_ode(text)
