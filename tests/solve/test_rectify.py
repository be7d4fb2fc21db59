"""Continuous forms of half-angle arctangents (symseq.solve.rectify)."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.lang.parse import parse_answer
from symseq.solve.engines import with_continuous_variant
from symseq.solve.rectify import continuous_variant, rectify
from symseq.solve.verifier import Verdict, verify_candidate


def _read(text: str) -> sp.Expr:
    return parse_answer(text, {"x": X})


@pytest.mark.parametrize("question, answer", [
    ("1/(2 + cos(x))", "2*sqrt(3)*atan(sqrt(3)*tan(x/2)/3)/3"),  # SymPy's heurisch
    ("1/(2 + cos(x))", "2*sqrt(3)*(atan(sqrt(3)*tan(x/2)/3) + pi*floor((x/2 - pi/2)/pi))/3"),  # risch's floor
    ("1/(2 + cos(x))", "-sqrt(3)*atan((2*sqrt(3)*cos(x) + sqrt(3))/(3*sin(x)))/3"),  # FriCAS
    ("1/(2 + cos(x))", "2*sqrt(3)*atan(sqrt(3)*sin(x)/(3*(cos(x) + 1)))/3"),  # Maxima
    ("1/(3 + sin(2*x))", "sqrt(2)*atan(3*sqrt(2)*tan(x)/4 + sqrt(2)/4)/4"),  # k*tan(v) + m
    ("1/(3 + sin(2*x))", "sqrt(2)*atan((3*sqrt(2)*sin(2*x) + sqrt(2))/(4*cos(2*x)))/8"),
    ("1/(1 + cos(x)**2)", "-sqrt(2)*atan(sqrt(2)*cot(x))/2"),  # cot: tan(pi/2 - x), k < 0
    ("1/(5 - 4*cos(x))", "2*atan(3*tan(x/2))/3"),
])
def test_local_answers_become_global_ones(question, answer):
    f, F = _read(question), _read(answer)
    # it jumps where f is continuous (LOCAL), or holds a floor the verifier cannot accept (INVALID)
    assert verify_candidate("integrate", f, answer).verdict in (Verdict.LOCAL, Verdict.INVALID)
    G = rectify(F)
    assert G is not None and not G.has(sp.tan, sp.cot, sp.floor)
    assert verify_candidate("integrate", f, sp.sstr(G)).verdict is Verdict.PROVED


def test_only_forms_it_knows_are_touched():
    assert rectify(_read("atan(x/3)/3")) is None  # no trigonometric argument: continuous already
    assert rectify(_read("x*sin(x)")) is None
    # 1 + m*t + k*t**2 with a real root: the one-arctangent form would jump, so no form is offered
    assert rectify(_read("atan(tan(x) + 3)")) is None
    # a parameter of unknown sign in k: left alone (the verifier's draws would refuse a guess)
    b = sp.Symbol("b")
    assert rectify(sp.atan((b - 1) * sp.tan(X / 2))) is None
    assert rectify(sp.atan(sp.Symbol("b", positive=True) * sp.tan(X / 2))) is not None  # b > 0: k > 0


def test_an_engine_answer_is_offered_in_both_forms_continuous_first():
    f = _read("1/(2 + cos(x))")
    answer = "2*sqrt(3)*atan(sqrt(3)*tan(x/2)/3)/3"
    both = with_continuous_variant(answer, f)
    assert isinstance(both, list) and both[1] == answer and "tan(" not in both[0].replace("atan(", "")
    assert with_continuous_variant("x**2/2", X) == "x**2/2"
    assert with_continuous_variant(None, f) is None
    listed = continuous_variant("cases: [2*atan(3*tan(x/2))/3, atan(x)]", _read("1/(5 - 4*cos(x))"))
    assert listed.startswith("cases: [") and listed.endswith(", atan(x)]") and "tan(x/2)" not in listed
