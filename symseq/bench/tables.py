"""The results tables of the README and docs/benchmarks.md, generated from committed result files,
so that they cannot go stale: ``make tables`` (``python -m symseq.bench.tables``) rewrites them.

Result files: ``benchmarks/results/<run>/summary.json`` as ``symseq benchmark --out`` wrote it
(``symseq.bench.report``), beside ``run.json``: ``{"command": ..., "date": ..., "machine": ...,
"engines": ...}`` saying how it was measured.  A generated table sits in a Markdown file between
``<!-- generated:results -->`` and ``<!-- end:results -->``; the rest of the file is left as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from symseq.io import atomic_write_text

RESULTS = Path("benchmarks") / "results"
TARGETS = (Path("README.md"), Path("docs") / "benchmarks.md")  # files holding the results table
SUITE_NAMES = {  # how a table names a suite; the suite's file name follows in backquotes
    "public-textbook": "Rubi-derived textbook integrals",
    "public-hard": "Rubi-derived hard integrals",
    "public-special": "Rubi integrals needing special functions",
    "public-params": "Rubi integrals with parameters (a > 0, ...)",
    "public-bee": "Integration Bee definite integrals",
    "textbook-ivp": "Initial value problems, written here",
    "public-pz": "Postel & Zimmermann's ODE review examples",
    "public-ode-books": "ODE exercises of two open textbooks (Trench, Lebl; 145 IVPs)",
    "textbook": "hand-written textbook integrals",
    "lc-bwd": "Lample & Charton's backward integrals",
    "lc-ode1": "Lample & Charton's first-order ODEs",
    "lc-ode2": "Lample & Charton's second-order ODEs",
}


@dataclass(frozen=True)
class Run:
    name: str  # the folder's name
    rows: list[dict]  # summary.json's rows: one per suite and engine
    meta: dict  # run.json


def load_runs(results: Path) -> list[Run]:
    """Every run under ``results``, in name order (a folder without both files is an error)."""
    runs = []
    for folder in sorted(p for p in results.iterdir() if p.is_dir()):
        try:
            summary = json.loads((folder / "summary.json").read_text())
            meta = json.loads((folder / "run.json").read_text())
        except (OSError, ValueError) as err:
            raise ValueError(f"{folder}: unreadable result files ({err})") from None
        runs.append(Run(folder.name, list(summary["rows"]), meta))
    return runs


def _suite(name: str) -> str:
    described = SUITE_NAMES.get(name)
    return f"{described} (`{name}`)" if described else f"`{name}`"


def results_table(runs: list[Run]) -> str:
    """One Markdown table of every row of every run, then how each run was measured."""
    lines = ["| suite (never trained on) | engine | n | global % | local % | solved % (95% CI) | "
             "implicit % | median s (solved) |",
             "|---|---|---|---|---|---|---|---|"]
    notes = []
    for run in runs:
        for r in run.rows:
            low, high = r["solved_ci95"]
            median = "-" if r.get("median_s") is None else f"{r['median_s']:.2f}"
            # ODE rows: solutions given only implicitly, never counted as solved ("-": not measured)
            implicit = "-" if r.get("implicit_pct") is None else f"{r['implicit_pct']:.1f}"
            lines.append(f"| {_suite(r['suite'])} | {r['engine']} | {r['problems']} | {r['global_pct']:.1f} | "
                         f"{r['local_pct']:.1f} | **{r['solved_pct']:.1f}** ({low:.1f}-{high:.1f}) | {implicit} | "
                         f"{median} |")
        m = run.meta
        notes.append(f"- `{run.name}`: `{m['command']}`, {m['date']}, {m['machine']}"
                     + (f"; {m['engines']}" if m.get("engines") else "") + ".")
    lines += ["", "Measured by (result files in `benchmarks/results/`; this table is written by `make tables`):"]
    return "\n".join(lines + notes)


def replace_block(text: str, name: str, content: str) -> str:
    """``text`` with what lies between the markers of block ``name`` replaced by ``content``."""
    pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- end:{name} -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"no <!-- generated:{name} --> ... <!-- end:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text, count=1)


def update(root: Path) -> list[Path]:
    """Rewrite the results table in every target file under ``root``; the files that changed."""
    table = results_table(load_runs(root / RESULTS))
    changed = []
    for target in TARGETS:
        path = root / target
        old = path.read_text(encoding="utf-8")
        new = replace_block(old, "results", table)
        if new != old:
            atomic_write_text(path, new)
            changed.append(path)
    return changed


def main() -> None:
    changed = update(Path.cwd())
    print("updated: " + ", ".join(map(str, changed)) if changed else "tables are up to date")


if __name__ == "__main__":
    main()
