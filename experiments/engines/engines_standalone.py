"""Each engine alone (a fresh program per problem) against the same engine inside symseq.

For every integration problem of the suites and every engine (sympy, fricas, maxima):

* standalone: FriCAS or Maxima started afresh for the one problem (their own input, written
  here, not through symseq's sessions), SymPy's ``integrate`` in a fresh sandboxed process;
  the same time limit; the answer then checked by the verifier (global or local);
* inside: ``symseq benchmark --engines <engine>`` (warm sessions kept from problem to problem,
  as in every benchmark, ``--file`` and ``serve``).

Writes into --out: ``inside/`` (the benchmark's own folder), ``standalone.jsonl`` (one record
per problem and engine, appended as it goes: an interrupted run resumes) and ``compare.md``: per
suite and engine the solved counts both ways, and every problem solved standalone but not
inside, with the reason symseq recorded.  Run it alone on the machine, pinned:

    taskset -c 0,1 .venv/bin/python experiments/engines/engines_standalone.py \\
        benchmarks/suites/textbook.jsonl benchmarks/suites/public-textbook.jsonl \\
        benchmarks/suites/public-hard.jsonl benchmarks/suites/lc-bwd --limit 200 \\
        --engines sympy,fricas,maxima --timeout 10 --out results/standalone
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

from symseq.bench.records import read_records
from symseq.bench.report import wilson
from symseq.bench.runner import load_suite, run_benchmark
from symseq.io import atomic_write_text
from symseq.lang.parse import InputError, parse_integrand
from symseq.sandbox import run_in_sandbox
from symseq.solve.engines import available, cas, run_engine
from symseq.solve.verifier import verify_candidate


def _fricas_alone(question, seconds: float) -> str | None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"alone{os.getpid()}"  # no '_' (FriCAS's string escape) in the path
        folder.mkdir()
        out = folder / "answer.txt"
        program = "\n".join([")set messages autoload off", ")set output algebra off",
                             f'o := open("{out}", "output")$TextFile',
                             f"r := integrate({cas.to_fricas(question)}, x)",
                             "writeLine!(o, unparse(r::InputForm))", "close! o", ")quit", ""])
        cas.run_program(["fricas", "-nosman"], program, seconds)
        lines = out.read_text().splitlines() if out.exists() else []
    if not lines or lines[0].startswith("["):
        return None
    return cas.to_sympy_text(lines[0], cas._FRICAS_NAMES)


def _maxima_alone(question, seconds: float) -> str | None:
    program = ("display2d:false$ linel:1000000$ "
               f'printf(true, "~%ANSWER ~a~%", string(integrate({cas.to_maxima(question)}, x)))$\n')
    out = cas.run_program(["maxima", "--very-quiet"], program, seconds)
    found = [line[len("ANSWER "):] for line in out.splitlines() if line.startswith("ANSWER ")]
    return cas.to_sympy_text(found[0], cas._MAXIMA_NAMES) if len(found) == 1 else None


def _sympy_alone(question, seconds: float) -> str | None:
    outcome = run_in_sandbox(run_engine, ("sympy", "integrate", question, seconds), timeout=seconds)
    if not outcome.ok:
        raise TimeoutError(outcome.status.value)
    # SymPy's own answer, not the continuous variant symseq adds to it (symseq.solve.rectify)
    return outcome.value[-1] if isinstance(outcome.value, list) else outcome.value


ALONE = {"fricas": _fricas_alone, "maxima": _maxima_alone, "sympy": _sympy_alone}


def standalone(problem, engine: str, seconds: float) -> dict:
    """One problem with one engine started afresh, its answer verified."""
    record = {"suite": problem.suite, "id": problem.id, "engine": engine, "question": problem.question}
    try:
        question, _ = parse_integrand(problem.question)
    except InputError as err:
        return {**record, "solved": False, "verdict": "invalid_input", "note": str(err)}
    t = time.perf_counter()
    try:
        answer = ALONE[engine](question, seconds)
    except TimeoutError as err:
        return {**record, "solved": False, "verdict": "timeout", "note": str(err),
                "seconds": round(time.perf_counter() - t, 3)}
    took = round(time.perf_counter() - t, 3)
    if answer is None:
        return {**record, "solved": False, "verdict": "unsolved", "seconds": took}
    v = verify_candidate("integrate", question, answer, numeric_timeout=seconds, proof_timeout=seconds)
    return {**record, "solved": v.verdict.solved, "local": v.verdict.solved and not v.verdict.is_global,
            "verdict": v.verdict.value, "answer": answer, "valid_on": v.valid_on or None, "seconds": took}


def _standalone_runs(problems, engines, seconds: float, path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    done = {(r["suite"], r["id"], r["engine"]) for r in rows}
    jobs = [(p, e) for p in problems for e in engines if (p.suite, p.id, e) not in done]
    with open(path, "a") as fh:
        for p, e in tqdm(jobs, desc="standalone", unit="run"):
            row = standalone(p, e, seconds)
            fh.write(json.dumps(row) + "\n")
            fh.flush()
            rows.append(row)
    return rows


def compare(rows: list[dict], inside_records, engines: list[str]) -> str:
    inside = {(r.suite, r.id, r.engine): r for r in inside_records}
    alone = {(r["suite"], r["id"], r["engine"]): r for r in rows}
    suites = sorted({k[0] for k in alone})
    lines = ["| suite | engine | n | standalone solved (local) | inside solved (local) | inside - standalone, points |",
             "|---|---|---|---|---|---|"]
    lost = []
    for suite in suites:
        for engine in engines:
            keys = [k for k in alone if k[0] == suite and k[2] == engine and k in inside]
            if not keys:
                continue
            n = len(keys)
            a = sum(alone[k]["solved"] for k in keys)
            a_local = sum(bool(alone[k].get("local")) for k in keys)
            i = sum(inside[k].solved for k in keys)
            i_local = sum(inside[k].solved and inside[k].local for k in keys)
            lo_a, hi_a = wilson(a, n)
            lo_i, hi_i = wilson(i, n)
            lines.append(f"| {suite} | {engine} | {n} | {a} ({a_local}) = {100 * a / n:.1f}% "
                         f"[{100 * lo_a:.0f}-{100 * hi_a:.0f}] | {i} ({i_local}) = {100 * i / n:.1f}% "
                         f"[{100 * lo_i:.0f}-{100 * hi_i:.0f}] | {100 * (i - a) / n:+.1f} |")
            for k in keys:
                if alone[k]["solved"] and not inside[k].solved:
                    r = inside[k]
                    reason = "; ".join(r.notes) or r.verdict
                    lost.append(f"| {suite} | {engine} | `{r.question}` | {alone[k]['verdict']} in "
                                f"{alone[k].get('seconds', 0):.2f} s | {r.verdict}: {reason[:160]} |")
    lines += ["", f"Solved standalone but not inside: {len(lost)}", "",
              "| suite | engine | question | standalone | inside (verdict: notes) |", "|---|---|---|---|---|", *lost]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("suites", nargs="+")
    ap.add_argument("--engines", default="sympy,fricas,maxima")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--limit", type=int, default=None, help="the first N problems of each suite")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    engines = [e for e in args.engines.split(",") if available(e)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    problems = [p for s in args.suites for p in load_suite(s, args.limit) if p.task == "integrate"]
    rows = _standalone_runs(problems, engines, args.timeout, out / "standalone.jsonl")
    bar = tqdm(desc="inside", unit="run")
    run_benchmark(args.suites, engines, [0], args.timeout, out / "inside", limit=args.limit,
                  progress=lambda done, total: (setattr(bar, "total", total), bar.update(done - bar.n)))
    bar.close()
    report = compare(rows, read_records(out / "inside" / "results.jsonl"), engines)
    atomic_write_text(out / "compare.md", report)
    print(report)


if __name__ == "__main__":
    main()
