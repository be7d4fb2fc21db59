"""Commands that check rather than solve: verify (any answer, a student's or another system's)
and engines (what is installed)."""

from __future__ import annotations

import sys

import click

from symseq.cli import Seconds, UsageError, main
from symseq.domain import DEFAULT_TIMEOUT


@main.command("engines")
def engines_command():
    """List the engines the race uses: found or not, their version, what is lost without one.

    \b
    Example:
      symseq engines
    """
    from symseq.solve.engines import INSTALL_HINT, engine_status

    missing = False
    for name, ok, version, loss in engine_status():
        click.echo(f"{name:10s} {'found' if ok else 'MISSING':8s} {version}")
        if not ok:
            missing = True
            click.echo(f"{'':10s} without it: {loss}")
    if missing:
        click.echo(f"install: {INSTALL_HINT}")


@main.command("verify", context_settings={"ignore_unknown_options": True})
@click.argument("question")
@click.argument("answer")
@click.option("--ode", is_flag=True, help="QUESTION is an ODE and ANSWER a solution y (with c1, c2).")
@click.option("--var", default=None, help="Integration variable (needed with several symbols).")
@click.option("--assume", default=None, metavar="FACTS",
              help="What the parameters are (default: every symbol but the variable is > 0): 'a < 0, n integer'.")
@click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds for reading and checking together.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def verify_command(question, answer, ode, var, assume, timeout, as_json):
    """Check ANSWER: an antiderivative of QUESTION, or (--ode) a general solution of the ODE.

    Prints the verdict and the reason (for a wrong answer, a point where it fails).  Exit code 0
    when verified: proved or numeric on the whole real line, or local on the intervals printed
    ("valid for -pi < x < pi"); 1 when not (wrong, particular, invalid, timeout); 2 on bad input.
    An additive constant C in an antiderivative is ignored.

    \b
    Examples:
      symseq verify "x*cos(x)" "x*sin(x) + cos(x) + C"
      symseq verify "1/(1+t^2)" "atan(t)" --var t --json
      symseq verify --ode "y'' + y = 0" "c1*sin(x) + c2*cos(x)"
      symseq verify "x^n" "x^(n+1)/(n+1)" --assume "n integer"
    """
    import json

    from symseq.solve.check import verify
    from symseq.lang.parse import InputError

    try:
        result = verify(question, answer, ode=ode, var=var, assume=assume, timeout=timeout)
    except InputError as err:
        raise UsageError(str(err)) from None
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        where = f"valid for {result.valid_on}; " if result.valid_on else ""
        click.echo(f"{result.verdict.value}: {where}{result.reason}" if result.reason or where
                   else result.verdict.value)
        if result.assumptions:
            click.echo(f"  for {result.assumptions}")
    sys.exit(0 if result.verified else 1)
