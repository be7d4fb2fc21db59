"""The race's loop: one problem under one budget, the model's beam and the engines, every answer
verified (``Race.run``; its steps in the class docstring, its constants in ``budget``, the order
and caps of the engine jobs in ``schedule``)."""

from __future__ import annotations

import dataclasses
import time
from typing import Callable

from symseq.domain import SYMPY_STRATEGIES, Verdict, expand_engines
from symseq.lang.assume import describe
from symseq.sandbox import (BackgroundCall, Status, cpu_count, idle_worker_holds, run_in_sandbox, sweep_drained,
                            wait_any)
from symseq.solve.config import SolveConfig
from symseq.solve.engines import run_engine, run_engine_on_tokens
from symseq.solve.implicit import check_implicit_call, is_implicit, prove_implicit_call, unproved
from symseq.solve.isolate import explicit_forms_call
from symseq.solve.model import DEFAULT_CHECKPOINT, decode_batch, model_candidates, model_ready, start_loading
from symseq.solve.race import schedule
from symseq.solve.race.budget import (DECODE_SHARE, DRAIN_SECONDS, ENGINE_MEMORY_MB, ENGINES_HEAD_START,
                                      FORM_SECONDS, IMPLICIT_CHECK_SECONDS, ISOLATE_SECONDS, LOCAL_GRACE_SECONDS,
                                      MIN_CHECK_SECONDS, REPAIR_CANDIDATES, REPAIR_SECONDS, REWRITE_SECONDS,
                                      STAGE_SECONDS, STAGGER_SECONDS, STOP_POLL_SECONDS, VERIFY_SLACK, WIDE_BEAM,
                                      WIDE_CHUNK, WIDE_MIN_SECONDS)
from symseq.solve.race.jobs import ParsedProblem, Provenance, Role, RunningJob
from symseq.solve.repair import REPAIRS, run_repair
from symseq.solve.rewrite import run_rewrites
from symseq.solve.results import Candidate, Solution
from symseq.solve.verifier import verify_many


class Race:
    """One problem under one budget: the model's beam and the engines, every answer verified.

    Steps (``run``): start the first engine job of the schedule (``symseq.solve.schedule``) in
    its sandbox, the next ones ``STAGGER_SECONDS`` apart while slots are free; give the engines
    ``ENGINES_HEAD_START`` alone (``STAGGER_SECONDS`` when a batch has decoded already); load the
    model in the background; start the rewriting of the integrand (``symseq.solve.rewrite``:
    SymPy on each form is queued when it is in); once the model is loaded, decode the beam (at
    most ``DECODE_SHARE`` of the time left) unless a batch already did; check the engines'
    answers that came meanwhile, then the beam's candidates in rank order (if none is proved, the
    best wrong ones get repair jobs, ``symseq.solve.repair``), then the beam on the rewritten
    forms; then collect answers until one is proved, the deadline, or no job is left (then, with
    time left, a ``WIDE_BEAM`` beam's new candidates).  PROVED wins, else NUMERIC_ONLY, else LOCAL.
    ``decoded``: (candidates, notes, seconds) from a batch.  ``stop``: a cheap outside condition,
    asked every ``STOP_POLL_SECONDS``, that settles the race when true (a definite integral found)."""

    def __init__(self, p: ParsedProblem, cfg: SolveConfig, decoded: tuple[list, list[str], float] | None = None,
                 stop: Callable[[], bool] | None = None):
        if p.parameters and cfg.uses_model:  # the model's vocabulary has no parameters
            cfg = dataclasses.replace(cfg, mode="engines" if cfg.mode == "hybrid" else cfg.mode)
        self.p, self.cfg, self.decoded = p, cfg, decoded
        self.checkpoint = str(cfg.checkpoint or DEFAULT_CHECKPOINT)
        start = time.perf_counter() - p.parse_seconds - (decoded[2] if decoded else 0.0)
        self.start, self.deadline = start, start + cfg.timeout
        self.sol = Solution(question=p.question, assumptions=describe(p.parameters))
        if p.parameters and cfg.mode == "model":
            self.sol.notes.append("the model does not read parameters: use the engines (--mode hybrid)")
        self.sol.seconds["parse"] = p.parse_seconds
        self.best: Provenance | None = None
        self.local_since: float | None = None  # when the first LOCAL answer came
        self.implicit: tuple[str, str, str] | None = None  # a verified implicit solution: (shown, engine, detail)
        self.implicit_since: float | None = None
        # the warm order once a CAS session is kept between problems (schedule's docstring)
        warm = idle_worker_holds("maxima") or idle_worker_holds("fricas")
        self.queue = schedule.plan(p.task, cfg.mode, cfg.without, warm=warm, question=p.expr)
        self.running: dict[BackgroundCall, RunningJob] = {}
        self.slots = max(1, cfg.cores or cpu_count())
        self.rewriting = p.task == "integrate" and cfg.mode in ("hybrid", "engines") \
            and "rewrite" not in cfg.without and not p.parameters
        self.forms: list[tuple[str, list[str]]] | None = None  # (rewrite's name, form's tokens)
        self.last_start = 0.0  # when the last engine job started
        self.stop, self.stopped = stop, False

    def run(self) -> Solution:
        if self.p.parameters and self.cfg.mode == "model":
            self.sol.wall = time.perf_counter() - self.start
            return self.sol
        try:
            self._start_jobs()
            if self.running and (self.cfg.uses_model or self.rewriting):  # the engines' head start
                head = ENGINES_HEAD_START if self.decoded is None else STAGGER_SECONDS
                self._serve(min(head, max(0.0, self._left())))
            if self.cfg.uses_model and self.decoded is None and not self._settled():
                start_loading(self.checkpoint)  # in the background: the race goes on meanwhile
            if self.rewriting and not self._settled():
                self._start_rewrites()
            candidates = self._decode() if self.cfg.uses_model and not self._settled() else []
            self._serve(0.0)  # engine answers that came while the model decoded are checked first
            if candidates and not self._settled():
                self._check_model(candidates)
            if self.rewriting and self.cfg.uses_model and not self._settled():
                self._serve(self._left(), until_forms=True)
                if self.forms and not self._settled():
                    self._check_model_on_forms()
            self._serve(self._left())
            if candidates and not self._settled():  # the engines are done (or none ran), time is left
                self._check_wider_beam(candidates)
        finally:  # a warm CAS session still working may finish in the background
            for call, job in self.running.items():
                call.stop(drain=DRAIN_SECONDS if job.is_engine and self._settled() else 0.0)
        if self.best is not None:
            b = self.best
            self.sol.verdict, self.sol.answer, self.sol.engine, self.sol.rank, self.sol.valid_on = \
                b.verdict, b.answer, b.engine, b.rank, b.valid_on
            self.sol.assumptions = ", ".join(a for a in (self.sol.assumptions, b.provided) if a)
        elif self.implicit is not None:  # shown as such, never as an answer (Solution.implicit)
            self.sol.implicit, self.sol.engine, detail = self.implicit
            self.sol.verdict = Verdict.IMPLICIT
            self.sol.notes.append(f"implicit solution {detail}; no explicit answer")
        self.sol.wall = time.perf_counter() - self.start
        return self.sol

    def _left(self) -> float:
        return self.deadline - time.perf_counter()

    def _stage_limit(self) -> float:
        return min(STAGE_SECONDS, max(MIN_CHECK_SECONDS, self._left()))

    def _settled(self) -> bool:
        """Whether the race is settled: an answer proved, or a LOCAL one past its grace, or with
        no answer, an implicit solution past the same grace."""
        now = time.perf_counter()
        if self.stop is not None and not self.stopped:
            self.stopped = bool(self.stop())
        if self.stopped:
            return True
        if self.best is None:  # (while y is being isolated from it, an implicit solution waits)
            return self.implicit_since is not None and now >= self.implicit_since + LOCAL_GRACE_SECONDS \
                and not any(r.role is Role.ISOLATE for r in self.running.values())
        return self.best.verdict is Verdict.PROVED or (
            self.local_since is not None and now >= self.local_since + LOCAL_GRACE_SECONDS
            and self.best.verdict is Verdict.LOCAL)

    def _engines_running(self) -> int:
        return sum(r.is_engine for r in self.running.values())

    def _next_start(self) -> float:
        """When the next queued engine job may start (given a free slot): at once when no engine
        runs, else ``STAGGER_SECONDS`` after the last one started."""
        return self.last_start + STAGGER_SECONDS if self._engines_running() else 0.0

    def _start_jobs(self) -> None:
        while self.queue and self._engines_running() < self.slots and self._left() > 0 \
                and time.perf_counter() >= self._next_start():
            job = self.queue.pop(0)
            self.last_start = time.perf_counter()
            if job.form is None:
                call = BackgroundCall(run_engine, (job.engine, self.p.task, self.p.expr, self._left()),
                                      memory_mb=ENGINE_MEMORY_MB, affinity=job.program)
                name = job.engine
            else:  # an engine on a rewritten form of the integrand, built in its sandbox
                tokens = dict(self.forms or [])[job.form]
                call = BackgroundCall(run_engine_on_tokens, (job.engine, self.p.task, tokens, self._left()),
                                      memory_mb=ENGINE_MEMORY_MB, affinity=job.program)
                name = f"{job.engine}/{job.form}"
            self.running[call] = RunningJob(name, job.cap, time.perf_counter())

    def _start_rewrites(self) -> None:
        call = BackgroundCall(run_rewrites, self.p.expr, memory_mb=ENGINE_MEMORY_MB)
        self.running[call] = RunningJob("rewrite", REWRITE_SECONDS, time.perf_counter(), Role.REWRITE)

    def _take_forms(self, value: list[tuple[str, list[str]]] | None) -> None:
        """The rewriting job's forms (prefix tokens, built only in sandboxes or read by the
        model); SymPy is queued on each, before SymPy's separate strategies."""
        self.forms = [(str(name), [str(t) for t in tokens]) for name, tokens in value or []]
        if "sympy" in expand_engines(self.cfg.without):
            return
        jobs = [schedule.Job("sympy", FORM_SECONDS, None, name) for name, _ in self.forms]
        at = next((i for i, j in enumerate(self.queue) if j.engine in SYMPY_STRATEGIES),
                  len(self.queue))
        self.queue[at:at] = jobs

    def _check_model_on_forms(self) -> None:
        """The model on every rewritten form, as one batch; answers verified on the integrand."""
        assert self.forms is not None
        if self._left() <= 0.2:
            return
        t = time.perf_counter()
        notes: list[list[str]] = [[] for _ in self.forms]
        decoded = model_candidates([tokens for _, tokens in self.forms], self.p.task,
                                   self.checkpoint, self.cfg.beam,
                                   notes, time_limit=max(0.1, DECODE_SHARE * self._left()))
        self.sol.seconds["decode"] = self.sol.seconds.get("decode", 0.0) + time.perf_counter() - t
        for (name, _), candidates in zip(self.forms, decoded):
            self._serve(0.0)  # engine answers (and capped jobs) are not kept waiting
            if self._settled() or self._left() <= 0:
                return
            self._verify_beam(candidates, f"model/{name}")

    def _check_wider_beam(self, tried: list) -> None:
        """Every candidate of the beam failed and no engine job is left: with ``WIDE_MIN_SECONDS``
        left, decode a ``WIDE_BEAM`` beam and verify its candidates not tried yet in rank order,
        ``WIDE_CHUNK`` at a time while ``MIN_CHECK_SECONDS`` are left.  Shown as ``model/wide``,
        with its rank in the wide beam."""
        if "widen" in self.cfg.without or self.cfg.beam >= WIDE_BEAM or self._left() < WIDE_MIN_SECONDS \
                or self.running or self.queue:
            return
        t = time.perf_counter()
        wide, notes, _ = decode_batch([self.p.expr], self.p.task, self.cfg.checkpoint, WIDE_BEAM,
                                      time_limit=max(0.1, DECODE_SHARE * self._left()))[0]
        self.sol.seconds["decode"] = self.sol.seconds.get("decode", 0.0) + time.perf_counter() - t
        self.sol.notes.extend(f"wide beam: {note}" for note in notes)
        seen = {tuple(tokens) for _, tokens in tried}
        fresh = [(rank, tokens) for rank, tokens in wide if tuple(tokens) not in seen]
        for i in range(0, len(fresh), WIDE_CHUNK):
            if self._settled() or self._left() < MIN_CHECK_SECONDS:
                return
            self._verify_beam(fresh[i:i + WIDE_CHUNK], "model/wide")

    def _start_repairs(self, candidates: list, verdicts: list) -> None:
        """Repair jobs for the best wrong model candidates; they run on the core the model has
        finished with (beside the engines' slots), capped."""
        if self.p.task != "integrate" or self.cfg.mode != "hybrid" or "repair" in self.cfg.without:
            return
        wrong = [(rank, tokens) for (rank, tokens), v in zip(candidates, verdicts)
                 if v is not None and v.verdict is Verdict.WRONG][:REPAIR_CANDIDATES]
        for rank, tokens in wrong:
            for how in REPAIRS:
                call = BackgroundCall(run_repair, (how, self.p.expr, tokens), memory_mb=ENGINE_MEMORY_MB)
                self.running[call] = RunningJob(f"repair:{how}", REPAIR_SECONDS, time.perf_counter(),
                                                Role.REPAIR, rank)

    def _serve(self, seconds: float, until_forms: bool = False) -> None:
        """Collect and check engine answers for up to ``seconds`` (0: only those already in),
        starting queued jobs as slots free; returns early once an answer is proved or no job
        is left (``until_forms``: or once the rewritten forms are in)."""
        until = time.perf_counter() + seconds
        while self.running and not self._settled() and not (until_forms and self.forms is not None):
            now = time.perf_counter()
            caps = [r.started + r.cap for r in self.running.values() if r.cap is not None]
            if self.queue and self._engines_running() < self.slots:
                caps.append(self._next_start())
            caps += [since + LOCAL_GRACE_SECONDS for since in (self.local_since, self.implicit_since)
                     if since is not None]
            if self.stop is not None:
                caps.append(now + STOP_POLL_SECONDS)
            wake = min([until, self.deadline] + caps)
            for call in wait_any(self.running, wake - now):
                self._collect(call)
            sweep_drained()
            now = time.perf_counter()
            for call, r in list(self.running.items()):
                if r.cap is not None and now >= r.started + r.cap or now >= self.deadline:
                    self._collect(call, give_up=True)
            if self._settled():
                return
            self._start_jobs()
            if time.perf_counter() >= until:
                return

    def _decode(self) -> list:
        if self.decoded is None:
            # engines served while the model loads (from ``run``); left out if settled or out of time
            while not model_ready(self.checkpoint, wait=0.0 if self.running else min(0.05, max(0.0, self._left()))):
                if self._settled() or self._left() <= 0:
                    self.sol.notes += [] if self._settled() else ["model: not loaded within the time limit"]
                    return []
                self._serve(min(0.05, self._left()))
            self.decoded = decode_batch([self.p.expr], self.p.task, self.cfg.checkpoint, self.cfg.beam,
                                        time_limit=max(0.1, DECODE_SHARE * self._left()))[0]
        candidates, notes, self.sol.seconds["decode"] = self.decoded
        self.sol.notes.extend(notes)
        return candidates

    def _record(self, engine: str, rank: int | None, v) -> None:
        # v.valid_on is written in the user's variable (verify_many's show_var)
        self.sol.candidates.append(Candidate(v.answer or "(could not be built)", engine, rank,
                                             v.verdict, round(v.seconds, 3), v.detail, v.valid_on))
        if v.verdict.solved and (self.best is None or v.verdict.strength > self.best.verdict.strength):
            self.best = Provenance(v.verdict, v.answer, engine, rank, v.valid_on, v.provided)
        if v.verdict is Verdict.LOCAL and self.local_since is None:
            self.local_since = time.perf_counter()

    def _verify_beam(self, candidates: list, engine: str) -> list:
        """Verify candidates ``(rank, tokens or text)`` in order against the question (a beam, or
        an engine's answers); record each verdict under ``engine``; the verdicts (None for those
        not reached)."""
        t = time.perf_counter()
        limit = self._stage_limit()
        verdicts = verify_many(self.p.task, self.p.expr, [c for _, c in candidates],
                               show_var=self.p.user_var, numeric_timeout=limit, proof_timeout=limit,
                               deadline=self.deadline + VERIFY_SLACK)
        for (rank, _), v in zip(candidates, verdicts):
            if v is not None:
                self._record(engine, rank, v)
        self.sol.seconds["verify"] = self.sol.seconds.get("verify", 0.0) + time.perf_counter() - t
        return verdicts

    def _check_implicit(self, engine: str, answer: str) -> None:
        """An engine's implicit solution ``H(x, y) = c1`` (``symseq.solve.implicit``), checked in a
        sandbox; the first verified one is kept for when no explicit answer comes."""
        if self.implicit is not None or self.p.task != "ode1" or not is_implicit(answer):
            return
        t = time.perf_counter()
        limit = min(IMPLICIT_CHECK_SECONDS, self._stage_limit())
        out = run_in_sandbox(check_implicit_call, (self.p.expr, answer), timeout=limit, memory_mb=ENGINE_MEMORY_MB)
        verdict, text, detail = out.value if out.ok else (
            Verdict.TIMEOUT if out.status is Status.TIMEOUT else Verdict.INVALID, answer, out.error or out.status.value)
        if verdict is Verdict.IMPLICIT:  # it passed the numeric screen: shown only if proved
            proof = run_in_sandbox(prove_implicit_call, (self.p.expr, answer),
                                   timeout=min(IMPLICIT_CHECK_SECONDS, self._stage_limit()), memory_mb=ENGINE_MEMORY_MB)
            verdict, text, detail = (verdict, text, "proved symbolically") if proof.ok and proof.value else \
                unproved(text, detail)
        self.sol.candidates.append(Candidate(text, engine, None, verdict, round(time.perf_counter() - t, 3), detail))
        if verdict is Verdict.IMPLICIT:
            self.implicit, self.implicit_since = (text, engine, detail), time.perf_counter()
            # y isolated from it, if it can be: explicit candidates, verified like an engine's
            call = BackgroundCall(explicit_forms_call, answer, memory_mb=ENGINE_MEMORY_MB)
            self.running[call] = RunningJob(f"{engine}/isolated", ISOLATE_SECONDS, time.perf_counter(), Role.ISOLATE)

    def _check_model(self, candidates: list) -> None:
        verdicts = self._verify_beam(candidates, "model")
        if not self._settled():
            self._start_repairs(candidates, verdicts)

    def _collect(self, call: BackgroundCall, give_up: bool = False) -> None:
        """One engine job's answer, verified (``give_up``: it ran out of its time: stop it)."""
        job = self.running.pop(call)
        name = job.name
        outcome = call.result(0.0)
        call.stop()
        self.sol.seconds[name] = self.sol.seconds.get(name, 0.0) + time.perf_counter() - job.started
        if job.role is Role.REWRITE:
            self._take_forms(outcome.value if outcome.ok else None)
            if not outcome.ok:
                self.sol.notes.append(f"rewrite: {outcome.status.value}"
                                      f"{'' if outcome.error is None else ' ' + outcome.error}")
        elif job.role is Role.ISOLATE and outcome.ok and outcome.value is not None:
            forms, one_sign = outcome.value
            verdicts = self._verify_beam([(None, a) for a in forms], name)
            if one_sign and all(v is not None and v.verdict is Verdict.WRONG for v in verdicts):
                self._verify_beam([(None, a) for a in one_sign], name)  # symseq.solve.isolate.one_sign_forms
        elif outcome.ok and outcome.value is not None:  # an answer, or an ODE's solution branches
            answers = outcome.value if isinstance(outcome.value, list) else [outcome.value]
            explicit = [a for a in answers if not is_implicit(a)]
            if explicit:
                self._verify_beam([(job.rank, a) for a in explicit], name)
            for answer in answers:
                if is_implicit(answer):
                    self._check_implicit(name, answer)
        elif outcome.ok:
            self.sol.notes.append(f"{name}: {'no closed form' if job.is_engine else 'nothing to propose'}")
        else:
            if job.is_engine and (outcome.status is Status.TIMEOUT or "TimeoutError" in (outcome.error or "")):
                self.sol.timed_out.append(name)
            capped = give_up and job.cap is not None and self._left() > 0
            self.sol.notes.append(f"{name}: {'gave up at its cap' if capped else outcome.status.value}"
                                  f"{'' if outcome.error is None else ' ' + outcome.error}")
