"""Expert iteration: training pairs from the race's wins over the model (``symseq harvest``).

``harvest(suite, out, checkpoint)`` takes a dataset folder of problems the model was not trained
on (``symseq generate`` with new seeds, every training and test set excluded) and

1. runs the model alone on each (beam search, every candidate verified: ``out/model``);
2. runs the whole race (model, repairs, rewrites, SymPy, FriCAS, Maxima) on the problems the model
   missed (``out/misses``, the same lines; ``out/race``);
3. writes each answer the race found and the verifier accepted everywhere (proved, or numerically
   on every test point: not the answers valid on an interval only) as a training pair
   ``(question, answer)`` of the question's own task (``out/pairs``, a symseq dataset that
   ``train --data`` reads), with its manifest: how many problems, how many the model solved, how
   many pairs each source (engine, repair, rewrite) added.

The two benchmark stages resume where they stopped (``symseq benchmark``'s records); the pairs are
rewritten from the records each time, so rerunning the command after an interruption finishes it.
The answers keep the generator's conventions: constant terms of antiderivatives dropped, answers
the model's language cannot write or longer than its decoding limit left out (counted).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from symseq.bench.records import BenchRecord, read_records
from symseq.data.dataset import DatasetError, Example, iter_examples, part_name
from symseq.domain import TASKS
from symseq.io import atomic_write_json, atomic_write_text
from symseq.solve.distill import answer_tokens

FORMAT = "symseq-harvest/1"
KEPT_VERDICTS = ("proved", "numeric_only")  # verified everywhere; LOCAL answers hold on intervals only


def source_of(engine_used: str | None) -> str:
    """The race's source of an answer, coarsened for counting: ``model``, ``model/wide`` (a wider
    beam), ``repair``, ``rewrite`` (the model on a rewritten question, ``model/trig``), or the engine."""
    if not engine_used:
        return "unknown"
    if engine_used.startswith("repair"):
        return "repair"
    if engine_used.startswith("model/") and engine_used != "model/wide":
        return "rewrite"
    return engine_used


def pairs_from_records(examples: list[Example], records: list[BenchRecord], counts: Counter) -> list[Example]:
    """One pair per race record (``id`` = the example's index) that holds a verified global answer."""
    pairs = []
    for rec in records:
        if not rec.solved:
            counts["race: unsolved"] += 1
            continue
        if rec.local or rec.verdict not in KEPT_VERDICTS or not rec.answer:
            counts[f"race: {rec.verdict or 'local'} (not kept)"] += 1
            continue
        ex = examples[int(rec.id)]
        tokens = answer_tokens(TASKS[ex.task].kind, rec.answer)
        if tokens is None:
            counts["race: not writable"] += 1
            continue
        counts[f"pairs from {source_of(rec.engine_used)}"] += 1
        pairs.append(Example(ex.task, ex.question, tokens))
    return pairs


def _write_subset(out: Path, examples: list[Example]) -> None:
    """A dataset folder holding ``examples`` (one part file), written atomically."""
    out.mkdir(exist_ok=True)
    atomic_write_text(out / part_name(0, 1, 0), "".join(ex.to_line() for ex in examples))


def _records(path: Path, engine: str, n: int) -> list[BenchRecord]:
    """The records of one stage; refuses a folder whose records do not match the problems."""
    records = [r for r in read_records(path / "results.jsonl") if r.engine == engine]
    if any(not r.id.isdigit() or int(r.id) >= n for r in records):
        raise DatasetError(f"{path}: records of other problems; use a new --out folder")
    return sorted(records, key=lambda r: int(r.id))


def harvest(suite: str | Path, out: str | Path, checkpoint: str | Path | None = None, beam: int = 10,
            timeout: float = 10.0, workers: int = 1, limit: int | None = None, progress=None) -> dict:
    """Run the two stages (see the module docstring) and write ``out/pairs``; returns the manifest.
    ``checkpoint`` defaults to the shipped model."""
    from symseq.bench.runner import run_benchmark
    from symseq.nn.checkpoint import load
    from symseq.nn.safetensors_header import CheckpointError
    from symseq.solve.model import DEFAULT_CHECKPOINT

    suite, out, checkpoint = Path(suite), Path(out), Path(checkpoint or DEFAULT_CHECKPOINT)
    try:  # a missing or corrupt model would otherwise miss every problem, one error record each
        load(checkpoint)
    except CheckpointError as err:
        raise DatasetError(str(err)) from None
    examples = list(iter_examples(suite, limit=limit))
    if not examples:
        raise DatasetError(f"{suite}: no problems")
    settings = {"suite": str(suite), "checkpoint": str(checkpoint), "beam": beam, "timeout": timeout}
    previous = out / "manifest.json"
    if previous.exists():
        try:
            made = json.loads(previous.read_text(encoding="utf-8"))
            same = {k: made.get(k) for k in settings} == settings
        except (OSError, ValueError, AttributeError):
            same = False
        if not same:
            raise DatasetError(f"{out}: a harvest of another suite, model, beam or timeout; use a new --out folder")
    elif out.exists() and any(out.iterdir()):
        raise DatasetError(f"{out}: not empty and not a harvest folder; use a new --out folder")
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_json(previous, {"format": FORMAT, **settings, "state": "running"})

    model_dir, misses_dir, race_dir = out / "model", out / "misses", out / "race"
    run_benchmark([str(suite)], ["model"], [beam], timeout, model_dir, checkpoint=checkpoint, workers=workers,
                  limit=limit, without=("widen",), progress=progress and (lambda d, t: progress("model", d, t)))
    model = _records(model_dir, f"model-beam{beam}-without-widen", len(examples))
    if len(model) != len(examples):
        raise DatasetError(f"{model_dir}: records of {len(model)} problems, the suite has {len(examples)}; "
                           "use a new --out folder")
    missed = [examples[int(r.id)] for r in model if not r.solved]
    _write_subset(misses_dir, missed)
    run_benchmark([str(misses_dir)], ["hybrid"], [beam], timeout, race_dir, checkpoint=checkpoint,
                  workers=workers, progress=progress and (lambda d, t: progress("race", d, t)))
    race = _records(race_dir, f"hybrid-beam{beam}", len(missed))
    counts: Counter = Counter()
    pairs = pairs_from_records(missed, race, counts)
    _write_subset(out / "pairs", pairs)
    manifest = {"format": FORMAT, **settings, "state": "done", "problems": len(examples),
                "model_solved": sum(r.solved for r in model), "model_missed": len(missed),
                "race_solved": sum(r.solved for r in race), "pairs": len(pairs),
                "counts": dict(sorted(counts.items())),
                "solve_seconds": round(sum(r.seconds for r in model) + sum(r.seconds for r in race), 1)}
    atomic_write_json(previous, manifest)
    atomic_write_json(out / "pairs" / "manifest-000-of-001.json", manifest)
    return manifest
