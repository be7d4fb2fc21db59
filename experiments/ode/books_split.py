"""The ODE textbook suite's results split as the issue's targets are: first order, second order
(both without conditions) and initial value problems, per engine, with 95% Wilson intervals.

    .venv/bin/python experiments/ode/books_split.py RESULTS_DIR [SUITE.jsonl]

SUITE defaults to benchmarks/suites/public-ode-books.jsonl (its ``ics`` says which problems are
IVPs); RESULTS_DIR is a ``symseq benchmark --out`` folder.  Solved = global + local; implicit
solutions are counted in their own column, never as solved.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from symseq.bench.report import wilson


def main(results: Path, suite: Path) -> None:
    kind = {}
    for line in suite.read_text().splitlines():
        obj = json.loads(line)
        kind[obj["id"]] = "IVP" if obj.get("ics") else {"ode1": "first order", "ode2": "second order"}[obj["task"]]
    counts: dict = defaultdict(lambda: [0, 0, 0])  # (engine, group) -> [n, solved, implicit]
    for line in (results / "results.jsonl").read_text().splitlines():
        r = json.loads(line)
        if r["id"] not in kind or r["suite"] != suite.stem:
            continue
        for group in (kind[r["id"]], "all"):
            c = counts[(r["engine"], group)]
            c[0] += 1
            c[1] += bool(r["solved"])
            c[2] += r.get("verdict") == "implicit"
    print("| engine | problems | n | solved % (95% CI) | implicit % |")
    print("|---|---|---|---|---|")
    for (engine, group), (n, solved, implicit) in sorted(counts.items()):
        lo, hi = wilson(solved, n)
        print(f"| {engine} | {group} | {n} | {100 * solved / n:.1f} ({100 * lo:.1f}-{100 * hi:.1f}) "
              f"| {100 * implicit / n:.1f} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "benchmarks/suites/public-ode-books.jsonl"))
