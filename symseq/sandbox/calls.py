"""Sandboxed calls that run while the caller works on: ``BackgroundCall``, ``wait_any`` over several,
and ``run_in_sandbox`` for one call waited on at once."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable

from symseq.sandbox import warm
from symseq.sandbox.worker import Outcome, Status, healthy

def run_in_sandbox(fn: Callable[[Any], Any], arg: Any = None, *, timeout: float,
                   memory_mb: int | None = None) -> Outcome:
    """Run ``fn(arg)`` in a fresh child process; kill it after ``timeout`` seconds."""
    if timeout <= 0:
        raise ValueError("timeout must be > 0")
    return BackgroundCall(fn, arg, memory_mb=memory_mb).result(timeout)


class BackgroundCall:
    """``fn(arg)`` running in a sandboxed child from construction; ``result`` waits or kills it.

    ``affinity`` names state that ``fn`` keeps in its process between calls (a persistent CAS
    session): with warm workers, the call goes to a worker that already holds it when one is idle.
    """

    def __init__(self, fn: Callable[[Any], Any], arg: Any = None, *, memory_mb: int | None = None,
                 affinity: str | None = None) -> None:
        self._worker = warm.lease(fn, memory_mb, affinity)
        self._outcome: Outcome | None = None
        self._released = False
        if not self._worker.submit(0, arg):
            self._outcome = Outcome(Status.CRASH, error=self._worker.death_note())
            self._worker.kill()

    def ready(self) -> bool:
        """Whether the call has finished (``result`` would not wait)."""
        return self.wait(0)

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the call to finish; whether it has."""
        try:
            return self._outcome is not None or self._worker.conn.poll(max(0.0, timeout))
        except (OSError, ValueError):  # a closed pipe: the child is gone, ``result`` says how
            return True

    def result(self, timeout: float) -> Outcome:
        """The call's Outcome, waiting at most ``timeout`` more seconds (then TIMEOUT)."""
        if self._outcome is None:
            w = self._worker
            if w.conn.poll(max(0.0, timeout)):
                try:
                    _, status, value, error = w.conn.recv()
                    w.answered += 1
                    self._outcome = Outcome(status, value, error, time.monotonic() - w.started)
                except (EOFError, OSError):
                    self._outcome = Outcome(Status.CRASH, error=w.death_note(),
                                            seconds=time.monotonic() - w.started)
            else:
                self._outcome = Outcome(Status.TIMEOUT, seconds=time.monotonic() - w.started)
            self.stop()
        return self._outcome

    def connection(self) -> Connection | None:
        """The pipe to wait on while the call runs (None once its outcome is known)."""
        return None if self._outcome is not None or self._worker.conn.closed else self._worker.conn

    def stop(self, drain: float = 0.0) -> None:
        """Kill the child if it is still working, else let it go (idempotent).  ``drain``: a
        warm worker that holds state (see ``affinity``) and is still working may instead finish
        within that many seconds, its answer unread, and then serve other calls."""
        if self._released or self._worker.conn.closed:
            return
        self._released = True
        w = self._worker
        if self._outcome is None and drain > 0 and warm.drain(w, drain):
            # its reply is the reservoir's now, never this call's
            self._outcome = Outcome(Status.TIMEOUT, error="stopped (left to finish unread)",
                                    seconds=time.monotonic() - w.started)
        elif self._outcome is None or self._outcome.status in (Status.TIMEOUT, Status.CRASH):
            self._worker.kill()
        else:
            self._worker.key = None
            warm.release(self._worker, healthy(self._outcome.status, self._outcome.error))


def wait_any(calls: Iterable[BackgroundCall], timeout: float) -> list[BackgroundCall]:
    """Wait at most ``timeout`` seconds until one of ``calls`` has finished; those that have."""
    calls = list(calls)
    done = [c for c in calls if c.connection() is None]
    if done or not calls:
        return done
    by_conn = {c.connection(): c for c in calls}
    try:
        ready = wait(list(by_conn), max(0.0, timeout))
    except (OSError, ValueError):  # a closed pipe: the child is gone, ``result`` says how
        return calls
    return [by_conn[conn] for conn in ready]
