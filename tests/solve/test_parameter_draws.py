"""Integrals with parameters judged at draws of their values (symseq.solve.parameter_draws)."""

import sympy as sp

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


def _judge_shown(question: str, answer: str):
    f, v = parse_integrand(question, "x")
    verdict, reason, shown, *_ = numeric_stage(("integrate", f, answer, v))
    return verdict, reason, shown


# --- answers with a log complex at some draws (a log|A| retry, written and switched off in session 21) ---

ASIN_QUESTION = "x*(a + b*asin(c*x))**2/(d - c**2*d*x**2)**2"
ASIN_FRICAS = ("(-a**2 - 2*a*b*asin(c*x) - b**2*asin(c*x)**2 + sqrt(-c**2*x**2 + 1)*(2*a*b*c*x + "
               "2*b**2*c*x*asin(c*x)) + (-b**2*c**2*x**2 + b**2)*log(c**2*x**2 - 1))/(2*c**4*d**2*x**2 - 2*c**2*d**2)")


def test_wrong_answers_with_complex_logs_are_refused():
    wrong = ASIN_FRICAS.replace("*log(c**2*x**2 - 1)", "*log(c**2*x**2 - 1)*(1 + x/100)")
    assert not _judge_shown(ASIN_QUESTION, wrong)[0].solved
    assert not _judge_shown("x/(a + x**2)", "log(-a - x**2)/3")[0].solved


# --- a draw where the question itself is (almost) nowhere real refuses the answer: the question may
# be real beyond the sample points (an adversarial review, session 21, when such draws were skipped) ---

def test_a_draw_where_the_question_is_nowhere_real_refuses_the_answer():
    verdict, reason, _ = _judge_shown("x*(-a)**(1/3)", "x**2*(-a)**(1/3)/2")
    assert not verdict.solved and "the question is real and finite at only" in reason
    # for a < 1/2 the question is real only for x > 500: an answer wrong there is refused
    question = "sqrt(x + 1000*a - 1000)"
    for wrong in ("Piecewise((2*(x + 1000*a - 1000)**(3/2)/3 + x, a < 1/2), (2*(x + 1000*a - 1000)**(3/2)/3, True))",
                  "2*(x + 1000*a - 1000)**(3/2)/3 + (Abs(2*a - 1) - 2*a + 1)*x"):
        assert not _judge_shown(question, wrong)[0].solved, wrong


def test_an_answer_complex_where_the_question_is_real_is_refused():
    verdict, reason, _ = _judge_shown("2*a*x", "a*x**2 + log(a - 100)")  # a <= 40: complex at every draw
    assert not verdict.solved and "real and finite at only" in reason



def test_an_answer_holding_i_with_a_jump_beyond_the_points_is_not_rewritten():
    """The second review's attack: I*log(A) - I*log(A**2)/2 is real (0, or -pi where A < 0); as
    I*log|A| - ... it would jump by pi where A = exp(x/100) - exp(10) changes sign, at x = 1000,
    beyond every sample point."""
    a = sp.Symbol("a", positive=True)
    from generators.symbols import X
    inner = sp.exp(X / 100) - sp.exp(10)
    answer = sp.I * sp.log(inner) - sp.I * sp.log(inner ** 2) / 2 - sp.atan(1 / inner) + sp.log(-a - X ** 2)
    question = "exp(x/100)/(100*((exp(x/100) - exp(10))**2 + 1)) + 2*x/(a + x**2)"
    verdict, _, shown = _judge_shown(question, sp.sstr(answer))
    assert not verdict.solved or "Abs" not in shown


def test_the_second_reviews_attacks_are_refused():
    for answer in ("log(-(x**2 + a)*exp((sqrt(a - 1)*sqrt(1 - a) - sqrt(-a - 1)/sqrt(a + 1)*(a - 1))*x))",
                   "log(-(x**2 + a)*exp(3*sqrt(-x**2 - 1)/sqrt(x**2 + 1)*exp(-10**8*(x - 5977/800)**2)))"):
        assert not _judge_shown("2*x/(x**2 + a)", answer)[0].solved, answer
