"""Independent re-check of initial-value-problem benchmark answers: each answer shown must solve
its equation and meet each of its conditions.

    .venv/bin/python experiments/ode/ivp_audit.py benchmarks/suites/textbook-ivp.jsonl RESULTS_DIR

For every solved record: the residual of the equation (SymPy's ``simplify``; where that is not 0,
the residual at 40 digits at 20 points of the answer's interval, or of [-3, 3] minus where it is
undefined) and each condition's gap (40 digits and ``simplify``).  Prints each record that fails
and the counts.  The checks here do not use symseq's verifier.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sympy as sp

x = sp.Symbol("x", real=True)
y = sp.Function("y")


def _equation(text: str) -> sp.Expr:
    """``y'' + y = x`` as an expression in y(x) equal to 0 (our own small reader, not symseq's)."""
    text = text.replace("^", "**").replace("y''", "D2").replace("y'", "D1")
    D1, D2, Y = sp.symbols("D1 D2 Y")
    lhs, _, rhs = text.replace("y", "Y").partition("=")
    ns = {"x": x, "D1": D1, "D2": D2, "Y": Y}
    expr = sp.sympify(lhs, locals=ns) - (sp.sympify(rhs, locals=ns) if rhs else 0)
    return expr.subs({D2: y(x).diff(x, 2), D1: y(x).diff(x), Y: y(x)})


def _conditions(text: str) -> list[tuple[int, sp.Expr, sp.Expr]]:
    out = []
    for part in text.split(","):
        lhs, rhs = part.split("=")
        k = lhs.count("'")
        point = lhs[lhs.index("(") + 1:lhs.rindex(")")]
        out.append((k, sp.sympify(point), sp.sympify(rhs)))
    return out


def _solves(eq: sp.Expr, answer: sp.Expr, valid_on: str | None) -> bool:
    residual = eq.subs(y(x), answer).doit()
    if sp.simplify(residual) == 0:
        return True
    lo, hi = (sp.Rational(v) for v in valid_on.split(" < x < ")) if valid_on else (-3, 3)
    pts = [lo + (hi - lo) * sp.Rational(2 * k + 1, 40) for k in range(20)]  # exact points: 40 digits mean 40
    vals = [complex(sp.N(residual.subs(x, p), 40)) for p in pts]
    return all(abs(v) < 1e-25 for v in vals if v == v and abs(v) != float("inf"))


def main() -> None:
    suite, results = sys.argv[1], Path(sys.argv[2])
    problems = {p["id"]: p for p in map(json.loads, Path(suite).read_text().splitlines())}
    bad, checked = [], 0
    for line in (results / "results.jsonl").read_text().splitlines():
        r = json.loads(line)
        if not r["solved"]:
            continue
        p = problems[r["id"]]
        if not p.get("ics"):  # a general solution: the verifier's business, not an IVP's
            continue
        answer = sp.sympify(r["answer"], locals={"x": x})
        ok = _solves(_equation(p["question"]), answer, r.get("valid_on"))
        for k, point, value in _conditions(p["ics"]):
            gap = sp.diff(answer, x, k).subs(x, point) - value
            ok = ok and abs(complex(sp.N(gap, 40))) < 1e-30 and sp.simplify(gap) == 0
        checked += 1
        if not ok:
            bad.append((r["engine"], r["id"], r["answer"]))
    print(f"{checked} answers re-checked, {len(bad)} fail")
    for b in bad:
        print("  FAIL", *b)


if __name__ == "__main__":
    main()
