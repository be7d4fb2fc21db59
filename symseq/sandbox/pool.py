"""``SandboxPool``: persistent sandboxed workers, each running one function per task under a
per-task hard timeout (the verifier's and the data generator's pool)."""

from __future__ import annotations

import os
import time
from multiprocessing.connection import wait
from typing import Any, Callable, Hashable, Iterable, Iterator

from symseq.sandbox import warm
from symseq.sandbox.worker import Outcome, SandboxError, Status, healthy

class SandboxPool:
    """Persistent sandboxed workers with a per-task hard timeout."""

    def __init__(self, fn: Callable[[Any], Any], *, workers: int = 1, timeout: float,
                 memory_mb: int | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        if timeout <= 0:
            raise ValueError("timeout must be > 0")
        self.fn, self.timeout, self.memory_mb = fn, timeout, memory_mb
        self.workers = [warm.lease(fn, memory_mb) for _ in range(workers)]
        self.restarts = 0
        self._unproven_deaths = 0  # workers in a row that died before answering anything

    def __enter__(self) -> "SandboxPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for w in self.workers:
            warm.release(w, reusable=not w.busy and not w.unhealthy)
        self.workers = []

    def _replace(self, index: int) -> None:
        self.workers[index].kill()
        self.workers[index] = warm.lease(self.fn, self.memory_mb)
        self.restarts += 1

    def _died(self, index: int, note: str | None = None) -> Outcome:
        """The CRASH outcome of the task of dead worker ``index``, which is replaced."""
        w = self.workers[index]
        note = note or w.death_note()
        elapsed, w.key = time.monotonic() - w.started, None
        self._unproven_deaths = self._unproven_deaths + 1 if w.answered == 0 else 0
        if self._unproven_deaths > 2 * len(self.workers) + 1:
            raise SandboxError(f"sandbox workers keep dying before answering any task: {note}")
        self._replace(index)
        return Outcome(Status.CRASH, error=note, seconds=elapsed)

    def imap_unordered(self, tasks: Iterable[tuple[Hashable, Any]]) -> Iterator[tuple[Hashable, Outcome]]:
        """Run ``fn(arg)`` for each ``(key, arg)``; yield ``(key, Outcome)`` as they finish.

        Tasks are pulled lazily from ``tasks``, so it may be an endless generator.
        """
        pending = iter(tasks)
        exhausted = False

        def next_task() -> tuple[Hashable, Any] | None:
            nonlocal exhausted
            if exhausted:
                return None
            try:
                return next(pending)
            except StopIteration:
                exhausted = True
                return None

        while True:
            for i, w in enumerate(self.workers):
                if not w.busy:
                    task = next_task()
                    if task is None:
                        break
                    if not w.submit(*task):
                        yield task[0], self._died(i)
            busy = [w for w in self.workers if w.busy]
            if not busy:
                if exhausted:
                    return
                continue  # a worker died on submit: its replacement takes the next task
            now = time.monotonic()
            wait_for = max(0.0, min(w.started + self.timeout for w in busy) - now)
            ready = set(wait([w.conn for w in busy], timeout=wait_for))
            now = time.monotonic()
            for i, w in enumerate(list(self.workers)):
                if not w.busy:
                    continue
                key, elapsed = w.key, now - w.started
                if w.conn in ready:
                    try:
                        _, status, value, error = w.conn.recv()
                    except (EOFError, OSError):
                        yield key, self._died(i)
                        continue
                    if status is Status.CRASH:  # the worker could not start, and said why
                        yield key, self._died(i, error)
                        continue
                    w.key = None
                    w.answered += 1
                    w.unhealthy = w.unhealthy or not healthy(status, error)
                    self._unproven_deaths = 0
                    yield key, Outcome(status, value, error, elapsed)
                elif elapsed >= self.timeout:
                    w.key = None
                    self._replace(i)
                    yield key, Outcome(Status.TIMEOUT, error=f"no answer within {self.timeout:g} s",
                                       seconds=elapsed)


def cpu_count() -> int:
    """Cores this process may use (respects CPU affinity)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
