"""The README's examples run as written (its Python block, its shell examples' verdicts)."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from symseq.solve.engines import available

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_is_short_and_links_only_to_files_that_exist():
    text = README.read_text()
    assert len(text.splitlines()) <= 200
    for link in re.findall(r"\]\(([^)#]+)\)", text):
        assert (README.parent / link).exists(), link


@pytest.mark.slow
def test_the_python_api_block_runs():
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # our own README, not untrusted text
    sol = namespace["sol"]
    assert sol.solved and sol.is_global and sol.answer == "x*sin(x) + cos(x)"


def test_the_verify_example_gives_the_verdict_shown():
    from symseq.cli import main

    wrong = CliRunner().invoke(main, ["verify", "x*cos(x)", "x*sin(x) - cos(x)"])
    assert wrong.exit_code == 1 and "wrong: residual 2 at x = -4.68763" in wrong.output


@pytest.mark.slow
@pytest.mark.skipif(not available("fricas"), reason="FriCAS finds this answer (.ci/run installs it)")
def test_the_local_example_is_shown_with_its_intervals():
    from symseq.cli import main

    local = CliRunner().invoke(main, ["integrate", "sqrt(cos(x) + 1)", "--mode", "fricas"])
    assert local.exit_code == 0 and "valid for -pi < x < pi" in local.output and "local" in local.output


@pytest.mark.slow
@pytest.mark.parametrize("args, shown", [
    (["integrate", "exp(-x^2)"], ["sqrt(pi)*erf(x)/2", "verdict: proved"]),
    (["integrate", "1/(x^2 + a^2)"], ["atan(x/a)/a", "for a > 0", "verdict: proved"]),
    pytest.param(["integrate", "1/(x^2 + a)", "--assume", "a real"],
                 ["for a < 0: log((2*a*x + sqrt(-a)*(-a + x**2))/(a + x**2))/(2*sqrt(-a))",
                  "otherwise: atan(x/sqrt(a))/sqrt(a)", "for a real, a != 0"],
                 marks=pytest.mark.skipif(not available("fricas"), reason="FriCAS answers by cases")),
    (["integrate", "exp(-x^2)", "--from", "-oo", "--to", "oo"], ["sqrt(pi)", "agrees with quadrature"]),
    (["solve-ode", "y'' + y = 0", "--ics", "y(0) = 1, y'(0) = 0"], ["cos(x)", "y(0) = 1, y'(0) = 0: exactly"]),
    (["solve-ode", "y'' + x*y = 0"], ["c1*airyai(-x) + c2*airybi(-x)", "verdict: proved"]),
])
def test_the_examples_of_special_functions_parameters_and_definite_integrals(args, shown):
    from symseq.cli import main

    result = CliRunner().invoke(main, [*args, "--mode", "engines"])
    assert result.exit_code == 0 and all(s in result.output for s in shown), result.output
    text = README.read_text()
    assert all(s in text for s in shown)  # the README shows what the command prints
