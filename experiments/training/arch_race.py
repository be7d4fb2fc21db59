"""Issue 13, item 3: which architecture learns most per CPU minute, each tuned, at equal wall clock.

Every run trains on the same data (the generalization mix of ``experiments/training/train_generalize.sh``,
every suite excluded by question), from scratch, with one torch thread pinned to one core
(``taskset``); two jobs run at a time, one per core.  Stages (a job queue with two slots):

1. **speed**: each architecture in fp32 and in bf16 autocast for ``--speed-seconds``, one job at a
   time (the other core idle): tokens/s alone.  Each architecture then trains in its faster dtype.
2. **tune**: each architecture x each learning rate in ``--lrs`` for ``--tune-minutes`` (8), the
   same warmup, batch tokens and schedule (linear warmup, then inverse square root: it needs no
   run length, so a run's snapshot at m minutes is a valid m-minute result) -> validation
   loss at the end; the learning rate with the lowest loss per architecture wins.
3. **extend**: the winning run of each architecture resumes to ``--minutes`` (40), exporting
   snapshots at each of ``--curve`` (8, 20, 40).
4. **evaluate**: every snapshot, beam 10, every candidate checked by the full verifier, on the
   first ``--problems`` problems of each of ``--suites`` (never trained on), one core per job.

Every job's command, core, wall seconds, CPU seconds of the job and its children, CPU share and
the load average are logged to ``OUT/jobs.jsonl``.  Rerun the same command to continue: finished
jobs are skipped, an interrupted training run resumes.  Then ``--report`` writes ``OUT/race.md``
and ``OUT/curves.png``.

    nohup .venv/bin/python experiments/training/arch_race.py --out runs/race > logs/race.log 2>&1 &
    .venv/bin/python experiments/training/arch_race.py --out runs/race --report
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from symseq.io import atomic_write_json
from symseq.nn import checkpoint

ROOT = Path(__file__).resolve().parent.parent
SYMSEQ = [sys.executable, "-m", "symseq"]
ARCHS = {  # name -> `symseq train` model options; width 128 as in experiments/training/architectures.py
    "lstm-thought-vector": ["--arch", "lstm", "--attention", "none", "--d-model", "128", "--layers", "2"],
    "lstm-bahdanau": ["--arch", "lstm", "--attention", "bahdanau", "--d-model", "128", "--layers", "2"],
    "transformer": ["--arch", "transformer", "--d-model", "128", "--layers", "3", "--heads", "4"],
}
DATA = ["data/gen/bwd-lc", "data/gen/bwd-simple", "data/gen/nat", "data/gen/ode1-lc", "data/gen/ibp-lc",
        "data/gen/ode2-lc"]
VALID = ["data/gen-valid/bwd-lc", "data/gen-valid/ode1-lc"]
RECIPE = ["--max-tokens", "4000", "--warmup", "300", "--label-smoothing", "0", "--eval-every", "1000000",
          "--log-every", "50", "--checkpoint-minutes", "4", "--threads", "1", "--no-progress"]


def excludes() -> list[str]:
    """Every shipped suite, by question (as in train_generalize.sh)."""
    suites = sorted(p for p in (ROOT / "benchmarks/suites").iterdir() if p.is_dir() or p.suffix == ".jsonl")
    return [a for p in suites for a in ("--exclude", str(p.relative_to(ROOT)))]


@dataclass
class Job:
    name: str
    command: callable  # () -> argv, called when the job starts (it may read earlier results)
    deps: tuple[str, ...] = ()
    alone: bool = False  # run with the other core idle
    kind: str = "train"
    meta: dict = field(default_factory=dict)


class Race:
    def __init__(self, args) -> None:
        self.args, self.out = args, args.out
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "tune").mkdir(exist_ok=True)
        self.log = self.out / "jobs.jsonl"
        logged = [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()] \
            if self.log.exists() else []
        self.done = {entry["name"] for entry in logged if entry["rc"] == 0}

    # ------------------------------------------------------------------ what the stages read
    def speed(self, arch: str, dtype: str) -> float:
        metrics = self.out / f"speed/{arch}-{dtype}/metrics.jsonl"
        rows = [json.loads(line) for line in metrics.read_text().splitlines()]
        rows = rows[len(rows) // 3:]  # past warm-up effects
        return sum(r["tokens_per_s"] for r in rows) / len(rows)

    def dtype(self, arch: str) -> str:
        return max(("fp32", "bf16"), key=lambda d: self.speed(arch, d))

    def tune_metrics(self, arch: str, lr: float) -> dict:
        """The run's metrics at the end of tuning (kept apart: extending the run rewrites its config)."""
        return json.loads((self.out / f"tune/{arch}-lr{lr:g}.json").read_text())

    def tuned(self, arch: str) -> float:
        """The learning rate with the lowest validation loss after tuning (sequence accuracy is
        still 0 for every run after 8 minutes from scratch: no signal)."""
        return min(self.args.lrs, key=lambda lr: self.tune_metrics(arch, lr)["valid_loss"])

    def train_argv(self, arch: str, lr: float, minutes: float, run: Path, snapshots=()) -> list[str]:
        argv = [*SYMSEQ, "train", *[a for d in DATA for a in ("--data", d)],
                *[a for v in VALID for a in ("--valid", v)], *ARCHS[arch], *RECIPE, *excludes(),
                "--lr", f"{lr:g}", "--minutes", f"{minutes:g}", "--out", str(run)]
        argv += ["--bf16"] if self.dtype(arch) == "bf16" else ["--no-bf16"]
        argv += [a for m in snapshots for a in ("--snapshot-at", f"{m:g}")]
        return argv + (["--resume"] if (run / "config.json").exists() else [])

    # ------------------------------------------------------------------ the queue
    def jobs(self) -> list[Job]:
        a = self.args
        jobs = []
        for arch in ARCHS:
            for dtype in ("fp32", "bf16"):
                run = self.out / f"speed/{arch}-{dtype}"
                jobs.append(Job(f"speed {arch} {dtype}", lambda arch=arch, dtype=dtype, run=run: [
                    *SYMSEQ, "train", "--data", DATA[0], *ARCHS[arch], *RECIPE, "--log-every", "10",
                    "--lr", "1e-3", "--max-steps", "1000000", "--minutes", f"{a.speed_seconds / 60:g}",
                    "--bf16" if dtype == "bf16" else "--no-bf16", "--out", str(run),
                    *(["--resume"] if (run / "config.json").exists() else [])], alone=True, kind="speed"))
        speeds = tuple(j.name for j in jobs)
        for lr in a.lrs:
            for arch in ARCHS:
                run = self.out / f"{arch}-lr{lr:g}"
                jobs.append(Job(f"tune {arch} lr {lr:g}", lambda arch=arch, lr=lr, run=run: self.train_argv(
                    arch, lr, a.tune_minutes, run, [m for m in a.curve if m <= a.tune_minutes]), speeds,
                    kind="tune", meta={"run": str(run)}))
        for arch in ARCHS:  # all training first: training runs share the machine only with each other
            tunes = tuple(f"tune {arch} lr {lr:g}" for lr in a.lrs)
            jobs.append(Job(f"extend {arch}", lambda arch=arch: self.train_argv(
                arch, self.tuned(arch), a.minutes, self.out / f"{arch}-lr{self.tuned(arch):g}", a.curve), tunes))
        for arch in ARCHS:
            for m in a.curve:
                for suite in a.suites:
                    jobs.append(Job(f"eval {arch} {m:g}min {suite}", lambda arch=arch, m=m, suite=suite: [
                        sys.executable, __file__, "--evaluate",
                        str(self.out / f"{arch}-lr{self.tuned(arch):g}" / f"at-{m:g}min"),
                        f"benchmarks/suites/{suite}", str(a.problems),
                        str(self.out / f"eval/{arch}-{m:g}min-{suite}.json")],
                        (f"extend {arch}",), kind="eval", meta={"arch": arch, "minutes": m, "suite": suite}))
        return jobs

    def run(self) -> None:
        pending = [j for j in self.jobs() if j.name not in self.done]
        running: dict[int, tuple[Job, str, float, subprocess.Popen, list[str]]] = {}  # pid -> job
        free = ["0", "1"]
        while pending or running:
            started = False
            for job in list(pending):
                if not free or any(d not in self.done for d in job.deps):
                    continue
                if job.alone and (running or len(free) < 2):
                    break  # wait until both cores are idle; keep the queue's order
                if any(r[0].alone for r in running.values()):
                    break
                core = free.pop(0)
                argv = job.command()
                print(f"{time.strftime('%H:%M:%S')} start [core {core}] {job.name}", flush=True)
                with open(self.out / "jobs.out", "a") as out:  # the child keeps its own copy
                    proc = subprocess.Popen(["taskset", "-c", core, *argv], cwd=ROOT,
                                            env={**os.environ, "OMP_NUM_THREADS": "1"},
                                            stdout=out, stderr=subprocess.STDOUT)
                running[proc.pid] = (job, core, time.monotonic(), proc, argv)
                pending.remove(job)
                started = True
                if job.alone:
                    break
            if started and pending and free:
                continue
            pid, status, usage = os.wait4(-1, 0)
            if pid not in running:
                continue
            job, core, t0, proc, argv = running.pop(pid)
            wall = time.monotonic() - t0
            cpu = usage.ru_utime + usage.ru_stime  # the job and its waited-for children
            rc = os.waitstatus_to_exitcode(status)
            proc.returncode = rc  # reaped by wait4 above: Popen must not wait for it again
            free.append(core)
            free.sort()
            entry = {"name": job.name, "kind": job.kind, "core": core, "rc": rc, "wall_s": round(wall, 1),
                     "cpu_s": round(cpu, 1), "cpu_share": round(cpu / max(wall, 1e-9), 3),
                     "loadavg": os.getloadavg()[0], "ended": time.strftime("%Y-%m-%d %H:%M:%S"),
                     "command": shlex.join(argv), **job.meta}
            with open(self.log, "a") as f:
                f.write(json.dumps(entry) + "\n")
            print(f"{time.strftime('%H:%M:%S')} done  [core {core}] {job.name}: rc {rc}, {wall:.0f} s, "
                  f"CPU share {entry['cpu_share']:.2f}", flush=True)
            if rc == 0 and job.kind == "tune":
                run = Path(job.meta["run"])
                atomic_write_json(self.out / f"tune/{run.name}.json", checkpoint.read_config(run)["metrics"])
            if rc == 0:
                self.done.add(job.name)
            else:
                # a failed job's dependants can never start: drop them, say so, go on with the rest
                dropped = self._dependants(job.name, pending)
                pending = [j for j in pending if j.name not in dropped]
                print(f"  failed; not run: {', '.join(sorted(dropped)) or 'nothing'}", flush=True)

    @staticmethod
    def _dependants(name: str, pending: list[Job]) -> set[str]:
        out, grew = set(), True
        while grew:
            grew = False
            for j in pending:
                if j.name not in out and any(d == name or d in out for d in j.deps):
                    out.add(j.name)
                    grew = True
        return out


def evaluate(snapshot: str, suite: str, problems: int, out: str) -> None:
    """One snapshot on one suite (a race job)."""
    import torch

    from symseq.bench.evaluate import evaluate_run
    torch.set_num_threads(1)
    result = evaluate_run(snapshot, suite, 10, limit=problems)
    result["metrics"] = checkpoint.read_config(snapshot)["metrics"]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(Path(out), result)


def report(args) -> str:
    """OUT/race.md (speed, tuning and curve tables) and OUT/curves.png from the finished jobs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from symseq.bench.report import wilson
    from symseq.io import atomic_target, atomic_write_text

    race, out = Race(args), args.out
    jobs = [json.loads(line) for line in race.log.read_text().splitlines() if line.strip()]
    lines = ["## Speed: tokens/s, one thread on one core, the other core idle", "",
             "| architecture | params | fp32 tokens/s | bf16 tokens/s | trains in |", "|---|---|---|---|---|"]
    for arch in ARCHS:
        params = checkpoint.load(out / f"speed/{arch}-fp32")[0].num_parameters()
        lines.append(f"| {arch} | {params / 1e6:.2f}M | {race.speed(arch, 'fp32'):,.0f} | "
                     f"{race.speed(arch, 'bf16'):,.0f} | {race.dtype(arch)} |")
    lines += ["", f"## Tuning: validation loss (sequence accuracy, teacher forced) after {args.tune_minutes:g} min",
              "",
              "| architecture | " + " | ".join(f"lr {lr:g}" for lr in args.lrs) + " | tokens/s beside another run |",
              "|---|" + "---|" * (len(args.lrs) + 1)]
    for arch in ARCHS:
        cells, speeds = [], []
        for lr in args.lrs:
            m = race.tune_metrics(arch, lr)
            cells.append(f"{m['valid_loss']:.3f} ({m['valid_seq_acc']:.3f})")
            speeds.append(m["tokens_seen"] / m["seconds"])
        best = race.tuned(arch)
        cells = [f"**{c}**" if lr == best else c for c, lr in zip(cells, args.lrs)]
        lines.append(f"| {arch} | " + " | ".join(cells) + f" | {min(speeds):,.0f}-{max(speeds):,.0f} |")
    lines += ["", "## Learning curves: beam 10, verified, first "
              f"{args.problems} problems (95% Wilson interval)", "",
              "| architecture | minutes | tokens seen | " + " | ".join(args.suites) + " |",
              "|---|---|---|" + "---|" * len(args.suites)]
    curves = {}
    for arch in ARCHS:
        for m in args.curve:
            cells, tokens = [], None
            for suite in args.suites:
                path = out / f"eval/{arch}-{m:g}min-{suite}.json"
                if not path.exists():
                    cells.append("-")
                    continue
                r = json.loads(path.read_text())
                k = round(r["beam10_verified"] * r["n"])
                lo, hi = wilson(k, r["n"])
                cells.append(f"{100 * k / r['n']:.0f} ({100 * lo:.0f}-{100 * hi:.0f})")
                tokens = r["metrics"]["tokens_seen"]
                curves.setdefault((arch, suite), []).append((m, tokens, 100 * k / r["n"]))
            lines.append(f"| {arch} | {m:g} | {tokens / 1e6:.1f}M | " if tokens else f"| {arch} | {m:g} | - | ")
            lines[-1] += " | ".join(cells) + " |"
    cpu = [j for j in jobs if j["kind"] != "speed" and j["rc"] == 0]
    lines += ["", f"Jobs: {len(jobs)}; CPU share of the training and evaluation jobs (CPU s / wall s, one thread "
              f"each): {min(j['cpu_share'] for j in cpu):.2f}-{max(j['cpu_share'] for j in cpu):.2f}." if cpu else ""]
    fig, axes = plt.subplots(1, 2 * len(args.suites), figsize=(5 * 2 * len(args.suites), 4))
    for i, suite in enumerate(args.suites):
        for arch in ARCHS:
            pts = sorted(curves.get((arch, suite), []))
            if pts:
                axes[2 * i].plot([p[0] for p in pts], [p[2] for p in pts], "o-", label=arch)
                axes[2 * i + 1].plot([p[1] / 1e6 for p in pts], [p[2] for p in pts], "o-", label=arch)
        axes[2 * i].set(xlabel="training minutes (one core)", ylabel=f"{suite}: verified %, beam 10", ylim=(0, 100))
        axes[2 * i + 1].set(xlabel="training tokens (millions)", ylabel=f"{suite}: verified %, beam 10",
                            ylim=(0, 100))
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    with atomic_target(out / "curves.png") as tmp:
        fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
    text = "\n".join(lines) + "\n"
    atomic_write_text(out / "race.md", text)
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("runs/race"))
    ap.add_argument("--lrs", type=float, nargs="+", default=[5e-4, 1e-3, 2e-3])
    ap.add_argument("--speed-seconds", type=float, default=60)
    ap.add_argument("--tune-minutes", type=float, default=8)
    ap.add_argument("--minutes", type=float, default=40)
    ap.add_argument("--curve", type=float, nargs="+", default=[8, 20, 40])
    ap.add_argument("--suites", nargs="+", default=["lc-bwd", "bwd"])
    ap.add_argument("--problems", type=int, default=100)
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--evaluate", nargs=4, metavar=("SNAPSHOT", "SUITE", "N", "OUT"))
    args = ap.parse_args()
    if args.evaluate:
        snapshot, suite, n, out = args.evaluate
        evaluate(snapshot, suite, int(n), out)
    elif args.report:
        print(report(args))
    else:
        Race(args).run()


if __name__ == "__main__":
    main()
