"""Continuous forms of half-angle arctangents (symseq.solve.rectify)."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.lang.parse import parse_answer
from symseq.solve.check import verify
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
    # a parameter whose sign decides k's: left alone (the verifier's draws would refuse a guess)
    b = sp.Symbol("b", positive=True)
    assert rectify(sp.atan((b - 1) * sp.tan(X / 2))) is None
    assert rectify(sp.atan(b * sp.tan(X / 2))) is not None  # b > 0: k > 0


def test_any_shift_inside_the_arctangent():
    # 1 + 3*t + t**2 has real roots: the form turned by the ellipse's centre still holds
    F = sp.atan(sp.tan(X) + 3)
    G = rectify(F)
    assert G is not None and verify_candidate("integrate", sp.diff(F, X), sp.sstr(G)).verdict is Verdict.PROVED


def test_parameters_radicals_stand_for_positive_numbers():
    a, b, c = (sp.Symbol(n, positive=True) for n in "abc")
    names = {"a": a, "b": b, "c": c, "x": X}
    # FriCAS's branch for b > c of sin(a*x)/(b + c*sin(a*x))**2: the classic continuous form
    F = parse_answer("atan(sqrt(b**2 - c**2)*(b*sin(a*x) + c)/((-b**2 + c**2)*cos(a*x)))", names)
    assert rectify(F) == -a * X - 2 * sp.atan(c * sp.cos(a * X) / (b + c * sp.sin(a * X) + sp.sqrt(b**2 - c**2)))
    # FriCAS's for 1/(a + b*cos(x)): a global answer for every a, b > 0
    G = rectify(parse_answer("atan(sqrt(a**2 - b**2)*(a*cos(x) + b)/((-a**2 + b**2)*sin(x)))/sqrt(a**2 - b**2)", names))
    assert G == (X - 2 * sp.atan(b * sp.sin(X) / (a + b * sp.cos(X) + sp.sqrt(a**2 - b**2)))) / sp.sqrt(a**2 - b**2)
    assert verify("1/(a + b*cos(x))", sp.sstr(G)).verdict is Verdict.PROVED


def test_an_engine_answer_is_offered_in_both_forms_continuous_first():
    f = _read("1/(2 + cos(x))")
    answer = "2*sqrt(3)*atan(sqrt(3)*tan(x/2)/3)/3"
    both = with_continuous_variant(answer, f)
    assert isinstance(both, list) and both[1] == answer and "tan(" not in both[0].replace("atan(", "")
    assert with_continuous_variant("x**2/2", X) == "x**2/2"
    assert with_continuous_variant(None, f) is None
    listed = continuous_variant("cases: [2*atan(3*tan(x/2))/3, atan(x)]", _read("1/(5 - 4*cos(x))"))
    assert listed.startswith("cases: [") and listed.endswith(", atan(x)]") and "tan(x/2)" not in listed


def test_each_answer_of_a_list_gets_its_variant_first():
    f = _read("1/(5 - 4*cos(x))")
    out = with_continuous_variant(["cases: [2*atan(3*tan(x/2))/3, atan(x)]", "2*atan(3*tan(x/2))/3", "x"], f)
    assert len(out) == 5 and out[2:] == ["cases: [2*atan(3*tan(x/2))/3, atan(x)]", "2*atan(3*tan(x/2))/3", "x"]
    assert out[0].startswith("cases: [") and "tan(x/2)" not in out[0] + out[1]


def test_a_failing_rewrite_never_costs_the_engine_its_answer(monkeypatch):
    import symseq.solve.rectify as rectify_module

    def broken(answer, question):
        raise NotImplementedError("a SymPy corner")

    monkeypatch.setattr(rectify_module, "continuous_variant", broken)
    answer = "2*atan(3*tan(x/2))/3"
    assert with_continuous_variant(answer, _read("1/(5 - 4*cos(x))")) == answer
