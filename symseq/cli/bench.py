"""Commands of the benchmark stage: benchmark, eval."""

from __future__ import annotations

import click

from symseq.cli import Seconds, CommaList, UsageError, cluster, executor_options, main, progress_bar
from symseq.cli.solve import WITHOUT_CHOICES
from symseq.domain import DEFAULT_BEAM, DEFAULT_TIMEOUT, MODES


@main.command()
@click.argument("suites", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--engines", type=CommaList(choices=MODES, noun="engine"),
              default="model,sympy,hybrid", show_default=True,
              help=f"Comma-separated solver modes: {', '.join(MODES)}.")
@click.option("--without", type=CommaList(choices=WITHOUT_CHOICES, noun="engine"), default=None,
              help="Engines, groups (strategies, cas) or helper jobs (repair, rewrite, widen) left out of "
                   "every race (an ablation).")
@click.option("--beam", "beams", type=CommaList(integers=True), default="10", show_default=True,
              help="Comma-separated beam sizes for the model and hybrid engines.")
@click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds per problem and engine.")
@click.option("--checkpoint", type=click.Path(), default=None, help="Model folder.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Problems solved at once, one process each (each engine then gets one core); "
                   "with --executor dask and no --address, the local cluster's workers.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N problems of each suite.")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Results folder (an interrupted run resumes in it).")
@executor_options
def benchmark(suites, engines, without, beams, timeout, checkpoint, workers, limit, out, executor, address):
    """Solve benchmark suites with each engine under the same time limit; verified answers only.

    Writes results.jsonl (one record per problem and engine, appended as it goes), summary.json,
    report.md and solved.png into --out.

    \b
    Examples:
      symseq benchmark data/bwd-test --engines sympy --timeout 10 --out results/bwd-sympy
      symseq benchmark data/bwd-test problems.jsonl --beam 1,10 --out results/all
      symseq benchmark benchmarks/suites/* --workers 2 --limit 50 --out results/suites
      symseq benchmark suite.jsonl --engines sympy,fricas,maxima,hybrid --out results/engines
      symseq benchmark suite.jsonl --engines hybrid --without strategies --out results/ablation
      symseq benchmark suite.jsonl --executor dask --address tcp://head:8786 --out results/cluster
    """
    from symseq.bench.runner import run_benchmark
    from symseq.data.dataset import DatasetError

    bar = progress_bar(None, "run")

    def progress(done, total):
        bar.total = total
        bar.update(done - bar.n)

    try:
        with cluster(executor, address, workers if executor == "dask" else None) as ex:
            run_benchmark(list(suites), engines, beams, timeout, out, checkpoint=checkpoint, workers=workers,
                          limit=limit, progress=progress, without=tuple(without or ()), executor=ex)
    except DatasetError as err:
        raise UsageError(str(err)) from None
    finally:
        bar.close()
    from pathlib import Path

    click.echo((Path(out) / "report.md").read_text(), nl=False)
    click.echo(f"wrote {out}")


@main.command("eval")
@click.argument("run", type=click.Path(exists=True, file_okay=False))
@click.argument("suites", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--beam", type=click.IntRange(1, 100), default=DEFAULT_BEAM, show_default=True)
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
