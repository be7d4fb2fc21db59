import json

import pytest
from click.testing import CliRunner

from symseq.cli import main
from symseq.data.dataset import Example


def _suite(tmp_path):
    d = tmp_path / "suite"
    d.mkdir()
    lines = [Example("bwd", "mul x cos x", "x").to_line(), Example("bwd", "pow x INT+ 2", "x").to_line(),
             Example("ode1", "add f' mul INT- 1 f", "mul c1 exp x").to_line()]
    (d / "part-000-of-001-000000.txt").write_text("".join(lines))
    j = tmp_path / "extra.jsonl"
    j.write_text(json.dumps({"id": "hard", "question": "exp(x)/(x + sin(x))"}) + "\n")
    return d, j


@pytest.mark.slow
def test_benchmark_counts_match_records_and_resume(tmp_path):
    suite, extra = _suite(tmp_path)
    out = tmp_path / "out"
    args = ["benchmark", str(suite), str(extra), "--engines", "sympy", "--timeout", "3", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(records) == 4
    summary = json.loads((out / "summary.json").read_text())
    for row in summary["rows"]:
        rs = [r for r in records if r["suite"] == row["suite"] and r["engine"] == row["engine"]]
        assert row["problems"] == len(rs)
        assert abs(row["solved_pct"] - 100 * sum(r["solved"] for r in rs) / len(rs)) < 1e-9
    by_id = {(r["suite"], r["id"]): r for r in records}
    assert by_id[("suite", "0")]["solved"] and by_id[("suite", "2")]["solved"]
    assert not by_id[("extra", "hard")]["solved"]
    assert (out / "report.md").exists() and (out / "solved.png").exists()
    again = CliRunner().invoke(main, args)  # resumes: nothing new to run
    assert again.exit_code == 0
    assert len((out / "results.jsonl").read_text().splitlines()) == 4


def test_benchmark_bad_arguments(tmp_path):
    suite, _ = _suite(tmp_path)
    result = CliRunner().invoke(main, ["benchmark", str(suite), "--engines", "magic", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "unknown engine" in result.output


def test_shipped_textbook_suite_parses():
    from pathlib import Path

    from symseq.bench.runner import load_suite
    from symseq.lang.parse import parse_integrand

    problems = load_suite(Path(__file__).resolve().parents[2] / "benchmarks" / "suites" / "textbook.jsonl")
    assert len(problems) == 160 and len({p.id for p in problems}) == 160
    for p in problems:
        parse_integrand(p.question)


def test_load_suite_limit_reads_only_the_first_problems(tmp_path):
    from symseq.bench.runner import load_suite
    from symseq.data.dataset import DatasetError

    suite, extra = _suite(tmp_path)
    with open(suite / "part-000-of-001-000000.txt", "a") as f:
        f.write("not a dataset line\n")  # past the limit: must not be read
    assert [p.id for p in load_suite(suite, 2)] == ["0", "1"]
    with pytest.raises(DatasetError):
        load_suite(suite)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(extra.read_text() + "{broken\n")
    assert [p.id for p in load_suite(bad, 1)] == ["hard"]
    with pytest.raises(DatasetError):
        load_suite(bad)


@pytest.mark.slow
def test_benchmark_with_workers_a_tiny_checkpoint_and_limit(tmp_path):
    import torch

    from symseq.nn import checkpoint
    from symseq.nn.models import TransformerConfig, build_model
    from symseq.lang.vocab import Vocab

    vocab = Vocab.from_grammar()
    torch.manual_seed(0)
    model = build_model(TransformerConfig(d_model=16, n_heads=2, enc_layers=1, dec_layers=1, d_ff=32,
                                          max_len=64), vocab)
    checkpoint.save(tmp_path / "tiny", model, vocab, step=0, train_config={}, metrics={})
    suite, extra = _suite(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["benchmark", str(suite), str(extra), "--engines", "sympy,model,hybrid",
                                       "--beam", "2", "--timeout", "8", "--workers", "2", "--limit", "2",
                                       "--checkpoint", str(tmp_path / "tiny"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(records) == 3 * 3  # suite limited to 2 problems + 1 extra, 3 engines
    assert {r["engine"] for r in records} == {"sympy", "model-beam2", "hybrid-beam2"}
    solved = {(r["engine"], r["suite"], r["id"]): r["solved"] for r in records}
    assert solved[("sympy", "suite", "0")] and solved[("hybrid-beam2", "suite", "0")], records
    for (engine, s, i), ok in solved.items():
        if engine == "sympy" and ok:
            assert solved[("hybrid-beam2", s, i)]  # the race never loses what SymPy finds
    summary = json.loads((out / "summary.json").read_text())
    for row in summary["rows"]:
        rs = [r for r in records if r["suite"] == row["suite"] and r["engine"] == row["engine"]]
        assert row["problems"] == len(rs)
        assert abs(row["solved_pct"] - 100 * sum(r["solved"] for r in rs) / len(rs)) < 1e-9


def test_a_second_run_on_the_same_folder_is_refused_and_duplicates_count_once(tmp_path):
    import fcntl

    from symseq.bench.runner import summarize

    suite, _ = _suite(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / "results.jsonl", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        busy = CliRunner().invoke(main, ["benchmark", str(suite), "--engines", "sympy", "--out", str(out)])
        assert busy.exit_code == 2 and "another benchmark" in busy.output
    rec = {"suite": "s", "id": "1", "engine": "sympy", "solved": True, "wrong": False, "timeout": False,
           "seconds": 0.1, "size": 3}
    (out / "results.jsonl").write_text(json.dumps(rec) + "\n" + json.dumps({**rec, "solved": False}) + "\n")
    rows = summarize(out, 10)["rows"]
    assert rows[0]["problems"] == 1 and rows[0]["solved_pct"] == 100


@pytest.mark.slow
def test_eval_reports_the_shipped_model_on_a_suite():
    result = CliRunner().invoke(main, ["eval", "checkpoints/default", "benchmarks/suites/bwd6",
                                       "--limit", "4", "--beam", "2"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["n"] == 4 and 0 <= row["greedy_exact"] <= row["beam2_verified"] <= 1
    assert row["proved"] + row["numeric_only"] == row["beam2_verified"]


def test_wilson_interval_and_quantile():
    from symseq.bench.report import _quantile, wilson

    low, high = wilson(34, 40)  # 85%
    assert 0.70 < low < 0.72 and 0.92 < high < 0.94
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert _quantile([0.06, 2.04], 0.9) > _quantile([0.06, 2.04], 0.5)  # p90 >= median


def test_the_common_jsonl_schema_parameters_variables_and_definite_integrals(tmp_path):
    suite = tmp_path / "schema.jsonl"
    rows = [{"id": "param", "integrand": "exp(a*x)", "integral": "exp(a*x)/a"},
            {"id": "neg", "integrand": "exp(a*t)", "variable": "t", "assume": "a < 0"},
            {"id": "def", "integrand": "x**2", "lower": 0, "upper": 1, "value": "1/3"},
            {"id": "div", "integrand": "1/x", "lower": 1, "upper": "oo"},
            {"id": "ivp", "task": "ode2", "question": "y'' + y = 0", "ics": "y(0) = 0, y'(0) = 1"},
            {"id": "ivp-local", "task": "ode1", "question": "y' = 2*sqrt(y)", "ics": "y(0) = 1"}]
    suite.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["benchmark", str(suite), "--engines", "sympy", "--out", str(out)])
    assert result.exit_code == 0, result.output
    by_id = {r["id"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert by_id["param"]["solved"] and by_id["param"]["assumptions"] == "a > 0"
    assert by_id["neg"]["solved"] and by_id["neg"]["assumptions"] == "a < 0" and "t" in by_id["neg"]["answer"]
    assert by_id["def"]["verdict"] == "value" and by_id["def"]["answer"] == "1/3"
    assert by_id["div"]["verdict"] == "divergent" and by_id["div"]["answer"] == "oo"
    assert by_id["ivp"]["verdict"] == "proved" and by_id["ivp"]["answer"] == "sin(x)"
    assert by_id["ivp-local"]["verdict"] == "local" and by_id["ivp-local"]["valid_on"].startswith("-1 < x")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"integrand": "x", "lower": 0}) + "\n")
    from symseq.bench.runner import load_suite
    from symseq.data.dataset import DatasetError

    with pytest.raises(DatasetError, match="both 'lower' and 'upper'"):
        load_suite(bad)
    bad.write_text(json.dumps({"integrand": "x", "ics": "y(0) = 1"}) + "\n")
    with pytest.raises(DatasetError, match="for an ODE"):
        load_suite(bad)
