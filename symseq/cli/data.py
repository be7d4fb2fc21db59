"""Commands of the data stage: generate, distill, harvest, show, import-lc."""

from __future__ import annotations

import sys

import click

from symseq.cli import TASK_CHOICE, UsageError, cluster, executor_options, main, progress_bar


def _parse_shard(value: str) -> tuple[int, int]:
    try:
        i, n = (int(v) for v in value.split("/"))
    except ValueError:
        raise UsageError(f"--shard must look like I/N, e.g. 0/4 (got {value!r})") from None
    if n < 1 or not 0 <= i < n:
        raise UsageError(f"--shard I/N needs 0 <= I < N (got {value!r})")
    return i, n


@main.command()
@click.option("--task", type=TASK_CHOICE, required=True, help="Problem family.")
@click.option("--n", "n", type=click.IntRange(min=1), required=True,
              help="Examples to keep (after deduplication) in this shard.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: number of cores] (with --executor dask and no "
                   "--address: the local cluster's).")
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
@executor_options
def generate(task, n, seed, workers, shard, min_ops, max_ops, max_int, max_len, timeout,
             chunk_size, exclude, style, simplify_prob, out, executor, address):
    """Generate a dataset of problems with verified answers.

    Output is deterministic: the same task, settings, --seed, --shard and --n give
    byte-identical files whatever --workers or --executor is.  Rerun an interrupted command to resume.

    \b
    Examples:
      symseq generate --task bwd --n 100000 --seed 0 --workers 2 --out data/bwd
      symseq generate --task ode1 --n 1000 --max-ops 6 --out data/ode1-small
      symseq generate --task fwd --n 50000 --shard 3/8 --out data/fwd   # job 3 of 8
      symseq generate --task bwd --n 20000 --style lc --seed 21 --out data/bwd-lc
      symseq generate --task bwd --n 20000 --simplify-prob 1 --seed 22 --out data/bwd-simple
      symseq generate --task bwd --n 1000000 --executor dask --address tcp://head:8786 --out data/bwd-1m
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
    bar = _GenerateProgress(n)
    try:
        with cluster(executor, address, workers) as ex:
            manifest = run_generate(cfg, out, workers=workers or cpu_count(), exclude=list(exclude),
                                    progress=bar.update, executor=ex)
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


@main.command()
@click.option("--draws", type=click.IntRange(min=1), required=True,
              help="Integrands to draw (rounded up to whole chunks); every verified engine answer is kept.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--engines", default="fricas,maxima", show_default=True, help="Engines asked, at once.")
@click.option("--seconds", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              help="Time each engine gets per integrand.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=100, show_default=True,
              help="Draws per output file (the unit of resume).")
@click.option("--exclude", multiple=True, type=click.Path(exists=True),
              help="Dataset folder or JSONL suite whose questions must not appear (repeatable).")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Dataset folder (created; an interrupted run resumes in it).")
def distill(draws, seed, engines, seconds, chunk_size, exclude, out):
    """Training pairs from the engines: integrands as textbooks write them, answered by FriCAS
    and Maxima, each answer verified (task `written`; train reads the folder as a dataset).

    \b
    Examples:
      symseq distill --draws 2000 --exclude benchmarks/suites/public-textbook.jsonl \\
          --exclude benchmarks/suites/public-hard.jsonl --out data/written
      symseq distill --draws 500 --engines fricas --seconds 1 --seed 7 --out data/written-fricas
    """
    from symseq.data.dataset import DatasetError, question_keys
    from symseq.solve.distill import DistillSettings, distill as run_distill

    names = tuple(e.strip() for e in engines.split(",") if e.strip())
    if not names or any(e not in ("fricas", "maxima", "sympy") for e in names):
        raise UsageError(f"--engines takes fricas, maxima and sympy, comma-separated (got {engines!r})")
    settings = DistillSettings(seed=seed, engines=names, seconds=seconds, chunk=chunk_size)
    bars = []  # opened at the first finished chunk, so that an input error prints alone

    def update(state) -> None:
        if not bars:
            bars.append(progress_bar(-(-draws // chunk_size) * chunk_size, "draw", initial=state.draws - chunk_size))
        bars[0].update(chunk_size)
        bars[0].set_postfix(pairs=state.pairs)
    try:
        keys = question_keys(list(exclude)) if exclude else set()
        state = run_distill(out, draws, settings, exclude=keys, progress=update)
    except DatasetError as err:
        raise UsageError(str(err)) from None
    except KeyboardInterrupt:
        for bar in bars:
            bar.close()
        click.echo(f"\ninterrupted: finished chunks are saved in {out}; rerun the same command to resume", err=True)
        sys.exit(130)
    for bar in bars:
        bar.close()
    summary = state.summary()
    click.echo(f"{summary['pairs']} pairs from {summary['draws']} draws in {summary['seconds']:.0f} s "
               f"({summary['pairs_per_core_hour']} pairs per core-hour: wall time x cores)")
    click.echo(f"wrote {out}")


@main.command()
@click.argument("suite", type=click.Path(exists=True, file_okay=False))
@click.option("--checkpoint", type=click.Path(), default=None,
              help="The model whose misses are harvested [default: the shipped checkpoints/default].")
@click.option("--beam", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds per problem, for the model alone and for the race.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Problems solved at once, one process each.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N problems.")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Harvest folder (created; an interrupted run resumes in it); the pairs are in OUT/pairs.")
def harvest(suite, checkpoint, beam, timeout, workers, limit, out):
    """Expert iteration: the problems of SUITE (a dataset folder, never trained on) that the model
    alone misses, solved by the whole race and verified, as training pairs (OUT/pairs).

    \b
    Examples:
      symseq generate --task ode1 --style lc --n 500 --seed 153 --exclude data/train --out data/probe-ode1
      symseq harvest data/probe-ode1 --workers 2 --out data/harvest-ode1
      symseq train --data data/train --data data/harvest-ode1/pairs ...
    """
    from symseq.bench.harvest import harvest as run_harvest
    from symseq.data.dataset import DatasetError

    bars: dict = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.close()
            bars[stage] = progress_bar(total, stage, initial=done)
        bars[stage].update(done - bars[stage].n)
    try:
        manifest = run_harvest(suite, out, checkpoint, beam=beam, timeout=timeout, workers=workers, limit=limit,
                               progress=progress)
    except DatasetError as err:
        raise UsageError(str(err)) from None
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: the records are saved in {out}; rerun the same command to resume", err=True)
        sys.exit(130)
    finally:
        for bar in bars.values():
            bar.close()
    m = manifest
    click.echo(f"{m['problems']} problems: the model alone solved {m['model_solved']}, the race "
               f"{m['race_solved']} of its {m['model_missed']} misses; {m['pairs']} pairs "
               f"({', '.join(f'{k}: {v}' for k, v in m['counts'].items())})")
    click.echo(f"wrote {out}/pairs")


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
