"""Throughput of the Dask executor with 1 and 2 local workers, and its overhead per task.

    taskset -c 0,1 .venv/bin/python experiments/cluster/scaling.py [--reps 4] [--n 3000] [--local]

For each repetition (the worker counts alternate which goes first), a local cluster of W workers
is started and warmed (one small generation, so imports and sandbox forks are not timed), then:
generation of ``--n`` bwd examples (seed = repetition), and a benchmark of the fwd suite (150
problems, SymPy engine, 10 s; timed whole, and its solving phase alone: from the suite loaded to
the last record, without the report and plot written after it).  Prints each run and, per W, the
mean rate with a 95% t-interval; then the speed-up 2 vs 1 (mean of the paired ratios, t-interval),
the overhead per task (no-op tasks, one at a time and pipelined), the cluster's start time, and how
busy the machine was over the run (/proc/stat: anything else running shows there).  Nothing else
may run.  ``--local``: the same jobs on the local executor (``--workers`` 1 and 2; no per-task
overhead to measure), the reference the cluster's figures compare with.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from generators import ExprConfig
from symseq.bench.runner import run_benchmark
from symseq.data.generate import GenerateConfig, generate
from symseq.exec import open_executor

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "benchmarks" / "suites" / "fwd"
T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31}


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine so far."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _noop(x):
    return x


def mean_ci(xs: list[float]) -> tuple[float, float]:
    m = statistics.mean(xs)
    half = T95[len(xs) - 1] * statistics.stdev(xs) / math.sqrt(len(xs)) if len(xs) > 1 else float("nan")
    return m, half


def overhead(ex, n: int = 300) -> tuple[float, float]:
    """ms per no-op task: one in flight at a time (latency), and pipelined (the default)."""
    t = time.perf_counter()
    for _ in ex.imap_unordered(_noop, ((i, (i,)) for i in range(n)), in_flight=1):
        pass
    one = (time.perf_counter() - t) / n * 1000
    t = time.perf_counter()
    for _ in ex.imap_unordered(_noop, ((i, (i,)) for i in range(n))):
        pass
    return one, (time.perf_counter() - t) / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=4)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--local", action="store_true",
                    help="the same jobs with the local executor (--workers), for reference")
    args = ap.parse_args()
    wall0, (busy0, total0) = time.perf_counter(), cpu_jiffies()
    rates: dict[str, dict[int, list[float]]] = {"generate": {1: [], 2: []}, "benchmark": {1: [], 2: []},
                                                "benchmark, solving phase": {1: [], 2: []}}
    starts, overheads = {1: [], 2: []}, {1: [], 2: []}
    scratch = Path(tempfile.mkdtemp(prefix="scaling-"))
    for rep in range(args.reps):
        for workers in ((1, 2) if rep % 2 == 0 else (2, 1)):
            t = time.perf_counter()
            with (contextlib.nullcontext() if args.local else open_executor("dask", workers=workers)) as ex:
                warm = GenerateConfig(task="bwd", n=50 * workers, seed=10_000 + rep, expr=ExprConfig())
                generate(warm, scratch / f"warm-{rep}-{workers}", executor=ex, workers=workers)
                starts[workers].append(time.perf_counter() - t)
                overheads[workers].append(overhead(ex) if ex is not None else (float("nan"),) * 2)
                cfg = GenerateConfig(task="bwd", n=args.n, seed=rep, expr=ExprConfig())
                t = time.perf_counter()
                generate(cfg, scratch / f"gen-{rep}-{workers}", executor=ex, workers=workers)
                gen_rate = args.n / (time.perf_counter() - t)
                t, marks = time.perf_counter(), []
                out = scratch / f"bench-{rep}-{workers}"
                run_benchmark([str(SUITE)], ["sympy"], [0], 10.0, out, executor=ex, workers=workers,
                              progress=lambda done, total: marks.append(time.perf_counter()))
                bench_rate = 150 / (time.perf_counter() - t)
                solve_rate = 150 / (marks[-1] - marks[0])  # suite loaded -> last record written
            solved = sum(json.loads(line)["solved"] for line in (out / "results.jsonl").read_text().splitlines())
            rates["generate"][workers].append(gen_rate)
            rates["benchmark"][workers].append(bench_rate)
            rates["benchmark, solving phase"][workers].append(solve_rate)
            print(json.dumps({"rep": rep, "workers": workers, "generate_examples_per_s": round(gen_rate, 1),
                              "benchmark_problems_per_s": round(bench_rate, 2),
                              "solving_phase_problems_per_s": round(solve_rate, 2), "solved": solved,
                              "start_and_warm_s": round(starts[workers][-1], 2),
                              "overhead_ms_latency_pipelined": [round(v, 2) for v in overheads[workers][-1]]}),
                  flush=True)
    for job, by in rates.items():
        for w, xs in by.items():
            m, h = mean_ci(xs)
            print(f"{job}: {w} worker(s): {m:.2f} +- {h:.2f} per s (n = {len(xs)})")
        r, h = mean_ci([b / a for a, b in zip(by[1], by[2])])  # paired: the same seed / suite
        print(f"{job}: speed-up 2 vs 1 worker (mean of paired ratios): {r:.2f} (95% {r - h:.2f}-{r + h:.2f})")
    for w in (1, 2):
        lat = [o[0] for o in overheads[w]]
        pipe = [o[1] for o in overheads[w]]
        print(f"{w} worker(s): per no-op task {statistics.mean(lat):.2f} ms one at a time, "
              f"{statistics.mean(pipe):.2f} ms pipelined; start + warm-up {statistics.mean(starts[w]):.1f} s")
    busy1, total1 = cpu_jiffies()
    print(f"wall {time.perf_counter() - wall0:.0f} s; machine busy {(busy1 - busy0) / (total1 - total0):.0%} "
          f"of {os.cpu_count()} cores over the run (/proc/stat)")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
