"""Command line: a thin click layer.  Each command parses options, builds a config, calls one
library function and prints.  Library errors become one-line ``ClickException``s (exit 2 for
bad input), never tracebacks.  Heavy imports happen inside the commands, so ``--help`` is fast.
"""

from __future__ import annotations

import sys

import click

from generators.tasks import TASKS

TASK_CHOICE = click.Choice(list(TASKS))


class UsageError(click.ClickException):
    exit_code = 2


class CommaList(click.ParamType):
    """``a,b,c`` -> a list, each item checked against ``choices`` or converted to int."""

    name = "list"

    def __init__(self, choices: tuple[str, ...] | None = None, integers: bool = False,
                 noun: str = "value") -> None:
        self.choices, self.integers, self.noun = choices, integers, noun

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        items = [v.strip() for v in str(value).split(",") if v.strip()]
        if not items:
            self.fail("give at least one value", param, ctx)
        if self.choices:
            bad = [v for v in items if v not in self.choices]
            if bad:
                self.fail(f"unknown {self.noun} {bad[0]!r}; choose from {', '.join(self.choices)}", param, ctx)
        if self.integers:
            try:
                items = [int(v) for v in items]
            except ValueError:
                self.fail(f"expected comma-separated integers (got {value!r})", param, ctx)
            if min(items) < 1:
                self.fail("values must be >= 1", param, ctx)
        return items


def progress_bar(total: int | None, unit: str, **options):
    """The one progress bar: tqdm on stderr (stdout stays for results)."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, **options)


def _parse_shard(value: str) -> tuple[int, int]:
    try:
        i, n = (int(v) for v in value.split("/"))
    except ValueError:
        raise UsageError(f"--shard must look like I/N, e.g. 0/4 (got {value!r})") from None
    if n < 1 or not 0 <= i < n:
        raise UsageError(f"--shard I/N needs 0 <= I < N (got {value!r})")
    return i, n


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="symseq")
def main() -> None:
    """symseq: integrate functions and solve ODEs with verified seq2seq models.

    \b
    Examples:
      symseq generate --task bwd --n 100000 --seed 0 --workers 2 --out data/bwd
      symseq generate --task bwd --n 500 --seed 1 --exclude data/bwd --out data/bwd-test
      symseq show data/bwd --limit 5
      symseq import-lc prim_bwd.train --task bwd --out data/lc-bwd
      symseq train --data data/bwd --valid data/bwd-test --arch transformer --minutes 60 --out runs/t1
      symseq plot runs/t1
      symseq integrate "x*cos(x)"
      symseq solve-ode "y'' + y = x"
    """


@main.command()
@click.option("--task", type=TASK_CHOICE, required=True, help="Problem family.")
@click.option("--n", "n", type=click.IntRange(min=1), required=True,
              help="Examples to keep (after deduplication) in this shard.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: number of cores].")
@click.option("--shard", default="0/1", show_default=True,
              help="I/N: produce part I of N independent parts (one per machine or job).")
@click.option("--min-ops", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--max-ops", type=click.IntRange(min=1), default=15, show_default=True,
              help="Operators per random expression (Lample & Charton use 15).")
@click.option("--max-int", type=click.IntRange(min=1), default=5, show_default=True,
              help="Integer leaves are drawn from [-max-int, max-int] minus 0.")
@click.option("--max-len", type=click.IntRange(min=1), default=512, show_default=True,
              help="Drop examples longer than this many tokens.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=None,
              help="Seconds per draw before its worker is killed [default: per task].")
@click.option("--chunk-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Draws per output file (the unit of resume).")
@click.option("--exclude", multiple=True, type=click.Path(exists=True),
              help="Dataset folder or file whose questions must not appear (repeatable).")
@click.option("--style", type=click.Choice(["symseq", "lc"]), default="symseq", show_default=True,
              help="lc: Lample & Charton's choices (positive integers, integrands simplified half "
                   "of the time, ODEs as expanded numerators).")
@click.option("--simplify-prob", type=click.FloatRange(0, 1), default=None,
              help="bwd: probability that the integrand is simplify()-ed [default: 0; lc: 0.5].")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Dataset folder (created; an interrupted run resumes in it).")
def generate(task, n, seed, workers, shard, min_ops, max_ops, max_int, max_len, timeout,
             chunk_size, exclude, style, simplify_prob, out):
    """Generate a dataset of problems with verified answers.

    Output is deterministic: the same task, settings, --seed, --shard and --n give
    byte-identical files whatever --workers is.  Rerun an interrupted command to resume.

    \b
    Examples:
      symseq generate --task bwd --n 100000 --seed 0 --workers 2 --out data/bwd
      symseq generate --task ode1 --n 1000 --max-ops 6 --out data/ode1-small
      symseq generate --task fwd --n 50000 --shard 3/8 --out data/fwd   # job 3 of 8
      symseq generate --task bwd --n 20000 --style lc --seed 21 --out data/bwd-lc
      symseq generate --task bwd --n 20000 --simplify-prob 1 --seed 22 --out data/bwd-simple
    """
    import dataclasses

    from generators import ExprConfig
    from symseq.data.generate import GenerateConfig, generate as run_generate, summarize
    from symseq.data.dataset import DatasetError
    from symseq.sandbox import cpu_count

    shard_i, shard_n = _parse_shard(shard)
    if min_ops > max_ops:
        raise UsageError(f"--min-ops ({min_ops}) exceeds --max-ops ({max_ops})")
    try:
        expr = ExprConfig.lc_style() if style == "lc" else ExprConfig()
        expr = dataclasses.replace(expr, min_ops=min_ops, max_ops=max_ops, max_int=max_int,
                                   **({} if simplify_prob is None else {"simplify_prob": simplify_prob}))
        cfg = GenerateConfig(task=task, n=n, seed=seed, shard=shard_i, num_shards=shard_n, expr=expr,
                             max_len=max_len, chunk_size=chunk_size, timeout=timeout)
    except ValueError as err:
        raise UsageError(str(err)) from None
    workers = workers or cpu_count()
    bar = _GenerateProgress(n)
    try:
        manifest = run_generate(cfg, out, workers=workers, exclude=list(exclude),
                                progress=bar.update)
    except DatasetError as err:
        raise UsageError(str(err)) from None
    except KeyboardInterrupt:
        bar.close()
        click.echo(f"\ninterrupted: finished chunks are saved in {out}; "
                   "rerun the same command to resume", err=True)
        sys.exit(130)
    bar.close()
    click.echo(summarize(manifest))
    click.echo(f"wrote {out}")


class _GenerateProgress:
    """tqdm bar over kept examples, with live draw counts and the commonest skip reasons."""

    def __init__(self, total: int) -> None:
        from collections import Counter

        self.total, self.bar = total, None
        self.labels: Counter = Counter()

    def update(self, state, label: str) -> None:
        if self.bar is None:  # created on the first draw, so errors before it print cleanly
            self.bar = progress_bar(self.total, "ex", initial=state.kept, mininterval=0.5)
        self.labels[label] += 1
        if state.kept > self.bar.n:
            self.bar.update(state.kept - self.bar.n)
        skips = sum(v for k, v in self.labels.items() if k != "ok")
        top = ",".join(f"{k}:{v}" for k, v in self.labels.most_common(4) if k != "ok")
        self.bar.set_postfix_str(f"draws={sum(self.labels.values())} skip={skips} [{top}]",
                                 refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Show at most N examples.")
def show(path, limit):
    """Print a dataset as JSON lines in SymPy syntax: {"task", "question", "answer"}.

    \b
    Example:
      symseq show data/bwd --limit 3
    """
    from symseq.data.dataset import DatasetError, example_to_json, iter_examples

    try:
        for ex in iter_examples(path, limit=limit):
            click.echo(example_to_json(ex))
    except DatasetError as err:
        raise UsageError(str(err)) from None
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()


@main.command("import-lc")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--task", type=TASK_CHOICE, required=True, help="Task of the file's problems.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Convert at most N lines.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Dataset folder.")
def import_lc(source, task, limit, out):
    """Convert a file in Lample & Charton's published format into a symseq dataset.

    Their lines read  ID|QUESTION<TAB>ANSWER  in their prefix tokens (integration questions
    start with "sub Y'"; ODE constants a0, a1 become c1, c2).  Lines that do not convert are
    counted by reason, never silently dropped.

    \b
    Example:
      symseq import-lc prim_bwd.test --task bwd --out data/lc-bwd-test
    """
    from symseq.data.dataset import DatasetError
    from symseq.data.lc_format import import_file

    try:
        manifest = import_file(source, task, out, limit=limit)
    except DatasetError as err:
        raise UsageError(str(err)) from None
    c = manifest["counts"]
    click.echo(f"converted {c['kept']} of {c['lines']} lines; failed: {c['failed'] or 'none'}")
    click.echo(f"wrote {out}")


def _solver_options(fn):
    """Options shared by integrate and solve-ode."""
    options = [
        click.option("--file", "file", type=click.File("r"), default=None,
                     help="Read one problem per line ('-' for standard input)."),
        click.option("--checkpoint", type=click.Path(), default=None,
                     help="Model folder [default: the shipped checkpoints/default]."),
        click.option("--beam", type=click.IntRange(1, 100), default=10, show_default=True),
        click.option("--mode", type=click.Choice(["hybrid", "model", "sympy"]), default="hybrid",
                     show_default=True, help="Model and SymPy raced, or one of them alone."),
        click.option("--timeout", type=click.FloatRange(min=0.5), default=10.0, show_default=True,
                     help="Seconds per problem, all stages together."),
        click.option("--json", "as_json", is_flag=True, help="One JSON object per problem."),
        click.option("--candidates", is_flag=True, help="Show every candidate with its verdict."),
        click.option("--latex", is_flag=True, help="Print the answer as LaTeX."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _run_problems(text, file, solve_many, as_json, candidates, latex) -> None:
    """Solve one problem or a file of them (decoded in batches); exit 0 only if all are solved."""
    import json

    from symseq.lang.parse import InputError

    if (text is None) == (file is None):
        raise UsageError("give a problem or --file (not both)")
    lines = [text] if file is None else [ln.strip() for ln in file if ln.strip()]
    unsolved = 0
    bar = None
    if len(lines) > 1:
        bar = progress_bar(len(lines), "problem")
    try:
        for line, sol in zip(lines, solve_many(lines)):
            if bar is not None:
                bar.update(1)
            if isinstance(sol, Exception):  # InputError, or ProblemFailure: this problem only
                if file is None:
                    raise UsageError(str(sol))
                unsolved += 1
                verdict = "invalid_input" if isinstance(sol, InputError) else "error"
                click.echo(json.dumps({"question": line, "answer": None, "verdict": verdict,
                                       "error": str(sol)}) if as_json else f"{line}: error: {sol}")
                continue
            unsolved += not sol.solved
            if as_json:
                click.echo(json.dumps(sol.to_json()))
            else:
                _print_solution(sol, candidates, latex, len(lines) > 1)
    finally:
        if bar is not None:
            bar.close()
    sys.exit(0 if unsolved == 0 else 1)


@main.command()
@click.argument("expr", required=False)
@click.option("--var", default=None, help="Integration variable (needed with several symbols).")
@_solver_options
def integrate(expr, var, file, checkpoint, beam, mode, timeout, as_json, candidates, latex):
    """Integrate EXPR; print a verified antiderivative or say there is none.

    Exit code 0 when every problem got a verified answer, 1 when some did not, 2 on bad input.

    \b
    Examples:
      symseq integrate "x*cos(x)"
      symseq integrate "t^2 exp(t)" --var t --latex
      symseq integrate "1/(1+x^2)" --mode sympy --json
      symseq integrate --file problems.txt --json > answers.jsonl
    """
    from symseq.solve.solver import integrate_many

    _run_problems(expr, file, lambda lines: integrate_many(lines, var, beam=beam, timeout=timeout, mode=mode,
                                                          checkpoint=checkpoint), as_json, candidates, latex)


@main.command("solve-ode")
@click.argument("eq", required=False)
@_solver_options
def solve_ode(eq, file, checkpoint, beam, mode, timeout, as_json, candidates, latex):
    """Solve an ODE in y (or f) of x; constants in the answer are c1, c2.

    Exit code 0 when every problem got a verified answer, 1 when some did not, 2 on bad input.

    \b
    Examples:
      symseq solve-ode "y' = y + x"
      symseq solve-ode "y'' + y = x" --json
      symseq solve-ode "Derivative(f(x), x) - f(x)**2"
    """
    from symseq.solve.solver import solve_ode_many

    _run_problems(eq, file, lambda lines: solve_ode_many(lines, beam=beam, timeout=timeout, mode=mode,
                                                        checkpoint=checkpoint), as_json, candidates, latex)


@main.command("verify")
@click.argument("question")
@click.argument("answer")
@click.option("--ode", is_flag=True, help="QUESTION is an ODE and ANSWER a solution y (with c1, c2).")
@click.option("--var", default=None, help="Integration variable (needed with several symbols).")
@click.option("--timeout", type=click.FloatRange(min=0.5), default=10.0, show_default=True,
              help="Seconds for reading and checking together.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def verify_command(question, answer, ode, var, timeout, as_json):
    """Check ANSWER: an antiderivative of QUESTION, or (--ode) a general solution of the ODE.

    Prints the verdict and the reason (for a wrong answer, a point where it fails).  Exit code 0
    when verified (proved or numeric), 1 when not (wrong, particular, invalid, timeout), 2 on
    bad input.  An additive constant C in an antiderivative is ignored.

    \b
    Examples:
      symseq verify "x*cos(x)" "x*sin(x) + cos(x) + C"
      symseq verify "1/(1+t^2)" "atan(t)" --var t --json
      symseq verify --ode "y'' + y = 0" "c1*sin(x) + c2*cos(x)"
    """
    import json

    from symseq.solve.check import verify
    from symseq.lang.parse import InputError

    try:
        result = verify(question, answer, ode=ode, var=var, timeout=timeout)
    except InputError as err:
        raise UsageError(str(err)) from None
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        click.echo(f"{result.verdict.value}: {result.reason}" if result.reason else result.verdict.value)
    sys.exit(0 if result.verified else 1)


@main.command("eval")
@click.argument("run", type=click.Path(exists=True, file_okay=False))
@click.argument("suites", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--beam", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="First N problems of each suite.")
@click.option("--screen", is_flag=True, help="Also report beam-K accuracy under the numeric screen alone.")
def eval_command(run, suites, beam, limit, screen):
    """Accuracy of a trained RUN (or checkpoint) on dataset SUITES, model alone: greedy exact
    match, greedy and beam-K verified accuracy (proved / numeric-only), seconds.  One JSON
    object per suite.

    \b
    Examples:
      symseq eval checkpoints/default benchmarks/suites/lc-bwd --limit 100
      symseq eval runs/generalize benchmarks/suites/bwd benchmarks/suites/lc-ode1 --beam 10
    """
    import json

    from symseq.bench.evaluate import evaluate_run
    from symseq.data.dataset import DatasetError
    from symseq.nn.checkpoint import CheckpointError

    for suite in suites:
        try:
            result = evaluate_run(run, suite, beam, limit=limit, screen=screen)
        except (CheckpointError, DatasetError) as err:
            raise UsageError(str(err)) from None
        click.echo(json.dumps({"suite": suite, **{k: round(v, 4) if isinstance(v, float) else v
                                                  for k, v in result.items()}}))


def _print_solution(sol, show_candidates: bool, latex: bool, prefix_question: bool) -> None:
    import sympy as sp

    head = f"{sol.question}: " if prefix_question else ""
    total = sum(sol.seconds.values())
    if sol.solved:
        text = sp.latex(sol.answer_expr) if latex else sol.answer
        how = f"model, beam rank {sol.rank}" if sol.engine == "model" else "SymPy"
        click.echo(f"{head}{text}")
        click.echo(f"  verdict: {sol.verdict.value} ({how}), {total:.2f} s", err=prefix_question)
    else:
        click.echo(f"{head}no verified answer ({total:.2f} s)")
    for note in sol.notes:
        click.echo(f"  note: {note}", err=True)
    if show_candidates:
        for c in sol.candidates:
            where = f"rank {c.rank}" if c.rank else c.engine
            click.echo(f"  [{where}] {c.verdict.value:13s} {c.answer}")


@main.command()
@click.argument("suites", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--engines", type=CommaList(choices=("model", "sympy", "hybrid"), noun="engine"),
              default="model,sympy,hybrid", show_default=True, help="Comma-separated: model, sympy, hybrid.")
@click.option("--beam", "beams", type=CommaList(integers=True), default="10", show_default=True,
              help="Comma-separated beam sizes for the model and hybrid engines.")
@click.option("--timeout", type=click.FloatRange(min=0.5), default=10.0, show_default=True,
              help="Seconds per problem and engine.")
@click.option("--checkpoint", type=click.Path(), default=None, help="Model folder.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Problems solved at once, one process each (each engine then gets one core).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N problems of each suite.")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Results folder (an interrupted run resumes in it).")
def benchmark(suites, engines, beams, timeout, checkpoint, workers, limit, out):
    """Solve benchmark suites with each engine under the same time limit; verified answers only.

    Writes results.jsonl (one record per problem and engine, appended as it goes), summary.json,
    report.md and solved.png into --out.

    \b
    Examples:
      symseq benchmark data/bwd-test --engines sympy --timeout 10 --out results/bwd-sympy
      symseq benchmark data/bwd-test problems.jsonl --beam 1,10 --out results/all
      symseq benchmark benchmarks/suites/* --workers 2 --limit 50 --out results/suites
    """
    from symseq.bench.runner import run_benchmark
    from symseq.data.dataset import DatasetError

    bar = progress_bar(None, "run")

    def progress(done, total):
        bar.total = total
        bar.update(done - bar.n)

    try:
        run_benchmark(list(suites), engines, beams, timeout, out, checkpoint=checkpoint,
                      workers=workers, limit=limit, progress=progress)
    except DatasetError as err:
        raise UsageError(str(err)) from None
    finally:
        bar.close()
    from pathlib import Path

    click.echo((Path(out) / "report.md").read_text(), nl=False)
    click.echo(f"wrote {out}")


@main.command()
@click.option("--data", multiple=True, required=True, type=click.Path(exists=True),
              help="Training dataset folder or file (repeatable).")
@click.option("--valid", multiple=True, type=click.Path(exists=True),
              help="Validation dataset (repeatable); metrics every --eval-every steps.")
@click.option("--arch", type=click.Choice(["transformer", "lstm", "gru"]), default="transformer",
              show_default=True)
@click.option("--attention", type=click.Choice(["none", "bahdanau", "dot", "general"]),
              default="bahdanau", show_default=True, help="RNN attention (none = thought vector).")
@click.option("--d-model", type=click.IntRange(min=8), default=256, show_default=True)
@click.option("--layers", type=click.IntRange(min=1), default=4, show_default=True,
              help="Encoder and decoder layers each.")
@click.option("--heads", type=click.IntRange(min=1), default=8, show_default=True)
@click.option("--dropout", type=click.FloatRange(0, 0.9), default=0.0, show_default=True)
@click.option("--max-steps", type=click.IntRange(min=1), default=None)
@click.option("--minutes", type=click.FloatRange(min=0.01), default=None,
              help="Wall-clock budget (counts across resumes).")
@click.option("--max-tokens", type=click.IntRange(min=16), default=4000, show_default=True,
              help="Tokens per batch, padding included.")
@click.option("--lr", type=click.FloatRange(min=1e-7), default=5e-4, show_default=True)
@click.option("--warmup", type=click.IntRange(min=0), default=500, show_default=True)
@click.option("--accum", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--bf16/--no-bf16", default=False, show_default=True, help="bfloat16 autocast.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--log-every", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--eval-every", type=click.IntRange(min=1), default=500, show_default=True)
@click.option("--checkpoint-minutes", type=click.FloatRange(min=0.01), default=5.0, show_default=True)
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Torch threads per process [default: cores / processes].")
@click.option("--label-smoothing", type=click.FloatRange(0, 0.5), default=0.1, show_default=True)
@click.option("--resume", is_flag=True, help="Continue the run in --out where it stopped.")
@click.option("--init-from", type=click.Path(exists=True, file_okay=False), default=None,
              help="Start from this checkpoint's weights (its architecture; fresh optimizer).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Run folder.")
def train(data, valid, arch, attention, d_model, layers, heads, dropout, max_steps, minutes,
          max_tokens, lr, warmup, accum, bf16, seed, log_every, eval_every, checkpoint_minutes,
          threads, label_smoothing, resume, init_from, progress, out):
    """Train a seq2seq model; checkpoints go to --out (safetensors + config.json).

    Ctrl-C writes a checkpoint before exiting; --resume continues exactly where it stopped.
    Under torchrun it trains with DistributedDataParallel (gloo on CPU).

    \b
    Examples:
      symseq train --data data/bwd --valid data/bwd-test --minutes 60 --bf16 --out runs/t1
      symseq train --data data/bwd --arch lstm --attention none --d-model 256 --layers 2 \\
                   --max-steps 5000 --out runs/thought-vector
      symseq train --data data/bwd --minutes 120 --resume --out runs/t1
      symseq train --data data/mix --minutes 60 --init-from checkpoints/default --out runs/t2
      torchrun --nproc_per_node 2 -m symseq train --data data/bwd --max-steps 1000 --out runs/ddp
    """
    if max_steps is None and minutes is None:
        raise UsageError("give --max-steps or --minutes (or both)")
    from symseq.data.dataset import DatasetError
    from symseq.nn.checkpoint import CheckpointError
    from symseq.nn.models import model_config
    from symseq.nn.train import TrainConfig, is_main_process, set_threads, train as run_train

    set_threads(threads)
    try:
        model_cfg = model_config(arch, d_model, layers, heads=heads, attention=attention, dropout=dropout)
        cfg = TrainConfig(data=tuple(data), valid=tuple(valid), max_tokens=max_tokens, lr=lr,
                          warmup=warmup, accum=accum, max_steps=max_steps, minutes=minutes,
                          bf16=bf16, seed=seed, log_every=log_every, eval_every=eval_every,
                          checkpoint_minutes=checkpoint_minutes, label_smoothing=label_smoothing)
    except ValueError as err:
        raise UsageError(str(err)) from None
    bar = _TrainProgress(max_steps, minutes) if progress and is_main_process() else None
    try:
        metrics = run_train(model_cfg, cfg, out, resume=resume, init_from=init_from, progress=bar.update if bar else None)
    except (DatasetError, CheckpointError, ValueError) as err:
        raise UsageError(str(err)) from None
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: checkpoint saved in {out}; continue with --resume", err=True)
        sys.exit(130)
    finally:
        if bar:
            bar.close()
    if is_main_process():
        click.echo(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                            for k, v in metrics.items()))
        _try_plot(out)
        click.echo(f"wrote {out}")


def _try_plot(run) -> None:
    try:
        from symseq.nn.plot import PlotError, plot_run

        click.echo(f"curves: {plot_run(run)}")
    except ImportError:
        click.echo("(matplotlib not installed: no curves drawn)")
    except PlotError as err:
        click.echo(f"(no curves: {err})")


class _TrainProgress:
    def __init__(self, max_steps, minutes) -> None:
        self.by_steps = max_steps is not None
        total = max_steps if self.by_steps else int(minutes * 60)
        self.bar = progress_bar(total, "step" if self.by_steps else "s")

    def update(self, m: dict) -> None:
        now = m["step"] if self.by_steps else int(m["seconds"])
        extra = f" valid_seq_acc={m['valid_seq_acc']:.3f}" if "valid_seq_acc" in m else ""
        self.bar.set_postfix_str(f"loss={m['loss']:.3f} tok/s={m['tokens_per_s']:.0f}{extra}",
                                 refresh=False)
        self.bar.update(max(0, min(now, self.bar.total) - self.bar.n))

    def close(self) -> None:
        self.bar.close()


@main.command()
@click.argument("run", type=click.Path(exists=True, file_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Destination folder.")
@click.option("--bf16/--fp32", default=True, show_default=True, help="Weight precision to store.")
def export(run, out, bf16):
    """Copy a trained model for shipping (weights + config.json, no resume state).

    \b
    Example:
      symseq export runs/t1 --out checkpoints/default
    """
    from symseq.nn.checkpoint import CheckpointError, export as do_export

    try:
        path = do_export(run, out, bf16=bf16)
    except CheckpointError as err:
        raise UsageError(str(err)) from None
    click.echo(f"wrote {path}")


@main.command()
@click.argument("run", type=click.Path(exists=True, file_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="PNG path [default: RUN/curves.png].")
def plot(run, out):
    """Draw a run's loss and accuracy curves to a PNG.

    \b
    Example:
      symseq plot runs/t1
    """
    from symseq.nn.plot import PlotError, plot_run

    try:
        click.echo(f"wrote {plot_run(run, out)}")
    except PlotError as err:
        raise UsageError(str(err)) from None


if __name__ == "__main__":
    main()
