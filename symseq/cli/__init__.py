"""Command line: a thin click layer.  Each command parses options, builds a config, calls one
library function and prints.  Library errors become one-line ``ClickException``s (exit 2 for
bad input), never tracebacks.  Heavy imports happen inside the commands, so ``--help`` is fast.

The ``main`` group and the helpers every command uses live here; the commands live beside it,
one module per pipeline stage: ``data`` (generate, distill, harvest, show, import-lc), ``solve`` (integrate,
solve-ode), ``check`` (verify, engines), ``nn`` (train, export, plot), ``bench`` (benchmark, eval).
"""

from __future__ import annotations

import contextlib
import sys

import click

from symseq.domain import TASKS

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


class Seconds(click.ParamType):
    """A finite number of seconds in [low, high] (``inf`` and ``nan`` are refused)."""

    name = "seconds"

    def __init__(self, low: float = 0.5, high: float = 86400.0) -> None:
        self.low, self.high = low, high

    def convert(self, value, param, ctx):
        import math

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or not self.low <= seconds <= self.high:
            self.fail(f"must be between {self.low:g} and {self.high:g} seconds (got {value!r})", param, ctx)
        return seconds


def executor_options(fn):
    """``--executor`` and ``--address``: where generate, benchmark and ``--file`` run their tasks."""
    fn = click.option("--address", default=None, metavar="URL",
                      help="Dask scheduler (tcp://host:8786) for --executor dask [default: start a "
                           "local cluster of --workers processes].")(fn)
    return click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                        help="Where the work runs: this machine's worker processes, or a Dask cluster "
                             "(pip install 'symseq[dask]'; docs/cluster.md).")(fn)


@contextlib.contextmanager
def cluster(kind: str, address: str | None, workers: int | None):
    """The executor of ``--executor/--address`` for a ``with`` block (None when local); its
    errors (unreachable, a task failed) become one-line usage errors."""
    from symseq.exec import ExecutorError, open_executor

    try:
        executor = open_executor(kind, address, workers)
    except ExecutorError as err:
        raise UsageError(str(err)) from None
    try:
        yield executor
    except ExecutorError as err:
        raise click.ClickException(str(err)) from None
    finally:
        if executor is not None:
            executor.close()


def progress_bar(total: int | None, unit: str, **options):
    """The one progress bar: tqdm on stderr (stdout stays for results)."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, **options)


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


from symseq.cli import bench, check, data, nn, serve, solve  # noqa: E402,F401  (registers the commands)
