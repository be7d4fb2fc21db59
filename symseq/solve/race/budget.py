"""Every time and size constant of the race, in one place (seconds unless named otherwise).

The race's total is the problem's ``timeout`` (``symseq.domain.DEFAULT_TIMEOUT``); these split it.
Measurements behind the values: docs/engines.md and experiments/RESULTS.md.
"""

DECODE_SHARE = 0.6  # of the time left, at most, for beam search (the rest is for checking)
# when every candidate of the beam failed, the engines are done and this much time is left, a beam
# this wide is decoded and its new candidates verified, a chunk at a time (``Race._check_wider_beam``;
# measured: experiments/RESULTS.md, session 18)
WIDE_BEAM = 200
WIDE_MIN_SECONDS = 1.0
WIDE_CHUNK = 10
STAGE_SECONDS = 5.0  # at most per verification stage (numeric, proof) of one candidate set
MIN_CHECK_SECONDS = 0.5  # a candidate found at the last moment still gets this long
# ... and may end this long after the deadline; with interpreter start-up and the parsing
# sandbox, a call ends within ``timeout`` + about 1 s (plus the model's load, once).
VERIFY_SLACK = 0.5
ENGINE_MEMORY_MB = 4096  # memory limit of every sandboxed job of the race
STRATEGY_CAP_SECONDS = 3.0  # each of SymPy's separate algorithms, when raced (a first guess)
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
# cores (measured with warm sessions, experiments/RESULTS.md).
STAGGER_SECONDS = 0.05
# once an answer verified on intervals only (LOCAL) is in, the race goes on this much longer for
# an answer that holds on the whole line, then stops (a global one is preferred, not awaited)
LOCAL_GRACE_SECONDS = 2.0
# an engine's implicit solution (symseq.solve.implicit): its numeric check, then its proof, each
# at most this long (the race waits for them: they are short, and only come with no explicit answer)
IMPLICIT_CHECK_SECONDS = 2.0
# y isolated from a verified implicit solution (symseq.solve.isolate): the job's cap
ISOLATE_SECONDS = 3.0
STOP_POLL_SECONDS = 0.25  # how often a race with an outside stop condition (a definite integral) asks it
