"""Second-order ODEs whose solutions need special functions (Airy, Bessel): found by SymPy,
read, evaluated and verified within the budget, also as initial value problems."""

import pytest
import sympy as sp

from generators.symbols import X
from symseq.solve.ivp import solve_ivp
from symseq.solve.solver import solve_ode


@pytest.mark.parametrize("eq, functions", [
    ("y'' + x*y = 0", {sp.airyai, sp.airybi}),
    ("x^2*y'' + x*y' + (x^2 - 1)*y = 0", {sp.besselj, sp.bessely}),
])
def test_airy_and_bessel_equations_are_solved_and_verified(eq, functions):
    sol = solve_ode(eq, mode="sympy", timeout=20)
    assert sol.solved and sol.is_global, sol.notes
    answer = sp.sympify(sol.answer, locals={"x": X})
    assert {type(f) for f in answer.atoms(sp.Function)} == functions


def test_a_wrong_airy_answer_is_refused():
    from symseq.solve.verifier import verify_candidate
    from generators.symbols import F0, F2

    v = verify_candidate("ode2", F2 + X * F0, "c1*airyai(x) + c2*airybi(x)", numeric_timeout=20, proof_timeout=20)
    assert v.verdict.value == "wrong"


def test_an_airy_initial_value_problem():
    sol = solve_ivp("y'' - x*y = 0", "y(0) = 1, y'(0) = 0", mode="sympy", timeout=20)
    assert sol.solved
    y = sp.sympify(sol.answer, locals={"x": X})
    assert abs(complex(sp.N(y.subs(X, 0), 30)) - 1) < 1e-25 and abs(complex(sp.N(sp.diff(y, X).subs(X, 0), 30))) < 1e-25


@pytest.mark.slow
@pytest.mark.parametrize("eq, functions", [("y'' + x^2*y = 0", {sp.besselj, sp.bessely}),
                                           ("y'' - x^2*y = 0", {sp.besseli, sp.besselk})])
def test_bessel_equations_sympy_matches_only_multiplied_by_x_squared(eq, functions):
    """Plain dsolve gives a power series (no answer); the SymPy engine multiplies by x**2 for its
    Bessel method, and writes J and Y of an imaginary argument as the real I and K.  (Their
    verification takes mpmath 5-12 s on one busy core: a generous budget here.)"""
    from symseq.lang.parse import parse_ode
    from symseq.solve.engines.sympy_engines import default
    from symseq.solve.verifier import verify_candidate

    question, _ = parse_ode(eq)
    answers = default("ode2", question, 20)
    assert answers and len(answers) == 1, answers
    answer = sp.sympify(answers[0], locals={"x": X})
    assert {type(f) for f in answer.atoms(sp.Function)} == functions and not answer.has(sp.I)
    v = verify_candidate("ode2", question, answers[0], numeric_timeout=60, proof_timeout=20)
    assert v.verdict.solved, v
