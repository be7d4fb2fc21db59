"""Engines: SymPy's strategies, FriCAS and Maxima behind one interface; their text read back safely."""

import os
import subprocess
import time

import pytest
import sympy as sp

from generators.symbols import F0, F1, F2, X
from symseq.lang.parse import parse_answer
from symseq.solve.engines import ENGINES, SYMPY_STRATEGIES, available, cas, run_engine
from symseq.solve.verifier import Verdict, verify_candidate

NAMES = {"x": X, "c1": sp.Symbol("c1", real=True), "c2": sp.Symbol("c2", real=True)}
needs = {name: pytest.mark.skipif(not available(name), reason=f"{name} is not installed here "
                                  "(.ci/run installs it; apt-get install fricas maxima)")
         for name in ("fricas", "maxima")}


@pytest.mark.parametrize("q", [
    sp.exp(-X) * sp.sin(2 * X) / 3 + sp.pi * sp.sqrt(X) - sp.Rational(-3, 7) * X ** sp.Rational(2, 3) + sp.E,
    (X - 2) ** -3 * sp.atanh(X / 5) - sp.acot(-X) ** sp.Rational(-1, 2) + sp.sech(X) ** 2,
    2 ** (-X) - X ** (X + 1) + sp.log(X) / (-X - 1) + sp.asin(sp.cos(X)) * sp.Abs(X),
])
def test_printers_write_each_language(q):
    """Printed for FriCAS and Maxima, read back through the answer reader: the same expression."""
    assert parse_answer(cas.to_sympy_text(cas.to_fricas(q), cas.FRICAS_NAMES), NAMES) == q
    assert parse_answer(cas.to_sympy_text(cas.to_maxima(q), cas.MAXIMA_NAMES), NAMES) == q


def test_odes_are_printed_in_each_systems_notation():
    ode = F2 + 2 * X * F1 - F0 ** 2
    assert "D(y(x), x, 2)" in cas.to_fricas(ode) and "D(y(x), x)" in cas.to_fricas(ode)
    assert "'diff(y, x, 2)" in cas.to_maxima(ode) and "(y)^(2)" in cas.to_maxima(ode)
    assert cas.to_maxima(sp.Abs(X) + sp.sign(X)) == "abs(x) + signum(x)"


@pytest.mark.parametrize("text,names,expected", [
    ("%e^-x^2*(%e^x^2/2+%c)", cas.MAXIMA_NAMES, sp.exp(-X ** 2) * (sp.exp(X ** 2) / 2 + NAMES["c1"])),
    ("(erfi(x)*pi()**(1/2))/2", cas.FRICAS_NAMES, sp.sqrt(sp.pi) * sp.erfi(X) / 2),
    ("-(sqrt(%pi)*%i*erf(%i*x))/2", cas.MAXIMA_NAMES, -sp.sqrt(sp.pi) * sp.I * sp.erf(sp.I * X) / 2),
    ("%k1*sin(x)+%k2*cos(x)+x", cas.MAXIMA_NAMES, NAMES["c1"] * sp.sin(X) + NAMES["c2"] * sp.cos(X) + X),
])
def test_answers_are_read_as_sympy_syntax(text, names, expected):
    assert parse_answer(cas.to_sympy_text(text, names), NAMES) == expected


@pytest.mark.parametrize("text", ["'integrate(exp(x^3),x)", "integral(exp(x^3),x)", "", "  "])
def test_unevaluated_or_empty_answers_are_none(text):
    assert cas.to_sympy_text(text, cas.MAXIMA_NAMES) is None


def test_a_program_past_its_time_is_killed_with_its_group():
    t = time.perf_counter()
    with pytest.raises(TimeoutError):
        cas.run_program(["sh", "-c", "sleep 30 & echo $! > /tmp/symseq-test-grandchild; sleep 30"], "", 0.5)
    assert time.perf_counter() - t < 5
    time.sleep(0.2)
    pid = int(open("/tmp/symseq-test-grandchild").read())
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    assert state in ("", "Z"), f"the grandchild {pid} survived (state {state!r})"
    os.remove("/tmp/symseq-test-grandchild")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sympy", *SYMPY_STRATEGIES])
def test_sympy_strategies_answer_or_say_none(name):
    answer = run_engine((name, "integrate", 1 / (X ** 3 + 1), 10.0))
    if name == "meijerint":  # its answer for this one holds exp_polar: the verifier refuses it
        return
    assert verify_candidate("integrate", 1 / (X ** 3 + 1), answer, numeric_timeout=10, proof_timeout=10).verdict.solved
    assert run_engine(("risch", "integrate", X * sp.cos(X), 10.0)) is None  # outside its fields


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param("fricas", marks=needs["fricas"]),
                                  pytest.param("maxima", marks=needs["maxima"])])
@pytest.mark.parametrize("kind,question", [
    ("integrate", X * sp.cos(X) + 1 / (X ** 2 + 1)),
    ("integrate", sp.sqrt(X ** 2 + 1)),
    ("ode1", F1 + 2 * X * F0 - X),
    ("ode2", F2 + F0 - X),
])
def test_cas_engines_answers_are_verified(name, kind, question):
    answer = run_engine((name, kind, question, 10.0))
    assert answer is not None
    answers = answer if isinstance(answer, list) else [answer]  # an ODE's branches
    verdicts = [verify_candidate(kind, question, a, numeric_timeout=10, proof_timeout=10) for a in answers]
    assert any(v.verdict.solved for v in verdicts), (answer, verdicts)


@pytest.mark.parametrize("name", [pytest.param("fricas", marks=needs["fricas"]),
                                  pytest.param("maxima", marks=needs["maxima"])])
def test_cas_engines_without_an_answer_say_none(name):
    assert run_engine((name, "integrate", sp.exp(X) / (X + sp.sin(X)), 10.0)) is None
    assert run_engine((name, "ode1", F1 - X - F0 ** 2, 10.0)) is None  # Riccati: Airy functions


@pytest.mark.slow
def test_implicit_ode_solutions_are_solved_for_y():
    """asin(y) = c - x comes back as y = sin(c - x): one answer per branch (SymPy and Maxima)."""
    engines = ["sympy"] + (["maxima"] if available("maxima") else [])
    for name in engines:
        answers = run_engine((name, "ode1", F1 - F0 ** 2 - 1, 10.0))  # atan(y) = x + c
        assert isinstance(answers, list) and len(answers) == 1, answers
        assert verify_candidate("ode1", F1 - F0 ** 2 - 1, answers[0]).verdict is Verdict.PROVED
        answers = run_engine((name, "ode1", F0 * F1 - X, 10.0))  # y**2 = x**2 + c: two branches
        assert len(answers) == 2 and all(verify_candidate("ode1", F0 * F1 - X, a).verdict.solved for a in answers)
        answers = run_engine((name, "ode1", 3 * F0 ** 2 * F1 - 1, 10.0))  # y**3 = x + c: real root first
        assert "I" not in answers[0] and verify_candidate("ode1", 3 * F0 ** 2 * F1 - 1, answers[0]).verdict.solved
        answers = run_engine((name, "ode1", F1 + sp.sqrt(1 - F0 ** 2), 10.0))  # on part of the line
        assert [verify_candidate("ode1", F1 + sp.sqrt(1 - F0 ** 2), a).verdict for a in answers] == [Verdict.LOCAL]


@needs["maxima"]
def test_an_answer_in_a_special_function_is_read_and_holds_where_it_is_real():
    """Maxima: gamma_incomplete(1/3, -x^3)/3, real (and right) for x < 0 only.  The interval search
    takes 3.3 s of its 3 s here (uppergamma at adaptive precision): on a busy machine it stopped
    before confirming the interval, until the run nearest 0 was always examined to the end."""
    answer = run_engine(("maxima", "integrate", sp.exp(X ** 3), 10.0))
    assert answer is not None and "uppergamma" in answer, answer
    # (10 s: on a slow machine the numeric stage takes 4.4-6.4 s here, b8d111b and after alike --
    # the verdict is what this tests; speed is the benchmarks')
    v = verify_candidate("integrate", sp.exp(X ** 3), answer, numeric_timeout=10, proof_timeout=5)
    assert v.verdict is Verdict.LOCAL, v
    assert v.intervals and all(i.hi <= 0 for i in v.intervals), v.intervals


def test_an_answer_in_functions_we_cannot_read_is_not_verified():
    text = cas.to_sympy_text("struve_h(0, x) + x", cas.MAXIMA_NAMES)  # a Struve function: not in our table
    assert not verify_candidate("integrate", sp.exp(X ** 3), text).verdict.solved


def test_the_engine_table_is_consistent():
    for name, engine in ENGINES.items():
        assert engine.name == name and engine.kinds and engine.about
    assert available("sympy") and all(available(s) for s in SYMPY_STRATEGIES)
    from symseq.domain import MODES  # kept import-free for the CLI: it must name the same engines

    assert MODES[:3] == ("hybrid", "model", "engines") and sorted(MODES[3:]) == sorted(ENGINES)
    assert Verdict.PROVED.solved


@pytest.mark.slow
@needs["maxima"]
def test_a_session_is_reused_and_replaced_after_an_overrun():
    first = cas._session("maxima")
    assert cas.maxima("integrate", X * sp.cos(X), 10.0) == "x*sin(x)+cos(x)"
    assert cas._session("maxima") is first  # the same program answered
    with pytest.raises(TimeoutError):
        first.ask(["for i:1 thru 10000000000 do i$"], 0.5)  # a loop that outlives its time
    assert first.proc.poll() is not None  # killed, with its process group
    assert cas.maxima("integrate", X * sp.cos(X), 10.0) == "x*sin(x)+cos(x)"
    assert cas._session("maxima") is not first


@needs["fricas"]
def test_a_failed_fricas_call_never_returns_the_previous_answer(monkeypatch):
    from symseq.solve.engines import cas

    assert cas.fricas("integrate", X * sp.cos(X), 10.0) is not None  # the session now holds r
    monkeypatch.setattr(cas, "to_fricas", lambda question: "1/0")  # integrate raises inside FriCAS
    assert cas.fricas("integrate", X, 10.0) is None
    assert cas.fricas("ode1", F1 - F0, 10.0) is None


def test_symseq_engines_lists_each_engine_and_what_is_lost_without_it(monkeypatch):
    from click.testing import CliRunner

    from symseq.cli import main
    from symseq.solve import engines

    result = CliRunner().invoke(main, ["engines"])
    assert result.exit_code == 0 and "sympy" in result.output and "SymPy 1." in result.output
    for name in ("fricas", "maxima", "subst"):
        assert name in result.output
    monkeypatch.setattr(engines, "available", lambda name: ENGINES[name].program is None)
    result = CliRunner().invoke(main, ["engines"])
    # FriCAS, Maxima, and the substitution engine (it asks FriCAS)
    assert result.output.count("MISSING") == 3 and "without it:" in result.output
    assert "apt-get install fricas maxima" in result.output


def test_fricas_elliptic_integrals_take_the_sine_of_the_amplitude():
    """FriCAS's ellipticF(z, m) is F(asin(z) | m); a wrong convention would be refused as WRONG."""
    text = cas.to_sympy_text("ellipticF(x,2)/(2**(1/2))", cas.FRICAS_NAMES)
    assert parse_answer(text, NAMES) == sp.sqrt(2) * sp.elliptic_f(sp.asin(X), 2) / 2
    question = 1 / (sp.sqrt(1 - X ** 2) * sp.sqrt(2 - 4 * X ** 2))
    assert verify_candidate("integrate", question, text).verdict.solved
    assert verify_candidate("integrate", question, "sqrt(2)*elliptic_f(x, 2)/2").verdict is Verdict.WRONG


@needs["fricas"]
@pytest.mark.parametrize("question, shown", [
    ("x/(sqrt(1 - x**2)*acos(x))", "Ci("),  # u = acos(x): -cos(u)/u
    ("x/(sqrt(1 - x**2)*sqrt(acos(x)))", "fresnelc("),
    ("x/(sqrt(1 - a**2*x**2)*acos(a*x))", "Ci("),  # a parameter stays a symbol (a > 0)
    # x = u**3 rationalizes x**(2/3) beside x; FriCAS answers by case of b's sign (Rubi 1.1.4.2-182)
    ("(b*x**(2/3) + a*x)**(3/2)/x**4", "x**(1/3)"),
])
def test_a_change_of_variables_finds_what_no_engine_finds_alone(question, shown):
    from symseq.solve.solver import integrate

    # with a parameter, about 1 call in 10 draws a < 0.065, where the verifier finds no sample point
    # at which the Ci answer is real and refuses it (a refusal, never a wrong answer; measured in
    # session 23; the indefinite verifier was not changed then): three calls at most
    for _ in range(3 if "a*x" in question else 1):
        sol = integrate(question, mode="subst", timeout=20)
        if sol.solved:
            break
    assert sol.solved and shown in sol.answer and sol.engine == "subst"


def test_the_substitutions_tried_are_the_inner_functions_smallest_first():
    from symseq.solve.engines.substitution import in_u, inner_functions

    f = X / (sp.sqrt(1 - X**2) * sp.acos(X))
    found = inner_functions(f)
    assert sp.acos(X) in found and X not in found
    assert in_u(f, sp.acos(X)).free_symbols and not in_u(f, sp.acos(X)).has(X)
    g = sp.sin(2 ** X) / (1 + 2 ** X)  # an exponential of another base is a substitution too
    assert inner_functions(g) == [2 ** X] and not in_u(g, 2 ** X).has(X)
    # the root of x that makes every power of x one of u comes first
    h = sp.sqrt(X) / (1 + X ** sp.Rational(1, 3))
    assert inner_functions(h)[0] == X ** sp.Rational(1, 6)
    hostile = 1 / (X ** sp.Rational(1, 999983) + X ** sp.Rational(1, 999979))  # L ~ 1e12: not proposed
    assert all(g.is_Pow and g.base == X and g.exp.q < 10**6 for g in inner_functions(hostile))
    u = sp.Symbol("u", positive=True)
    assert sp.simplify(in_u(h, X ** sp.Rational(1, 6)) - 6 * u ** 8 / (u ** 2 + 1)) == 0


def test_an_ode_with_abs_y_is_asked_for_positive_y():
    from symseq.solve.engines import positive_y

    question = F1 * sp.log(sp.Abs(F0)) + X ** 2 * F0  # Trench 2.2.4: no engine solves it with |y|
    assert positive_y(question) == F1 * sp.log(F0) + X ** 2 * F0
    assert positive_y(F1 - sp.Abs(X) * F0) == F1 - sp.Abs(X) * F0  # |x| is left alone


@needs["maxima"]
def test_a_positive_y_answer_is_verified_against_the_ode_with_abs_y():
    question = F1 * sp.log(sp.Abs(F0)) + X ** 2 * F0
    answer = run_engine(("maxima", "ode1", question, 10.0))
    answers = answer if isinstance(answer, list) else [answer]
    verdicts = [verify_candidate("ode1", question, a, numeric_timeout=10, proof_timeout=10) for a in answers]
    assert any(v.verdict.solved for v in verdicts), (answer, verdicts)
    wrong = f"2*({answers[0]})"  # the verifier, not the rewrite, decides
    assert not verify_candidate("ode1", question, wrong, numeric_timeout=10).verdict.solved
