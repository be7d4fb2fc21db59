"""Warm workers: idle generic workers kept between sandboxed calls (a call costs a pipe message
instead of a fork), the state they hold (CAS sessions, ``affinity``) and draining (see the
package docstring).  One reservoir per process, on only inside ``keep_workers_warm`` /
``warm_workers``."""

from __future__ import annotations

import contextlib
import time
from typing import Any, Callable, Iterator

from symseq.sandbox.worker import Status, Worker, healthy

class Reservoir:
    """Idle generic workers kept between calls (``keep_workers_warm``): a call then costs a pipe
    message instead of a fork, and runs with the caches its worker built in earlier calls."""

    def __init__(self, size: int, max_tasks: int) -> None:
        self.size, self.max_tasks = size, max_tasks
        self.idle: dict[int | None, list[Worker]] = {}
        self.draining: list[tuple[Worker, float]] = []  # (worker, kill it at this monotonic time)

    def drain(self, w: Worker, seconds: float) -> None:
        """A worker whose task is no longer wanted but which holds costly state: it may finish
        within ``seconds`` (its answer is thrown away) and come back idle, else it is killed."""
        self.draining.append((w, time.monotonic() + seconds))

    def sweep(self) -> None:
        """Drained workers that have finished go back to idle; those past their time are killed."""
        now = time.monotonic()
        for item in list(self.draining):
            w, kill_at = item
            try:
                done = w.conn.poll(0)
                if done:
                    _, status, _, error = w.conn.recv()
            except Exception:  # a broken pipe or an unreadable reply: the worker is not reused
                done, status, error = True, Status.CRASH, None
            if done or now >= kill_at:
                self.draining.remove(item)
                if done and healthy(status, error):
                    w.key, w.answered = None, w.answered + 1
                    self.give_back(w)
                else:
                    w.kill()

    def take(self, memory_mb: int | None, affinity: str | None = None) -> Worker:
        """An idle worker: with ``affinity``, one that holds it, else one that holds nothing; a
        worker holding other state (a CAS session, costly to restart) is kept for its own kind
        of task, so a fresh worker is forked when no suitable one is idle."""
        self.sweep()
        idle = self.idle.get(memory_mb, [])
        for w in [w for w in idle if not (w.process.is_alive() and not w.conn.closed and not w.conn.poll(0))]:
            idle.remove(w)
            w.kill()
        suitable = [w for w in idle if affinity is not None and affinity in w.holds] or \
            [w for w in idle if not w.holds]
        if not suitable:
            return Worker(None, memory_mb)
        idle.remove(suitable[-1])
        return suitable[-1]

    def give_back(self, w: Worker) -> None:
        idle = self.idle.setdefault(w.memory_mb, [])
        twin = w.holds and any(other.holds == w.holds for other in idle)  # one session of a kind is enough
        if (w.busy or w.answered >= self.max_tasks or len(idle) >= self.size or w.conn.closed
                or not w.process.is_alive() or twin):
            w.stop() if not w.busy else w.kill()
        else:
            w.task_fn = None
            idle.append(w)

    def close(self) -> None:
        for idle in self.idle.values():
            for w in idle:
                w.stop()
        self.idle.clear()
        for w, _ in self.draining:
            w.kill()
        self.draining.clear()


_RESERVOIR: Reservoir | None = None  # on while keep_workers_warm / warm_workers


def current() -> Reservoir | None:
    """The warm workers of this process, when kept (else None)."""
    return _RESERVOIR


def drain(w: Worker, seconds: float) -> bool:
    """Leave a busy warm worker that holds state ``seconds`` to finish (``BackgroundCall.stop``);
    False when it cannot be (no warm workers, or a dedicated worker holding nothing)."""
    if _RESERVOIR is None or not (w.generic and w.holds):
        return False
    _RESERVOIR.drain(w, seconds)
    return True


def keep_workers_warm(size: int = 6, max_tasks: int = 200, prestart: int = 0,
                      memory_mb: int | None = None) -> None:
    """From now on, sandboxed calls of module-level functions reuse up to ``size`` idle workers
    (each retired after ``max_tasks`` tasks) instead of forking one per call: for long-running
    processes (``symseq serve``).  A worker sees the parent's module state as of its fork;
    limits are unchanged (a worker that times out, crashes or hits its memory limit is killed).
    ``prestart`` workers (with ``memory_mb``) are forked at once."""
    global _RESERVOIR
    if _RESERVOIR is None:
        _RESERVOIR = Reservoir(size, max_tasks)
    for _ in range(min(prestart, size)):  # forked now, with what this process has loaded so far
        _RESERVOIR.give_back(Worker(None, memory_mb))


@contextlib.contextmanager
def warm_workers(size: int = 6, max_tasks: int = 200) -> Iterator[None]:
    """``keep_workers_warm`` for the duration of a ``with`` block (many problems in a row: a
    batch, a benchmark); the workers it kept are ended after it, unless warm workers were
    already on before it."""
    global _RESERVOIR
    if _RESERVOIR is not None:
        yield
        return
    keep_workers_warm(size, max_tasks)
    try:
        yield
    finally:
        reservoir, _RESERVOIR = _RESERVOIR, None
        if reservoir is not None:
            reservoir.close()


def workers_kept_warm() -> bool:
    """Whether ``keep_workers_warm`` is on in this process."""
    return _RESERVOIR is not None


def idle_worker_holds(affinity: str) -> bool:
    """Whether an idle warm worker holds ``affinity`` (a call with it would find its state)."""
    return _RESERVOIR is not None and any(affinity in w.holds for idle in _RESERVOIR.idle.values()
                                          for w in idle)


def sweep_drained() -> None:
    """Collect drained workers that have finished and kill those past their time (``stop``'s
    ``drain``); done on every lease too, and by callers that wait between leases."""
    if _RESERVOIR is not None:
        _RESERVOIR.sweep()


def _by_reference(fn: Callable[[Any], Any]) -> bool:
    """Whether ``fn`` can be sent to a worker by name (a module-level function)."""
    import sys

    module = sys.modules.get(getattr(fn, "__module__", None) or "")
    return module is not None and getattr(module, getattr(fn, "__qualname__", "<"), None) is fn


def lease(fn: Callable[[Any], Any], memory_mb: int | None, affinity: str | None = None) -> Worker:
    """A worker for ``fn``: a warm generic one where possible, else a fresh dedicated one."""
    if _RESERVOIR is None or not _by_reference(fn):
        return Worker(fn, memory_mb)
    w = _RESERVOIR.take(memory_mb, affinity)
    w.task_fn = fn
    if affinity is not None:
        w.holds.add(affinity)
    return w


def release(w: Worker, reusable: bool) -> None:
    """Done with ``w``: back to the reservoir when it is generic and ``reusable``, else ended."""
    if w.generic and reusable and _RESERVOIR is not None:
        _RESERVOIR.give_back(w)
    elif w.busy or not reusable:
        w.kill()
    else:
        w.stop()
