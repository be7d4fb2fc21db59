"""Answers with parameters that hold between breaks moving with them (symseq.solve.moving_breaks)."""

import sympy as sp

from generators.symbols import X
from symseq.domain import Verdict
from symseq.lang.parse import parse_integrand
from symseq.solve.moving_breaks import break_factors
from symseq.solve.verifier import numeric_stage

# the integral of 1/(1 + sin(u)**2) is atan(sqrt(2)*tan(u))/sqrt(2) between the zeros of cos(u)
TABLE_ANSWER = "atan(sqrt(2)*tan(d*x))/sqrt(2)"


def _judge(question: str, answer: str, var: str = "x"):
    f, v = parse_integrand(question, var)
    # the answer in x, as the race builds it; shown in the user's variable
    verdict, reason, _, valid_on, intervals, _ = numeric_stage(("integrate", f, answer, v))
    return verdict, reason, valid_on, intervals


def test_the_break_factors_are_where_the_answer_may_jump_or_blow_up():
    a, d = sp.symbols("a d", positive=True)
    factors = break_factors(sp.atan(sp.tan(d * X) / (X - a)) + sp.log(X**2 - 1))
    # tan(d*x) too (a zero of the argument's numerator; its sign change across a pole is no zero)
    assert set(factors) == {sp.cos(d * X), X - a, X - 1, X + 1, sp.tan(d * X)}
    assert break_factors(X**2 + sp.exp(X)) == []


def test_an_answer_whose_breaks_move_with_a_parameter_is_local_between_them():
    verdict, reason, valid_on, intervals = _judge("d/(1 + sin(d*x)**2)", TABLE_ANSWER)
    assert verdict is Verdict.LOCAL and intervals == ()
    # (a pair of grid points the jump test cannot judge may add tan(d*x)'s zeros: a weaker claim)
    assert valid_on.startswith("x in each interval between consecutive zeros of ") and "cos(d*x)" in valid_on


def test_the_intervals_are_named_in_the_users_variable():
    _, _, valid_on, _ = _judge("d/(1 + sin(d*t)**2)", TABLE_ANSWER, var="t")
    assert valid_on.startswith("t in each interval between consecutive zeros of ") and "cos(d*t)" in valid_on


def test_a_wrong_answer_between_the_breaks_is_still_refused():
    # right for x > 0 only: the residual is -2 for x < 0, inside the intervals between the breaks
    verdict, *_ = _judge("d/(1 + sin(d*x)**2)", TABLE_ANSWER + " + sqrt(x**2) - x")
    assert verdict in (Verdict.WRONG, Verdict.INVALID)
    verdict, *_ = _judge("d/(1 + sin(d*x)**2)", TABLE_ANSWER + " + x/1000")
    assert verdict is Verdict.WRONG


def test_intervals_that_do_not_move_are_still_shown_as_intervals():
    verdict, _, valid_on, intervals = _judge("a/(1 + x**2)", "-a*atan(1/x)")
    assert verdict is Verdict.LOCAL and valid_on == "x < 0; x > 0" and len(intervals) == 2


# --- found by an adversarial review (each was accepted before it was fixed) ---

def test_a_jump_beside_a_zero_of_a_factor_is_not_excused():
    # F jumps at d*x = pi - 1/10000, not at the zero of cos(d*x/2) at d*x = pi
    answer = "x**2/2 + 2*atan(tan(d*x/2)) - I*log(exp(I*(d*x + 1/10000))) - d*x"
    assert not _judge("d + x", answer)[0].solved


def test_a_factor_with_dense_zeros_or_none_excuses_no_jump():
    jump = "x**2/2 + d*x - I*log(exp(I*(x + pi - 1/2))) - x"  # jumps by 2*pi at x = 1/2 (+ 2*pi*k)
    for constant in ("atan(tan(1000*x)) + atan(1/tan(1000*x))",  # +-pi/2: zeros of tan everywhere
                     "atan(cosh(20*sin(1000*x))) + atan(1/cosh(20*sin(1000*x)))"):  # pi/2: no zero
        verdict, _, valid_on, _ = _judge("d + x", f"{jump} + {constant}")
        assert "zeros of" not in valid_on and (not verdict.solved or "1/2" in valid_on)


def test_a_wrong_term_in_the_grids_tail_is_caught():
    verdict, *_ = _judge("d/(1 + sin(d*x)**2)", TABLE_ANSWER + " + tanh(20*(x - 60))")
    assert not verdict.solved
