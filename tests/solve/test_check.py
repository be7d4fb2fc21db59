"""symseq.verify / `symseq verify`: any answer checked under the verifier's contract."""

import json

import pytest
from click.testing import CliRunner

import symseq
from symseq.cli import main
from symseq.lang.parse import InputError
from symseq.solve.verifier import Verdict


@pytest.mark.slow
def test_api_verdicts():
    assert symseq.verify("x*cos(x)", "x*sin(x) + cos(x) + C").verdict is Verdict.PROVED
    wrong = symseq.verify("x*cos(x)", "x*sin(x) - cos(x)")
    assert wrong.verdict is Verdict.WRONG and "at x =" in wrong.reason
    assert symseq.verify("1/(1+t^2)", "atan(t)", var="t").verified
    assert symseq.verify("cos(t)", "sin(t) + sign(t)", var="t").valid_on == "t < 0; t > 0"
    assert symseq.verify("y'' + y = 0", "y = c1*sin(x) + c2*cos(x)", ode=True).verdict is Verdict.PROVED
    assert symseq.verify("y'' + y = 0", "c1*sin(x)", ode=True).verdict is Verdict.PARTICULAR
    with pytest.raises(InputError):
        symseq.verify("x", "x^2/2 + y")


@pytest.mark.parametrize("args, code, word", [
    (["x*cos(x)", "x*sin(x) + cos(x)"], 0, "proved"),
    (["x*cos(x)", "x*sin(x) - cos(x)"], 1, "wrong"),
    (["1", "x + sign(x)"], 0, "local: valid for x < 0; x > 0"),
    (["1", "x + sign(x - 1/2)"], 0, "valid for x < 1/2; x > 1/2"),  # jumps at 1/2: two intervals
    (["1", "x + Abs(x)"], 1, "wrong"),  # F' = 1 + sign(x): right nowhere
    (["--ode", "y' = y", "exp(x)"], 1, "particular"),
    (["x", "x^2/2 + y"], 2, "other than x"),
    (["x", "x^^2"], 2, "Error"),
])
def test_cli_exit_codes_and_reasons(args, code, word):
    result = CliRunner().invoke(main, ["verify", *args])
    assert result.exit_code == code, result.output
    assert word in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_json():
    result = CliRunner().invoke(main, ["verify", "1/(1+x^2)", "atan(x)", "--json"])
    row = json.loads(result.output)
    assert row["verdict"] == "proved" and row["verified"] is True and result.exit_code == 0


def test_only_an_additive_constant_is_dropped():
    assert symseq.verify("x", "x^2/2 + C").verified
    with pytest.raises(InputError, match="other than x"):
        symseq.verify("x", "x^2/2 + C*x")  # C*x is not a constant of integration
