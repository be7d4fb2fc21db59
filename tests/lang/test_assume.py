"""Parameters: what is assumed of them, how they are drawn, which values an answer excludes."""

import numpy as np
import pytest
import sympy as sp

from symseq.lang.assume import (describe, describe_exclusions, draw_values, exclusions, parameter_symbols,
                                parse_assumptions)
from symseq.lang.parse import InputError, parse_integrand


def test_parameters_are_positive_by_default_and_the_statements_replace_that():
    expr, var = parse_integrand("exp(a*x)*x^n", assume="n integer")
    a, n = sorted(expr.free_symbols - {sp.Symbol("x", real=True)}, key=str)
    assert var.name == "x" and a.is_positive and n.is_integer and n.is_positive is None
    assert describe([a, n]) == "a > 0, n integer"


@pytest.mark.parametrize("text, shown", [("a < 0", "a < 0"), ("a != 0", "a != 0"), ("a >= 0", "a >= 0"),
                                         ("a real", "a real"), ("a positive integer", "a positive integer"),
                                         ("a negative", "a < 0")])
def test_statements(text, shown):
    assert describe(parameter_symbols(["a"], parse_assumptions(text)).values()) == shown


@pytest.mark.parametrize("text, match", [("a < 1", "cannot read"), ("a < 0, a > 0", "assumed twice"),
                                         ("b > 0", "not a parameter"), ("a wobbly", "cannot read"),
                                         ("a positive negative", "contradictory"),
                                         ("a negative integer positive", "contradictory")])
def test_bad_statements_say_why(text, match):
    with pytest.raises(InputError, match=match) as err:
        parameter_symbols(["a"], parse_assumptions(text))
    assert "\n" not in str(err.value) and len(str(err.value)) < 120, str(err.value)  # one line, not SymPy's dump


def test_draws_respect_the_domain_and_run_through_the_integers():
    a, b = sp.Symbol("a", positive=True), sp.Symbol("b", negative=True)
    n = sp.Symbol("n", integer=True)
    draws = draw_values([a, b, n], np.random.default_rng(0), draws=3)
    assert all(d[a] > 0 and d[b] < 0 and d[a].is_Rational for d in draws)
    values = sorted(d[n] for d in draws)
    near, far = [v for v in values if abs(v) <= 3], [v for v in values if abs(v) > 3]
    assert near == list(range(-3, 4))  # -1 and 0 included
    assert len(far) == 1 and 5 <= abs(far[0]) <= 12  # and one farther out: wrong for |n| >= 4 is caught


def test_exclusions_are_the_parameter_factors_of_denominators():
    a, b, n = sp.symbols("a b n", positive=True)
    x = sp.Symbol("x", real=True)
    assert describe_exclusions(exclusions(sp.sin(x) / (b ** 2 - a ** 2), [a, b])) == "a != b"
    assert exclusions(sp.exp(a * x) / a, [a]) == []  # a > 0: never zero
    m = sp.Symbol("m", integer=True)
    assert describe_exclusions(exclusions(x ** (m + 1) / (m + 1), [m])) == "m != -1"


@pytest.mark.parametrize("assume, match", [("a < 0, " * 100_000, "at most 10"), ("a < 10^10^10", "cannot read"),
                                           ("__class__ integer", "not a parameter"),
                                           ("a integer real wobbly", "cannot read")])
def test_hostile_assumptions_get_one_line_errors(assume, match):
    with pytest.raises(InputError, match=match):
        parse_integrand("exp(a*x)", assume=assume)


def test_parameter_names_are_plain_symbols():
    expr, _ = parse_integrand("exp(print*x)")  # a name, never called: a positive symbol
    assert {s.name for s in expr.free_symbols} == {"print", "x"}
