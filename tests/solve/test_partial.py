"""Rational functions with parameters by partial fractions (symseq.solve.engines.partial)."""

import sympy as sp

from generators.symbols import X
from symseq.solve import cases
from symseq.solve.engines.partial import applies, solve
from symseq.solve.verifier import numeric_stage

a, b, c, d, f, g, h, k = sp.symbols("a b c d f g h k", positive=True)
RUBI_153 = (f + g * X + h * X ** 2) / ((d + k * X) ** 2 * (a + b * X + c * X ** 2))


def _verdict(question, text):
    return numeric_stage(("integrate", question, text, X))[0]


def test_applies_to_rational_functions_with_parameters_only():
    assert applies(RUBI_153) and applies(1 / (X + a))
    assert not applies(1 / (X ** 2 + 1))  # no parameter: SymPy's
    assert not applies(sp.sqrt(X + a) / X) and not applies(X ** 2 + a)


def test_a_quadratic_factor_gives_an_answer_by_the_sign_of_its_discriminant():
    """Rubi 1.2.1.9-153: FriCAS and SymPy's ratint take over 60 s."""
    answers = solve("integrate", RUBI_153, 10)
    assert len(answers) == 1 and answers[0].startswith(cases.PREFIX)
    atan_case, log_case = cases.split_list(answers[0][len(cases.PREFIX):])
    assert "atan(" in atan_case and "sqrt(4*a*c - b**2)" in atan_case
    assert "atan(" not in log_case and "sqrt(-4*a*c + b**2)" in log_case
    assert _verdict(RUBI_153, answers[0]).solved  # each case checked where it is in force


def test_linear_factors_alone_give_one_answer():
    question = (X + a) / ((X + b) * (X + c) ** 2)
    (answer,) = solve("integrate", question, 10)
    assert "log(Abs(" in answer and _verdict(question, answer).solved
    assert not _verdict(question, answer + " + x/1000").solved


def test_what_it_leaves_alone():
    assert solve("integrate", 1 / (X ** 2 + a) ** 2, 10) is None  # a quadratic squared
    assert solve("integrate", 1 / ((X ** 2 + a) * (X ** 2 + b)), 10) is None  # two quadratics
    assert solve("integrate", 1 / (X ** 3 + a), 10) is None  # a cubic
    assert solve("ode1", 1 / (X + a), 10) is None
