"""The shipped model's learning curve: beam-10 verified accuracy of its snapshots against
training minutes (one core) and tokens, as a Markdown table and a PNG, and where the curve would
reach a target if it went on as it goes.

The extrapolation fits accuracy = a + b log2(minutes) (weighted least squares, binomial weights)
to the snapshots from ``--fit-from`` minutes on, and solves for the target; its interval comes
from the fit's parameter uncertainty (sampling noise only).  The curve bends down in log time
(each doubling has given less), so the minutes it gives are a lower bound, not a forecast.

The first points (8, 20, 40 min) are the fair race's LSTM + Bahdanau run, which the shipped
run continues (``experiments/training/ship_model.sh``); each snapshot is evaluated as in the race:

    python experiments/training/arch_race.py --evaluate runs/ship/at-60min benchmarks/suites/lc-bwd 100 \\
        results/ship-eval/curve/ship-60min-lc-bwd.json
    python experiments/training/ship_curve.py --png docs/model-curve.png
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

import symseq  # noqa: F401  (sets OMP_WAIT_POLICY)
from symseq.bench.records import read_records
from symseq.bench.report import wilson
from symseq.io import atomic_target

SOURCES = (("runs/race/eval", r"lstm-bahdanau-(\d+)min-(.+)\.json"),
           ("results/ship-eval/curve", r"ship-(\d+)min-(.+)\.json"))
# suites without reference answers (textbook.jsonl): `symseq benchmark --engines model` folders
BENCH_SOURCE = ("results/ship-eval/curve-bench", r"ship-(\d+)min-(.+)")


def points(suites: list[str]) -> dict[str, dict[int, tuple[float, int, int]]]:
    """suite -> {minutes: (tokens seen, solved, n)}."""
    found: dict[str, dict[int, tuple[float, int, int]]] = {s: {} for s in suites}
    tokens_at: dict[int, float] = {}
    for folder, pattern in SOURCES:
        for path in sorted(Path(folder).glob("*.json")):
            m = re.fullmatch(pattern, path.name)
            if not m:
                continue
            r = json.loads(path.read_text())
            tokens_at[int(m.group(1))] = r["metrics"]["tokens_seen"]
            if m.group(2) in found:
                k = round(r["beam10_verified"] * r["n"])
                found[m.group(2)][int(m.group(1))] = (r["metrics"]["tokens_seen"], k, r["n"])
    folder, pattern = BENCH_SOURCE
    for path in sorted(Path(folder).glob("*/results.jsonl")):
        m = re.fullmatch(pattern, path.parent.name)
        if not m or m.group(2) not in found:
            continue
        records = [r for r in read_records(path) if r.engine == "model-beam10"]
        minute = int(m.group(1))
        found[m.group(2)][minute] = (tokens_at.get(minute), sum(r.solved for r in records), len(records))
    return found


def fit_log_linear(by_minute: dict[int, tuple[float, int, int]], from_minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) and their covariance for percent = a + b log2(minutes), weighted by 1 / binomial
    variance, on the points at ``from_minutes`` or later (at least 2 needed)."""
    pts = [(m, k, n) for m, (_, k, n) in sorted(by_minute.items()) if m >= from_minutes]
    if len(pts) < 2:
        raise ValueError(f"need 2 points from minute {from_minutes} on, have {len(pts)}")
    X = np.array([[1.0, np.log2(m)] for m, _, _ in pts])
    y = np.array([100.0 * k / n for _, k, n in pts])
    p = np.clip(y / 100, 0.05, 0.95)  # a 0% or 100% point still has a variance
    w = np.array([n for _, _, n in pts]) / (p * (1 - p) * 100**2)
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    return cov @ X.T @ (w * y), cov


def minutes_to_reach(target: float, beta: np.ndarray, cov: np.ndarray, draws: int = 4000,
                     seed: int = 0) -> tuple[float, float, float]:
    """Minutes at which the fitted line reaches ``target`` %: the estimate and a 95% interval from
    the parameters' sampling distribution (``inf`` where a draw's slope is not positive)."""
    def solve(a: float, b: float) -> float:
        doublings = (target - a) / b if b > 0 else float("inf")
        return float(2.0 ** doublings) if doublings < 60 else float("inf")  # 2^60 minutes: never

    samples = np.random.default_rng(seed).multivariate_normal(beta, cov, size=draws)
    solved = np.sort([solve(a, b) for a, b in samples])  # inf sorts last: no inf - inf in quantiles
    lo, hi = (solved[int(q * (draws - 1))] for q in (0.025, 0.975))
    return solve(*beta), float(lo), float(hi)


def _extrapolation(curves: dict, targets: dict[str, float], from_minutes: int) -> dict[str, tuple]:
    """suite -> (beta, cov, (minutes, lo, hi)) for each suite with a target, printed as it goes."""
    fits = {}
    for suite, target in targets.items():
        if suite not in curves:
            continue
        beta, cov = fit_log_linear(curves[suite], from_minutes)
        se = float(np.sqrt(cov[1, 1]))
        reach = minutes_to_reach(target, beta, cov)
        fits[suite] = (beta, cov, reach)
        def minutes(m: float) -> str:
            return f"{m:,.0f}" if np.isfinite(m) else "never"

        print(f"\n{suite}: {beta[1]:+.1f} points per doubling of training time (95% CI "
              f"{beta[1] - 1.96 * se:+.1f} to {beta[1] + 1.96 * se:+.1f}), fitted on minutes >= {from_minutes}; "
              f"{target:.0f}% at about {minutes(reach[0])} minutes = {reach[0] / 60:,.1f} core-hours "
              f"(95% CI {minutes(reach[1])} to {minutes(reach[2])} minutes) if each doubling kept giving as much")
    return fits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suites", nargs="+", default=["lc-bwd", "bwd"])
    ap.add_argument("--png", type=Path, default=None)
    ap.add_argument("--target", action="append", default=[], metavar="SUITE=PERCENT",
                    help="extrapolate SUITE's curve to PERCENT (default: lc-bwd=85, issue 13's target)")
    ap.add_argument("--fit-from", type=int, default=40, help="fit the snapshots from this minute on")
    args = ap.parse_args()
    targets = {k: float(v) for k, v in (t.split("=", 1) for t in args.target or ["lc-bwd=85"])}
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
            seen, k, n = curves[s][m]
            tokens = tokens or seen
            lo, hi = wilson(k, n)
            cells.append(f"{100 * k / n:.0f} ({100 * lo:.0f}-{100 * hi:.0f})")
        tokens_cell = f"{tokens / 1e6:.0f}M" if tokens else "-"
        print(f"| {m} | {tokens_cell} | " + " | ".join(cells) + " |")
    fits = _extrapolation(curves, targets, args.fit_from)
    if args.png:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for s in args.suites:
            pts = sorted(curves[s].items())
            solved = [100 * k / n for _, (_, k, n) in pts]
            axes[0].plot([m for m, _ in pts], solved, "o-", label=s)
            with_tokens = [(tokens, 100 * k / n) for _, (tokens, k, n) in pts if tokens]
            axes[1].plot([t / 1e6 for t, _ in with_tokens], [v for _, v in with_tokens], "o-", label=s)
            if s in fits:
                beta, _, (reach, _, _) = fits[s]
                end = min(reach, 10 * pts[-1][0]) if np.isfinite(reach) else 10 * pts[-1][0]  # the plot stays readable
                line = np.geomspace(args.fit_from, max(end, pts[-1][0]))
                axes[0].plot(line, beta[0] + beta[1] * np.log2(line), "--", color="grey",
                             label=f"{s} fit: {targets[s]:.0f}% at ~{reach / 60:,.0f} core-h")
                axes[0].axhline(targets[s], color="grey", lw=0.5)
        axes[0].set_xscale("log")
        axes[0].set(xlabel="training minutes (one core, log scale)", ylabel="verified %, beam 10", ylim=(0, 100))
        axes[1].set(xlabel="training tokens (millions)", ylabel="verified %, beam 10", ylim=(0, 100))
        for ax in axes:
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7, loc="upper left")
        fig.suptitle("checkpoints/default: LSTM + Bahdanau, 1.14M parameters, from scratch")
        fig.tight_layout()
        with atomic_target(args.png) as tmp:
            fig.savefig(tmp, dpi=100, format="png")
        plt.close(fig)


if __name__ == "__main__":
    main()
