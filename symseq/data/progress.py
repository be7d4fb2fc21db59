"""A shard's progress: what its manifest records (per chunk: draws, kept, skips, sha256) and what
a rerun finds on disk (the intact chunk files, the damaged ones), for ``generate``'s resume."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generators import Skip
from symseq.data.dataset import DatasetError, Example, manifest_name, parse_line, part_name

if TYPE_CHECKING:
    from symseq.data.generate import GenerateConfig


@dataclass
class GenerateState:
    """Progress, as the manifest records it: per-chunk counts (totals are their sums)."""

    chunks: list = field(default_factory=list)  # per finished chunk: draws, kept, skipped, sha256
    errors: list = field(default_factory=list)  # a few error messages, to diagnose bugs
    seconds: float = 0.0
    kept: int = 0  # running total, includes the chunk being assembled

    @property
    def chunks_done(self) -> int:
        return len(self.chunks)

    def totals(self) -> dict:
        skipped: Counter = Counter()
        for c in self.chunks:
            skipped.update(c["skipped"])
        return {"kept": sum(c["kept"] for c in self.chunks),
                "draws": sum(c["draws"] for c in self.chunks),
                "skipped": dict(sorted(skipped.items()))}

    def record(self, result: Example | Skip) -> None:
        """Keep the first few error messages (``result`` from ``_result``)."""
        if isinstance(result, Skip) and result.detail and len(self.errors) < 10:
            self.errors.append(result.detail)


def _same_settings(old: dict, cfg: GenerateConfig) -> bool:
    """Equal configs up to ``n`` (a larger n extends a dataset)."""
    new = json.loads(json.dumps(cfg.to_json()))
    return {k: v for k, v in old.items() if k != "n"} == {k: v for k, v in new.items() if k != "n"}


def _chunk_ok(record: object) -> bool:
    return isinstance(record, dict) and type(record.get("draws")) is int and \
        type(record.get("kept")) is int and isinstance(record.get("skipped"), dict) and \
        isinstance(record.get("sha256", ""), str)


def read_chunk(file: Path, record: dict) -> list[str] | None:
    """The questions of a chunk file if it is exactly what the manifest recorded, else None."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return None
    if "sha256" in record and hashlib.sha256(data).hexdigest() != record["sha256"]:
        return None
    try:
        lines = data.decode("utf-8").splitlines()
        questions = [parse_line(line, str(file)).question for line in lines]
    except (UnicodeDecodeError, DatasetError):
        return None
    return questions if len(questions) == record["kept"] else None


def load_state(out: Path, cfg: GenerateConfig,
                exclude: list[str]) -> tuple[GenerateState, set[str], list[int]]:
    """The recorded progress, the questions of the intact chunk files, and the indices of the
    chunks whose files are missing or damaged."""
    path = out / manifest_name(cfg.shard, cfg.num_shards)
    if not path.exists():
        stale = list(out.glob(f"part-{cfg.shard:03d}-of-{cfg.num_shards:03d}-*.txt"))
        if stale:
            raise DatasetError(f"{out} holds data files of this shard but no manifest; "
                               "use an empty --out folder")
        return GenerateState(), set(), []
    try:
        manifest = json.loads(path.read_text())
        chunks = list(manifest["chunks"])
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as err:
        raise DatasetError(f"{path}: unreadable manifest ({err}); use another --out") from None
    if not all(_chunk_ok(c) for c in chunks):
        raise DatasetError(f"{path}: unreadable manifest (bad chunk records); use another --out")
    if not _same_settings(manifest.get("config", {}), cfg) or \
            manifest.get("exclude", {}).get("paths") != exclude:
        raise DatasetError(f"{out} holds a dataset made with other settings; rerun with the same "
                           "settings to resume, or choose another --out")
    kept = sum(c["kept"] for c in chunks)
    if kept > cfg.n:
        raise DatasetError(f"{out} already holds {kept} examples, more than --n {cfg.n}; "
                           "use `symseq show --limit` to read fewer")
    if chunks and kept < cfg.n and chunks[-1]["draws"] < cfg.chunk_size:
        chunks.pop()  # the last chunk stopped early at the old n: redo it whole
    state = GenerateState(chunks, manifest.get("errors", []), manifest.get("seconds", 0.0))
    seen: set[str] = set()
    damaged = []
    for k, record in enumerate(chunks):
        questions = read_chunk(out / part_name(cfg.shard, cfg.num_shards, k), record)
        if questions is None:
            damaged.append(k)
        else:
            seen.update(questions)
    state.kept = state.totals()["kept"]
    return state, seen, damaged
