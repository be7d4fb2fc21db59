"""Audit of definite-integral benchmark results against the suite's reference values, and SymPy's
own ``integrate(f, (x, a, b))`` judged the same way (its wrong values counted and listed).

    .venv/bin/python experiments/definite/audit.py benchmarks/suites/public-bee.jsonl RESULTS_DIR [--sympy-raw]

For every record of RESULTS_DIR/results.jsonl with a value, the value is compared at 30 digits
with the suite's ``value`` (relative 1e-10): a disagreement is a wrong value shown.  With
``--sympy-raw``, SymPy's definite integral of each problem is computed in a sandboxed child (10 s,
the benchmark's limit) and judged the same way: right, wrong (a finite real value that disagrees),
or none (unevaluated, complex, infinite for a finite reference, an error or a timeout).
A problem with parameters counts as none in the raw run (its value holds a symbol).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import mpmath
import sympy as sp

from symseq.sandbox import Status, run_in_sandbox

TOLERANCE = 1e-10


def _number(text: str) -> mpmath.mpc | None:
    """The value at 30 digits as an mpmath number (no float: 2024! and 1e-882 are suite values)."""
    try:
        with mpmath.workdps(30):
            return mpmath.mpc(sp.N(sp.sympify(text, locals={"E": sp.E}), 30))
    except (TypeError, ValueError, sp.SympifyError):
        return None


def _agrees(shown: str, reference: str) -> bool:
    a, b = _number(shown), _number(reference)
    with mpmath.workdps(30):
        return a is not None and b is not None and abs(a - b) <= TOLERANCE * max(1, abs(b))


def _raw_sympy(problem: dict) -> str | None:
    from symseq.lang.bounds import parse_definite

    f, _, a, b = parse_definite(problem["question"], problem.get("variable"), problem["lower"], problem["upper"],
                                problem.get("assume"))
    from generators.symbols import X

    value = sp.integrate(f, (X, a, b))
    if value.has(sp.Integral) or value.free_symbols:
        return None
    return sp.sstr(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("suite")
    ap.add_argument("results")
    ap.add_argument("--sympy-raw", action="store_true")
    args = ap.parse_args()
    problems = {p["id"]: p for p in map(json.loads, Path(args.suite).read_text().splitlines())}
    wrong, shown = [], {}
    for line in (Path(args.results) / "results.jsonl").read_text().splitlines():
        r = json.loads(line)
        if r["verdict"] == "value":
            shown[r["engine"]] = shown.get(r["engine"], 0) + 1
            if not _agrees(r["answer"], problems[r["id"]]["value"]):
                wrong.append((r["engine"], r["id"], r["answer"], problems[r["id"]]["value"]))
    for engine, n in sorted(shown.items()):
        bad = [w for w in wrong if w[0] == engine]
        print(f"{engine}: {n} values shown, {len(bad)} disagree with the reference")
        for w in bad:
            print("   ", *w[1:])
    if not args.sympy_raw:
        return
    counts = {"right": [], "wrong": [], "none": []}
    for pid, p in problems.items():
        out = run_in_sandbox(_raw_sympy, p, timeout=10.0, memory_mb=4000)
        text = out.value if out.status is Status.OK else None
        if text is None or _number(text) is None or abs(_number(text).imag) > 1e-12 * (1 + abs(_number(text))):
            counts["none"].append(pid)
        elif _agrees(text, p["value"]):
            counts["right"].append(pid)
        else:
            counts["wrong"].append((pid, text, p["value"]))
        print(pid, "right" if pid in counts["right"] else "none" if pid in counts["none"] else "WRONG", flush=True)
    n = len(problems)
    print(f"SymPy integrate(f, (x, a, b)) raw: right {len(counts['right'])}/{n}, "
          f"wrong {len(counts['wrong'])}/{n}, none {len(counts['none'])}/{n}")
    for pid, got, ref in counts["wrong"]:
        print(f"    WRONG {pid}: SymPy {got}  reference {ref}")


if __name__ == "__main__":
    main()
