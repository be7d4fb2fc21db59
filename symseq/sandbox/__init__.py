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

Modules: ``worker`` (the child process, ``Status``, ``Outcome``), ``calls`` (``BackgroundCall``,
``wait_any``, ``run_in_sandbox``), ``pool`` (``SandboxPool``, ``cpu_count``), ``warm`` (the warm
workers kept between calls).
"""

from symseq.sandbox.calls import BackgroundCall, run_in_sandbox, wait_any
from symseq.sandbox.pool import SandboxPool, cpu_count
from symseq.sandbox.warm import (idle_worker_holds, keep_workers_warm, sweep_drained, warm_workers,
                                 workers_kept_warm)
from symseq.sandbox.worker import Outcome, SandboxError, Status

__all__ = ["BackgroundCall", "run_in_sandbox", "wait_any", "SandboxPool", "cpu_count", "idle_worker_holds",
           "keep_workers_warm", "sweep_drained", "warm_workers", "workers_kept_warm", "Outcome",
           "SandboxError", "Status"]
