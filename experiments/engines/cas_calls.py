"""Per-call time of FriCAS and Maxima: a fresh process per call against one persistent session
(what the engines use, ``symseq.solve.engines.cas.Session``), on the same easy integrals.

  taskset -c 0 python experiments/engines/cas_calls.py [--repeats 3]

Prints, per system and way, n, the median and the p90 of the wall time per call.
"""

from __future__ import annotations

import argparse
import statistics
import time


import sympy as sp

from generators.symbols import X
from symseq.solve.engines import cas

PROBLEMS = [X * sp.cos(X), 1 / (X**2 + 4), sp.sin(X)**3, X**2 * sp.exp(X), sp.log(X) / X,
            sp.sqrt(1 - X**2), sp.atan(X), X / (X**2 + 1)]


def fresh(system: str, q: sp.Expr) -> None:
    """One call in a fresh process (the program started, asked, and ended)."""
    if system == "maxima":
        script = (f'display2d:false$ linel:1000000$ printf(true, "~%SYMSEQ ~a~%", '
                  f'string(integrate({cas.to_maxima(q)}, x)))$')
        out = cas.run_program(["maxima", "--very-quiet", f"--batch-string={script}"], "", 30)
    else:
        out = cas.run_program(["fricas", "-nosman"], "\n".join([
            ")set messages autoload off", f"output(unparse(integrate({cas.to_fricas(q)}, x)::InputForm))",
            ")quit", ""]), 30)
    assert ("SYMSEQ " if system == "maxima" else "Type: Void") in out, out  # it answered


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    for system in ("fricas", "maxima"):
        if not cas.installed(system):
            print(f"{system}: not installed")
            continue
        solve = getattr(cas, system)
        solve("integrate", X, 30)  # the session's start, not timed (a warm worker has it already)
        for way, call in (("fresh process", lambda q: fresh(system, q)),
                          ("session", lambda q: solve("integrate", q, 30))):
            times = []
            for _ in range(args.repeats):
                for q in PROBLEMS:
                    t = time.perf_counter()
                    call(q)
                    times.append(time.perf_counter() - t)
            times.sort()
            print(f"{system:7s} {way:14s} n={len(times)} median {1000 * statistics.median(times):7.1f} ms"
                  f"  p90 {1000 * times[int(0.9 * len(times))]:7.1f} ms")


if __name__ == "__main__":
    main()
