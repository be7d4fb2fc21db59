"""Commands of the solve stage: integrate, solve-ode (verify and engines: ``symseq.cli.check``)."""

from __future__ import annotations

import sys

import click

from symseq.cli import CommaList, Seconds, UsageError, cluster, executor_options, main, progress_bar
from symseq.domain import DEFAULT_BEAM, DEFAULT_TIMEOUT, ENGINE_GROUPS, ENGINE_NAMES, HELPER_JOBS, MODES, \
    Outcome

WITHOUT_CHOICES = ENGINE_NAMES + tuple(ENGINE_GROUPS) + HELPER_JOBS  # what --without takes


def _solver_options(fn):
    """Options shared by integrate and solve-ode."""
    options = [
        click.option("--file", "file", type=click.File("r"), default=None,
                     help="Read one problem per line ('-' for standard input)."),
        click.option("--checkpoint", type=click.Path(), default=None,
                     help="Model folder [default: the shipped checkpoints/default]."),
        click.option("--beam", type=click.IntRange(1, 100), default=DEFAULT_BEAM, show_default=True),
        click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True,
                     help="hybrid: the model and every engine raced; model or engines: one side "
                          "alone; an engine's name (sympy, fricas, maxima, ...): that engine alone."),
        click.option("--without", type=CommaList(choices=WITHOUT_CHOICES, noun="engine"),
                     default=None, help="Engines, groups (strategies, cas) or helper jobs (repair, rewrite, "
                                        "widen: the wider beam) left out of the race."),
        click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
                     help="Seconds per problem, all stages together."),
        click.option("--json", "as_json", is_flag=True, help="One JSON object per problem."),
        click.option("--candidates", is_flag=True, help="Show every candidate with its verdict."),
        click.option("--latex", is_flag=True, help="Print the answer as LaTeX."),
        click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="--file with --executor dask and no --address: the local cluster's workers "
                          "[default: number of cores]."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return executor_options(fn)


def _run_problems(text, file, solve_many, as_json, candidates, latex, executor="local", address=None,
                  workers=None) -> None:
    """One problem or a file of them, by ``solve_many(lines, executor)``; exit 0 only if all are solved."""
    if (text is None) == (file is None):
        raise UsageError("give a problem or --file (not both)")
    if executor != "local" and file is None:
        raise UsageError("--executor dask takes --file (one problem runs here)")
    lines = [text] if file is None else [ln.strip() for ln in file if ln.strip()]
    with cluster(executor, address, workers) as ex:
        solutions = solve_many(lines, ex)
        try:
            _print_problems(lines, solutions, file is not None, as_json, candidates, latex)
        finally:  # zip stops before the generator's end: close it, so its warm workers end now
            solutions.close()


def _print_problems(lines, solutions, from_file, as_json, candidates, latex) -> None:
    import json

    from symseq.lang.parse import InputError

    unsolved = 0
    bar = None
    if len(lines) > 1:
        bar = progress_bar(len(lines), "problem")
    try:
        for line, sol in zip(lines, solutions):
            if bar is not None:
                bar.update(1)
            if isinstance(sol, Exception):  # InputError, or ProblemFailure: this problem only
                if not from_file:
                    raise UsageError(str(sol))
                unsolved += 1
                verdict = (Outcome.INVALID_INPUT if isinstance(sol, InputError) else Outcome.ERROR).value
                click.echo(json.dumps({"question": line, "answer": None, "verdict": verdict,
                                       "error": str(sol)}) if as_json else f"{line}: error: {sol}")
                continue
            unsolved += not (sol.solved or sol.implicit)
            if as_json:
                click.echo(json.dumps(sol.to_json()))
            else:
                _print_solution(sol, candidates, latex, len(lines) > 1)
    finally:
        if bar is not None:
            bar.close()
    sys.exit(0 if unsolved == 0 else 1)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("expr", required=False)
@click.option("--var", default=None, help="Integration variable (needed with several symbols).")
@click.option("--from", "lower", default=None, metavar="A", help="Lower bound of a definite integral (-oo allowed).")
@click.option("--to", "upper", default=None, metavar="B", help="Upper bound of a definite integral (oo allowed).")
@click.option("--assume", default=None, metavar="FACTS",
              help="What the parameters are (default: every symbol besides the variable is > 0): "
                   "'a < 0', 'a != 0', 'n integer', comma-separated.")
@click.option("--numeric", is_flag=True,
              help="Definite integrals: when no exact value is verified, print the quadrature value (exit 0).")
@_solver_options
def integrate(expr, var, lower, upper, assume, numeric, file, checkpoint, beam, mode, without, timeout, as_json,
              candidates, latex, workers, executor, address):
    """Integrate EXPR; print a verified antiderivative or say there is none.

    With --from/--to (or LaTeX \\int_a^b) the definite integral: an exact value shown only when
    it comes from a verified antiderivative continuous on [A, B] (or an engine's definite
    integral) and agrees with numeric quadrature, whose error is printed with it.

    Exit code 0 when every problem got a verified answer, 1 when some did not, 2 on bad input.

    \b
    Examples:
      symseq integrate "x*cos(x)"
      symseq integrate "t^2 exp(t)" --var t --latex
      symseq integrate "1/(1+x^2)" --mode sympy --json
      symseq integrate "sqrt(tan(x))" --mode engines --candidates
      symseq integrate "x*exp(x)/(x+1)^2" --without cas
      symseq integrate --file problems.txt --json > answers.jsonl
      symseq integrate --file problems.txt --executor dask --address tcp://head:8786 --json
      symseq integrate "exp(-x^2)" --from -oo --to oo
      symseq integrate "x^n*log(x)" --assume "n integer"
      symseq integrate "\\int_0^1 \\frac{\\ln(1+x)}{1+x^2} dx" --numeric
    """
    from symseq.lang.bounds import is_definite_latex
    from symseq.solve.solver import integrate_many

    if lower is not None or upper is not None or (expr is not None and is_definite_latex(expr)):
        if file is not None or executor != "local":
            raise UsageError("--from/--to take one problem, not --file (nor --executor)")
        _run_definite(expr, var, lower, upper, numeric, as_json, latex, assume=assume, beam=beam, timeout=timeout, mode=mode,
                      without=tuple(without or ()), checkpoint=checkpoint)
        return
    if numeric:
        raise UsageError("--numeric is for definite integrals (--from A --to B)")

    _run_problems(expr, file, lambda lines, ex: integrate_many(lines, var, assume=assume, beam=beam, timeout=timeout,
                                                              mode=mode, without=tuple(without or ()),
                                                              checkpoint=checkpoint, executor=ex),
                  as_json, candidates, latex, executor, address, workers)


def _run_definite(expr, var, lower, upper, numeric, as_json, latex, **options) -> None:
    """One definite integral: print the verified value (exit 0), or say why there is none (1)."""
    import json

    import sympy as sp

    from symseq.lang.parse import InputError, parse_answer
    from symseq.solve.definite import integrate_definite

    if expr is None:
        raise UsageError("give the integrand")
    try:
        sol = integrate_definite(expr, lower, upper, var, **options)
    except InputError as err:
        raise UsageError(str(err)) from None
    ok = sol.solved or (numeric and sol.numeric is not None)
    if as_json:
        click.echo(json.dumps(sol.to_json()))
        sys.exit(0 if ok else 1)
    q = sol.quadrature
    check = f"quadrature {q.digits} (error {q.error:.1g}, tolerance {q.tolerance:.1g})" if q is not None and q.ok else ""
    if sol.draws:
        check = f"quadrature at {len(sol.draws)} draws of the parameters ({sol.draws[0]['values']}: " \
                f"{sol.draws[0]['quadrature']}, ...)"
    if sol.value is not None:
        click.echo(sp.latex(parse_answer(sol.value, {})) if latex else sol.value)
        if sol.assumptions:
            click.echo(f"  for {sol.assumptions}")
        via = f"{sol.method}: {sol.antiderivative}" if sol.antiderivative and sol.method.startswith("antiderivative") \
            else sol.method
        click.echo(f"  verified: {via}; agrees with {check}; {sol.wall:.2f} s")
    elif sol.divergent:
        click.echo(f"diverges (to {'oo' if sol.divergent > 0 else '-oo'}); {sol.wall:.2f} s")
    else:
        click.echo(f"no verified exact value ({sol.wall:.2f} s)")
        if sol.numeric is not None:
            click.echo(f"numeric: {sol.numeric} (error {q.error:.1g})")
            if sol.proposal:
                click.echo(f"  numeric (20 digits), not proved: {sol.proposal}")
    for note in sol.notes:
        click.echo(f"  note: {note}", err=True)
    sys.exit(0 if ok else 1)


@main.command("solve-ode", context_settings={"ignore_unknown_options": True})
@click.argument("eq", required=False)
@click.option("--ics", default=None, metavar="CONDITIONS",
              help="Initial conditions, e.g. \"y(0) = 1, y'(0) = 0\": the answer is the particular "
                   "solution, checked exactly against each condition.")
@_solver_options
def solve_ode(eq, ics, file, checkpoint, beam, mode, without, timeout, as_json, candidates, latex, workers, executor,
              address):
    """Solve an ODE in y (or f) of x; constants in the answer are c1, c2.

    When y cannot be isolated, a verified implicit solution H(x, y) = c1 of a first-order
    equation is printed as such (verdict "implicit").  With --ics the initial value problem: the
    verified general solution's constants solved from the conditions, every fitting solution printed.

    Exit code 0 when every problem got a verified answer (an implicit solution counts), 1 when
    some did not, 2 on bad input.

    \b
    Examples:
      symseq solve-ode "y' = y + x"
      symseq solve-ode "y'' + y = x" --json
      symseq solve-ode "Derivative(f(x), x) - f(x)**2"
      symseq solve-ode "y'' + y = 0" --ics "y(0) = 1, y'(0) = 0"
      symseq solve-ode "(2*x*y + 1) + (x^2 + 3*y^2 + exp(y))*y' = 0"     # implicit
    """
    from symseq.solve.solver import solve_ode_many

    if ics is not None:
        if file is not None or eq is None or executor != "local":
            raise UsageError("--ics takes one equation, not --file (nor --executor)")
        _run_ivp(eq, ics, as_json, latex, beam=beam, timeout=timeout, mode=mode, without=tuple(without or ()),
                 checkpoint=checkpoint)
        return

    _run_problems(eq, file, lambda lines, ex: solve_ode_many(lines, beam=beam, timeout=timeout, mode=mode,
                                                            without=tuple(without or ()), checkpoint=checkpoint,
                                                            executor=ex),
                  as_json, candidates, latex, executor, address, workers)


def _run_ivp(eq, ics, as_json, latex, **options) -> None:
    """One initial value problem: print each verified particular solution (exit 0), or why none (1)."""
    import json

    import sympy as sp

    from symseq.lang.parse import InputError, parse_answer
    from symseq.solve.ivp import solve_ivp

    try:
        sol = solve_ivp(eq, ics, **options)
    except InputError as err:
        raise UsageError(str(err)) from None
    if as_json:
        click.echo(json.dumps(sol.to_json()))
        sys.exit(0 if sol.solved or sol.implicit else 1)
    for p in sol.particulars:
        click.echo(sp.latex(parse_answer(p.answer, {})) if latex else p.answer)
        if p.valid_on:
            click.echo(f"  valid for {p.valid_on} (local: the equation holds there)")
        if p.exists_on:
            click.echo(f"  the solution through the points exists for {p.exists_on} "
                       "(up to the nearest points where its formula or the equation stops)")
        click.echo(f"  from {p.source}; {', '.join(c.text for c in sol.conditions)}: exactly")
    if sol.solved:
        click.echo(f"  {sol.wall:.2f} s")
    elif sol.implicit:  # the level curve through the condition: y given implicitly, not solved for y
        click.echo(sol.implicit)
        click.echo(f"  y given implicitly near x = {sp.sstr(sol.conditions[0].point)}: the curve through "
                   f"{sol.conditions[0].text} of a verified implicit solution; {sol.wall:.2f} s")
    else:
        click.echo(f"no verified answer ({sol.wall:.2f} s)")
        for tried, met in zip(sol.tried, sol.met):
            missed = [c.text for c, ok in zip(sol.conditions, met) if not ok]
            if missed:
                click.echo(f"  note: {tried} does not meet {', '.join(missed)}", err=True)
    for note in sol.notes:
        click.echo(f"  note: {note}", err=True)
    sys.exit(0 if sol.solved or sol.implicit else 1)


def _print_solution(sol, show_candidates: bool, latex: bool, prefix_question: bool) -> None:
    import sympy as sp

    from symseq.solve.cases import case_lines

    head = f"{sol.question}: " if prefix_question else ""
    total = sol.wall
    if sol.solved:
        text = sp.latex(sol.answer_expr) if latex else sol.answer
        how = {"model": f"model, beam rank {sol.rank}", "model/wide": f"model, wide beam rank {sol.rank}"}.get(
            sol.engine, sol.engine)
        # a LOCAL answer is never shown without where it holds (on the answer's own line in a
        # batch), nor an answer with parameters without what was assumed of them
        where = "; ".join(w for w in (sol.valid_on and f"valid for {sol.valid_on}",
                                      sol.assumptions and f"for {sol.assumptions}") if w)
        lines = None if latex or prefix_question or not sol.answer.startswith("Piecewise(") \
            else case_lines(sol.answer_expr)  # an answer by cases of the parameters: one line each
        click.echo("\n".join(lines) if lines else f"{head}{text}{f'  [{where}]' if where and prefix_question else ''}")
        if where and not prefix_question:
            click.echo(f"  {where}")
        click.echo(f"  verdict: {sol.verdict.value} ({how}), {total:.2f} s", err=prefix_question)
    elif sol.implicit:  # a verified implicit solution, shown as such (y is not isolated)
        click.echo(f"{head}{sol.implicit}")
        click.echo("  y given implicitly: every curve of this family solves the equation where it is real "
                   "and can be solved for y", err=prefix_question)
        click.echo(f"  verdict: implicit ({sol.engine}), {total:.2f} s", err=prefix_question)
    else:
        click.echo(f"{head}no verified answer ({total:.2f} s)")
    for note in sol.notes:
        click.echo(f"  note: {note}", err=True)
    if show_candidates:
        for c in sol.candidates:
            where = f"rank {c.rank}" if c.rank else c.engine
            click.echo(f"  [{where}] {c.verdict.value:13s} {c.answer}")
