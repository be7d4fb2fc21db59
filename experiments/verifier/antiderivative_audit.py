"""Re-check a benchmark's antiderivatives independently of the verifier: F'(x) by mpmath's numeric
differentiation (not SymPy's derivative) at many points where f is real, against f.

    python experiments/verifier/antiderivative_audit.py RESULTS.jsonl [--engine-used elliptic] [--points 200]

Points are drawn from [-6, 6], or from a LOCAL answer's intervals (``valid_on``).
Prints one line per solved row (id, points compared, worst relative error) and a total; a row
whose worst error exceeds 1e-8 is reported as a MISMATCH.  A point where F or f is not real
(outside the answer's interval) or not finite is skipped, and the count of compared points says
how many were left.
"""

from __future__ import annotations

import argparse
import json
import random
import re

import mpmath
import sympy as sp

from generators.symbols import X
from symseq.lang.parse import InputError, parse_answer


def _end(text: str) -> float:
    return float(parse_answer(text.strip(), {"x": X, "pi": sp.pi, "E": sp.E}))


def _ranges(valid_on: str | None) -> list[tuple[float, float]] | None:
    """A LOCAL answer's intervals ("-0.7071 < x < 0.7071", "x > 1", joined by ", ", "; " or " or ") as
    (lo, hi), infinite ends cut at 6; the whole [-6, 6] when there are none; None when an end is
    not a number (a parameter in it)."""
    if not valid_on:
        return [(-6.0, 6.0)]
    out = []
    try:
        for part in re.split(r",|;| or ", valid_on):
            if m := re.fullmatch(r"\s*(.+?) < x < (.+?)\s*", part):
                out.append((_end(m[1]), _end(m[2])))
            elif m := re.fullmatch(r"\s*x ([<>]) (.+?)\s*", part):
                out.append((_end(m[2]), 6.0) if m[1] == ">" else (-6.0, _end(m[2])))
            else:
                return None
    except (TypeError, ValueError, InputError):
        return None
    return out


def audit(question: str, answer: str, points: int, seed: int = 0,
          ranges: list[tuple[float, float]] = ((-6.0, 6.0),)) -> tuple[int, float]:
    f = parse_answer(question, {"x": X, "E": sp.E})  # other names: plain symbols (parameters)
    F = parse_answer(answer, {"x": X, "E": sp.E, **{s.name: s for s in f.free_symbols}})
    params = {s: sp.Rational(random.Random(seed + i).randint(12, 31), 10) for i, s in enumerate(f.free_symbols - {X})}
    f_n = sp.lambdify(X, f.subs(params), "mpmath")
    F_n = sp.lambdify(X, F.subs(params), "mpmath")
    rng = random.Random(seed)
    compared, worst = 0, 0.0
    mpmath.mp.dps = 30
    for _ in range(points):
        lo, hi = rng.choice(ranges)
        x0 = mpmath.mpf(rng.uniform(lo, hi))
        try:
            y = f_n(x0)
            dF = mpmath.diff(F_n, x0)
        except Exception:  # noqa: BLE001 -- not evaluable there (atan2 of complex values, poles, ...)
            continue
        if not (mpmath.isfinite(y) and mpmath.isfinite(dF)) or abs(mpmath.im(y)) > 1e-20 or abs(mpmath.im(dF)) > 1e-12:
            continue
        compared += 1
        worst = max(worst, float(abs(dF - y) / (1 + abs(y))))
    return compared, worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--engine-used", default=None, help="only rows answered by this engine")
    ap.add_argument("--points", type=int, default=200)
    args = ap.parse_args()
    mismatches = checked = 0
    for line in open(args.results):
        row = json.loads(line)
        if not row.get("solved") or row.get("task") != "integrate" or not row.get("answer"):
            continue
        if args.engine_used and row.get("engine_used") != args.engine_used:
            continue
        ranges = _ranges(row.get("valid_on"))
        if ranges is None:
            print(f"{row['id']}: skipped (interval {row['valid_on']!r} not numeric)")
            continue
        compared, worst = audit(row["question"], row["answer"], args.points, ranges=ranges)
        bad = compared == 0 or worst > 1e-8
        mismatches += bad
        checked += 1
        print(f"{row['id']}: {compared} points, worst relative error {worst:.1e}{'  MISMATCH' if bad else ''}")
    print(f"{checked} answers re-checked, {mismatches} mismatches")


if __name__ == "__main__":
    main()
