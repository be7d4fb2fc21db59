"""The generated results tables: rebuilt from the committed result files, they equal what the
README and docs/benchmarks.md show (so those cannot go stale), and the block rewrite touches
nothing else."""

from pathlib import Path

import pytest

from symseq.bench.tables import RESULTS, TARGETS, Run, load_runs, replace_block, results_table

ROOT = Path(__file__).resolve().parents[2]


def test_the_shown_tables_are_those_the_result_files_give():
    table = results_table(load_runs(ROOT / RESULTS))
    for target in TARGETS:
        text = (ROOT / target).read_text()
        assert replace_block(text, "results", table) == text, f"{target} is stale: run `make tables`"


def test_a_table_row_reads_the_summary():
    row = {"suite": "lc-ode1", "engine": "hybrid-beam10", "problems": 200, "solved_pct": 75.0,
           "solved_ci95": [68.56, 80.51], "global_pct": 67.5, "local_pct": 7.5, "median_s": 1.234}
    table = results_table([Run("r1", [row], {"command": "symseq benchmark x", "date": "2026-12-03",
                                             "machine": "2 cores"})])
    assert "| Lample & Charton's first-order ODEs (`lc-ode1`) | hybrid-beam10 | 200 | 67.5 | 7.5 | " \
           "**75.0** (68.6-80.5) | - | 1.23 |" in table  # a run from before the implicit column: "-"
    assert "`r1`: `symseq benchmark x`, 2026-12-03, 2 cores." in table
    table = results_table([Run("r2", [{**row, "implicit_pct": 2.5}], {"command": "c", "date": "d", "machine": "m"})])
    assert "| **75.0** (68.6-80.5) | 2.5 | 1.23 |" in table


def test_only_the_block_is_replaced():
    text = "intro\n<!-- generated:results -->\nold\n<!-- end:results -->\noutro\n"
    assert replace_block(text, "results", "new") == "intro\n<!-- generated:results -->\nnew\n<!-- end:results -->\noutro\n"
    with pytest.raises(ValueError):
        replace_block("no markers", "results", "new")
