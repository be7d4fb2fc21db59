"""Build datasets: draw problems in sandboxed workers, encode, deduplicate, write chunks.

``generate(cfg, out, workers=..., exclude=..., progress=...)`` is the whole job.

Determinism.  Draw ``i`` of shard ``s`` uses ``numpy.random.default_rng([seed, s, i])`` and
nothing else, so its result does not depend on the number of workers or on which worker ran
it.  Results are consumed in draw order: chunk ``k`` holds draws ``[k*C, (k+1)*C)``, and a
question is kept only if no earlier draw (nor an ``--exclude`` dataset) had it.  The output is
therefore a function of (config, seed, shard, n) -- except for draws killed at the time limit,
which depend on the machine's speed (their count is in the manifest as ``timeout``).

Resume.  A chunk file is written atomically, then the manifest records it with its sha256 and
counts (``kept`` is its line count).  A rerun with the same settings checks every recorded chunk
file against the manifest, reads the good ones back (to rebuild the set of seen questions),
regenerates the damaged or missing ones (the same draws, so the same lines: checked against the
recorded sha256; if a draw's time limit makes them differ, the dataset is cut back to the chunk
before and regenerated from there), and goes on from the first unfinished chunk; a kill -9 loses
at most the chunks in flight.  A rerun with different settings into the same folder is refused,
so nothing is overwritten by accident.  Temporary files are named after their target, which
names the shard, and a starting shard removes only its own, so shards can share a folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import platform
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import sympy

from generators import GENERATORS, ExprConfig, Skip
from generators.symbols import X
from symseq.data.dataset import DatasetError, Example, manifest_name, part_name, question_keys
from symseq.data.progress import GenerateState, load_state, read_chunk
from symseq.domain import TASKS
from symseq.io import atomic_write_json, atomic_write_text
from symseq.lang.prefix import UnsupportedExpressionError, to_prefix, tokens_to_str
from symseq.numerics.numeric import Check, check_zero
from symseq.sandbox import Outcome, SandboxError, SandboxPool, Status, run_in_sandbox
from symseq.version import __version__

FORMAT = "symseq-dataset/1"

# Skip reasons added by the encoding and writing stages (the generators have their own).
UNSUPPORTED = "unsupported"  # something the prefix language cannot write (erf, Piecewise, ...)
TOO_LONG = "too_long"
DUPLICATE = "duplicate"
EXCLUDED = "excluded"


@dataclass(frozen=True)
class GenerateConfig:
    """Everything that determines a dataset's content (workers and progress do not)."""

    task: str
    n: int
    seed: int = 0
    shard: int = 0
    num_shards: int = 1
    expr: ExprConfig = field(default_factory=ExprConfig)
    max_len: int = 512  # drop examples whose question or answer exceeds this many tokens
    chunk_size: int = 1000  # draws per chunk file (the unit of resume)
    timeout: float | None = None  # seconds per draw before the worker is killed

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"unknown task {self.task!r}; choose from {', '.join(TASKS)}")
        if self.n < 1:
            raise ValueError("n must be >= 1")
        if not 0 <= self.shard < self.num_shards:
            raise ValueError(f"shard must be in 0..{self.num_shards - 1} (got {self.shard})")
        if self.seed < 0:
            raise ValueError("seed must be >= 0")
        if self.max_len < 1 or self.chunk_size < 1:
            raise ValueError("max_len and chunk_size must be >= 1")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError("timeout must be > 0")

    @property
    def draw_timeout(self) -> float:
        return self.timeout if self.timeout is not None else GENERATORS[self.task][1]

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


SIMPLIFY_SECONDS = 1.0  # Lample & Charton's limit too: beyond it the integrand stays as it was
SIMPLIFY_STREAM = 7  # the simplify coin has its own random stream: the drawn problems stay the same


def simplified_integrand(f, F):
    """``simplify(f)`` computed in a child process for at most ``SIMPLIFY_SECONDS``, kept only if
    it is not longer and still has F as antiderivative (numeric check); else ``f``."""
    out = run_in_sandbox(sympy.simplify, f, timeout=SIMPLIFY_SECONDS)
    if not out.ok or not isinstance(out.value, sympy.Expr) or sympy.count_ops(out.value) > sympy.count_ops(f):
        return f
    g = out.value
    return g if check_zero(sympy.diff(F, X) - g) is Check.ZERO else f


def draw(cfg: GenerateConfig, index: int) -> Example | Skip:
    """Draw ``index`` of the shard: an ``Example`` (prefix strings) or a ``Skip``.  Runs in a worker."""
    fn, _ = GENERATORS[cfg.task]
    result = fn(np.random.default_rng([cfg.seed, cfg.shard, index]), cfg.expr)
    if isinstance(result, Skip):
        return result
    question = result.question
    p = cfg.expr.simplify_prob
    if p > 0 and TASKS[cfg.task].kind == "integrate" and \
            np.random.default_rng([cfg.seed, cfg.shard, index, SIMPLIFY_STREAM]).random() < p:
        question = simplified_integrand(question, result.answer)
    try:
        q, a = to_prefix(question), to_prefix(result.answer)
    except UnsupportedExpressionError:
        return Skip(UNSUPPORTED)
    if len(q) > cfg.max_len or len(a) > cfg.max_len:
        return Skip(TOO_LONG)
    return Example(cfg.task, tokens_to_str(q), tokens_to_str(a))


def _result(index: int, outcome: Outcome) -> Example | Skip:
    """A draw's sandbox outcome as an ``Example`` or a ``Skip`` (a timeout, a crash or an
    exception is a skip with its reason; an exception's message is kept as ``detail``)."""
    if outcome.status is Status.OK:
        return outcome.value
    if outcome.status is Status.ERROR:
        return Skip("error:" + (outcome.error or "").split(":")[0], f"draw {index}: {outcome.error}")
    return Skip(outcome.status.value)


DRAWS_PER_TASK = 50  # draws per cluster task: bwd ~0.3 s of work against ~4 ms of overhead


def _draws(cfg: GenerateConfig, start: int, stop: int | None, workers: int,
           executor) -> Iterator[tuple[int, Example | Skip]]:
    """``(index, result)`` of draws ``start..stop-1`` (endless when ``stop`` is None) as they
    finish, in any order: on ``workers`` local sandboxed workers, or in batches on ``executor``'s
    cluster, where each batch runs in its worker's own sandbox (``draw_batch``)."""
    indices = itertools.count(start) if stop is None else range(start, stop)
    if executor is None:
        with SandboxPool(partial(draw, cfg), workers=workers, timeout=cfg.draw_timeout,
                         memory_mb=4096) as pool:
            for i, outcome in pool.imap_unordered((i, i) for i in indices):
                yield i, _result(i, outcome)
        return
    firsts = itertools.count(start, DRAWS_PER_TASK) if stop is None else range(start, stop, DRAWS_PER_TASK)
    batches = ((i, (cfg, i, i + DRAWS_PER_TASK if stop is None else min(i + DRAWS_PER_TASK, stop)))
               for i in firsts)
    stream = executor.imap_unordered(draw_batch, batches)
    try:
        for first, results in stream:
            yield from enumerate(results, first)
    finally:
        stream.close()  # cancels the cluster's tasks still out


_BATCH_POOL: list = []  # on a cluster worker: [(cfg, SandboxPool)], kept from one batch to the next


def draw_batch(cfg: GenerateConfig, start: int, stop: int) -> list[Example | Skip]:
    """Draws ``start..stop-1`` in order, each in this process's sandboxed worker under the draw's
    time limit: a cluster task (the worker is kept for the next batch of the same dataset)."""
    if not _BATCH_POOL or _BATCH_POOL[0][0] != cfg:
        while _BATCH_POOL:
            _BATCH_POOL.pop()[1].close()
        _BATCH_POOL.append((cfg, SandboxPool(partial(draw, cfg), workers=1, timeout=cfg.draw_timeout,
                                             memory_mb=4096)))
    pool = _BATCH_POOL[0][1]
    results = {i: _result(i, o) for i, o in pool.imap_unordered((i, i) for i in range(start, stop))}
    return [results[i] for i in range(start, stop)]


def _assemble(cfg: GenerateConfig, results: dict[int, Example | Skip], start: int, stop: int,
              seen: set[str], excluded: set[str], room: int) -> tuple[list[str], dict]:
    """Lines and manifest record of the chunk made of draws ``start..stop-1`` (popped from
    ``results``), keeping at most ``room`` examples; adds the kept questions to ``seen``."""
    lines, draws, skipped = [], 0, Counter()
    for i in range(start, stop):
        if len(lines) >= room:
            break
        result = results.pop(i)
        draws += 1
        if isinstance(result, Skip):
            skipped[result.reason] += 1
            continue
        question = result.question
        if question in seen or question in excluded:
            skipped[DUPLICATE if question in seen else EXCLUDED] += 1
            continue
        seen.add(question)
        lines.append(result.to_line())
    text = "".join(lines)
    return lines, {"draws": draws, "kept": len(lines), "skipped": dict(sorted(skipped.items())),
                   "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}


def _manifest(cfg: GenerateConfig, state: GenerateState, exclude: list[str], n_excluded: int,
              complete: bool) -> dict:
    return {
        "format": FORMAT,
        "generator": f"generators.{GENERATORS[cfg.task][0].__name__}",
        "config": cfg.to_json(),
        "exclude": {"paths": exclude, "questions": n_excluded},
        "versions": {"symseq": __version__, "sympy": sympy.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "complete": complete,
        "counts": state.totals(),
        "chunks": state.chunks,
        "errors": state.errors,
        "seconds": round(state.seconds, 2),
        "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _repair(cfg: GenerateConfig, out: Path, state: GenerateState, seen: set[str],
            excluded: set[str], damaged: list[int], workers: int, executor) -> bool:
    """Regenerate the damaged chunk files.  A chunk holds no question of any other chunk, so
    redoing its draws against ``seen`` (all the other chunks) gives its lines back exactly,
    unless a draw's time limit now falls differently: then the dataset is cut back to before
    that chunk (later chunks were deduplicated against the old lines) and generation goes on.
    Returns whether the dataset was cut back."""
    C = cfg.chunk_size
    for k in damaged:
        record = state.chunks[k]
        start = k * C
        results = dict(_draws(cfg, start, start + record["draws"], workers, executor))
        lines, redone = _assemble(cfg, results, start, start + record["draws"], seen, excluded,
                                  record["kept"])
        if redone == {**record, "sha256": record.get("sha256", redone["sha256"])}:
            atomic_write_text(out / part_name(cfg.shard, cfg.num_shards, k), "".join(lines))
            continue
        for file in out.glob(f"part-{cfg.shard:03d}-of-{cfg.num_shards:03d}-*.txt"):
            index = file.stem.rsplit("-", 1)[1]
            if index.isdigit() and int(index) >= k:  # also files the manifest never recorded
                file.unlink()
        del state.chunks[k:]
        seen.clear()
        for j, rec in enumerate(state.chunks):
            seen.update(read_chunk(out / part_name(cfg.shard, cfg.num_shards, j), rec) or ())
        state.kept = state.totals()["kept"]
        return True
    return False


def generate(cfg: GenerateConfig, out: str | Path, *, workers: int = 1, exclude: list[str] = (),
             progress: Callable[[GenerateState, str], None] | None = None, executor=None) -> dict:
    """Generate (or resume) one shard of a dataset into folder ``out``; returns the manifest.

    ``progress(state, label)`` is called after every draw with "ok" or the skip reason;
    ``state.kept`` advances when a chunk is written.  Raises ``DatasetError`` when the folder
    cannot be used or the sandboxed workers cannot start.  With a cluster ``executor``
    (``symseq.exec``) the draws run on its workers instead of ``workers`` local ones; the files
    written are the same.
    """
    try:
        return _generate(cfg, Path(out), workers, exclude, progress, executor)
    except SandboxError as err:
        raise DatasetError(f"cannot draw problems: {err}") from None


def _generate(cfg: GenerateConfig, out: Path, workers: int, exclude: list[str],
              progress: Callable[[GenerateState, str], None] | None, executor) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    own = (f".part-{cfg.shard:03d}-of-{cfg.num_shards:03d}-*.tmp",
           f".{manifest_name(cfg.shard, cfg.num_shards)}.*.tmp")
    for pattern in own:  # this shard's leftovers only: other shards may be writing theirs
        for tmp in out.glob(pattern):
            tmp.unlink(missing_ok=True)
    exclude = [str(Path(p)) for p in exclude]
    excluded = question_keys(list(exclude)) if exclude else set()
    state, seen, damaged = load_state(out, cfg, exclude)
    manifest_path = out / manifest_name(cfg.shard, cfg.num_shards)
    if damaged and _repair(cfg, out, state, seen, excluded, damaged, workers, executor):
        atomic_write_json(manifest_path, _manifest(cfg, state, exclude, len(excluded), False))
    if state.kept >= cfg.n and cfg.n == json.loads(manifest_path.read_text())["config"]["n"]:
        return json.loads(manifest_path.read_text())
    if state.kept >= cfg.n:  # only n changed, to exactly the count already there
        atomic_write_json(manifest_path, _manifest(cfg, state, exclude, len(excluded), True))
        return json.loads(manifest_path.read_text())

    C = cfg.chunk_size
    buffer: dict[int, tuple] = {}
    started = time.monotonic()
    base_seconds = state.seconds

    def finish_chunk(k: int) -> bool:
        lines, record = _assemble(cfg, buffer, k * C, (k + 1) * C, seen, excluded, cfg.n - state.kept)
        for i in [i for i in buffer if i < (k + 1) * C]:
            del buffer[i]
        state.kept += len(lines)
        atomic_write_text(out / part_name(cfg.shard, cfg.num_shards, k), "".join(lines))
        state.chunks.append(record)
        state.seconds = base_seconds + time.monotonic() - started
        done = state.kept >= cfg.n
        atomic_write_json(manifest_path, _manifest(cfg, state, exclude, len(excluded), done))
        return done

    draws = _draws(cfg, state.chunks_done * C, None, workers, executor)
    try:
        for index, result in draws:
            buffer[index] = result
            state.record(result)
            if progress is not None:
                progress(state, result.reason if isinstance(result, Skip) else "ok")
            k = state.chunks_done
            while all(i in buffer for i in range(k * C, (k + 1) * C)):
                if finish_chunk(k):
                    return json.loads(manifest_path.read_text())
                k = state.chunks_done
    finally:
        draws.close()  # stops the workers now (and cancels a cluster's tasks still out)
    raise AssertionError("unreachable: the task stream is endless")


def summarize(manifest: dict) -> str:
    """One line per fact, for the end of ``symseq generate``."""
    c = manifest["counts"]
    rate = c["kept"] / manifest["seconds"] if manifest["seconds"] else float("nan")
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(c["skipped"].items(), key=lambda kv: -kv[1]))
    return (f"kept {c['kept']} of {c['draws']} draws in {manifest['seconds']:.1f} s "
            f"({rate:.1f} examples/s)\nskipped: {skipped or 'none'}")

