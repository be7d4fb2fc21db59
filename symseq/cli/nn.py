"""Commands of the network stage: train, export, plot."""

from __future__ import annotations

import sys

import click

from symseq.cli import UsageError, main, progress_bar


def _stop_cleanly_on_signals() -> None:
    """Ctrl-C and SIGTERM (``kill``) both stop training through its checkpointing path, also in
    a background job, where the shell started it with SIGINT ignored."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


@main.command()
@click.option("--data", multiple=True, required=True, type=click.Path(exists=True),
              help="Training dataset folder or file (repeatable).")
@click.option("--valid", multiple=True, type=click.Path(exists=True),
              help="Validation dataset (repeatable); metrics every --eval-every steps.")
@click.option("--exclude", multiple=True, type=click.Path(exists=True),
              help="Dataset or JSONL suite whose questions are never trained on (repeatable).")
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
@click.option("--snapshot-at", "snapshot_at", type=click.FloatRange(min=0.01), multiple=True,
              help="Also export the weights to OUT/at-<m>min after m minutes of training (repeatable).")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Torch threads per process [default: cores / processes].")
@click.option("--label-smoothing", type=click.FloatRange(0, 0.5), default=0.1, show_default=True)
@click.option("--resume", is_flag=True, help="Continue the run in --out where it stopped.")
@click.option("--init-from", type=click.Path(exists=True, file_okay=False), default=None,
              help="Start from this checkpoint's weights (its architecture; fresh optimizer).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Run folder.")
def train(data, valid, exclude, arch, attention, d_model, layers, heads, dropout, max_steps, minutes,
          max_tokens, lr, warmup, accum, bf16, seed, log_every, eval_every, checkpoint_minutes,
          snapshot_at, threads, label_smoothing, resume, init_from, progress, out):
    """Train a seq2seq model; checkpoints go to --out (safetensors + config.json).

    Ctrl-C writes a checkpoint before exiting; --resume continues exactly where it stopped.
    Under torchrun it trains with DistributedDataParallel (gloo on CPU).

    \b
    Examples:
      symseq train --data data/bwd --valid data/bwd-test --minutes 60 --bf16 --out runs/t1
      symseq train --data data/bwd --arch lstm --attention none --d-model 256 --layers 2 \\
                   --max-steps 5000 --out runs/thought-vector
      symseq train --data data/bwd --minutes 120 --resume --out runs/t1
      symseq train --data data/bwd --minutes 40 --snapshot-at 8 --snapshot-at 20 --out runs/curve
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
        cfg = TrainConfig(data=tuple(data), valid=tuple(valid), exclude=tuple(exclude),
                          max_tokens=max_tokens, lr=lr,
                          warmup=warmup, accum=accum, max_steps=max_steps, minutes=minutes,
                          bf16=bf16, seed=seed, log_every=log_every, eval_every=eval_every,
                          checkpoint_minutes=checkpoint_minutes, label_smoothing=label_smoothing,
                          snapshot_minutes=tuple(sorted(snapshot_at)))
    except ValueError as err:
        raise UsageError(str(err)) from None
    bar = _TrainProgress(max_steps, minutes) if progress and is_main_process() else None
    _stop_cleanly_on_signals()
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
