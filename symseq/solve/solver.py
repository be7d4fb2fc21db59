"""Public API: ``integrate(expr, ...)`` and ``solve_ode(eq, ...)`` -> a ``Solution`` that says how
the answer was found and proved.

Pipeline: parse -> (model) encode, beam search, verify candidates in rank order -> (engines:
SymPy's integrate / dsolve and its separate strategies, FriCAS and Maxima where installed) each in
a sandboxed process, scheduled on the cores (``schedule``) and raced against the model under one
time budget -> the first PROVED answer wins (else a NUMERIC_ONLY one, else a LOCAL one, shown
with the intervals where it holds) -> answer written
back in the user's variable.  Modes (``MODES``): ``hybrid`` (everything, default), ``model``,
``engines`` (every engine, no model), or one engine's name alone (``sympy``, ``fricas``, ...).
``integrate_many`` / ``solve_ode_many`` decode many problems in batches (the CLI's ``--file``).

Nothing unverified is ever returned as an answer: ``Solution.answer`` is None unless
``verdict.solved``; the candidates list shows every verdict.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import sympy as sp

from generators.symbols import X
from generators.tasks import kind_of_order, task_token
from symseq.lang.parse import InputError, in_sandbox, parse_integrand, parse_ode
from symseq.lang.prefix import UnsupportedExpressionError, to_prefix
from symseq.sandbox import (BackgroundCall, Status, cpu_count, idle_worker_holds, sweep_drained, wait_any,
                            warm_workers)
from symseq.solve import MODES, schedule
from symseq.solve.engines import ENGINES, run_engine, run_engine_on_tokens
from symseq.solve.repair import REPAIRS, run_repair
from symseq.solve.rewrite import run_rewrites
from symseq.solve.results import Candidate, ProblemFailure, Solution
from symseq.solve.verifier import Verdict, verify_many

def _shipped_checkpoint() -> Path:
    """The shipped model: ``checkpoints/default`` beside the package in a source checkout (or an
    editable install), else where ``pip install`` put it (``<prefix>/share/symseq/checkpoints/
    default``, pyproject's data-files), for the prefix this package is installed under."""
    import sys

    here = Path(__file__).resolve()
    source = here.parents[2] / "checkpoints" / "default"
    if (source / "config.json").exists():
        return source
    for prefix in (here.parents[5] if len(here.parents) > 5 else None, Path(sys.prefix)):
        if prefix is not None and (prefix / "share" / "symseq" / "checkpoints" / "default" / "config.json").exists():
            return prefix / "share" / "symseq" / "checkpoints" / "default"
    return source  # missing: loading it says so in a one-line note, and the engines run alone


DEFAULT_CHECKPOINT = _shipped_checkpoint()

# The race's budget, in shares and seconds (see ``_Race``):
DECODE_SHARE = 0.6  # of the time left, at most, for beam search (the rest is for checking)
STAGE_SECONDS = 5.0  # at most per verification stage (numeric, proof) of one candidate set
MIN_CHECK_SECONDS = 0.5  # a candidate found at the last moment still gets this long
# ... and may end this long after the deadline; with interpreter start-up and the parsing
# sandbox, a call ends within ``timeout`` + about 1 s (plus the model's load, once).
VERIFY_SLACK = 0.5
ENGINE_MEMORY_MB = 4096
REPAIR_CANDIDATES = 2  # wrong model candidates (best ranks) that get repair jobs
REPAIR_SECONDS = 3.0  # cap of each repair job
REWRITE_SECONDS = 2.0  # cap of the job that rewrites the integrand (symseq.solve.rewrite)
FORM_SECONDS = 3.0  # cap of SymPy's job on one rewritten form
# Hybrid: the first engines start first and get this long alone; when one answers and is proved
# by then, the model is never loaded (torch's import alone costs ~1.5 s).
ENGINES_HEAD_START = 0.3
# An engine job still running when another answer is proved: a warm worker that holds a CAS
# session may finish its call within this long, unread, rather than be killed with its session
# (restarting one costs 74-135 ms in the next problem).
DRAIN_SECONDS = 0.5
# Engine jobs start one at a time, this long apart while the earlier ones run (at once when none
# runs): an easy problem is answered by the first engine before the second competes for the
# cores (measured with warm sessions, benchmarks/RESULTS.md).
STAGGER_SECONDS = 0.05
# once an answer verified on intervals only (LOCAL) is in, the race goes on this much longer for
# an answer that holds on the whole line, then stops (a global one is preferred, not awaited)
LOCAL_GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class SolveConfig:
    """How problems are solved: the one place the defaults live (the CLI maps its options here)."""

    mode: str = "hybrid"  # see MODES
    beam: int = 10
    timeout: float = 10.0  # seconds per problem, every stage included
    checkpoint: str | Path | None = None  # model folder; None = the shipped one
    batch_size: int = 16  # problems decoded together by integrate_many / solve_ode_many
    without: tuple[str, ...] = ()  # engines (or groups: strategies, cas) left out of the race
    cores: int | None = None  # engine jobs at once; None = the cores this process may use

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES} (got {self.mode!r})")
        if self.beam < 1 or self.batch_size < 1:
            raise ValueError("beam and batch_size must be >= 1")
        if not self.timeout > 0:
            raise ValueError("timeout must be > 0")
        unknown = schedule.expand(self.without) - set(ENGINES) - {"repair", "rewrite"}
        if unknown:
            raise ValueError(f"unknown engine {sorted(unknown)[0]!r} (engines: {', '.join(ENGINES)}; "
                             f"groups: {', '.join(schedule.GROUPS)})")

    @property
    def uses_model(self) -> bool:
        return self.mode in ("hybrid", "model")


def _config(config: SolveConfig | None, changes: dict) -> SolveConfig:
    try:
        return dataclasses.replace(config or SolveConfig(), **changes)
    except TypeError as err:
        raise TypeError(f"unknown solver option: {err}") from None


@lru_cache(maxsize=4)
def _load_model(path: str):
    from symseq.nn import checkpoint

    return checkpoint.load(path)


def _model_candidates(questions: list[sp.Expr | list[str]], kind: str, checkpoint_path: str, beam: int,
                      notes: list[list[str]], time_limit: float) -> list[list[tuple[int, list[str]]]]:
    """Beam-search candidates ``(rank, prefix tokens)`` for each question (an expression, or its
    prefix tokens already), decoded as one batch.

    Candidates stay token lists: the verifier builds them in its sandbox (a deeply nested
    output can take SymPy minutes to construct).
    Problems the model cannot take (no model, unsupported operator, too long) get no candidates
    and a line in their ``notes``; SymPy still runs for them in hybrid mode.
    """
    from symseq.data.batching import pad_rows
    from symseq.nn.checkpoint import CheckpointError

    out: list[list[tuple[int, list[str]]]] = [[] for _ in questions]
    try:
        model, vocab, _ = _load_model(checkpoint_path)
    except Exception as err:  # any model failure: reported, and SymPy still runs in hybrid mode
        message = str(err) if isinstance(err, (CheckpointError, OSError)) else f"{type(err).__name__}: {err}"
        for n in notes:
            n.append(f"model unavailable: {message}")
        return out
    max_len = getattr(model.config, "max_len", 1024)
    rows, where = [], []
    for i, question in enumerate(questions):
        try:
            tokens = [task_token(kind)] + (question if isinstance(question, list) else to_prefix(question))
        except UnsupportedExpressionError as err:
            notes[i].append(f"model skipped: {err}")
            continue
        if len(tokens) > max_len:
            notes[i].append(f"model skipped: {len(tokens)} tokens exceed its limit {max_len}")
            continue
        rows.append(vocab.encode(tokens))
        where.append(i)
    if not rows:
        return out
    from symseq.solve.decode import beam_search

    src = pad_rows(rows, vocab.pad)
    try:
        hyps = beam_search(model, vocab, src, src != vocab.pad, beam=beam, max_len=min(256, max_len),
                           time_limit=time_limit)
    except Exception as err:  # any model failure: reported, and SymPy still runs in hybrid mode
        for i in where:
            notes[i].append(f"model failed: {type(err).__name__}: {err}")
        return out
    for j, i in enumerate(where):
        out[i] = [(rank, list(h.tokens)) for rank, h in enumerate(hyps[j], 1)]
    return out


@dataclass
class _Parsed:
    """A problem ready for ``_solve``: what the model, SymPy and the verifier each need."""

    task: str  # the kind: integrate, ode1, ode2 (generators.tasks.KINDS)
    expr: sp.Expr  # integrand in X, or the ODE as an expression = 0 in F0
    question: str  # shown to the user
    user_var: sp.Symbol
    parse_seconds: float


def _decode(problems: list[_Parsed], checkpoint, beam: int,
            time_limit: float) -> list[tuple[list, list[str], float]]:
    """Decode problems of one model task as one batch: per problem (candidates, notes, its share
    of the decoding seconds)."""
    notes: list[list[str]] = [[] for _ in problems]
    t = time.perf_counter()
    cands = _model_candidates([p.expr for p in problems], problems[0].task,
                              str(checkpoint or DEFAULT_CHECKPOINT), beam, notes, time_limit)
    share = (time.perf_counter() - t) / len(problems)
    return [(c, n, share) for c, n in zip(cands, notes)]


def _read_integral(text: str, x: str | None) -> tuple[sp.Expr, sp.Symbol, str]:
    """Runs in the parsing sandbox: the integrand in X, the user's variable, the question text."""
    integrand, user_var = parse_integrand(text, x)
    return integrand, user_var, sp.sstr(integrand.xreplace({X: user_var}))


def _read_ode(text: str) -> tuple[sp.Expr, int, str]:
    """Runs in the parsing sandbox: the ODE as an expression = 0, its order, the question text."""
    equation, order = parse_ode(text)
    return equation, order, f"{sp.sstr(equation)} = 0"


def _parse_integral(expr: str | sp.Expr, x: str | None, timeout: float = 10.0) -> _Parsed:
    t0 = time.perf_counter()
    text = expr if isinstance(expr, str) else sp.sstr(expr)
    integrand, user_var, question = in_sandbox(_read_integral, text, x, timeout=timeout)
    return _Parsed("integrate", integrand, question, user_var, time.perf_counter() - t0)


def _parse_ode(eq: str, timeout: float = 10.0) -> _Parsed:
    t0 = time.perf_counter()
    equation, order, question = in_sandbox(_read_ode, eq, timeout=timeout)
    return _Parsed(kind_of_order(order), equation, question, X, time.perf_counter() - t0)


def integrate(expr: str | sp.Expr, x: str | None = None, *, config: SolveConfig | None = None,
              **changes) -> Solution:
    """Integrate ``expr`` with respect to ``x``; ``changes`` override fields of ``config``
    (``integrate("x*cos(x)", mode="sympy", timeout=5)``).  See the module docstring."""
    cfg = _config(config, changes)
    return _Race(_parse_integral(expr, x, cfg.timeout), cfg).run()


def solve_ode(eq: str, *, config: SolveConfig | None = None, **changes) -> Solution:
    """Solve an ODE in y (or f) of x; the answer is f(x) with constants c1, c2."""
    cfg = _config(config, changes)
    return _Race(_parse_ode(eq, cfg.timeout), cfg).run()


def integrate_many(exprs: Iterable[str], x: str | None = None, *, config: SolveConfig | None = None,
                   **changes) -> Iterator[Solution | InputError | ProblemFailure]:
    """``integrate`` over many problems, decoding ``batch_size`` of them at once.

    Yields, in input order, a ``Solution``, or the ``InputError`` that problem's text raised, or a
    ``ProblemFailure`` if solving it failed unexpectedly (the other problems go on).
    Each problem keeps its own ``timeout``, which includes its share of the batch's decoding.
    """
    cfg = _config(config, changes)
    return _solve_many(lambda e: _parse_integral(e, x, cfg.timeout), exprs, cfg)


def solve_ode_many(eqs: Iterable[str], *, config: SolveConfig | None = None,
                   **changes) -> Iterator[Solution | InputError | ProblemFailure]:
    """``solve_ode`` over many problems; see ``integrate_many``."""
    cfg = _config(config, changes)
    return _solve_many(lambda e: _parse_ode(e, cfg.timeout), eqs, cfg)


def _solve_many(parse, texts: Iterable[str],
                cfg: SolveConfig) -> Iterator[Solution | InputError | ProblemFailure]:
    """Yields one item per text, in order; a failure of one problem is its item, never the end."""
    texts = iter(texts)
    with warm_workers():  # sandbox workers (and CAS sessions) kept from one problem to the next
        yield from _solve_chunks(parse, texts, cfg)


def _solve_chunks(parse, texts: Iterator[str],
                  cfg: SolveConfig) -> Iterator[Solution | InputError | ProblemFailure]:
    while chunk := list(itertools.islice(texts, cfg.batch_size)):
        parsed: list[_Parsed | InputError] = []
        for text in chunk:
            try:
                parsed.append(parse(text))
            except InputError as err:
                parsed.append(err)
        ok = [p for p in parsed if isinstance(p, _Parsed)]
        decoded: dict[int, tuple[list, list[str], float]] = {}
        if cfg.uses_model and len(ok) > 1:  # one problem alone: the race decodes, after SymPy's head start
            for kind in dict.fromkeys(p.task for p in ok):  # one batch per kind of problem
                group = [p for p in ok if p.task == kind]
                results = _decode(group, cfg.checkpoint, cfg.beam,
                                  time_limit=DECODE_SHARE * cfg.timeout * len(group))
                decoded.update((id(p), r) for p, r in zip(group, results))
        for p in parsed:
            if isinstance(p, InputError):
                yield p
                continue
            try:
                yield _Race(p, cfg, decoded.get(id(p))).run()
            except Exception as err:  # one problem's failure is its record; the batch goes on
                yield ProblemFailure(f"solving failed: {type(err).__name__}: {err}")


@dataclass
class _Running:
    """A sandboxed job of the race: an engine (on the integrand or on a rewritten form of it), a
    repair of the model candidate of ``rank``, or the rewriting of the integrand."""

    name: str
    cap: float | None  # seconds it may run, None = until the deadline
    started: float
    rank: int | None = None  # the repaired model candidate's rank
    role: str = "engine"  # engine, repair, rewrite

    @property
    def is_engine(self) -> bool:
        return self.role == "engine"


class _Race:
    """One problem under one budget: the model's beam and the engines, every answer verified.

    Steps (``run``): start the first engine job of the schedule (``symseq.solve.schedule``) in
    its sandbox, the next ones ``STAGGER_SECONDS`` apart while slots are free; give the engines
    ``ENGINES_HEAD_START`` alone (a proved answer by then ends the race before the model loads;
    ``STAGGER_SECONDS`` when a batch has decoded already); start the rewriting of the integrand
    (``symseq.solve.rewrite``: SymPy on each form is queued when it is in); decode the beam (at
    most ``DECODE_SHARE`` of the time left) unless a batch already did; check the engines'
    answers that came meanwhile, then the beam's candidates in rank order (stop at the first
    proof; if none is proved, the best wrong ones get repair jobs, ``symseq.solve.repair``),
    then the beam on the rewritten forms; then keep collecting answers, starting queued engine
    jobs as slots free, until one is proved or the deadline.  The first PROVED answer wins,
    else the first NUMERIC_ONLY one, else the first LOCAL one (with where it holds).
    ``decoded`` = (candidates, notes, seconds) from a batch.
    """

    def __init__(self, p: _Parsed, cfg: SolveConfig, decoded: tuple[list, list[str], float] | None = None):
        self.p, self.cfg, self.decoded = p, cfg, decoded
        start = time.perf_counter() - p.parse_seconds - (decoded[2] if decoded else 0.0)
        self.start, self.deadline = start, start + cfg.timeout
        self.sol = Solution(question=p.question)
        self.sol.seconds["parse"] = p.parse_seconds
        self.best: tuple[Verdict, str, str, int | None, str] | None = None  # ..., valid_on
        self.local_since: float | None = None  # when the first LOCAL answer came
        # the warm order once a CAS session is kept between problems (schedule's docstring)
        warm = idle_worker_holds("maxima") or idle_worker_holds("fricas")
        self.queue = schedule.plan(p.task, cfg.mode, cfg.without, warm=warm)
        self.running: dict[BackgroundCall, _Running] = {}
        self.slots = max(1, cfg.cores or cpu_count())
        self.rewriting = p.task == "integrate" and cfg.mode in ("hybrid", "engines") \
            and "rewrite" not in cfg.without
        self.forms: list[tuple[str, list[str]]] | None = None  # (rewrite's name, form's tokens)
        self.last_start = 0.0  # when the last engine job started

    def run(self) -> Solution:
        try:
            self._start_jobs()
            if self.running and (self.cfg.uses_model or self.rewriting):  # the engines' head
                # start (the second starts during it); short when a batch has decoded already
                head = ENGINES_HEAD_START if self.decoded is None else STAGGER_SECONDS
                self._serve(min(head, max(0.0, self._left())))
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
        finally:  # a warm CAS session still working may finish in the background
            for call, job in self.running.items():
                call.stop(drain=DRAIN_SECONDS if job.is_engine and self._settled() else 0.0)
        if self.best is not None:
            self.sol.verdict, self.sol.answer, self.sol.engine, self.sol.rank, self.sol.valid_on = self.best
        self.sol.wall = time.perf_counter() - self.start
        return self.sol

    def _left(self) -> float:
        return self.deadline - time.perf_counter()

    def _stage_limit(self) -> float:
        return min(STAGE_SECONDS, max(MIN_CHECK_SECONDS, self._left()))

    def _settled(self) -> bool:
        """Whether the race is settled: an answer proved, or a LOCAL one past its grace."""
        return self.best is not None and (self.best[0] is Verdict.PROVED or (
            self.local_since is not None and time.perf_counter() >= self.local_since + LOCAL_GRACE_SECONDS
            and self.best[0] is Verdict.LOCAL))

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
            self.running[call] = _Running(name, job.cap, time.perf_counter())

    def _start_rewrites(self) -> None:
        call = BackgroundCall(run_rewrites, self.p.expr, memory_mb=ENGINE_MEMORY_MB)
        self.running[call] = _Running("rewrite", REWRITE_SECONDS, time.perf_counter(), role="rewrite")

    def _take_forms(self, value: list[tuple[str, list[str]]] | None) -> None:
        """The rewriting job's forms (prefix tokens, built only in sandboxes or read by the
        model); SymPy is queued on each, before SymPy's separate strategies."""
        self.forms = [(str(name), [str(t) for t in tokens]) for name, tokens in value or []]
        if "sympy" in schedule.expand(self.cfg.without):
            return
        jobs = [schedule.Job("sympy", FORM_SECONDS, None, name) for name, _ in self.forms]
        at = next((i for i, j in enumerate(self.queue) if j.engine in schedule.GROUPS["strategies"]),
                  len(self.queue))
        self.queue[at:at] = jobs

    def _check_model_on_forms(self) -> None:
        """The model on every rewritten form, as one batch; answers verified on the integrand."""
        assert self.forms is not None
        if self._left() <= 0.2:
            return
        t = time.perf_counter()
        notes: list[list[str]] = [[] for _ in self.forms]
        decoded = _model_candidates([tokens for _, tokens in self.forms], self.p.task,
                                    str(self.cfg.checkpoint or DEFAULT_CHECKPOINT), self.cfg.beam,
                                    notes, time_limit=max(0.1, DECODE_SHARE * self._left()))
        self.sol.seconds["decode"] = self.sol.seconds.get("decode", 0.0) + time.perf_counter() - t
        for (name, _), candidates in zip(self.forms, decoded):
            self._serve(0.0)  # engine answers (and capped jobs) are not kept waiting
            if self._settled() or self._left() <= 0:
                return
            self._verify_beam(candidates, f"model/{name}")

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
                self.running[call] = _Running(f"repair:{how}", REPAIR_SECONDS, time.perf_counter(), rank,
                                              role="repair")

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
            if self.local_since is not None:
                caps.append(self.local_since + LOCAL_GRACE_SECONDS)
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
            self.decoded = _decode([self.p], self.cfg.checkpoint, self.cfg.beam,
                                   time_limit=max(0.1, DECODE_SHARE * self._left()))[0]
        candidates, notes, self.sol.seconds["decode"] = self.decoded
        self.sol.notes.extend(notes)
        return candidates

    def _record(self, engine: str, rank: int | None, v) -> None:
        # v.valid_on is written in the user's variable (verify_many's show_var)
        self.sol.candidates.append(Candidate(v.answer or "(could not be built)", engine, rank,
                                             v.verdict, round(v.seconds, 3), v.detail, v.valid_on))
        if v.verdict.solved and (self.best is None or v.verdict.strength > self.best[0].strength):
            self.best = (v.verdict, v.answer, engine, rank, v.valid_on)
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
        if job.role == "rewrite":
            self._take_forms(outcome.value if outcome.ok else None)
            if not outcome.ok:
                self.sol.notes.append(f"rewrite: {outcome.status.value}"
                                      f"{'' if outcome.error is None else ' ' + outcome.error}")
        elif outcome.ok and outcome.value is not None:  # an answer, or an ODE's solution branches
            answers = outcome.value if isinstance(outcome.value, list) else [outcome.value]
            self._verify_beam([(job.rank, a) for a in answers], name)
        elif outcome.ok:
            self.sol.notes.append(f"{name}: {'no closed form' if job.is_engine else 'nothing to propose'}")
        else:
            if job.is_engine and (outcome.status is Status.TIMEOUT or "TimeoutError" in (outcome.error or "")):
                self.sol.timed_out.append(name)
            capped = give_up and job.cap is not None and self._left() > 0
            self.sol.notes.append(f"{name}: {'gave up at its cap' if capped else outcome.status.value}"
                                  f"{'' if outcome.error is None else ' ' + outcome.error}")


__all__ = ["integrate", "solve_ode", "integrate_many", "solve_ode_many", "SolveConfig", "Solution",
           "Candidate", "InputError", "ProblemFailure", "MODES"]
