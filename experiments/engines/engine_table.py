"""The README's engine tables, from benchmark records: solved % (95% Wilson interval) per suite
and engine, wrong answers caught per engine, the median time to a verified answer on the
problems every engine solved, which engine the hybrid's answers came from, and the ablations
(on the problems every configuration ran).

  python experiments/engines/engine_table.py results/engines/integrate results/engines/public \\
      results/engines/ode results/hybrid
"""

from __future__ import annotations

import random
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path


from symseq.bench.records import read_records
from symseq.bench.report import wilson

COLUMNS = ["sympy", "maxima", "fricas", "model-beam10", "hybrid-beam10"]


def ratio_interval(a: list[float], b: list[float], draws: int = 2000) -> tuple[float, float]:
    """95% bootstrap interval of median(a) / median(b), the problems resampled in pairs."""
    rng = random.Random(0)
    n, ratios = len(a), []
    for _ in range(draws):
        pick = [rng.randrange(n) for _ in range(n)]
        ratios.append(statistics.median(a[i] for i in pick) / max(1e-9, statistics.median(b[i] for i in pick)))
    ratios.sort()
    return ratios[int(0.025 * draws)], ratios[int(0.975 * draws) - 1]


def cell(rs) -> str:
    if not rs:
        return "-"
    k = sum(r.solved for r in rs)
    lo, hi = wilson(k, len(rs))
    return f"{100 * k / len(rs):.1f} ({100 * lo:.0f}-{100 * hi:.0f})"


def main(folders: list[str]) -> None:
    recs = [r for f in folders for r in read_records(Path(f) / "results.jsonl")]
    by = defaultdict(dict)  # (suite, engine) -> id -> record
    for r in recs:
        by[(r.suite, r.engine)][r.id] = r
    suites = sorted({s for s, _ in by})
    print("| suite | n | " + " | ".join(COLUMNS) + " | wrong answers caught (sympy / maxima / fricas) |")
    print("|---|---|" + "---|" * len(COLUMNS) + "---|")
    for s in suites:
        present = [set(by[(s, e)]) for e in COLUMNS if (s, e) in by]
        ids = set.intersection(*present)  # the problems every column ran
        cells = [cell([by[(s, e)][i] for i in ids if i in by.get((s, e), {})]) for e in COLUMNS]
        n = len(ids)
        wrong = " / ".join(str(sum(by[(s, e)][i].wrong for i in ids if i in by.get((s, e), {})))
                           for e in ("sympy", "maxima", "fricas"))
        print(f"| {s} | {n} | " + " | ".join(cells) + f" | {wrong} |")
    print()
    print("Median seconds to a verified answer on the problems that every engine and the hybrid solved:")
    print()
    print("| suite | n | " + " | ".join(COLUMNS) + " | hybrid / fastest engine (95% bootstrap) |")
    print("|---|---|" + "---|" * len(COLUMNS) + "---|")
    for s in suites:
        engines = [e for e in COLUMNS if e != "model-beam10" and (s, e) in by]
        common = set.intersection(*({i for i, r in by[(s, e)].items() if r.solved} for e in engines)) if engines else set()
        if not common or (s, "hybrid-beam10") not in by or len(engines) < 2:
            continue
        med = {e: statistics.median(by[(s, e)][i].seconds for i in common) for e in engines}
        fastest = min((v, e) for e, v in med.items() if e != "hybrid-beam10")[1]
        lo, hi = ratio_interval([by[(s, "hybrid-beam10")][i].seconds for i in sorted(common)],
                                [by[(s, fastest)][i].seconds for i in sorted(common)])
        print(f"| {s} | {len(common)} | " + " | ".join(f"{med[e]:.3f}" if e in med else "-" for e in COLUMNS)
              + f" | {med['hybrid-beam10'] / med[fastest]:.2f} ({lo:.2f}-{hi:.2f}) |")
    print()
    print("Who found the hybrid's answers:")
    print()
    for s in suites:
        used = Counter((r.engine_used or "none") for r in by.get((s, "hybrid-beam10"), {}).values() if r.solved)
        if used:
            print(f"- {s}: " + ", ".join(f"{e} {n}" for e, n in used.most_common()))
    ablations = sorted({e for _, e in by if e.startswith("hybrid-beam10-without")})
    if ablations:
        print()
        print("| suite | n | hybrid | " + " | ".join(a.replace("hybrid-beam10-", "") for a in ablations) + " |")
        print("|---|---|---|" + "---|" * len(ablations))
        for s in suites:
            runs = [by.get((s, a), {}) for a in ablations]
            if not all(runs):
                continue
            ids = set(by.get((s, "hybrid-beam10"), {})).intersection(*map(set, runs))
            print(f"| {s} | {len(ids)} | {cell([by[(s, 'hybrid-beam10')][i] for i in ids])} | "
                  + " | ".join(cell([r[i] for i in ids]) for r in runs) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
