"""Expert iteration (symseq harvest): pairs are the race's verified global answers to the model's
misses, counted by source; the run resumes; bad folders and models are clear errors."""

import json
from collections import Counter

import pytest
import sympy as sp
from click.testing import CliRunner

from generators.symbols import C1, X
from symseq.bench import harvest as hv
from symseq.bench.records import BenchRecord
from symseq.cli import main
from symseq.data.dataset import DatasetError, Example, iter_examples, part_name
from symseq.lang.prefix import from_prefix, to_prefix, tokens_to_str
from symseq.numerics.numeric import Check, check_zero
from symseq.solve.distill import answer_tokens


def _prefix(expr) -> str:
    return tokens_to_str(to_prefix(expr))


def _suite(tmp_path, exprs, task="bwd"):
    folder = tmp_path / "suite"
    folder.mkdir()
    (folder / part_name(0, 1, 0)).write_text("".join(Example(task, _prefix(e), _prefix(e)).to_line() for e in exprs))
    return folder


def _rec(i, solved, engine_used=None, answer=None, verdict="proved", local=False):
    return BenchRecord("s", str(i), "hybrid-beam10", solved, 1.0, verdict=verdict if solved else "unsolved",
                       answer=answer, local=local, engine_used=engine_used)


def test_answer_tokens_drop_an_antiderivatives_constant_and_keep_an_odes():
    assert answer_tokens("integrate", "x**2/2 + 7") == _prefix(X**2 / 2)
    assert from_prefix(answer_tokens("ode1", "c1*exp(x) + 3")) == C1 * sp.exp(X) + 3
    assert answer_tokens("integrate", "besselj(0, x)") is None  # not in the model's language
    assert answer_tokens("integrate", " + ".join(f"x**{k}" for k in range(2, 80))) is None  # too long
    assert answer_tokens("integrate", "__import__('os')") is None


def test_sources_are_coarsened_for_counting():
    assert [hv.source_of(e) for e in ("repair:residual", "model/trig", "model/wide", "model", "fricas", None)] == \
        ["repair", "rewrite", "model/wide", "model", "fricas", "unknown"]


def test_pairs_are_the_verified_global_answers_only():
    examples = [Example("bwd", _prefix(sp.cos(X) * k), "x") for k in (1, 2, 3, 4)]
    records = [_rec(0, True, "maxima", "sin(x)"), _rec(1, False), _rec(2, True, "subst", "2*sin(x)", "local", True),
               _rec(3, True, "repair:coefficients", "3*sin(x) + 1", "numeric_only")]
    counts = Counter()
    pairs = hv.pairs_from_records(examples, records, counts)
    assert [(p.question, p.answer) for p in pairs] == [(examples[0].question, _prefix(sp.sin(X))),
                                                       (examples[3].question, _prefix(3 * sp.sin(X)))]
    assert counts == {"pairs from maxima": 1, "pairs from repair": 1, "race: unsolved": 1,
                      "race: local (not kept)": 1}


def _fake_benchmark(solved_by_model: set[int], race: dict[int, tuple[str, str]], calls: list):
    """A stand-in for run_benchmark: the model solves the listed problems; the race answers misses."""
    def run(suites, engines, beams, timeout, out, checkpoint=None, workers=1, limit=None, progress=None,
            without=()):
        calls.append(engines[0])
        from symseq.bench.runner import load_suite
        out.mkdir(parents=True, exist_ok=True)
        lines = []
        for p in load_suite(suites[0], limit):
            i = int(p.id)
            if engines == ["model"]:
                rec = BenchRecord(p.suite, p.id, "model-beam10-without-widen", i in solved_by_model, 0.5,
                                  verdict="proved" if i in solved_by_model else "unsolved")
            else:
                engine, answer = race.get(i, (None, None))
                rec = _rec(i, answer is not None, engine, answer)
            lines.append(json.dumps(rec.to_json()) + "\n")
        (out / "results.jsonl").write_text("".join(lines))
    return run


def test_harvest_races_the_misses_only_and_writes_their_pairs(tmp_path, monkeypatch):
    import symseq.bench.runner as runner

    suite = _suite(tmp_path, [2 * X, sp.cos(X), sp.exp(X)])
    calls: list = []
    # the model solves problem 0; the race's problems are the misses, renumbered: 0 = cos, 1 = exp
    monkeypatch.setattr(runner, "run_benchmark", _fake_benchmark({0}, {0: ("fricas", "sin(x) + 2")}, calls))
    m = hv.harvest(suite, tmp_path / "h")
    assert calls == ["model", "hybrid"]
    assert [ex.question for ex in iter_examples(tmp_path / "h" / "misses")] == [_prefix(sp.cos(X)), _prefix(sp.exp(X))]
    pairs = list(iter_examples(tmp_path / "h" / "pairs"))
    assert [(p.task, p.question, p.answer) for p in pairs] == [("bwd", _prefix(sp.cos(X)), _prefix(sp.sin(X)))]
    assert (m["problems"], m["model_solved"], m["model_missed"], m["race_solved"], m["pairs"]) == (3, 1, 2, 1, 1)
    assert json.loads((tmp_path / "h" / "pairs" / "manifest-000-of-001.json").read_text())["pairs"] == 1

    (tmp_path / "other").mkdir()
    with pytest.raises(DatasetError, match="another suite"):
        hv.harvest(_suite(tmp_path / "other", [X]), tmp_path / "h")
    with pytest.raises(DatasetError, match="another suite, model, beam"):
        hv.harvest(suite, tmp_path / "h", beam=5)
    assert calls == ["model", "hybrid"]  # refused before any solving


def test_a_foreign_folder_and_a_corrupt_model_are_refused_untouched(tmp_path):
    suite = _suite(tmp_path, [2 * X])
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    with pytest.raises(DatasetError, match="not empty"):
        hv.harvest(suite, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "config.json").write_text("{not json")
    result = CliRunner().invoke(main, ["harvest", str(suite), "--checkpoint", str(tmp_path / "bad"),
                                       "--out", str(tmp_path / "h")])
    assert result.exit_code != 0 and "config.json" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_a_real_harvest_counts_add_up_and_every_pair_is_an_antiderivative(tmp_path):
    suite = _suite(tmp_path, [2 * X, X * sp.exp(X) * sp.cos(X), sp.log(X) ** 2 * X ** 3])
    out = tmp_path / "h"
    result = CliRunner().invoke(main, ["harvest", str(suite), "--beam", "1", "--timeout", "8", "--out", str(out)])
    assert result.exit_code == 0, result.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["model_solved"] + m["model_missed"] == 3 and m["race_solved"] <= m["model_missed"]
    assert m["pairs"] == len(list(iter_examples(out / "pairs"))) == sum(
        v for k, v in m["counts"].items() if k.startswith("pairs from"))
    for p in iter_examples(out / "pairs"):
        f, F = p.to_sympy()
        assert check_zero(sp.diff(F, X) - f) is Check.ZERO
    lines = (out / "race" / "results.jsonl").read_text()
    again = CliRunner().invoke(main, ["harvest", str(suite), "--beam", "1", "--timeout", "8", "--out", str(out)])
    assert again.exit_code == 0 and (out / "race" / "results.jsonl").read_text() == lines  # resumed: nothing rerun
