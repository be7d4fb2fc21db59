"""The benchmark's report, rebuilt from the records: ``summary.json`` (rates per suite and
engine, solved rates with a 95% Wilson interval), ``report.md`` (the same as a Markdown table) and ``solved.png`` (solved against the
time budget and question size, and per suite)."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

from symseq.bench.records import BenchRecord, read_records
from symseq.domain import Outcome
from symseq.io import atomic_target, atomic_write_json, atomic_write_text


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default) of a rate successes / n."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolation quantile of a sorted, non-empty list."""
    pos = q * (len(sorted_values) - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summarize(out: Path, timeout: float) -> dict:
    """Rebuild summary.json, report.md and solved.png in ``out`` from its records."""
    records = read_records(out / "results.jsonl")
    groups: dict[tuple[str, str], list[BenchRecord]] = {}
    for r in records:
        groups.setdefault((r.suite, r.engine), []).append(r)
    rows = []
    for (suite, engine), rs in sorted(groups.items()):
        solved = [r.seconds for r in rs if r.solved]
        solved.sort()
        low, high = wilson(len(solved), len(rs))
        rows.append({"suite": suite, "engine": engine, "problems": len(rs),
                     "solved_pct": 100 * len(solved) / len(rs),
                     "solved_ci95": [round(100 * low, 2), round(100 * high, 2)],
                     "global_pct": 100 * sum(r.solved and not r.local for r in rs) / len(rs),
                     "wrong_pct": 100 * sum(r.wrong for r in rs) / len(rs),
                     "timeout_pct": 100 * sum(r.timeout for r in rs) / len(rs),
                     "local_pct": 100 * sum(r.solved and r.local for r in rs) / len(rs),
                     # ODEs with no explicit answer but a verified implicit solution: never in solved
                     "implicit_pct": 100 * sum(r.verdict == Outcome.IMPLICIT.value for r in rs) / len(rs),
                     "median_s": statistics.median(solved) if solved else None,
                     "p90_s": _quantile(solved, 0.9) if solved else None})
    summary = {"timeout": timeout, "rows": rows}
    atomic_write_json(out / "summary.json", summary)
    lines = ["| suite | engine | problems | global % | local % | solved % | 95% interval | implicit % | wrong % "
             "| timeout % | median s (solved) | p90 s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        med = f"{r['median_s']:.2f}" if r["median_s"] is not None else "-"
        p90 = f"{r['p90_s']:.2f}" if r["p90_s"] is not None else "-"
        low, high = r["solved_ci95"]
        lines.append(f"| {r['suite']} | {r['engine']} | {r['problems']} | {r['global_pct']:.1f} | "
                     f"{r['local_pct']:.1f} | {r['solved_pct']:.1f} | {low:.1f}-{high:.1f} | {r['implicit_pct']:.1f} | "
                     f"{r['wrong_pct']:.1f} | "
                     f"{r['timeout_pct']:.1f} | {med} | {p90} |")
    atomic_write_text(out / "report.md", "\n".join(lines) + "\n")
    _plots(out, groups, timeout)
    return summary


def _plots(out: Path, groups: dict, timeout: float) -> None:
    """solved.png: per engine, over all problems, solved % against the time budget and against
    question size; and solved % per suite and engine."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    engines = sorted({e for _, e in groups})
    suites = sorted({s for s, _ in groups})
    pooled = {e: [r for (_, e2), rs in groups.items() if e2 == e for r in rs] for e in engines}
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(16, 4.5), gridspec_kw={"width_ratios": [1, 1, 1.6]})
    budgets = [timeout * i / 50 for i in range(1, 51)]
    for e, rs in pooled.items():
        ax1.plot(budgets, [100 * sum(r.solved and r.seconds <= b for r in rs) / len(rs)
                           for b in budgets], label=e)
        sized = [r for r in rs if r.size]
        if sized:
            bins = sorted({min(r.size // 20, 10) for r in sized})
            ax2.plot([20 * b for b in bins],
                     [100 * statistics.mean(r.solved for r in sized if min(r.size // 20, 10) == b)
                      for b in bins], "o-", label=e)
    width = 0.8 / max(len(engines), 1)
    for k, e in enumerate(engines):
        ax3.bar([i + k * width for i in range(len(suites))],
                [100 * statistics.mean(r.solved for r in groups[(s, e)]) if (s, e) in groups else 0
                 for s in suites], width, label=e)
    ax3.set_xticks([i + 0.4 - width / 2 for i in range(len(suites))], suites, rotation=30, ha="right",
                   fontsize=8)
    ax1.set(xlabel="time budget per problem (s)", ylabel="solved (verified) %, all suites", ylim=(0, 100))
    ax2.set(xlabel="question length (prefix tokens, bins of 20)", ylabel="solved %", ylim=(0, 100))
    ax3.set(ylabel="solved (verified) %", ylim=(0, 100), title=f"{timeout:g} s per problem")
    for ax in (ax1, ax2, ax3):
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.tight_layout()
    with atomic_target(out / "solved.png") as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
