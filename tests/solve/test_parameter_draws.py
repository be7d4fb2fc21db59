"""Integrals with parameters judged at draws of their values (symseq.solve.parameter_draws)."""

from symseq.lang.parse import parse_integrand
from symseq.solve.verifier import numeric_stage

# the integral of 1/(1 + sin(u)**2) is atan(sqrt(2)*tan(u))/sqrt(2) between the zeros of cos(u)
TABLE_ANSWER = "atan(sqrt(2)*tan(d*x))/sqrt(2)"
F0 = "10*atan(sqrt(2)*tan(d*x))/sqrt(2)"  # for 10*d/(1 + sin(d*x)**2)


def _judge(question: str, answer: str):
    f, v = parse_integrand(question, "x")
    verdict, reason, _, valid_on, intervals, _ = numeric_stage(("integrate", f, answer, v))
    return verdict, reason, valid_on, intervals


def test_an_answer_whose_breaks_move_with_a_parameter_is_not_checked():
    verdict, reason, valid_on, _ = _judge("d/(1 + sin(d*x)**2)", TABLE_ANSWER)
    assert not verdict.solved and valid_on == ""


# --- answers that two adversarial reviews (session 20) got accepted by a check, since removed, that
# stated such answers by the zeros bounding their intervals: each must be refused ---

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
