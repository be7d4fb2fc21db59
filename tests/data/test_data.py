import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generators import ExprConfig
from symseq.data.generate import GenerateConfig, generate
from symseq.data.dataset import DatasetError, iter_examples, manifest_name

SMALL = ExprConfig(max_ops=5)


def _cfg(**kw):
    base = dict(task="bwd", n=120, seed=3, expr=SMALL, chunk_size=25)
    base.update(kw)
    return GenerateConfig(**base)


def _content(path):
    return "".join(p.read_text() for p in sorted(Path(path).glob("part-*.txt")))


@pytest.mark.slow
def test_output_does_not_depend_on_worker_count(tmp_path):
    generate(_cfg(), tmp_path / "w1", workers=1)
    generate(_cfg(), tmp_path / "w2", workers=2)
    assert _content(tmp_path / "w1") == _content(tmp_path / "w2")
    assert len(list(iter_examples(tmp_path / "w1"))) == 120


@pytest.mark.slow
def test_seeds_and_shards_give_different_data(tmp_path):
    generate(_cfg(), tmp_path / "a", workers=2)
    generate(_cfg(seed=4), tmp_path / "b", workers=2)
    generate(_cfg(shard=1, num_shards=2), tmp_path / "c", workers=2)
    qa = {e.question for e in iter_examples(tmp_path / "a")}
    for other in ("b", "c"):
        qo = {e.question for e in iter_examples(tmp_path / other)}
        assert len(qa & qo) < 0.5 * len(qa)  # small trees repeat by chance, streams differ


def test_shards_share_a_folder(tmp_path):
    generate(_cfg(shard=0, num_shards=2, n=30), tmp_path / "d", workers=1)
    generate(_cfg(shard=1, num_shards=2, n=30), tmp_path / "d", workers=1)
    assert len(list(iter_examples(tmp_path / "d"))) == 60
    assert (tmp_path / "d" / manifest_name(1, 2)).exists()


@pytest.mark.slow
def test_questions_are_unique(tmp_path):
    generate(_cfg(n=300, expr=ExprConfig(max_ops=3)), tmp_path / "u", workers=2)
    questions = [e.question for e in iter_examples(tmp_path / "u")]
    assert len(questions) == len(set(questions)) == 300
    manifest = json.loads((tmp_path / "u" / manifest_name(0, 1)).read_text())
    assert manifest["counts"]["skipped"]["duplicate"] > 0


@pytest.mark.slow
def test_exclude_keeps_test_questions_out(tmp_path):
    generate(_cfg(n=100, expr=ExprConfig(max_ops=3)), tmp_path / "train", workers=2)
    generate(_cfg(n=100, seed=9, expr=ExprConfig(max_ops=3)), tmp_path / "test", workers=2,
             exclude=[str(tmp_path / "train")])
    train = {e.question for e in iter_examples(tmp_path / "train")}
    test = {e.question for e in iter_examples(tmp_path / "test")}
    assert not train & test
    manifest = json.loads((tmp_path / "test" / manifest_name(0, 1)).read_text())
    assert manifest["counts"]["skipped"]["excluded"] > 0


@pytest.mark.slow
def test_larger_n_extends_to_the_same_data_as_a_fresh_run(tmp_path):
    generate(_cfg(n=60), tmp_path / "grow", workers=2)
    generate(_cfg(n=130), tmp_path / "grow", workers=2)
    generate(_cfg(n=130), tmp_path / "fresh", workers=2)
    assert _content(tmp_path / "grow") == _content(tmp_path / "fresh")


def test_other_settings_in_the_same_folder_are_refused(tmp_path):
    generate(_cfg(n=30), tmp_path / "x", workers=1)
    before = _content(tmp_path / "x")
    with pytest.raises(DatasetError, match="other settings"):
        generate(_cfg(n=30, seed=5), tmp_path / "x", workers=1)
    with pytest.raises(DatasetError, match="already holds"):
        generate(_cfg(n=10), tmp_path / "x", workers=1)
    assert _content(tmp_path / "x") == before


def test_corrupt_manifest_is_a_clear_error(tmp_path):
    generate(_cfg(n=30), tmp_path / "m", workers=1)
    (tmp_path / "m" / manifest_name(0, 1)).write_text("{not json")
    with pytest.raises(DatasetError, match="unreadable manifest"):
        generate(_cfg(n=30), tmp_path / "m", workers=1)


@pytest.mark.slow
def test_resume_after_kill_9_gives_the_uninterrupted_output(tmp_path):
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "symseq", "generate", "--task", "bwd", "--n", "400",
           "--seed", "3", "--max-ops", "5", "--chunk-size", "25", "--workers", "2", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("part-*.txt"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    manifest = json.loads((out / manifest_name(0, 1)).read_text())
    assert not manifest["complete"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    generate(_cfg(n=400), tmp_path / "clean", workers=2)
    assert _content(out) == _content(tmp_path / "clean")
    assert not list(out.glob(".*.tmp"))


def test_bad_configs_are_refused():
    with pytest.raises(ValueError, match="unknown task"):
        GenerateConfig(task="integrate", n=1)
    with pytest.raises(ValueError, match="shard"):
        GenerateConfig(task="bwd", n=1, shard=2, num_shards=2)
    with pytest.raises(ValueError):
        GenerateConfig(task="bwd", n=0)


def _manifest(out, shard=0, num_shards=1):
    return json.loads((out / manifest_name(shard, num_shards)).read_text())


@pytest.mark.slow
def test_resume_regenerates_damaged_and_missing_chunk_files_exactly(tmp_path):
    out = tmp_path / "d"
    generate(_cfg(), out, workers=2)
    before, manifest = _content(out), _manifest(out)
    parts = sorted(out.glob("part-*.txt"))
    assert len(parts) >= 4
    lines = parts[1].read_text().splitlines(keepends=True)
    parts[1].write_text("".join(lines[:-1]))  # truncated at a line boundary: still parses
    data = bytearray(parts[0].read_bytes())
    data[10] ^= 1  # one flipped bit
    parts[0].write_bytes(bytes(data))
    parts[3].unlink()
    again = generate(_cfg(), out, workers=2)
    assert _content(out) == before
    assert again["chunks"] == manifest["chunks"] and again["complete"]
    assert all(len(c["sha256"]) == 64 for c in manifest["chunks"])


@pytest.mark.slow
def test_chunks_that_cannot_be_reproduced_are_cut_back_and_regenerated(tmp_path):
    """Old manifests (no sha256) are checked by line count; a regenerated chunk that differs
    from the record (here: a forged record) cuts the dataset back to before it."""
    out = tmp_path / "d"
    generate(_cfg(), out, workers=2)
    before = _content(out)
    manifest = _manifest(out)
    for c in manifest["chunks"]:
        c.pop("sha256", None)
    manifest["chunks"][2]["skipped"]["forged"] = 1
    (out / manifest_name(0, 1)).write_text(json.dumps(manifest))
    parts = sorted(out.glob("part-*.txt"))
    parts[2].write_text(parts[2].read_text().split("\n", 1)[1])
    generate(_cfg(), out, workers=2)
    assert _content(out) == before
    assert "forged" not in _manifest(out)["counts"]["skipped"]


def test_a_starting_shard_removes_only_its_own_temporary_files(tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    theirs = [out / ".part-001-of-002-000000.txt.k2j3.tmp", out / ".manifest-001-of-002.json.a1.tmp"]
    mine = [out / ".part-000-of-002-000004.txt.x7.tmp", out / ".manifest-000-of-002.json.b2.tmp"]
    for p in theirs + mine:
        p.write_text("in progress")
    generate(_cfg(shard=0, num_shards=2, n=20), out, workers=1)
    assert all(p.exists() for p in theirs) and not any(p.exists() for p in mine)


def test_exclude_reads_jsonl_suites_in_user_notation(tmp_path):
    import sympy as sp

    from generators.symbols import X
    from symseq.data.dataset import question_keys
    from symseq.lang.prefix import to_prefix, tokens_to_str

    suite = tmp_path / "s.jsonl"
    suite.write_text('{"question": "x*cos(x)"}\n{"integrand": "e^(2x)"}\n'
                     '{"task": "ode1", "question": "y\' = y"}\n')
    keys = question_keys([suite])
    assert tokens_to_str(to_prefix(X * sp.cos(X))) in keys
    assert tokens_to_str(to_prefix(sp.exp(2 * X))) in keys
    assert len(keys) == 3
