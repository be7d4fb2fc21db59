"""Small file helpers: atomic writes (write to a temporary file in the same folder, fsync, rename,
fsync the folder).

A reader never sees a half-written file, and a crash or kill -9 leaves either the old file or
the new one, never a mixture.  ``fsync_dir`` makes a rename durable (the folder entry is data
too); ``fsync_file`` flushes a file written by someone else's writer (safetensors).
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def fsync_file(path: Path) -> None:
    """Flush ``path``'s data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush folder ``path``'s entries (renames, new and removed files) to disk."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # platforms that cannot open a folder (Windows) have nothing to flush
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to (any writer: a stream, savefig,
    safetensors); on leaving the block it is flushed and renamed over ``path``, or removed if the
    block raised.  The temporary file, in the same folder, is named ``.{name}.<random>.tmp`` (so
    its owner can recognise it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        fsync_file(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; data files are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` atomically (see ``atomic_target``)."""
    with atomic_target(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_json(path: Path, obj: object) -> None:
    atomic_write_text(path, json.dumps(obj, indent=1, sort_keys=True) + "\n")
