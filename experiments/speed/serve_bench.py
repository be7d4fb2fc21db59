"""The service under measurement: per-problem latency against SymPy's own in-process time, and a
bounded load test.  Starts ``symseq serve`` as a separate process on loopback.

  python experiments/speed/serve_bench.py latency [--suite S] [--limit N]   # warm server, one at a time
  python experiments/speed/serve_bench.py load [--requests 200] [--concurrency 16]

latency: each textbook problem is sent twice (the first warms the caches a long-running server
has anyway; the second is timed) and integrated in this process by SymPy (timed after a warm-up
call, the way a SymPy user in a notebook would see it).  Reports, on the problems SymPy solves,
the median server latency and the median SymPy time, with their difference.
load: ``--requests`` problems drawn from the suite, ``--concurrency`` in flight at once; every
answer is checked here independently (SymPy: d/dx answer - integrand simplifies to 0, or is 0 at
5 points to 1e-8); prints answered / refused / wrong and latency percentiles.
Set SYMSEQ_WARM_WORKERS=0 to measure the server without warm sandbox workers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository (the server runs there)


def start_server(workers: int, queue: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "symseq", "serve", "--port", str(port), "--workers",
                             str(workers), "--queue", str(queue)], cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("the server did not start")


def post(url: str, body: dict) -> tuple[int, dict, float]:
    t = time.perf_counter()
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, out = r.status, json.load(r)
    except urllib.error.HTTPError as err:
        status, out = err.code, json.load(err)
    return status, out, time.perf_counter() - t


def questions(suite: str) -> list[str]:
    from symseq.bench.runner import load_suite

    return [p.question for p in load_suite(suite) if p.task == "integrate"]


def sympy_seconds(question: str, timeout: float = 10.0) -> float | None:
    """SymPy's own time for ``integrate`` in a fresh-ish process (None: no answer in time)."""
    code = ("import sys, time, sympy as sp\nfrom sympy.parsing.sympy_parser import parse_expr, standard_transformations, "
            "implicit_multiplication_application, convert_xor\nx = sp.Symbol('x', real=True)\n"
            "e = parse_expr(sys.argv[1], {'x': x}, transformations=standard_transformations + "
            "(implicit_multiplication_application, convert_xor))\nsp.integrate(x*sp.cos(x), x)\n"
            "t = time.perf_counter(); r = sp.integrate(e, x); s = time.perf_counter() - t\n"
            "print(-1 if r.has(sp.Integral) else s)")
    try:
        out = subprocess.run([sys.executable, "-c", code, question], capture_output=True, text=True,
                             timeout=timeout + 5).stdout.strip()
        value = float(out)
    except (subprocess.TimeoutExpired, ValueError):
        return None
    return None if value < 0 or value > timeout else value


def latency(args) -> None:
    qs = questions(args.suite)[:args.limit]
    proc, url = start_server(1, 4)
    try:
        rows = []
        for q in qs:
            post(url + "/integrate", {"question": q, "timeout": 10})
            status, out, seconds = post(url + "/integrate", {"question": q, "timeout": 10})
            rows.append((q, out.get("answer") is not None, seconds, sympy_seconds(q)))
    finally:
        proc.terminate()
        proc.wait()
    both = [(s, t) for _, solved, s, t in rows if solved and t is not None]
    server = statistics.median(s for s, _ in both)
    own = statistics.median(t for _, t in both)
    diffs = sorted(s - t for s, t in both)
    print(json.dumps({"suite": args.suite, "problems": len(rows), "server_solved": sum(r[1] for r in rows),
                      "sympy_solved": sum(r[3] is not None for r in rows), "compared": len(both),
                      "server_p50_s": round(server, 4), "sympy_in_process_p50_s": round(own, 4),
                      "p50_of_difference_s": round(statistics.median(diffs), 4),
                      "warm_workers": os.environ.get("SYMSEQ_WARM_WORKERS", "1") != "0"}, indent=1))


def correct(question: str, answer: str) -> bool:
    import random

    import sympy as sp

    from symseq.lang.parse import parse_answer, parse_integrand

    from generators.symbols import X

    f, var = parse_integrand(question, None)  # f is written in X; the answer in the user's name
    a = parse_answer(answer, {var.name: X})
    residual = sp.diff(a, X) - f
    if sp.simplify(residual) == 0:
        return True
    rng = random.Random(0)
    return all(abs(complex(residual.subs(X, rng.uniform(0.2, 2.0)).evalf(30))) < 1e-8 for _ in range(5))


def load(args) -> None:
    import random

    qs = questions(args.suite)
    rng = random.Random(0)
    batch = [rng.choice(qs) for _ in range(args.requests)]
    proc, url = start_server(args.workers, args.requests)

    async def one(q, sem, out):
        async with sem:
            out.append((q, *await asyncio.to_thread(post, url + "/integrate",
                                                    {"question": q, "timeout": 10})))

    async def run():
        sem, out = asyncio.Semaphore(args.concurrency), []
        await asyncio.gather(*(one(q, sem, out) for q in batch))
        return out

    try:
        t = time.perf_counter()
        results = asyncio.run(run())
        wall = time.perf_counter() - t
    finally:
        proc.terminate()
        proc.wait()
    lat = sorted(r[3] for r in results)
    solved = [(q, body["answer"]) for q, status, body, _ in results if status == 200 and body.get("answer")]
    wrong = [q for q, a in solved if not correct(q, a)]
    pct = lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))], 3)  # noqa: E731
    print(json.dumps({"requests": len(batch), "concurrency": args.concurrency, "workers": args.workers,
                      "answered_200": sum(r[1] == 200 for r in results),
                      "other_status": sorted({r[1] for r in results} - {200}), "solved": len(solved),
                      "wrong": len(wrong), "wall_s": round(wall, 2),
                      "throughput_per_s": round(len(batch) / wall, 2),
                      "latency_s": {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": lat[-1]}},
                     indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("latency", "load"))
    ap.add_argument("--suite", default=str(ROOT / "benchmarks/suites/textbook.jsonl"))
    ap.add_argument("--limit", type=int, default=160)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    latency(args) if args.what == "latency" else load(args)


if __name__ == "__main__":
    main()
