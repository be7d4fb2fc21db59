"""The service's solver pool: worker processes that load the model once and solve one request
each at a time, with a bounded queue in front (a request beyond it is refused, never left to hang).

Each worker is a spawned process (no thread or lock state inherited from the server) that runs the
same public API as the CLI (``symseq.solve``), so an answer from the service is the CLI's answer,
verified the same way.  Workers share the cores: each race gets ``cores // workers`` engine slots.
Each worker keeps its sandboxed helpers warm between requests (``symseq.sandbox.keep_workers_warm``;
``SYMSEQ_WARM_WORKERS=0`` turns that off, for comparisons).
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from symseq.domain import DEFAULT_TIMEOUT
from symseq.sandbox import cpu_count

MAX_TIMEOUT = 60.0  # seconds a request may ask for


class Busy(Exception):
    """Every worker is busy and the queue is full."""


def _warm(checkpoint: str | None, cores: int) -> None:
    """A worker's start: Ctrl-C left to the server, death with it, torch and the model loaded
    once, SymPy primed and the sandboxed helpers kept warm."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # die with the server, even when it is killed outright
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    os.environ["OMP_NUM_THREADS"] = str(cores)
    if os.environ.get("SYMSEQ_WARM_WORKERS", "1") != "0":  # 0: fork per call (for comparisons)
        from symseq.sandbox import keep_workers_warm
        from symseq.solve.race.budget import ENGINE_MEMORY_MB

        _prime()  # before the workers are forked: they inherit the loaded modules and caches
        keep_workers_warm(prestart=4, memory_mb=ENGINE_MEMORY_MB)
    global _CORES
    _CORES = cores
    from symseq.solve import model

    try:
        model._load_model(str(checkpoint or model.DEFAULT_CHECKPOINT))
    except Exception:  # reported per request (the model's note), SymPy and the engines still work
        pass


_CORES = 1


def _prime() -> None:
    """Load, in this process, what the sandboxed steps of a request load on first use (SymPy's
    integration algorithms, the parser, the verifier's stages), on a few trusted problems."""
    import sympy as sp

    from generators.symbols import X
    from symseq.lang.parse import parse_integrand
    from symseq.solve.engines import run_engine
    from symseq.solve.proof import proof_stage
    from symseq.solve.verifier import numeric_stage

    for text in ("x*sin(3*x)", "1/(x^2 + 9)", "cos(x)^5", "x^3*exp(2*x)", "log(x)^2/x", "sqrt(4 - x^2)"):  # in no suite
        question, _ = parse_integrand(text, "x")
        answer = run_engine(("sympy", "integrate", question, DEFAULT_TIMEOUT))
        if isinstance(answer, list):  # a continuous variant first (symseq.solve.rectify)
            answer = answer[0]
        if answer is not None:
            numeric_stage(("integrate", question, answer, X))
            proof_stage(("integrate", question, answer, X))
    sp.dsolve(sp.Derivative(sp.Function("f")(X), X) - sp.Function("f")(X))


def handle(kind: str, request: dict) -> tuple[int, dict]:
    """One request in a worker: (HTTP status, JSON body) — the CLI's ``--json`` object."""
    from symseq.lang.parse import InputError
    from symseq.serve.render import rendered

    try:
        if kind == "verify":
            from symseq.solve.check import verify

            result = verify(request["question"], request["answer"], ode=request.get("ode", False),
                            var=request.get("var"), timeout=request.get("timeout", DEFAULT_TIMEOUT))
            return 200, result.to_json()
        from symseq.solve.solver import SolveConfig, integrate, solve_ode

        cfg = SolveConfig(mode=request.get("mode", "hybrid"), beam=request.get("beam", 10),
                          timeout=request.get("timeout", DEFAULT_TIMEOUT), checkpoint=request.get("checkpoint"),
                          cores=_CORES)
        if kind == "integrate" and (request.get("lower") is not None or request.get("upper") is not None):
            if request.get("lower") is None or request.get("upper") is None:
                return 400, {"error": "a definite integral needs both bounds (lower and upper)"}
            sol = integrate(request["question"], request.get("var"), bounds=(request["lower"], request["upper"]),
                            assume=request.get("assume"), config=cfg)
            return 200, sol.to_json()
        if kind == "solve-ode" and request.get("ics") is not None:
            return 200, solve_ode(request["question"], ics=request["ics"], config=cfg).to_json()
        sol = integrate(request["question"], request.get("var"), assume=request.get("assume"), config=cfg) \
            if kind == "integrate" else solve_ode(request["question"], config=cfg)
        body = sol.to_json()
        if request.get("render"):
            body["render"] = rendered(sol, kind, request.get("var"))
        return 200, body
    except (InputError, ValueError) as err:
        return 400, {"error": str(err)}


class SolverPool:
    """``workers`` warm solver processes and at most ``queue`` requests waiting for one."""

    def __init__(self, workers: int = 1, queue: int = 16, checkpoint: str | None = None) -> None:
        self.workers, self.queue_limit, self.checkpoint = workers, queue, checkpoint
        self._lock = threading.Lock()
        self.in_flight = 0
        self._start()

    def _start(self) -> None:
        cores = max(1, cpu_count() // self.workers)
        self._executor = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"),
                                             initializer=_warm, initargs=(self.checkpoint, cores))
        for _ in range(self.workers):  # start them now: the first request should not pay for it
            self._executor.submit(int)

    def status(self) -> dict:
        busy = min(self.in_flight, self.workers)
        return {"workers": self.workers, "busy": busy, "queued": self.in_flight - busy,
                "queue_limit": self.queue_limit}

    async def run(self, kind: str, request: dict) -> tuple[int, dict]:
        with self._lock:
            if self.in_flight >= self.workers + self.queue_limit:
                raise Busy(f"busy: {self.in_flight} requests in progress or queued; retry later")
            self.in_flight += 1
        try:
            request = {**request, "checkpoint": self.checkpoint}
            future = self._executor.submit(handle, kind, request)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:  # a worker died (killed, out of memory): fresh workers
            with self._lock:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._start()
            return 500, {"error": "a solver worker died while solving this problem; try again"}
        finally:
            with self._lock:
                self.in_flight -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
