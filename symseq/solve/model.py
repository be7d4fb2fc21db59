"""The model's part of solving: the shipped checkpoint, loading it once, and beam-search
candidates for a batch of questions.  Torch loads only when a function here first decodes."""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from functools import lru_cache
from pathlib import Path

import sympy as sp

from symseq.domain import task_token
from symseq.lang.prefix import UnsupportedExpressionError, to_prefix


def shipped_checkpoint() -> Path:
    """The shipped model: ``checkpoints/default`` beside the package in a source checkout (or an
    editable install), else where ``pip install`` put it (``<prefix>/share/symseq/checkpoints/
    default``, pyproject's data-files), for the prefix this package is installed under."""
    import sys

    here = Path(__file__).resolve()
    source = here.parents[2] / "checkpoints" / "default"
    if (source / "config.json").exists():
        return source
    for prefix in (here.parents[5] if len(here.parents) > 5 else None, Path(sys.prefix)):
        if prefix is not None and (prefix / "share" / "symseq" / "checkpoints" / "default" / "config.json").exists():
            return prefix / "share" / "symseq" / "checkpoints" / "default"
    return source  # missing: loading it says so in a one-line note, and the engines run alone


DEFAULT_CHECKPOINT = shipped_checkpoint()


@lru_cache(maxsize=4)
def _load_model(path: str):
    from symseq.nn import checkpoint

    return checkpoint.load(path)


_LOADING: dict[str, threading.Thread] = {}


def start_loading(path: str) -> None:
    """Load the model at ``path`` in a background thread (once), so that a race goes on while
    torch and the weights load (1.7 s on an idle core, 6 s on one shared with the engines: the
    race waited for it past its deadline).  A failure surfaces when the model is next asked for."""
    if path not in _LOADING:
        def load() -> None:
            try:
                _load_model(path)
            except Exception:  # noqa: BLE001 -- model_candidates loads it again and reports why
                pass
        _LOADING[path] = threading.Thread(target=load, name="symseq-model-load", daemon=True)
        _LOADING[path].start()
        if len(_LOADING) == 1:  # torch torn down mid-load aborts the process at exit (rc 134)
            # weakref's own exit hook (it runs torch's finalizers) is registered first, so that
            # it runs after the join: registered by torch inside the thread, it ran before it,
            # and the finalizers made later printed 85 lines of "Exception ignored" at exit
            weakref.finalize(_finish_loading, lambda: None)
            atexit.register(_finish_loading)


def _finish_loading() -> None:
    """At exit: wait for a load still under way (the answer is out already)."""
    for thread in list(_LOADING.values()):
        thread.join()


def model_ready(path: str, wait: float = 0.0) -> bool:
    """Whether asking for the model at ``path`` will not wait for ``start_loading``'s thread,
    after waiting up to ``wait`` seconds for it (blocked, not spinning: a busy caller would keep
    the loading thread from the interpreter)."""
    thread = _LOADING.get(path)
    if thread is not None and wait > 0:
        thread.join(wait)
    return thread is None or not thread.is_alive()


def model_candidates(questions: list[sp.Expr | list[str]], kind: str, checkpoint_path: str, beam: int,
                      notes: list[list[str]], time_limit: float) -> list[list[tuple[int, list[str]]]]:
    """Beam-search candidates ``(rank, prefix tokens)`` for each question (an expression, or its
    prefix tokens already), decoded as one batch.

    Candidates stay token lists: the verifier builds them in its sandbox (a deeply nested
    output can take SymPy minutes to construct).
    Problems the model cannot take (no model, unsupported operator, too long) get no candidates
    and a line in their ``notes``; SymPy still runs for them in hybrid mode.
    """
    from symseq.data.batching import pad_rows
    from symseq.nn.checkpoint import CheckpointError

    out: list[list[tuple[int, list[str]]]] = [[] for _ in questions]
    try:
        model, vocab, _ = _load_model(checkpoint_path)
    except Exception as err:  # any model failure: reported, and SymPy still runs in hybrid mode
        message = str(err) if isinstance(err, (CheckpointError, OSError)) else f"{type(err).__name__}: {err}"
        for n in notes:
            n.append(f"model unavailable: {message}")
        return out
    max_len = getattr(model.config, "max_len", 1024)
    rows, where = [], []
    for i, question in enumerate(questions):
        try:
            tokens = [task_token(kind)] + (question if isinstance(question, list) else to_prefix(question))
        except UnsupportedExpressionError as err:
            notes[i].append(f"model skipped: {err}")
            continue
        if len(tokens) > max_len:
            notes[i].append(f"model skipped: {len(tokens)} tokens exceed its limit {max_len}")
            continue
        rows.append(vocab.encode(tokens))
        where.append(i)
    if not rows:
        return out
    from symseq.solve.decode import beam_search

    src = pad_rows(rows, vocab.pad)
    try:
        hyps = beam_search(model, vocab, src, src != vocab.pad, beam=beam, max_len=min(256, max_len),
                           time_limit=time_limit)
    except Exception as err:  # any model failure: reported, and SymPy still runs in hybrid mode
        for i in where:
            notes[i].append(f"model failed: {type(err).__name__}: {err}")
        return out
    for j, i in enumerate(where):
        out[i] = [(rank, list(h.tokens)) for rank, h in enumerate(hyps[j], 1)]
    return out


def decode_batch(questions: list[sp.Expr], kind: str, checkpoint: str | Path | None, beam: int,
                 time_limit: float) -> list[tuple[list, list[str], float]]:
    """Decode questions of one kind as one batch: per question (candidates, notes, its share of
    the decoding seconds)."""
    notes: list[list[str]] = [[] for _ in questions]
    t = time.perf_counter()
    cands = model_candidates(questions, kind, str(checkpoint or DEFAULT_CHECKPOINT), beam, notes, time_limit)
    share = (time.perf_counter() - t) / len(questions)
    return [(c, n, share) for c, n in zip(cands, notes)]
