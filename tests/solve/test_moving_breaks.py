"""Answers with parameters whose breaks move with them (symseq.solve.moving_breaks; stating them is
off, ``parameter_draws.MOVING_BREAKS``: two reviews found the check accepting wrong answers)."""

import sympy as sp

from generators.symbols import X
from symseq.lang.parse import parse_integrand
from symseq.solve.moving_breaks import break_factors, describe_breaks
from symseq.solve.verifier import numeric_stage

# the integral of 1/(1 + sin(u)**2) is atan(sqrt(2)*tan(u))/sqrt(2) between the zeros of cos(u)
TABLE_ANSWER = "atan(sqrt(2)*tan(d*x))/sqrt(2)"
F0 = "10*atan(sqrt(2)*tan(d*x))/sqrt(2)"  # for 10*d/(1 + sin(d*x)**2)


def _judge(question: str, answer: str):
    f, v = parse_integrand(question, "x")
    verdict, reason, _, valid_on, intervals, _ = numeric_stage(("integrate", f, answer, v))
    return verdict, reason, valid_on, intervals


def test_the_break_factors_are_where_the_answer_may_jump_or_blow_up():
    a, d = sp.symbols("a d", positive=True)
    factors = break_factors(sp.atan(sp.tan(d * X) / (X - a)) + sp.log(X**2 - 1))
    # tan(d*x) too (a zero of the argument's numerator)
    assert set(factors) == {sp.cos(d * X), X - a, X - 1, X + 1, sp.tan(d * X)}
    assert break_factors(X**2 + sp.exp(X)) == []


def test_the_statement_names_each_factor_in_the_users_variable():
    d, t = sp.Symbol("d", positive=True), sp.Symbol("t")
    text = describe_breaks([sp.cos(d * X), 2 * X - 4], {0, 1}, False, t)
    assert text == "t in each interval between consecutive zeros of cos(d*t) and of t - 2"


def test_an_answer_whose_breaks_move_is_not_stated_while_the_check_is_off():
    verdict, reason, valid_on, _ = _judge("d/(1 + sin(d*x)**2)", TABLE_ANSWER)
    assert not verdict.solved and valid_on == ""


# --- found by two adversarial reviews of the statement (each was accepted by a version of it) ---

def test_wrong_answers_with_moving_breaks_are_refused():
    cases = [
        ("d + x", "x**2/2 + 2*atan(tan(d*x/2)) - I*log(exp(I*(d*x + 1/10000))) - d*x"),  # a jump beside a zero
        ("d + x", "x**2/2 + d*x - I*log(exp(I*(x + pi - 1/2))) - x + atan(tan(1000*x)) + atan(1/tan(1000*x))"),
        ("d/(1 + sin(d*x)**2)", TABLE_ANSWER + " + tanh(20*(x - 60))"),  # wrong in the grid's tail
        ("10*d/(1 + sin(d*x)**2)", F0 + " + 10**6 + (-I*log(exp(I*(x + pi - 1/2))) - x)/10"),  # hidden by |F|
        ("10*d/(1 + sin(d*x)**2)", F0 + " + (-I*log(exp(I*(d*x + pi/2 - 1/10000))) - d*x)/10"),  # two in a cell
        ("d/(1 + sin(d*x)**2)", TABLE_ANSWER + " + tanh(10**5*(d*x - 1))"),  # plainly wrong near x = 1/d
    ]
    for question, answer in cases:
        verdict, *_ = _judge(question, answer)
        assert not verdict.solved, answer
