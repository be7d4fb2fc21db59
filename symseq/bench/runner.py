"""``symseq benchmark``: the model, each engine and the hybrid on the same problems under the same
time limit.

Suites are read from symseq dataset folders/files, Lample & Charton line files, or JSONL in SymPy
syntax: ``{"id"?, "question" (or "integrand"), "task"?: integrate|ode1|ode2, "variable"?,
"assume"?, "lower"?, "upper"?, "integral"?, "value"?, "ics"?}`` (symbols other than the variable
are parameters; with both bounds, a definite integral; with ``ics`` ("y(0) = 1, y'(0) = 0") an
initial value problem; reference answers are never used to judge).  Every engine
goes through ``symseq.solve.solver`` (sandboxed, time-limited, every answer verified), so a result
counts as solved only when verified.  One record per (problem, engine) is appended to
``results.jsonl`` as soon as it is known, so an interrupted run resumes where it stopped;
``summary.json``, ``report.md`` and the plots are rebuilt from the records.
"""

from __future__ import annotations

import fcntl
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import sympy as sp

from symseq.domain import KINDS, TASKS, Outcome
from symseq.bench.records import BenchRecord, read_records
from symseq.bench.report import summarize
from symseq.data.dataset import DatasetError, iter_examples
from symseq.lang.prefix import PrefixError

@dataclass(frozen=True)
class BenchProblem:
    suite: str
    id: str
    task: str  # integrate, ode1, ode2
    question: str  # SymPy syntax
    size: int  # prefix tokens of the question (0 if unknown)
    variable: str | None = None  # the integration variable, when not x
    assume: str | None = None  # what the parameters are (symseq.lang.assume), when not positive
    bounds: tuple[str, str] | None = None  # a definite integral's (lower, upper)
    ics: str | None = None  # an ODE's initial conditions ("y(0) = 1")


def _from_dataset(path: Path, suite: str) -> Iterator[BenchProblem]:
    for i, ex in enumerate(iter_examples(path)):
        q, _ = ex.to_sympy()
        yield BenchProblem(suite, str(i), TASKS[ex.task].kind, sp.sstr(q), len(ex.question.split()))


def _from_jsonl(path: Path, suite: str) -> Iterator[BenchProblem]:
    for n, line in enumerate(path.read_text().splitlines()):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            question = obj["question"] if "question" in obj else obj["integrand"]
            if not isinstance(question, str):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            raise DatasetError(f"{path}:{n + 1}: not a JSON object with a 'question' "
                               "(or 'integrand') string") from None
        task = obj.get("task", "integrate")
        if task not in KINDS:
            raise DatasetError(f"{path}:{n + 1}: task must be one of {', '.join(KINDS)}")
        if ("lower" in obj) != ("upper" in obj):
            raise DatasetError(f"{path}:{n + 1}: a definite integral needs both 'lower' and 'upper'")
        bounds = (str(obj["lower"]), str(obj["upper"])) if "lower" in obj else None
        ics = obj.get("ics")
        if ics is not None and (task == "integrate" or not isinstance(ics, str)):
            raise DatasetError(f"{path}:{n + 1}: 'ics' is a string of conditions, for an ODE")
        yield BenchProblem(suite, str(obj.get("id", n)), task, question, 0, obj.get("variable"),
                           obj.get("assume"), bounds, ics)


def _from_lc(path: Path, suite: str) -> Iterator[BenchProblem]:
    from symseq.data.lc_format import convert_line

    for n, line in enumerate(path.read_text().splitlines()):
        body = line.split("|", 1)[-1]
        task = "bwd" if body.startswith("sub Y'") else ("ode2" if "Y''" in body else "ode1")
        try:
            ex = convert_line(line, task)
            q, _ = ex.to_sympy()
        except (PrefixError, ValueError) as err:
            raise DatasetError(f"{path}:{n + 1}: {err}") from None
        yield BenchProblem(suite, str(n), TASKS[task].kind, sp.sstr(q), len(ex.question.split()))


def load_suite(path: str | Path, limit: int | None = None) -> list[BenchProblem]:
    """The problems of one suite (the first ``limit`` of them: the rest is not even read, so a
    sample of a 150,000-problem training folder loads in a moment)."""
    path = Path(path)
    suite = path.stem if path.is_file() else path.name
    if path.is_file() and path.suffix == ".jsonl":
        problems = _from_jsonl(path, suite)
    elif path.is_file() and "|" in (first := path.read_text().split("\n", 1)[0]) and "\t" in first:
        problems = _from_lc(path, suite)
    else:
        problems = _from_dataset(path, suite)
    return list(itertools.islice(problems, limit))


def _record(p: BenchProblem, engine: str, beam: int, timeout: float, checkpoint,
            without: tuple[str, ...] = (), cores: int | None = None) -> BenchRecord:
    """Solve one problem with one engine (its race on ``cores`` cores, default all); any failure
    becomes this problem's record."""
    from symseq.lang.parse import InputError
    from symseq.solve.solver import SolveConfig, integrate, solve_ode

    base = dict(suite=p.suite, id=p.id, engine=_engine_name(engine, beam, without), task=p.task,
                question=p.question, size=p.size)
    try:  # the sympy engine has no beam (its runs carry beam 0)
        cfg = SolveConfig(mode=engine, beam=max(1, beam), timeout=timeout, checkpoint=checkpoint,
                          without=without, cores=cores)
        if p.bounds is not None:
            return _definite_record(base, integrate(p.question, p.variable, bounds=p.bounds, assume=p.assume,
                                                    config=cfg))
        if p.ics is not None:
            return _ivp_record(base, solve_ode(p.question, ics=p.ics, config=cfg))
        sol = integrate(p.question, p.variable, assume=p.assume, config=cfg) if p.task == "integrate" \
            else solve_ode(p.question, config=cfg)
    except InputError as err:
        return BenchRecord(**base, solved=False, verdict=Outcome.INVALID_INPUT.value, answer=None, seconds=0.0,
                           notes=[str(err)])
    except Exception as err:  # one problem's failure is its record: the run goes on, and resumes past it
        return BenchRecord(**base, solved=False, verdict=Outcome.ERROR.value, answer=None, seconds=0.0,
                           notes=[f"{type(err).__name__}: {err}"])
    return BenchRecord(**base, solved=sol.solved, verdict=Outcome.of(sol.verdict).value,
                       answer=sol.answer or sol.implicit or None, seconds=round(sol.wall, 3),
                       wrong=sol.engine_wrong and not sol.solved,
                       timeout=bool(sol.timed_out) and not sol.solved,
                       local=sol.solved and not sol.is_global, valid_on=sol.valid_on or None,
                       engine_used=sol.engine, assumptions=sol.assumptions or None,
                       rank=sol.rank, notes=sol.notes)


def _definite_record(base: dict, sol) -> BenchRecord:
    """A definite integral's record: its exact value (or divergence), or none."""
    outcome = Outcome.VALUE if sol.value is not None else Outcome.DIVERGENT if sol.divergent else Outcome.UNSOLVED
    answer = sol.value if sol.value is not None else {1: "oo", -1: "-oo"}.get(sol.divergent)
    return BenchRecord(**base, solved=sol.solved, verdict=outcome.value, answer=answer, seconds=round(sol.wall, 3),
                       engine_used=sol.method or None, assumptions=sol.assumptions or None, notes=sol.notes)


def _ivp_record(base: dict, sol) -> BenchRecord:
    """An initial value problem's record: its first answer (every answer meets every condition)."""
    first = sol.particulars[0] if sol.solved else None
    notes = sol.notes + [f"also: {a}" for a in sol.answers[1:]]
    outcome = Outcome(first.verdict) if first else Outcome.IMPLICIT if sol.implicit else Outcome.UNSOLVED
    return BenchRecord(**base, solved=sol.solved, verdict=outcome.value,
                       answer=sol.answer or sol.implicit or None, seconds=round(sol.wall, 3),
                       local=bool(first and first.valid_on),
                       valid_on=(first.valid_on or None) if first else None,
                       engine_used=first.source if first else None, notes=notes)


TASK_SECONDS = 0.5  # a cluster task's target length: many easy problems, or one hard one
MAX_PER_TASK = 16


def _on_cluster(executor, jobs: list, timeout: float, checkpoint, without: tuple[str, ...]) -> Iterator[BenchRecord]:
    """The records of ``jobs`` solved on a cluster, each race on one core (a worker thread is a
    core).  Problems go out one per task until records come back, then in batches of about
    ``TASK_SECONDS`` of solving at the mean time so far: the cluster's few milliseconds per task
    weigh on easy suites (150 problems of 70 ms), not on hard ones, which stay one per task."""
    solved_seconds, records = 0.0, 0

    def tasks():
        i = 0
        while i < len(jobs):
            k = 1 if not records else max(1, min(MAX_PER_TASK, int(TASK_SECONDS * records / max(solved_seconds, 1e-3))))
            yield i, (jobs[i:i + k], timeout, checkpoint, without)
            i += k

    for _, batch in executor.imap_unordered(_record_batch, tasks()):
        for rec in batch:
            solved_seconds, records = solved_seconds + rec.seconds, records + 1
            yield rec


def _record_batch(jobs: list, timeout: float, checkpoint, without: tuple[str, ...]) -> list[BenchRecord]:
    """A cluster task: the records of a few (problem, engine, beam), each race on one core."""
    return [_record(p, e, b, timeout, checkpoint, without, cores=1) for p, e, b in jobs]


def uses_model(engine: str) -> bool:
    return engine in ("hybrid", "model")


def _engine_name(engine: str, beam: int, without: tuple[str, ...] = ()) -> str:
    """The record's engine: the mode, its beam when it uses the model, and what it leaves out
    (``hybrid-beam10-without-cas``)."""
    name = f"{engine}-beam{beam}" if uses_model(engine) else engine
    return name + "".join(f"-without-{w}" for w in without)


def _worker_init() -> None:
    """A benchmark worker: one torch thread (the workers share the cores), Ctrl-C left to the parent."""
    import os
    import signal

    from symseq.sandbox import keep_workers_warm

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_NUM_THREADS"] = "1"  # OMP_WAIT_POLICY comes with the package's import
    keep_workers_warm()  # sandbox workers and CAS sessions kept between problems


def run_benchmark(suites: list[str], engines: list[str], beams: list[int], timeout: float,
                  out: str | Path, checkpoint=None, workers: int = 1, limit: int | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  without: tuple[str, ...] = (), executor=None) -> dict:
    """Run every (problem, engine, beam) not yet in ``out/results.jsonl``; return the summary.

    ``workers`` > 1 solves that many problems at once, each in its own process (spawned, so no
    thread or lock state is inherited); the parent alone writes the records.  ``limit`` takes
    the first problems of each suite.  Sandbox workers (and the CAS sessions in them) are
    kept warm from one problem to the next, as in ``--file`` and ``serve``.  With a cluster
    ``executor`` (``symseq.exec``) the problems run as tasks on its workers (batched once the
    first records are back: ``_on_cluster``), each race on one core, and ``workers`` is not used.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    problems = [p for s in suites for p in load_suite(s, limit)]
    runs = [(e, b) for e in engines for b in (beams if uses_model(e) else [0])]
    results_path = out / "results.jsonl"
    done = {r.key for r in read_records(results_path)}
    jobs = [(p, e, b) for p in problems for e, b in runs if (p.suite, p.id, _engine_name(e, b, without)) not in done]
    total = len(problems) * len(runs)
    count = total - len(jobs)
    if progress:
        progress(count, total)
    with open(results_path, "a") as fh:
        try:  # two runs appending to one folder would both run the same problems
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatasetError(f"another benchmark is writing to {out}; wait for it or use another --out") from None

        def write(rec: BenchRecord) -> None:
            nonlocal count
            fh.write(json.dumps(rec.to_json()) + "\n")
            fh.flush()
            count += 1
            if progress:
                progress(count, total)

        if executor is not None:
            for rec in _on_cluster(executor, jobs, timeout, checkpoint, without):
                write(rec)
        elif workers <= 1:
            from symseq.sandbox import warm_workers

            with warm_workers():  # sandbox workers and CAS sessions kept between problems
                for p, e, b in jobs:
                    write(_record(p, e, b, timeout, checkpoint, without))
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                                     initializer=_worker_init) as pool:
                futures = [pool.submit(_record, p, e, b, timeout, checkpoint, without) for p, e, b in jobs]
                try:
                    for fut in as_completed(futures):
                        write(fut.result())
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    return summarize(out, timeout)
