"""Whole-process wall time of `symseq integrate`, default (hybrid) against --mode sympy, on
problems SymPy answers at once: the issue-16 target is hybrid <= 1.2x sympy there.

Runs the two modes alternately (so drift in machine load hits both), ``--repeats`` times per
problem, and prints per problem the medians and their ratio, and over all runs the median
ratio with a bootstrap 95% interval.

    taskset -c 0 python experiments/speed/cli_speed.py --repeats 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import numpy as np

EASY = ["x*cos(x)", "exp(2*x)", "1/(1+x^2)", "x^3 - 2*x + 5", "sin(x)*cos(x)"]
SYMSEQ = [sys.executable, "-m", "symseq"]  # PYTHONPATH=other/checkout measures another checkout


def wall(args: list[str]) -> float:
    t = time.perf_counter()
    out = subprocess.run(SYMSEQ + args, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"symseq {' '.join(args)} failed: {out.stderr.strip()}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    ratios = []
    print("| problem | hybrid median s | sympy median s | ratio |")
    print("|---|---|---|---|")
    for problem in EASY:
        hybrid, sympy = [], []
        for _ in range(args.repeats):
            hybrid.append(wall(["integrate", problem]))
            sympy.append(wall(["integrate", problem, "--mode", "sympy"]))
        ratios += [h / s for h, s in zip(hybrid, sympy)]
        print(f"| {problem} | {statistics.median(hybrid):.2f} | {statistics.median(sympy):.2f} | "
              f"{statistics.median(hybrid) / statistics.median(sympy):.2f} |", flush=True)
    rng = np.random.default_rng(0)
    boots = [statistics.median(rng.choice(ratios, len(ratios))) for _ in range(2000)]
    print(f"\nratio hybrid/sympy over {len(ratios)} paired runs: median {statistics.median(ratios):.2f}, "
          f"95% interval {np.percentile(boots, 2.5):.2f}-{np.percentile(boots, 97.5):.2f}")


if __name__ == "__main__":
    main()
