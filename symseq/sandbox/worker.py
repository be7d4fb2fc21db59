"""The sandbox's process layer: a child that runs ``fn(arg)`` per task under limits, the typed
Outcome of a task, and whether a worker may be used again (see the package docstring)."""

from __future__ import annotations

import ctypes
import enum
import multiprocessing as mp
import resource
import signal
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable, Hashable

CTX = mp.get_context("fork")


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
    CTX.current_process()._config["daemon"] = False
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


class Worker:
    """A sandboxed child that runs ``fn(arg)`` per task; ``fn=None`` makes a generic worker, which
    is sent the function with each task (``task_fn``) and can be kept warm between calls."""

    def __init__(self, fn: Callable[[Any], Any] | None, memory_mb: int | None) -> None:
        parent_conn, child_conn = CTX.Pipe()
        self.process = CTX.Process(target=_worker_main, args=(child_conn, fn, memory_mb),
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


def healthy(status: Status, error: str | None) -> bool:
    """Whether a worker that produced this outcome may be used again."""
    return status is Status.OK or (status is Status.ERROR and not (error or "").startswith(
        ("MemoryError", "RecursionError")))
