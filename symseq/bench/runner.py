"""``symseq benchmark``: model, SymPy and hybrid on the same problems under the same time limit.

Suites are read from symseq dataset folders/files, Lample & Charton line files, or JSONL
(``{"id"?, "question", "task"?: integrate|ode1|ode2, "answer"?}`` in SymPy syntax).  Every engine
goes through ``symseq.solve.solver`` (sandboxed, time-limited, every answer verified), so a result
counts as solved only when verified.  One record per (problem, engine) is appended to
``results.jsonl`` as soon as it is known, so an interrupted run resumes where it stopped;
``summary.json``, ``report.md`` and the plots are rebuilt from the records.
"""

from __future__ import annotations

import fcntl
import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import sympy as sp

from generators.tasks import KINDS, TASKS
from symseq.data.dataset import DatasetError, iter_examples
from symseq.io import atomic_write_json, atomic_write_text
from symseq.lang.prefix import PrefixError

@dataclass(frozen=True)
class BenchProblem:
    suite: str
    id: str
    task: str  # integrate, ode1, ode2
    question: str  # SymPy syntax
    size: int  # prefix tokens of the question (0 if unknown)


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
        yield BenchProblem(suite, str(obj.get("id", n)), task, question, 0)


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


def load_suite(path: str | Path) -> list[BenchProblem]:
    path = Path(path)
    suite = path.stem if path.is_file() else path.name
    if path.is_file() and path.suffix == ".jsonl":
        return list(_from_jsonl(path, suite))
    if path.is_file():
        first = path.read_text().split("\n", 1)[0]
        if "|" in first and "\t" in first:
            return list(_from_lc(path, suite))
    return list(_from_dataset(path, suite))


def _run_one(p: BenchProblem, engine: str, beam: int, timeout: float, checkpoint) -> dict:
    from symseq.lang.parse import InputError
    from symseq.solve.solver import SolveConfig, integrate, solve_ode

    try:  # the sympy engine has no beam (its runs carry beam 0)
        cfg = SolveConfig(mode=engine, beam=max(1, beam), timeout=timeout, checkpoint=checkpoint)
        sol = integrate(p.question, config=cfg) if p.task == "integrate" else solve_ode(p.question, config=cfg)
    except InputError as err:
        return {"solved": False, "verdict": "invalid_input", "answer": None, "seconds": 0.0,
                "wrong": False, "timeout": False, "notes": [str(err)]}
    except Exception as err:  # one problem's failure is its record: the run goes on, and resumes past it
        return {"solved": False, "verdict": "error", "answer": None, "seconds": 0.0,
                "wrong": False, "timeout": False, "notes": [f"{type(err).__name__}: {err}"]}
    return {"solved": sol.solved, "verdict": sol.verdict.value if sol.verdict else "unsolved",
            "answer": sol.answer, "seconds": round(sum(sol.seconds.values()), 3),
            "wrong": sol.sympy_wrong and not sol.solved, "timeout": sol.sympy_timed_out and not sol.solved, "engine_used": sol.engine, "rank": sol.rank, "notes": sol.notes}


def _engine_name(engine: str, beam: int) -> str:
    return engine if engine == "sympy" else f"{engine}-beam{beam}"


def _record(p: BenchProblem, engine: str, beam: int, timeout: float, checkpoint) -> dict:
    return {"suite": p.suite, "id": p.id, "engine": _engine_name(engine, beam), "task": p.task, "question": p.question,
            "size": p.size, **_run_one(p, engine, beam, timeout, checkpoint)}


def _worker_init() -> None:
    """A benchmark worker: one torch thread (the workers share the cores), Ctrl-C left to the parent."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_NUM_THREADS"] = "1"  # OMP_WAIT_POLICY comes with the package's import


def run_benchmark(suites: list[str], engines: list[str], beams: list[int], timeout: float,
                  out: str | Path, checkpoint=None, workers: int = 1, limit: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> dict:
    """Run every (problem, engine, beam) not yet in ``out/results.jsonl``; return the summary.

    ``workers`` > 1 solves that many problems at once, each in its own process (spawned, so no
    thread or lock state is inherited); the parent alone writes the records.  ``limit`` takes
    the first problems of each suite.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    problems = [p for s in suites for p in load_suite(s)[:limit]]
    runs = [(e, b) for e in engines for b in (beams if e != "sympy" else [0])]
    results_path = out / "results.jsonl"
    done = {_key(r) for r in _read_records(results_path)}
    jobs = [(p, e, b) for p in problems for e, b in runs if (p.suite, p.id, _engine_name(e, b)) not in done]
    total = len(problems) * len(runs)
    count = total - len(jobs)
    if progress:
        progress(count, total)
    with open(results_path, "a") as fh:
        try:  # two runs appending to one folder would both run the same problems
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatasetError(f"another benchmark is writing to {out}; wait for it or use another --out") from None

        def write(rec: dict) -> None:
            nonlocal count
            fh.write(json.dumps(rec) + "\n")
            fh.flush()
            count += 1
            if progress:
                progress(count, total)

        if workers <= 1:
            for p, e, b in jobs:
                write(_record(p, e, b, timeout, checkpoint))
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                                     initializer=_worker_init) as pool:
                futures = [pool.submit(_record, p, e, b, timeout, checkpoint) for p, e, b in jobs]
                try:
                    for fut in as_completed(futures):
                        write(fut.result())
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    return summarize(out, timeout)


def _key(record: dict) -> tuple[str, str, str]:
    return record["suite"], record["id"], record["engine"]


def _read_records(path: Path) -> list[dict]:
    """The records in ``path``, the first one per (suite, id, engine); a line cut by a crash is
    skipped (that problem simply runs again)."""
    records, seen = [], set()
    if not path.exists():
        return records
    for line in path.read_text().splitlines():
        try:
            r = json.loads(line)
            key = _key(r)
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
        if key not in seen:  # the first record of a problem counts, whatever was appended later
            seen.add(key)
            records.append(r)
    return records


def summarize(out: Path, timeout: float) -> dict:
    records = _read_records(out / "results.jsonl")
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        groups.setdefault((r["suite"], r["engine"]), []).append(r)
    rows = []
    for (suite, engine), rs in sorted(groups.items()):
        solved = [r["seconds"] for r in rs if r["solved"]]
        solved.sort()
        rows.append({"suite": suite, "engine": engine, "problems": len(rs),
                     "solved_pct": 100 * len(solved) / len(rs),
                     "wrong_pct": 100 * sum(r["wrong"] for r in rs) / len(rs),
                     "timeout_pct": 100 * sum(r["timeout"] for r in rs) / len(rs),
                     "median_s": statistics.median(solved) if solved else None,
                     "p90_s": solved[int(0.9 * (len(solved) - 1))] if solved else None})
    summary = {"timeout": timeout, "rows": rows}
    atomic_write_json(out / "summary.json", summary)
    lines = ["| suite | engine | problems | solved % | wrong % | timeout % | median s (solved) | p90 s |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        med = f"{r['median_s']:.2f}" if r["median_s"] is not None else "-"
        p90 = f"{r['p90_s']:.2f}" if r["p90_s"] is not None else "-"
        lines.append(f"| {r['suite']} | {r['engine']} | {r['problems']} | {r['solved_pct']:.1f} | "
                     f"{r['wrong_pct']:.1f} | {r['timeout_pct']:.1f} | {med} | {p90} |")
    atomic_write_text(out / "report.md", "\n".join(lines) + "\n")
    _plots(out, groups, timeout)
    return summary


def _plots(out: Path, groups: dict, timeout: float) -> None:
    """solved.png: per engine, over all problems, solved % against the time budget and against
    question size; and solved % per suite and engine."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    engines = sorted({e for _, e in groups})
    suites = sorted({s for s, _ in groups})
    pooled = {e: [r for (_, e2), rs in groups.items() if e2 == e for r in rs] for e in engines}
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(16, 4.5), gridspec_kw={"width_ratios": [1, 1, 1.6]})
    budgets = [timeout * i / 50 for i in range(1, 51)]
    for e, rs in pooled.items():
        ax1.plot(budgets, [100 * sum(r["solved"] and r["seconds"] <= b for r in rs) / len(rs)
                           for b in budgets], label=e)
        sized = [r for r in rs if r["size"]]
        if sized:
            bins = sorted({min(r["size"] // 20, 10) for r in sized})
            ax2.plot([20 * b for b in bins],
                     [100 * statistics.mean(r["solved"] for r in sized if min(r["size"] // 20, 10) == b)
                      for b in bins], "o-", label=e)
    width = 0.8 / max(len(engines), 1)
    for k, e in enumerate(engines):
        ax3.bar([i + k * width for i in range(len(suites))],
                [100 * statistics.mean(r["solved"] for r in groups[(s, e)]) if (s, e) in groups else 0
                 for s in suites], width, label=e)
    ax3.set_xticks([i + 0.4 - width / 2 for i in range(len(suites))], suites, rotation=30, ha="right",
                   fontsize=8)
    ax1.set(xlabel="time budget per problem (s)", ylabel="solved (verified) %, all suites", ylim=(0, 100))
    ax2.set(xlabel="question length (prefix tokens, bins of 20)", ylabel="solved %", ylim=(0, 100))
    ax3.set(ylabel="solved (verified) %", ylim=(0, 100), title=f"{timeout:g} s per problem")
    for ax in (ax1, ax2, ax3):
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "solved.png", dpi=100)
    plt.close(fig)
