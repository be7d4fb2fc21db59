"""y isolated from a verified implicit solution (symseq.solve.isolate)."""

import sympy as sp

from generators.symbols import C1, X
from symseq.solve.isolate import _log_scale, explicit_forms


def _read(text: str) -> sp.Expr:
    return sp.sympify(text, locals={"x": X, "c1": C1})


def _solves(y: sp.Expr, H: sp.Expr) -> bool:
    """H(x, y(x)) is constant in x: the relation holds along y (checked at two points; its exp,
    since the logs of a negative y differ by 2*pi*I from branch to branch)."""
    from symseq.solve.implicit import Y

    along = sp.exp(H.subs(Y, y))
    values = [complex(sp.N(along.subs({X: t, C1: sp.Rational(3, 7)}), 30)) for t in (2, 3)]
    return abs(values[0] - values[1]) < 1e-20


def test_logs_are_exponentiated_with_integer_coefficients():
    # Trench 5.6.38f: 6*log(3*y + 1)/5 - 6*log(2*y - 1)/5 - x = c1 -> (3*y + 1)/(2*y - 1) = c1*exp(5*x/6)
    assert _log_scale(sp.sympify("-x - 6*log(2*y - 1)/5 + 6*log(3*y + 1)/5")) == sp.Rational(6, 5)
    forms = explicit_forms("implicit: -x - 6*log(2*y - 1)/5 + 6*log(3*y + 1)/5")
    assert len(forms) == 1 and not _read(forms[0]).has(sp.log)


def test_each_form_keeps_the_relation_of_its_own_constant():
    from symseq.solve.implicit import Y

    for H in ["-x**2/2 - log(y) + log(y + 1)", "exp(atan(y/x))/x", "y**2 - x**2"]:
        forms = explicit_forms(f"implicit: {H}")
        assert forms, H
        relation = sp.sympify(H, locals={"x": X, "y": Y})
        assert all(_solves(_read(f), relation) for f in forms), H


def test_nothing_when_y_cannot_be_isolated():
    assert explicit_forms("implicit: -log(x) - log(y) + log(sin(y))") == []
    assert explicit_forms("x + c1") == []  # not an implicit answer


def test_the_race_verifies_y_isolated_from_an_implicit_solution():
    # Trench 5.6.38f: the engines give only the implicit relation; y isolated from it is proved
    from symseq.solve.solver import solve_ode

    sol = solve_ode("6*y' + 6*y^2 - y - 1 = 0", mode="engines", timeout=20)
    assert sol.solved and sol.engine.endswith("/isolated") and sol.verdict.value == "proved"
