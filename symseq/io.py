"""Small file helpers: atomic writes (write to a temporary file in the same folder, fsync, rename,
fsync the folder), and a set of files replaced together through a journal (``write_file_set``).

A reader never sees a half-written file, and a crash or kill -9 leaves either the old file or
the new one, never a mixture.  ``fsync_dir`` makes a rename durable (the folder entry is data
too); ``fsync_file`` flushes a file written by someone else's writer (safetensors).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


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


def digest(path: Path) -> dict:
    """``{"bytes": size, "sha256": hex}`` of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


# ------------------------------------------------- a set of files replaced together (a journal)
#
# One writer per folder.  ``write_file_set`` writes every file of the new set under a temporary
# name ``.{name}.{token}.tmp`` and fsyncs it, fsyncs the folder, then writes the journal
# (atomically: the commit point) listing the renames temporary -> final; then it renames, fsyncs
# the folder and removes the journal.  Until the journal exists the old files are untouched; once
# it exists the new set is complete on disk.  Readers resolve a pending journal without writing
# (``file_set_view``: a file still under its temporary name is read from there), and the next
# write finishes the renames first.  A crash at any point leaves the old set or the new one.

FileWriter = Callable[[Path, dict], None]  # (where to write, digests of the files written before it)


def _is_own_tmp(filename: str, names: tuple[str, ...], journal: str) -> bool:
    """A temporary file of a set (also the journal's, and the older ``.name.tmp``)."""
    return filename.endswith(".tmp") and any(filename.startswith(f".{n}.") for n in (*names, journal))


def read_journal(folder: Path, names: tuple[str, ...], journal: str) -> list[tuple[str, str]] | None:
    """The pending renames ``[(tmp, final)]`` of an interrupted write, or None.  A journal that is
    not exactly what ``write_file_set`` writes is ignored."""
    try:
        obj = json.loads((folder / journal).read_text())
        moves = [(str(t), str(f)) for t, f in obj["moves"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    pattern = re.compile(r"\.(.+)\.[0-9a-f]+\.tmp")
    for tmp, final in moves:
        m = pattern.fullmatch(tmp)
        if final not in names or m is None or m.group(1) != final:
            return None
    return moves


def file_set_view(folder: Path, names: tuple[str, ...], journal: str) -> dict[str, Path]:
    """Where each file of the committed set is, given a possibly pending journal (no writes)."""
    view = {name: folder / name for name in names}
    for tmp, final in read_journal(folder, names, journal) or ():
        if (folder / tmp).exists():
            view[final] = folder / tmp
    return view


def _roll_forward(folder: Path, moves: list[tuple[str, str]], journal: str) -> None:
    for tmp, final in moves:
        if (folder / tmp).exists():
            os.replace(folder / tmp, folder / final)
    fsync_dir(folder)
    os.unlink(folder / journal)
    fsync_dir(folder)


def recover_file_set(folder: Path, names: tuple[str, ...], journal: str) -> None:
    """Finish an interrupted write (or drop a damaged journal) and remove stale temporary files."""
    if (folder / journal).exists():
        moves = read_journal(folder, names, journal)
        if moves is not None:
            _roll_forward(folder, moves, journal)
        else:
            os.unlink(folder / journal)
    for p in folder.iterdir():
        if _is_own_tmp(p.name, names, journal):
            p.unlink()


def write_file_set(folder: Path, writers: dict[str, FileWriter], *, names: tuple[str, ...],
                   journal: str) -> None:
    """Replace files of ``folder`` together, crash-safely (see above); ``writers`` run in order,
    each given the digests of those before it (so the last can record them); ``names`` are every
    file a set of this kind may hold."""
    folder.mkdir(parents=True, exist_ok=True)
    recover_file_set(folder, names, journal)
    token = secrets.token_hex(8)
    moves: list[tuple[str, str]] = []
    files: dict[str, dict] = {}
    try:
        for name, write in writers.items():
            tmp = folder / f".{name}.{token}.tmp"
            moves.append((tmp.name, name))
            write(tmp, dict(files))
            os.chmod(tmp, 0o644)
            fsync_file(tmp)
            files[name] = digest(tmp)
        fsync_dir(folder)
    except BaseException:  # nothing is committed yet: the old set stands
        for tmp, _ in moves:
            (folder / tmp).unlink(missing_ok=True)
        raise
    atomic_write_json(folder / journal, {"moves": moves})  # the commit point
    _roll_forward(folder, moves, journal)
