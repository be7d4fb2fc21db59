"""Generation speed per task at Lample & Charton's settings, and an independent correctness audit.

For each task: generate N examples with 1 worker and with 2 workers (fresh folders, same seed),
report kept examples per second (after deduplication) and the 1 -> 2 worker speed-up, the
average token lengths, and the skip reasons.  Then re-check a sample of the emitted pairs with
SymPy's arbitrary-precision ``evalf`` on the decoded prefix strings (independent of the
generators' numpy screen) and count wrong pairs.

    python experiments/data/generate.py                      # all tasks, default sizes
    python experiments/data/generate.py --tasks bwd,ode1 --scale 0.2

Prints a Markdown table; paste it into experiments/RESULTS.md with the command used.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from generators import ExprConfig
from symseq.data.audit import audit_pair
from symseq.data.generate import GenerateConfig, generate
from symseq.data.dataset import iter_examples
from symseq.sandbox import run_in_sandbox

DEFAULT_N = {"bwd": 3000, "ibp": 600, "ode1": 1500, "ode2": 300, "fwd": 200}
# Lample & Charton's generator on this machine, one core (examples/s), from the issue.
REFERENCE = {"bwd": 3.8, "fwd": 0.22, "ode1": 1.2, "ibp": 0.02, "ode2": None}


def _audit(args) -> str:
    return audit_pair(*args)


def run_task(task: str, n: int, seed: int, workdir: Path, n_audit: int) -> dict:
    cfg = GenerateConfig(task=task, n=n, seed=seed, expr=ExprConfig(max_ops=15, max_int=5),
                         chunk_size=max(50, n // 10))
    rates, manifest = {}, None
    for workers in (1, 2):
        out = workdir / f"{task}-w{workers}"
        t = time.perf_counter()
        manifest = generate(cfg, out, workers=workers)
        rates[workers] = n / (time.perf_counter() - t)
    examples = list(iter_examples(workdir / f"{task}-w1"))
    q_len = sum(len(e.question.split()) for e in examples) / len(examples)
    a_len = sum(len(e.answer.split()) for e in examples) / len(examples)
    audit = {"ok": 0, "wrong": 0, "undefined": 0, "timeout": 0, "error": 0}
    for ex in examples[:n_audit]:
        out = run_in_sandbox(_audit, (task, ex.question, ex.answer), timeout=30)
        audit[out.value if out.ok else ("timeout" if out.status.value == "timeout" else "error")] += 1
    return {"task": task, "n": n, "rate1": rates[1], "rate2": rates[2], "q_len": q_len,
            "a_len": a_len, "draws": manifest["counts"]["draws"],
            "skipped": manifest["counts"]["skipped"], "audit": audit}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tasks", default="bwd,ibp,ode1,ode2,fwd")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the default sizes")
    ap.add_argument("--seed", type=int, default=100)
    ap.add_argument("--audit", type=int, default=500, help="pairs per task to re-check")
    ap.add_argument("--json", type=Path, default=None, help="also write raw results here")
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="symseq-bench-"))
    rows = []
    try:
        for task in args.tasks.split(","):
            rows.append(run_task(task, max(20, int(DEFAULT_N[task] * args.scale)), args.seed, workdir,
                                 args.audit))
            r = rows[-1]
            print(f"# {task}: {r['rate1']:.2f}/s (1 worker), {r['rate2']:.2f}/s (2 workers), "
                  f"audit {r['audit']}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n| task | n | examples/s, 1 worker | vs reference | 2 workers | speed-up | "
          "question / answer tokens | pairs audited: wrong |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        ref = REFERENCE[r["task"]]
        vs = f"{r['rate1'] / ref:.1f}x" if ref else "n/a"
        audited = sum(r["audit"].values())
        print(f"| {r['task']} | {r['n']} | {r['rate1']:.2f} | {vs} | {r['rate2']:.2f} | "
              f"{r['rate2'] / r['rate1']:.2f}x | {r['q_len']:.0f} / {r['a_len']:.0f} | "
              f"{audited}: {r['audit']['wrong']} (answer not real at any test point: "
              f"{r['audit']['undefined']}, audit timeouts: {r['audit']['timeout']}, "
              f"errors: {r['audit']['error']}) |")
    print("\nSkip reasons (1-worker run):")
    for r in rows:
        total = r["draws"]
        reasons = ", ".join(f"{k} {100 * v / total:.1f}%" for k, v in
                            sorted(r["skipped"].items(), key=lambda kv: -kv[1]))
        print(f"- {r['task']}: {r['n']} kept of {total} draws; {reasons}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
