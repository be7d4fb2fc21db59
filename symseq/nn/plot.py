"""Training curves from a run's ``metrics.jsonl`` to a PNG (matplotlib, headless)."""

from __future__ import annotations

import json
from pathlib import Path

from symseq.io import atomic_target


class PlotError(ValueError):
    """Nothing to plot."""


def read_metrics(run: str | Path) -> list[dict]:
    path = Path(run) / "metrics.jsonl"
    if not path.exists():
        raise PlotError(f"{run}: no metrics.jsonl (not a training run folder)")
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                raise PlotError(f"{path}:{n}: not JSON") from None
    if not rows:
        raise PlotError(f"{path} is empty")
    return rows


def plot_run(run: str | Path, out: str | Path | None = None) -> Path:
    """Draw loss (train and valid) and validation accuracies against step; returns the PNG path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = read_metrics(run)
    out = Path(out) if out else Path(run) / "curves.png"
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    steps = [r["step"] for r in rows]
    ax1.plot(steps, [r["loss"] for r in rows], label="train loss (label-smoothed)")
    valid = [r for r in rows if "valid_loss" in r]
    if valid:
        ax1.plot([r["step"] for r in valid], [r["valid_loss"] for r in valid], "o-", label="valid loss")
        ax2.plot([r["step"] for r in valid], [r["valid_token_acc"] for r in valid], "o-",
                 label="valid token accuracy")
        ax2.plot([r["step"] for r in valid], [r["valid_seq_acc"] for r in valid], "o-",
                 label="valid exact-sequence accuracy")
    ax1.set(xlabel="step", ylabel="loss per token", yscale="log", title=Path(run).name)
    ax2.set(xlabel="step", ylabel="accuracy", ylim=(0, 1), title="validation (teacher forced)")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    with atomic_target(out) as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
    return out
