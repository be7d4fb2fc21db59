"""Distillation: training pairs from the engines' verified answers (``symseq distill``).

``distill(out, draws=..., seed=...)`` draws integrands as textbooks write them
(``generators.written``), asks FriCAS and Maxima (warm sessions, ``seconds`` each, both at once),
verifies every answer with the verifier, and keeps each PROVED one whose answer the model's
language can write (no special functions) as a line of a symseq dataset (task ``written``):
several engines' forms when they differ.  ``train`` reads the folder like any other dataset.

Determinism and resume, as ``symseq generate``: draw ``i`` uses ``default_rng([seed, i])`` only;
chunk ``k`` holds draws ``[k*C, (k+1)*C)``; each chunk file is written atomically, then the
manifest records it; a rerun with the same settings and exclusions goes on after the last
recorded chunk (the answers kept can differ between machines, where an engine's time limit
falls); a rerun with others is refused.  Questions in ``exclude`` (public test collections: one
``--exclude`` per JSONL suite) or drawn before are skipped, as are constant draws and draws real
nowhere.  The manifest states the wall time and pairs per core-hour (wall time x the machine's
cores: the engines and the verifier's children use them all).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import sympy as sp

from generators.written import written_integrand
from symseq.data.dataset import DatasetError, Example, part_name
from symseq.domain import Verdict
from symseq.io import atomic_write_json, atomic_write_text
from symseq.lang.prefix import UnsupportedExpressionError, to_prefix, tokens_to_str
from symseq.sandbox import BackgroundCall, Status, cpu_count, run_in_sandbox
from symseq.solve.engines import available, run_engine
from symseq.solve.race.budget import ENGINE_MEMORY_MB
from symseq.solve.verifier import verify_candidate

MANIFEST = "manifest-000-of-001.json"
FORMAT = "symseq-distill/1"
TASK = "written"
MAX_TOKENS = 256  # answers longer than this are not kept (the model's decoding limit)


@dataclass
class DistillSettings:
    seed: int = 0
    engines: tuple[str, ...] = ("fricas", "maxima")
    seconds: float = 2.0  # each engine, per integrand
    chunk: int = 100  # draws per chunk file

    def key(self, exclude: set[str]) -> dict:
        """What the folder is made of: a rerun must match it (the excluded questions by digest)."""
        digest = hashlib.sha256("\n".join(sorted(exclude)).encode()).hexdigest()[:16]
        return {"seed": self.seed, "engines": list(self.engines), "seconds": self.seconds, "chunk": self.chunk,
                "exclude": f"{len(exclude)} questions, sha256 {digest}"}


@dataclass
class DistillState:
    chunks: int = 0  # chunks written
    draws: int = 0
    pairs: int = 0
    seconds: float = 0.0  # wall time spent, over every run
    core_seconds: float = 0.0  # wall time x the cores of the machine each run had
    counts: Counter = field(default_factory=Counter)  # what happened to answers and draws

    def summary(self) -> dict:
        core_hours = self.core_seconds / 3600
        return {**asdict(self), "counts": dict(self.counts),
                "pairs_per_core_hour": round(self.pairs / core_hours, 1) if core_hours else None}


def answer_tokens(kind: str, text: str) -> str | None:
    """The prefix tokens of a verified answer in SymPy syntax (an antiderivative's constant terms
    dropped), None when the model's language cannot write it or it is longer than ``MAX_TOKENS``
    (also used by ``symseq harvest``)."""
    from generators.base import drop_constant_terms
    from generators.symbols import C1, C2, X
    from symseq.lang.parse import InputError, parse_answer

    try:
        if kind == "integrate":
            tokens = to_prefix(drop_constant_terms(parse_answer(text, {"x": X})))
        else:  # an ODE's solution: its constants are the model's c1, c2
            tokens = to_prefix(parse_answer(text, {"x": X, "c1": C1, "c2": C2}))
    except (InputError, UnsupportedExpressionError, ValueError, TypeError):
        return None
    return tokens_to_str(tokens) if len(tokens) <= MAX_TOKENS else None


def _tokens_job(args) -> str | None:
    """``answer_tokens`` of an antiderivative, in a sandbox."""
    text, = args
    return answer_tokens("integrate", text)


def _answers(f: sp.Expr, settings: DistillSettings, counts: Counter) -> list[tuple[str, str]]:
    """(engine, answer) of each engine's answers to f, asked at once."""
    calls = {name: BackgroundCall(run_engine, (name, "integrate", f, settings.seconds), memory_mb=ENGINE_MEMORY_MB,
                                  affinity=name) for name in settings.engines}
    texts = []
    for name, call in calls.items():
        out = call.result(settings.seconds + 1.0)
        if out.status is not Status.OK or not out.value:
            counts[f"{name}: none" if out.status is Status.OK else f"{name}: {out.status.value}"] += 1
            continue
        for text in out.value if isinstance(out.value, list) else [out.value]:
            texts.append((name, text))
    return texts


def _pairs(f: sp.Expr, question: str, settings: DistillSettings, counts: Counter) -> list[Example]:
    """The verified, writable answers to f, one Example per distinct answer."""
    kept: dict[str, Example] = {}
    for name, text in _answers(f, settings, counts):
        v = verify_candidate("integrate", f, text, numeric_timeout=settings.seconds, proof_timeout=settings.seconds)
        if v.verdict is not Verdict.PROVED:
            counts[f"{name}: {v.verdict.value}"] += 1
            continue
        out = run_in_sandbox(_tokens_job, (v.answer,), timeout=settings.seconds, memory_mb=ENGINE_MEMORY_MB)
        if not out.ok or out.value is None:
            counts[f"{name}: not writable"] += 1
            continue
        counts[f"{name}: proved"] += 1
        kept.setdefault(out.value, Example(TASK, question, out.value))
    return list(kept.values())


def _question(f: sp.Expr) -> str | None:
    """The prefix tokens of a draw worth asking about (not constant, real somewhere), or None."""
    from generators import base
    from generators.symbols import X
    from symseq.numerics.numeric import is_real_somewhere

    if not f.has(X) or base.is_invalid(f) or not is_real_somewhere(f):
        return None
    try:
        return tokens_to_str(to_prefix(f))
    except UnsupportedExpressionError:
        return None


def _draw(settings: DistillSettings, i: int) -> tuple[sp.Expr, str | None]:
    f = written_integrand(np.random.default_rng([settings.seed, i]))
    return f, _question(f)


def _save(out: Path, settings: DistillSettings, exclude: set[str], state: DistillState) -> None:
    atomic_write_json(out / MANIFEST, {"format": FORMAT, "task": TASK, "settings": settings.key(exclude),
                                       "state": state.summary()})


def _load(out: Path, settings: DistillSettings, exclude: set[str]) -> DistillState:
    path = out / MANIFEST
    if not path.exists():
        if out.exists() and any(p.name != MANIFEST and not p.name.startswith(".") for p in out.iterdir()):
            raise DatasetError(f"{out}: not empty and not a distillation folder; choose an empty or new folder")
        return DistillState()
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError("not a distillation manifest")
        if manifest["settings"] != settings.key(exclude):
            raise DatasetError(f"{out}: made with other settings or exclusions {manifest['settings']}; "
                               "use a new folder")
        s = manifest["state"]
        state = DistillState(int(s["chunks"]), int(s["draws"]), int(s["pairs"]), float(s["seconds"]),
                             float(s["core_seconds"]), Counter({str(k): int(v) for k, v in s["counts"].items()}))
        if state.chunks < 0 or state.draws != state.chunks * settings.chunk:
            raise ValueError("inconsistent counts")
    except DatasetError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise DatasetError(f"{path}: cannot be read ({err})") from None
    missing = [k for k in range(state.chunks) if not (out / part_name(0, 1, k)).exists()]
    if missing:
        raise DatasetError(f"{out}: chunk files missing ({part_name(0, 1, missing[0])}, ...); use a new folder")
    return state


def distill(out: str | Path, draws: int, settings: DistillSettings | None = None, exclude: set[str] | None = None,
            progress: Callable[[DistillState], None] | None = None) -> DistillState:
    """Distil ``draws`` integrands (rounded up to whole chunks) into the dataset folder ``out``;
    see the module docstring.  Returns the state (also in the manifest)."""
    settings = settings or DistillSettings()
    missing = [e for e in settings.engines if not available(e)]
    if missing:
        raise DatasetError(f"not installed here: {', '.join(missing)} (see `symseq engines`)")
    out, exclude = Path(out), exclude or set()
    state = _load(out, settings, exclude)
    out.mkdir(parents=True, exist_ok=True)
    _save(out, settings, exclude, state)  # the folder is a distillation's from now on
    # the questions drawn before, redrawn from the seed (as an uninterrupted run has them)
    seen = {q for i in range(state.draws) for q in [_draw(settings, i)[1]] if q is not None}
    while state.chunks * settings.chunk < draws:
        t = time.perf_counter()
        k, lines = state.chunks, []
        for i in range(k * settings.chunk, (k + 1) * settings.chunk):
            f, question = _draw(settings, i)
            if question is None or question in seen or question in exclude:
                state.counts["excluded" if question in exclude else "skipped"] += 1
                continue
            seen.add(question)
            lines += [ex.to_line() for ex in _pairs(f, question, settings, state.counts)]
        atomic_write_text(out / part_name(0, 1, k), "".join(lines))
        spent = time.perf_counter() - t
        state.chunks, state.draws, state.pairs = k + 1, state.draws + settings.chunk, state.pairs + len(lines)
        state.seconds += spent
        state.core_seconds += spent * cpu_count()
        _save(out, settings, exclude, state)
        if progress is not None:
            progress(state)
    return state
