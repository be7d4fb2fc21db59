"""Atomic writes: the old content or the new, never a mixture; no temporary file left."""

import pytest

from symseq.io import (atomic_target, atomic_write_json, atomic_write_text, digest, file_set_view,
                       recover_file_set, write_file_set)


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    atomic_write_text(path, "old")
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    atomic_write_json(tmp_path / "b.json", {"x": 1})
    assert (tmp_path / "b.json").read_text().strip().startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]


def test_a_failing_writer_keeps_the_old_file(tmp_path):
    path = tmp_path / "a.txt"
    atomic_write_text(path, "old")
    with pytest.raises(RuntimeError):
        with atomic_target(path) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash while writing")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


NAMES, JOURNAL = ("a.txt", "b.json"), ".pending.json"


def _text(value: str):
    return lambda path, files: path.write_text(value)


def test_a_file_set_is_replaced_together_and_the_last_writer_sees_the_digests(tmp_path):
    write_file_set(tmp_path, {"a.txt": _text("old")}, names=NAMES, journal=JOURNAL)
    seen = {}
    write_file_set(tmp_path, {"a.txt": _text("new"), "b.json": lambda p, files: (seen.update(files),
                                                                                  p.write_text("{}"))},
                   names=NAMES, journal=JOURNAL)
    assert (tmp_path / "a.txt").read_text() == "new" and seen == {"a.txt": digest(tmp_path / "a.txt")}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.json"]  # no journal, no temporary


def test_a_failing_writer_leaves_the_old_set(tmp_path):
    write_file_set(tmp_path, {"a.txt": _text("old")}, names=NAMES, journal=JOURNAL)

    def fail(path, files):
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        write_file_set(tmp_path, {"a.txt": _text("new"), "b.json": fail}, names=NAMES, journal=JOURNAL)
    assert (tmp_path / "a.txt").read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_crash_after_the_commit_point_reads_and_recovers_as_the_new_set(tmp_path):
    write_file_set(tmp_path, {"a.txt": _text("old")}, names=NAMES, journal=JOURNAL)
    (tmp_path / ".a.txt.0123abcd.tmp").write_text("new")  # written, journal committed, not renamed
    atomic_write_json(tmp_path / JOURNAL, {"moves": [[".a.txt.0123abcd.tmp", "a.txt"]]})
    assert file_set_view(tmp_path, NAMES, JOURNAL)["a.txt"].read_text() == "new"
    assert (tmp_path / "a.txt").read_text() == "old"  # readers write nothing
    recover_file_set(tmp_path, NAMES, JOURNAL)
    assert (tmp_path / "a.txt").read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_journal_naming_foreign_files_is_dropped(tmp_path):
    (tmp_path / "a.txt").write_text("old")
    atomic_write_json(tmp_path / JOURNAL, {"moves": [["../evil", "a.txt"]]})
    assert file_set_view(tmp_path, NAMES, JOURNAL)["a.txt"] == tmp_path / "a.txt"
    recover_file_set(tmp_path, NAMES, JOURNAL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
