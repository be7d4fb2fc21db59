"""The on-disk dataset format, and reading it back.

A dataset is a folder.  Each generation run (one shard ``i`` of ``N``) writes

* ``part-{i:03d}-of-{N:03d}-{k:06d}.txt``: chunk ``k``, one example per line::

      <task> TAB <question prefix tokens> TAB <answer prefix tokens>

  tokens separated by single spaces (see ``symseq.lang.grammar``); integration questions are the
  integrand, ODE questions the left-hand side of ``lhs = 0`` in ``f``, ``f'``, ``f''``;
* ``manifest-{i:03d}-of-{N:03d}.json``: what made it (generator, full config, seed, versions),
  counts, skip reasons, time, and how many chunks are complete.

Files are written atomically.  Readers take every ``part-*.txt`` file in name order, so several
shards in one folder read as one dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import sympy as sp

from symseq.domain import TASKS
from symseq.lang.prefix import PrefixError, from_prefix


class DatasetError(ValueError):
    """A dataset folder or file that cannot be read."""


@dataclass(frozen=True)
class Example:
    task: str
    question: str  # prefix tokens, space-separated
    answer: str

    def to_line(self) -> str:
        return f"{self.task}\t{self.question}\t{self.answer}\n"

    def to_sympy(self) -> tuple[sp.Expr, sp.Expr]:
        return from_prefix(self.question), from_prefix(self.answer)


def part_name(shard: int, num_shards: int, chunk: int) -> str:
    return f"part-{shard:03d}-of-{num_shards:03d}-{chunk:06d}.txt"


def manifest_name(shard: int, num_shards: int) -> str:
    return f"manifest-{shard:03d}-of-{num_shards:03d}.json"


def parse_line(line: str, where: str) -> Example:
    fields = line.rstrip("\n").split("\t")
    if len(fields) != 3 or fields[0] not in TASKS or not fields[1] or not fields[2]:
        raise DatasetError(f"{where}: not a symseq dataset line (task TAB question TAB answer)")
    return Example(*fields)


def data_files(path: str | Path) -> list[Path]:
    """The data files of a dataset folder (or the file itself)."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise DatasetError(f"{path}: no such dataset folder or file")
    files = sorted(path.glob("part-*.txt"))
    if not files:
        raise DatasetError(f"{path}: holds no dataset files (part-*.txt)")
    return files


def iter_examples(path: str | Path, limit: int | None = None) -> Iterator[Example]:
    """Examples of a dataset folder or file, in order."""
    count = 0
    for file in data_files(path):
        try:
            with open(file, encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    if limit is not None and count >= limit:
                        return
                    if line.strip():
                        yield parse_line(line, f"{file}:{lineno}")
                        count += 1
        except UnicodeDecodeError:
            raise DatasetError(f"{file}: not a text file") from None


def question_keys(paths: list[str | Path]) -> set[str]:
    """The questions (prefix strings) of several datasets, or of JSONL suites (``question`` or
    ``integrand`` in user notation, read by ``symseq.lang.parse``): the keys ``--exclude``
    removes."""
    keys: set[str] = set()
    for p in paths:
        if Path(p).is_file() and Path(p).suffix == ".jsonl":
            keys.update(_jsonl_question_keys(Path(p)))
        else:
            keys.update(ex.question for ex in iter_examples(p))
    return keys


def _jsonl_question_keys(path: Path) -> set[str]:
    from symseq.domain import KINDS
    from symseq.lang.parse import InputError, parse_integrand, parse_ode
    from symseq.lang.prefix import UnsupportedExpressionError, to_prefix, tokens_to_str

    keys = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj["question"] if "question" in obj else obj["integrand"]
            kind = obj.get("task", "integrate")
            expr = parse_integrand(text)[0] if kind == "integrate" else parse_ode(text)[0]
            if kind not in KINDS:
                raise ValueError(kind)
            keys.add(tokens_to_str(to_prefix(expr)))
        except (UnsupportedExpressionError, InputError):  # (InputError is a ValueError: caught first)
            continue  # a question outside the grammar (sech, ...) is never generated
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise DatasetError(f"{path}:{n + 1}: cannot read the question ({err})") from None
    return keys


def example_to_json(ex: Example) -> str:
    """One JSON object in SymPy syntax (what ``symseq show`` prints)."""
    try:
        question, answer = ex.to_sympy()
    except PrefixError as err:
        raise DatasetError(f"malformed example ({err}): {ex.question!r}") from None
    return json.dumps({"task": ex.task, "question": sp.sstr(question), "answer": sp.sstr(answer)})
