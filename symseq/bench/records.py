"""Benchmark records: one ``BenchRecord`` per (suite, problem, engine), one schema.

``results.jsonl`` holds one record per line, appended as each is known, so an interrupted run
resumes where it stopped; ``read_records`` keeps the first record of each problem and skips a
line cut by a crash (that problem simply runs again).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class BenchRecord:
    suite: str
    id: str
    engine: str  # sympy, model-beamK, hybrid-beamK
    solved: bool  # a verified answer: global (proved or numeric) or local (on the intervals shown)
    seconds: float
    task: str = "integrate"  # the kind: integrate, ode1, ode2
    question: str = ""
    size: int = 0  # prefix tokens of the question (0 if unknown)
    verdict: str = ""  # an Outcome's value (symseq.domain): the answer's verdict, or why there is none
    answer: str | None = None
    wrong: bool = False  # unsolved, and SymPy's answer was refused by the verifier
    timeout: bool = False  # unsolved, and SymPy ran out of time
    local: bool = False  # solved by an answer verified on intervals only (verdict LOCAL)
    valid_on: str | None = None  # where that LOCAL answer holds
    assumptions: str | None = None  # what the answer assumes of the question's parameters ("a > 0")
    engine_used: str | None = None
    rank: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.suite, self.id, self.engine

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, obj: dict) -> "BenchRecord":
        """Raises KeyError/TypeError for an object that is not a record."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in obj.items() if k in names})


def read_records(path: Path) -> list[BenchRecord]:
    """The records in ``path``, the first one per (suite, id, engine)."""
    records, seen = [], set()
    if not path.exists():
        return records
    for line in path.read_text().splitlines():
        try:
            r = BenchRecord.from_json(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            continue
        if r.key not in seen:  # the first record of a problem counts, whatever was appended later
            seen.add(r.key)
            records.append(r)
    return records
