"""Where the long jobs run: here (the default) or on a Dask cluster.

``generate``, ``benchmark`` and ``integrate/solve-ode --file`` split their work into tasks (a batch
of draws, one benchmark problem, a chunk of lines).  With the local executor (``None``) they run
on this machine's sandbox pool as always.  ``open_executor("dask", address)`` connects to a Dask
scheduler (or, without an address, starts a local cluster of ``workers`` processes) and returns a
``DaskExecutor`` whose ``imap_unordered(fn, tasks)`` runs ``fn(*args)`` on the workers and yields
``(key, result)`` as tasks finish.  Each task still runs its SymPy work in the worker's sandboxed
children under the same hard limits; workers keep their sandbox workers and CAS sessions warm
between tasks.  The client alone writes files, in the same atomic, resumable formats, so the
output does not depend on the executor.

Why Dask (``distributed``) rather than Ray: it is pure Python (a ~2.5 MB install against Ray's
~70 MB of native wheels), its scheduler reruns the tasks of a lost worker by itself, a worker
plugin keeps per-worker state (the warm sessions), and ``LocalCluster`` gives the tests a real
cluster of processes on one machine.  Dask is an optional extra (``pip install 'symseq[dask]'``),
imported only when asked for.
"""

from __future__ import annotations

EXECUTORS = ("local", "dask")


class ExecutorError(RuntimeError):
    """The cluster cannot be used (unreachable, no workers, not installed) or a task failed on it;
    the message is one line for the user."""


def open_executor(kind: str = "local", address: str | None = None, workers: int | None = None):
    """``None`` for the local executor, else a connected ``DaskExecutor`` (close it, or use it in
    a ``with`` block).  ``address`` is the scheduler's (``tcp://host:8786``); without one, a local
    cluster of ``workers`` processes (default: one per core) is started and ended with it."""
    if kind not in EXECUTORS:
        raise ExecutorError(f"unknown executor {kind!r}; choose from {', '.join(EXECUTORS)}")
    if kind == "local":
        if address is not None:
            raise ExecutorError("--address is for --executor dask")
        return None
    try:
        from symseq.exec.cluster import DaskExecutor
    except ImportError as err:
        raise ExecutorError(f"--executor dask needs Dask: pip install 'symseq[dask]' ({err})") from None
    return DaskExecutor(address, workers)
