"""Run functions in child processes under a hard wall-clock limit enforced by the parent.

SymPy calls can run for minutes or forever (``integrate``, ``simplify``, ``solve``).  Nothing
inside the child is trusted to stop itself: the parent waits with a deadline and SIGKILLs a
child that overruns it, then starts a fresh one.  No SIGALRM, no threads.

* ``run_in_sandbox(fn, arg, timeout=...)``: one call in a fresh child process.
* ``BackgroundCall(fn, arg)``: ``fn(arg)`` started now in a child; ``.result(timeout)`` collects
  it (or kills it) later, so the parent can do other work meanwhile (the solver's SymPy race).
* ``SandboxPool(fn, workers=..., timeout=...)``: persistent workers (forked, so SymPy is
  imported once) that each run ``fn(arg)`` per task; ``pool.imap_unordered(tasks)`` yields
  ``(key, Outcome)`` as tasks finish.  A task that hangs costs at most ``timeout`` seconds and
  its worker; a worker that crashes (segfault, out of memory) is replaced.
* ``keep_workers_warm()``: for long-running processes, idle workers are kept between calls (a
  call costs a pipe message instead of a fork), under the same limits; ``warm_workers()`` the
  same for a ``with`` block.  A warm worker keeps what its calls left in its process (FriCAS
  and Maxima sessions): ``BackgroundCall(..., affinity=...)`` sends a call to a worker that
  holds its state, and ``stop(drain=...)`` lets such a worker finish an unwanted call rather
  than be killed with it.

Every result is an ``Outcome`` whose ``status`` says what happened; a timeout or a crash is never
mistaken for a value.  Children ignore SIGINT (the parent decides what Ctrl-C does), can be given
an address-space limit (never above the process's own hard limit), and die with their parent
(Linux ``PR_SET_PDEATHSIG``).  A worker that cannot start or is found dead when a task is sent
gives that task a CRASH outcome saying why, and the pool replaces it; if fresh workers keep
dying before they finish any task, the pool raises ``SandboxError`` instead of spinning.
"""

from __future__ import annotations

import contextlib
import ctypes
import enum
import multiprocessing as mp
import os
import resource
import signal
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Hashable, Iterable, Iterator

_CTX = mp.get_context("fork")


class SandboxError(RuntimeError):
    """Sandbox workers cannot be started (every fresh one dies before finishing a task)."""


class Status(str, enum.Enum):
    OK = "ok"
    ERROR = "error"  # fn raised; ``error`` holds "ExceptionType: message"
    TIMEOUT = "timeout"  # killed by the parent at the deadline
    CRASH = "crash"  # the child died without answering (segfault, memory limit, ...)


@dataclass(frozen=True)
class Outcome:
    status: Status
    value: Any = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


def _child_setup(memory_mb: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # die when the parent dies, even by kill -9
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)  # a process may lower its hard limit, never raise it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _call(fn: Callable[[Any], Any], arg: Any) -> tuple[Status, Any, str | None]:
    try:
        return Status.OK, fn(arg), None
    except MemoryError:
        return Status.ERROR, None, "MemoryError: memory limit reached"
    except RecursionError:
        return Status.ERROR, None, "RecursionError: expression too deep"
    except Exception as err:  # reported to the parent as a typed outcome, never swallowed
        last = traceback.extract_tb(err.__traceback__)[-1:]
        where = f" at {last[0].filename}:{last[0].lineno}" if last else ""
        return Status.ERROR, None, f"{type(err).__name__}: {err}{where}"


def _worker_main(conn: Connection, fn: Callable[[Any], Any], memory_mb: int | None) -> None:
    # The parent keeps treating this process as daemonic (killed if the parent exits); inside,
    # the flag is cleared so that ``fn`` may itself use a sandbox (multiprocessing forbids
    # daemonic processes to start children; PR_SET_PDEATHSIG already ties them to this one).
    _CTX.current_process()._config["daemon"] = False
    try:
        _child_setup(memory_mb)
    except (OSError, ValueError) as err:  # tell the parent why, then die
        conn.send((None, Status.CRASH, None, f"sandbox worker could not start: {err}"))
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        key, arg = msg
        status, value, error = _call(fn, arg) if fn is not None else _call(*arg)  # generic: (fn, arg)
        try:
            conn.send((key, status, value, error))
        except Exception as err:  # e.g. an unpicklable value
            conn.send((key, Status.ERROR, None, f"cannot return result: {err}"))


def run_in_sandbox(fn: Callable[[Any], Any], arg: Any = None, *, timeout: float,
                   memory_mb: int | None = None) -> Outcome:
    """Run ``fn(arg)`` in a fresh child process; kill it after ``timeout`` seconds."""
    if timeout <= 0:
        raise ValueError("timeout must be > 0")
    return BackgroundCall(fn, arg, memory_mb=memory_mb).result(timeout)


class _Worker:
    """A sandboxed child that runs ``fn(arg)`` per task; ``fn=None`` makes a generic worker, which
    is sent the function with each task (``task_fn``) and can be kept warm between calls."""

    def __init__(self, fn: Callable[[Any], Any] | None, memory_mb: int | None) -> None:
        parent_conn, child_conn = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(child_conn, fn, memory_mb),
                                    daemon=True)
        self.process.start()
        child_conn.close()
        self.conn = parent_conn
        self.generic, self.memory_mb = fn is None, memory_mb
        self.task_fn: Callable[[Any], Any] | None = None
        self.unhealthy = False  # a task hit a memory or recursion limit: not to be reused
        self.key: Hashable | None = None
        self.started = 0.0
        self.answered = 0  # tasks this worker has answered
        self.holds: set[str] = set()  # state its tasks left behind (a CAS session): see ``affinity``

    @property
    def busy(self) -> bool:
        return self.key is not None

    def submit(self, key: Hashable, arg: Any) -> bool:
        """Send a task; False if the worker is dead (its pipe is broken)."""
        self.key, self.started = key, time.monotonic()
        try:
            self.conn.send((key, (self.task_fn, arg) if self.generic else arg))
        except OSError:  # BrokenPipeError, ConnectionResetError
            return False
        return True

    def death_note(self) -> str:
        """Why the worker stopped answering, in one line (its own message if it sent one)."""
        try:
            if self.conn.poll(0):
                error = self.conn.recv()[3]
                if error:
                    return error
        except (EOFError, OSError, IndexError, TypeError):
            pass
        self.process.join(timeout=1)
        code = self.process.exitcode
        how = "is still running" if code is None else \
            f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        return f"the sandbox worker process died (it {how})"

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError):
            pass
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


class _Reservoir:
    """Idle generic workers kept between calls (``keep_workers_warm``): a call then costs a pipe
    message instead of a fork, and runs with the caches its worker built in earlier calls."""

    def __init__(self, size: int, max_tasks: int) -> None:
        self.size, self.max_tasks = size, max_tasks
        self.idle: dict[int | None, list[_Worker]] = {}
        self.draining: list[tuple[_Worker, float]] = []  # (worker, kill it at this monotonic time)

    def drain(self, w: _Worker, seconds: float) -> None:
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
                if done and _healthy(status, error):
                    w.key, w.answered = None, w.answered + 1
                    self.give_back(w)
                else:
                    w.kill()

    def take(self, memory_mb: int | None, affinity: str | None = None) -> _Worker:
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
            return _Worker(None, memory_mb)
        idle.remove(suitable[-1])
        return suitable[-1]

    def give_back(self, w: _Worker) -> None:
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


_RESERVOIR: _Reservoir | None = None


def keep_workers_warm(size: int = 6, max_tasks: int = 200, prestart: int = 0,
                      memory_mb: int | None = None) -> None:
    """From now on, sandboxed calls of module-level functions reuse up to ``size`` idle workers
    (each retired after ``max_tasks`` tasks) instead of forking one per call: for long-running
    processes (``symseq serve``).  A worker sees the parent's module state as of its fork;
    limits are unchanged (a worker that times out, crashes or hits its memory limit is killed).
    ``prestart`` workers (with ``memory_mb``) are forked at once."""
    global _RESERVOIR
    if _RESERVOIR is None:
        _RESERVOIR = _Reservoir(size, max_tasks)
    for _ in range(min(prestart, size)):  # forked now, with what this process has loaded so far
        _RESERVOIR.give_back(_Worker(None, memory_mb))


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


def _lease(fn: Callable[[Any], Any], memory_mb: int | None, affinity: str | None = None) -> _Worker:
    """A worker for ``fn``: a warm generic one where possible, else a fresh dedicated one."""
    if _RESERVOIR is None or not _by_reference(fn):
        return _Worker(fn, memory_mb)
    w = _RESERVOIR.take(memory_mb, affinity)
    w.task_fn = fn
    if affinity is not None:
        w.holds.add(affinity)
    return w


def _release(w: _Worker, healthy: bool) -> None:
    """Done with ``w``: back to the reservoir when it is generic and healthy, else ended."""
    if w.generic and healthy and _RESERVOIR is not None:
        _RESERVOIR.give_back(w)
    elif w.busy or not healthy:
        w.kill()
    else:
        w.stop()


def _healthy(status: Status, error: str | None) -> bool:
    """Whether a worker that produced this outcome may be used again."""
    return status is Status.OK or (status is Status.ERROR and not (error or "").startswith(
        ("MemoryError", "RecursionError")))


class BackgroundCall:
    """``fn(arg)`` running in a sandboxed child from construction; ``result`` waits or kills it.

    ``affinity`` names state that ``fn`` keeps in its process between calls (a persistent CAS
    session): with warm workers, the call goes to a worker that already holds it when one is idle.
    """

    def __init__(self, fn: Callable[[Any], Any], arg: Any = None, *, memory_mb: int | None = None,
                 affinity: str | None = None) -> None:
        self._worker = _lease(fn, memory_mb, affinity)
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
        if self._outcome is None and drain > 0 and w.generic and w.holds and _RESERVOIR is not None:
            _RESERVOIR.drain(w, drain)  # its reply is the reservoir's now, never this call's
            self._outcome = Outcome(Status.TIMEOUT, error="stopped (left to finish unread)",
                                    seconds=time.monotonic() - w.started)
        elif self._outcome is None or self._outcome.status in (Status.TIMEOUT, Status.CRASH):
            self._worker.kill()
        else:
            self._worker.key = None
            _release(self._worker, _healthy(self._outcome.status, self._outcome.error))


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


class SandboxPool:
    """Persistent sandboxed workers with a per-task hard timeout."""

    def __init__(self, fn: Callable[[Any], Any], *, workers: int = 1, timeout: float,
                 memory_mb: int | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        if timeout <= 0:
            raise ValueError("timeout must be > 0")
        self.fn, self.timeout, self.memory_mb = fn, timeout, memory_mb
        self.workers = [_lease(fn, memory_mb) for _ in range(workers)]
        self.restarts = 0
        self._unproven_deaths = 0  # workers in a row that died before answering anything

    def __enter__(self) -> "SandboxPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for w in self.workers:
            _release(w, healthy=not w.busy and not w.unhealthy)
        self.workers = []

    def _replace(self, index: int) -> None:
        self.workers[index].kill()
        self.workers[index] = _lease(self.fn, self.memory_mb)
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
                    w.unhealthy = w.unhealthy or not _healthy(status, error)
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
