"""FriCAS's rootOf written by radicals (symseq.solve.engines.fricas_roots)."""

import sympy as sp

from generators.symbols import X
from symseq.solve.engines.fricas_roots import named_roots, root_of_calls

# FriCAS 1.3.8's answer to log(c*(d + k/(f + g*x)**3)**q) (Rubi 3.4-634), as the engine reads it
FRICAS_634 = (
    '((-4)*g*((3*g**2*rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0'
    '**3*d*g**3)/(d*g**3),%%G0)**2+(-6)*f*g*q*rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)'
    '*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),%%G0)+3*f**2*q**2)/(g**2))**(1/2)*atan((g*((3*g**2*root'
    'Of((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),'
    '%%G0)**2+(-6)*f*g*q*rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%'
    '%G0**3*d*g**3)/(d*g**3),%%G0)+3*f**2*q**2)/(g**2))**(1/2))/((4*g**2*rootOf((((-1)*k+(-1)*d*f**3)*q**'
    '3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),%%G0)**2+((-4)*g**2*q*x+(-12'
    ')*f*g*q)*rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g*'
    '*3)/(d*g**3),%%G0)+(4*g**2*q**2*x**2+12*f*g*q**2*x+12*f**2*q**2))**(1/2)+((-1)*g*rootOf((((-1)*k+(-1'
    ')*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),%%G0)+(2*g*q*x+'
    '3*f*q))))+(((-1)*g*rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%'
    'G0**3*d*g**3)/(d*g**3),%%G0)+3*f*q)*log(4*g**2*rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**'
    '2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),%%G0)**2+((-4)*g**2*q*x+(-12)*f*g*q)*rootOf((((-1'
    ')*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),%%G0)+(4'
    '*g**2*q**2*x**2+12*f*g*q**2*x+12*f**2*q**2))+(2*g*rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*%%G0*d*f**2*g*'
    'q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),%%G0)*log(rootOf((((-1)*k+(-1)*d*f**3)*q**3+3*'
    '%%G0*d*f**2*g*q**2+(-3)*%%G0**2*d*f*g**2*q+%%G0**3*d*g**3)/(d*g**3),%%G0)+q*x)+((-6)*f*q*log(g*x+f)+'
    '(2*g*q*x*log((d*g**3*x**3+3*d*f*g**2*x**2+3*d*f**2*g*x+(k+d*f**3))/(g**3*x**3+3*f*g**2*x**2+3*f**2*g'
    '*x+f**3))+2*g*x*log(c))))))/(2*g)'
)
c, d, f, g, k, q = sp.symbols("c d f g k q", positive=True)
QUESTION_634 = sp.log(c * (d + k / (f + g * X) ** 3) ** q)


def test_root_of_calls_are_found_whole():
    calls = root_of_calls("1 + rootOf(a*(%%G0 + 1)**2 - 2, %%G0)*x")
    assert [(p, v) for _, _, p, v in calls] == [("a*(%%G0 + 1)**2 - 2", "%%G0")]
    assert root_of_calls("rootOf(x + 1") == [] and root_of_calls("rootOf(x + 1)") == []


def test_the_real_root_of_fricass_cubic_replaces_every_rootof():
    answers = named_roots(FRICAS_634, QUESTION_634)
    assert len(answers) == 1 and "rootOf" not in answers[0] and "%%" not in answers[0]
    # the cubic is d*(g*G - f*q)**3 = k*q**3: its real root, radicand factored
    assert "k**(1/3)*q/(d**(1/3)*g)" in answers[0]


def test_the_answer_with_its_real_root_is_verified():
    """At one draw of the parameters (the verifier judges several: at some the answer holds on
    intervals located at that draw only, and is refused)."""
    from symseq.lang.parse import parse_answer
    from symseq.solve.verifier import _numeric_verdict

    answer = parse_answer(named_roots(FRICAS_634, QUESTION_634)[0], {"x": X, **{s.name: s for s in (c, d, f, g, k, q)}})
    draw = {c: sp.Rational(2126, 467), d: sp.Rational(993, 206), f: sp.Rational(64, 45), g: sp.Rational(172, 113),
            k: sp.Rational(384, 851), q: sp.Rational(23, 80)}
    assert _numeric_verdict("integrate", QUESTION_634.xreplace(draw), answer.xreplace(draw))[0].solved
    wrong = answer + X / 10**6
    assert not _numeric_verdict("integrate", QUESTION_634.xreplace(draw), wrong.xreplace(draw))[0].solved


def test_what_is_not_taken():
    a = sp.Symbol("a", positive=True)
    question = 1 / (X ** 2 + a)
    assert named_roots("rootOf(%%G0**2 + a, %%G0) + rootOf(%%G1**3 - a, %%G1)*x", question) == []  # two
    assert named_roots("rootOf(%%G0**2 + a, %%G0)*x", question) == []  # no real root
    assert named_roots("rootOf(%%G0**5 - a*%%G0 - 1, %%G0)*x", question) == []  # degree 5
    assert named_roots("rootOf(%%G0**2 - x, %%G0)", question) == []  # x inside: not a number
    assert sorted(named_roots("rootOf(%%G0**2 - a, %%G0)*x", question)) == ["(-sqrt(a))*x", "(sqrt(a))*x"]
