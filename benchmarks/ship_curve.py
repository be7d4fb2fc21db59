"""The shipped model's learning curve: beam-10 verified accuracy of its snapshots against
training minutes (one core) and tokens, as a Markdown table and a PNG.

The first points (8, 20, 40 min) are the fair race's LSTM + Bahdanau run, which the shipped
run continues (``benchmarks/ship_model.sh``); each snapshot is evaluated as in the race:

    python benchmarks/arch_race.py --evaluate runs/ship/at-60min benchmarks/suites/lc-bwd 100 \\
        results/ship-eval/curve/ship-60min-lc-bwd.json
    python benchmarks/ship_curve.py --png docs/model-curve.png
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import symseq  # noqa: F401  (sets OMP_WAIT_POLICY)
from symseq.bench.report import wilson
from symseq.io import atomic_target

SOURCES = (("runs/race/eval", r"lstm-bahdanau-(\d+)min-(.+)\.json"),
           ("results/ship-eval/curve", r"ship-(\d+)min-(.+)\.json"))


def points(suites: list[str]) -> dict[str, dict[int, tuple[float, int, int]]]:
    """suite -> {minutes: (tokens seen, solved, n)}."""
    found: dict[str, dict[int, tuple[float, int, int]]] = {s: {} for s in suites}
    for folder, pattern in SOURCES:
        for path in sorted(Path(folder).glob("*.json")):
            m = re.fullmatch(pattern, path.name)
            if not m or m.group(2) not in found:
                continue
            r = json.loads(path.read_text())
            k = round(r["beam10_verified"] * r["n"])
            found[m.group(2)][int(m.group(1))] = (r["metrics"]["tokens_seen"], k, r["n"])
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suites", nargs="+", default=["lc-bwd", "bwd"])
    ap.add_argument("--png", type=Path, default=None)
    args = ap.parse_args()
    curves = points(args.suites)
    minutes = sorted({m for by_minute in curves.values() for m in by_minute})
    print("| minutes (one core) | tokens seen | " + " | ".join(args.suites) + " |")
    print("|---|---|" + "---|" * len(args.suites))
    for m in minutes:
        cells, tokens = [], None
        for s in args.suites:
            if m not in curves[s]:
                cells.append("-")
                continue
            tokens, k, n = curves[s][m]
            lo, hi = wilson(k, n)
            cells.append(f"{100 * k / n:.0f} ({100 * lo:.0f}-{100 * hi:.0f})")
        tokens_cell = f"{tokens / 1e6:.0f}M" if tokens else "-"
        print(f"| {m} | {tokens_cell} | " + " | ".join(cells) + " |")
    if args.png:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for s in args.suites:
            pts = sorted(curves[s].items())
            solved = [100 * k / n for _, (_, k, n) in pts]
            axes[0].plot([m for m, _ in pts], solved, "o-", label=s)
            axes[1].plot([tokens / 1e6 for _, (tokens, _, _) in pts], solved, "o-", label=s)
        axes[0].set(xlabel="training minutes (one core)", ylabel="verified %, beam 10, first 100", ylim=(0, 100))
        axes[1].set(xlabel="training tokens (millions)", ylabel="verified %, beam 10, first 100", ylim=(0, 100))
        for ax in axes:
            ax.grid(alpha=0.3)
            ax.legend()
        fig.suptitle("checkpoints/default: LSTM + Bahdanau, 1.14M parameters, from scratch")
        fig.tight_layout()
        with atomic_target(args.png) as tmp:
            fig.savefig(tmp, dpi=100, format="png")
        plt.close(fig)


if __name__ == "__main__":
    main()
