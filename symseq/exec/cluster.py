"""``DaskExecutor``: tasks of generate, benchmark and ``--file`` on a Dask cluster (see the package
docstring).  Imported only with ``--executor dask``."""

from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any, Callable, Hashable, Iterable, Iterator

import dask
from distributed import Client, LocalCluster, as_completed
from distributed.comm import resolve_address
from distributed.diagnostics.plugin import WorkerPlugin

from symseq.exec import ExecutorError
from symseq.sandbox import cpu_count, keep_workers_warm
from symseq.version import __version__

CONNECT_SECONDS = 10.0  # to reach the scheduler, and for its first worker to show up
TASKS_PER_THREAD = 2  # tasks queued per worker thread: one running, one waiting (no idle gap)


class WarmSessions(WorkerPlugin):
    """On every worker: one thread per library (the worker's threads share the cores), and sandbox
    workers and CAS sessions kept warm between tasks, as in a local benchmark."""

    def setup(self, worker) -> None:
        os.environ["OMP_NUM_THREADS"] = "1"
        keep_workers_warm()


def worker_facts() -> dict:
    """What the client checks on each worker before sending it work."""
    return {"symseq": __version__, "daemon": multiprocessing.current_process().daemon}


class DaskExecutor:
    """A connection to a Dask scheduler (or a local cluster started for it)."""

    def __init__(self, address: str | None = None, workers: int | None = None,
                 connect_seconds: float = CONNECT_SECONDS) -> None:
        self.cluster = None
        where = address or "a local cluster"
        try:
            if address is None:
                # A daemonic worker process may not start children, and every task runs its SymPy
                # work in sandboxed children.  Set for good: the nannies (in this process) read it
                # again whenever they restart a worker that died.
                dask.config.set({"distributed.worker.daemon": False})
                self.cluster = LocalCluster(n_workers=workers or cpu_count(), threads_per_worker=1,
                                            processes=True, dashboard_address=None,
                                            silence_logs=logging.ERROR)
                address = self.cluster.scheduler_address
            # a malformed address is refused before a Client exists: one that fails to start
            # waits 20 s at exit and prints a traceback from its __del__
            resolve_address(address)
            self.client = Client(address, timeout=connect_seconds, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            self._close_cluster()
            raise ExecutorError(f"cannot reach the Dask scheduler at {where}: {_one_line(err)}") from None
        try:
            self.client.wait_for_workers(1, timeout=connect_seconds)
            self.client.register_plugin(WarmSessions(), name="symseq-warm-sessions")
            facts = self.client.run(worker_facts)
        except (OSError, TimeoutError) as err:
            self.close()
            raise ExecutorError(f"the Dask scheduler at {where} has no usable worker: {_one_line(err)}") from None
        self._check(facts)

    def _check(self, facts: dict[str, dict]) -> None:
        """Refuse workers that cannot run our tasks, before any work is sent."""
        for addr, f in sorted(facts.items()):
            if f["symseq"] != __version__:
                self.close()
                raise ExecutorError(f"Dask worker {addr} runs symseq {f['symseq']}, this client {__version__}: "
                                    "install the same version on every worker")
            if f["daemon"]:
                self.close()
                raise ExecutorError(f"Dask worker {addr} is a daemonic process and cannot start sandboxed "
                                    "children: start workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def threads(self) -> int:
        """Tasks the cluster runs at once now."""
        return max(1, sum(self.client.nthreads().values()))

    def imap_unordered(self, fn: Callable[..., Any], tasks: Iterable[tuple[Hashable, tuple]],
                       in_flight: int | None = None) -> Iterator[tuple[Hashable, Any]]:
        """Run ``fn(*args)`` for each ``(key, args)`` on the workers; yield ``(key, result)`` as
        tasks finish.  Tasks are pulled lazily (``tasks`` may be endless), at most ``in_flight``
        submitted at a time; those still out when the caller stops are cancelled.  A task whose
        worker dies is rerun by the scheduler; a task that raises stops the run (``ExecutorError``)."""
        tasks = iter(tasks)
        limit = in_flight or TASKS_PER_THREAD * self.threads
        out: dict[str, tuple[Any, Hashable]] = {}  # future key -> (future, task key)
        done = as_completed(loop=self.client.loop)

        def submit() -> None:
            for key, args in tasks:
                future = self.client.submit(fn, *args, pure=False)
                out[future.key] = (future, key)
                done.add(future)
                return

        try:
            for _ in range(limit):
                submit()
            for future in done:
                _, key = out.pop(future.key)
                result = _result(future)
                future.release()
                submit()
                yield key, result
        finally:
            if out:
                self.client.cancel([f for f, _ in out.values()])

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        self._close_cluster()

    def _close_cluster(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def _result(future) -> Any:
    from distributed.scheduler import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        raise ExecutorError("a task's workers kept dying (each rerun lost its worker): giving up") from None
    except (OSError, TimeoutError) as err:
        raise ExecutorError(f"lost the Dask cluster: {_one_line(err)}") from None
    except Exception as err:
        raise ExecutorError(f"a task failed on the cluster: {type(err).__name__}: {_one_line(err)}") from None


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
