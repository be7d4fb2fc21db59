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


# --- answers complex by a constant at some draws: log(A) with A < 0 wherever the question is real ---

ASIN_QUESTION = "x*(a + b*asin(c*x))**2/(d - c**2*d*x**2)**2"
ASIN_FRICAS = ("(-a**2 - 2*a*b*asin(c*x) - b**2*asin(c*x)**2 + sqrt(-c**2*x**2 + 1)*(2*a*b*c*x + "
               "2*b**2*c*x*asin(c*x)) + (-b**2*c**2*x**2 + b**2)*log(c**2*x**2 - 1))/(2*c**4*d**2*x**2 - 2*c**2*d**2)")


def test_a_log_negative_wherever_the_question_is_real_is_shown_as_log_abs():
    """FriCAS's answer (Rubi 5.1.4a-195) has log(c**2*x**2 - 1) beside asin(c*x): complex by
    I*pi*b**2/(2*c**4*d**2) for |c*x| < 1, the only place the question is real."""
    verdict, reason, shown = _judge_shown(ASIN_QUESTION, ASIN_FRICAS)
    assert verdict.solved, reason
    assert "log(Abs(c**2*x**2 - 1))" in shown


def test_log_abs_keeps_a_wrong_answer_wrong():
    wrong = ASIN_FRICAS.replace("*log(c**2*x**2 - 1)", "*log(c**2*x**2 - 1)*(1 + x/100)")
    assert not _judge_shown(ASIN_QUESTION, wrong)[0].solved
    assert _judge_shown("x/(a + x**2)", "log(-a - x**2)/2")[0].solved  # right, complex by I*pi/2
    assert not _judge_shown("x/(a + x**2)", "log(-a - x**2)/3")[0].solved


def test_with_abs_logs():
    from generators.symbols import X
    from symseq.solve.imaginary_constant import with_abs_logs

    a = sp.Symbol("a", positive=True)
    assert with_abs_logs(sp.log(X - a) + sp.log(a)) == sp.log(sp.Abs(X - a)) + sp.log(a)  # a log of x only
    assert with_abs_logs(sp.atan(X)) is None
    assert with_abs_logs(sp.log(sp.Abs(X))) is None


# --- draws where the question itself is (almost) nowhere real: replaced, decided by the question alone ---

def test_a_draw_where_the_question_is_nowhere_real_is_replaced():
    """(a - b/4)**(1/3) is complex for a < b/4 (principal root, about a third of the draws): the
    question is then nowhere real and such a draw checks nothing; the answer is judged at others."""
    assert _judge_shown("x*(a - b/4)**(1/3)", "x**2*(a - b/4)**(1/3)/2")[0].solved
    assert not _judge_shown("x*(a - b/4)**(1/3)", "x**2*(a - b/4)**(1/3)")[0].solved
    verdict, reason, _ = _judge_shown("x*(-a)**(1/3)", "x**2*(-a)**(1/3)/2")  # real at no draw
    assert not verdict.solved and "too few draws" in reason


def test_an_answer_complex_where_the_question_is_real_does_not_skip_a_draw():
    verdict, reason, _ = _judge_shown("2*a*x", "a*x**2 + log(a - 100)")  # a <= 40: complex at every draw
    assert not verdict.solved and "real and finite at only" in reason


def test_check_at_draws_replaces_only_what_the_question_makes_empty():
    """A judge that finds the question nowhere real for a < 1: those draws are replaced, at most
    EXTRA_DRAWS of them; MIN_CHECKED draws must check or the answer is refused."""
    from generators.symbols import X as x
    from symseq.domain import Verdict
    from symseq.solve import parameter_draws as pd

    a = sp.Symbol("a", positive=True)
    judged = []

    def judge(task, question, candidate):
        value = question.coeff(x)
        judged.append(value)
        return (Verdict.INVALID, f"{pd.QUESTION_NOT_REAL} 0 sample points") if value < 1 else (Verdict.NUMERIC_ONLY, "")

    verdict, *_ = pd.check_at_draws("integrate", a * x, a * x ** 2 / 2, [a], [], judge)
    checked = [v for v in judged if v >= 1]
    assert verdict is Verdict.NUMERIC_ONLY and len(checked) >= pd.MIN_CHECKED
    assert len(judged) - len(checked) <= pd.EXTRA_DRAWS + pd.PARAMETER_DRAWS
    judged.clear()
    verdict, reason, *_ = pd.check_at_draws("integrate", -a * x, -a * x ** 2 / 2, [a], [], judge)  # never real
    assert verdict is Verdict.INVALID and "too few draws" in reason
    assert len(judged) == pd.PARAMETER_DRAWS + pd.EXTRA_DRAWS
