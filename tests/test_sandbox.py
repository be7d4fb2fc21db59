import os
import time

import pytest

from symseq.sandbox import SandboxPool, Status, run_in_sandbox


def job(arg):
    if arg == "hang":
        while True:
            pass
    if arg == "crash":
        os._exit(3)
    if arg == "error":
        raise ValueError("bad input")
    if arg == "memory":
        return bytearray(2**40)
    return arg * 2


def test_value_is_returned():
    out = run_in_sandbox(job, 21, timeout=5)
    assert out.status is Status.OK and out.value == 42


def test_hang_is_killed_at_the_deadline():
    t = time.monotonic()
    out = run_in_sandbox(job, "hang", timeout=0.5)
    assert out.status is Status.TIMEOUT and out.value is None
    assert time.monotonic() - t < 3


def test_exception_is_a_typed_error():
    out = run_in_sandbox(job, "error", timeout=5)
    assert out.status is Status.ERROR and out.error.startswith("ValueError: bad input")


def test_crash_is_reported():
    assert run_in_sandbox(job, "crash", timeout=5).status is Status.CRASH


def test_memory_limit_gives_an_error_not_a_dead_machine():
    out = run_in_sandbox(job, "memory", timeout=5, memory_mb=512)
    assert out.status is Status.ERROR and "MemoryError" in out.error


def test_pool_replaces_bad_workers_and_finishes_everything():
    tasks = [1, "hang", 2, "crash", "error", 3, "hang", 4]
    with SandboxPool(job, workers=2, timeout=0.5) as pool:
        results = dict(pool.imap_unordered(enumerate(tasks)))
        assert pool.restarts == 3
    assert sorted(results) == list(range(len(tasks)))
    assert [results[i].value for i in (0, 2, 5, 7)] == [2, 4, 6, 8]
    assert results[1].status is Status.TIMEOUT and results[6].status is Status.TIMEOUT
    assert results[3].status is Status.CRASH and results[4].status is Status.ERROR


def test_bad_pool_arguments():
    with pytest.raises(ValueError):
        SandboxPool(job, workers=0, timeout=1)
    with pytest.raises(ValueError):
        SandboxPool(job, workers=1, timeout=0)


def test_background_call_answers_times_out_and_reports_crashes():
    from symseq.sandbox import BackgroundCall

    call = BackgroundCall(job, 21)
    assert call.result(10).value == 42 and call.result(0).value == 42 and call.ready()  # kept
    slow = BackgroundCall(job, "hang")
    t = time.monotonic()
    out = slow.result(0.3)
    assert out.status is Status.TIMEOUT and time.monotonic() - t < 3
    assert not slow._worker.process.is_alive()
    crash = BackgroundCall(job, "crash")
    assert crash.result(10).status is Status.CRASH


UNDER_LOW_HARD_LIMIT = """
import json, resource
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # below the 4 GB asked for below
from symseq.sandbox import SandboxPool, run_in_sandbox

def job(arg):
    return bytearray(2**40) if arg == "memory" else arg * 2

with SandboxPool(job, workers=2, timeout=10, memory_mb=4096) as pool:
    out = dict(pool.imap_unordered(enumerate([1, 2, "memory", 3])))
single = run_in_sandbox(job, 21, timeout=10, memory_mb=4096)
print(json.dumps([[out[i].status.value, out[i].error] for i in range(4)] + [single.value]))
"""


def test_memory_limit_above_the_hard_limit_is_capped_not_fatal():
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    proc = subprocess.run([sys.executable, "-c", UNDER_LOW_HARD_LIMIT], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": root})
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(proc.stdout)
    assert [r[0] for r in results[:4]] == ["ok", "ok", "error", "ok"]
    assert "MemoryError" in results[2][1] and results[4] == 42


def test_a_worker_killed_before_submit_gives_a_crash_outcome_and_is_replaced():
    with SandboxPool(job, workers=1, timeout=5) as pool:
        pool.workers[0].process.kill()
        pool.workers[0].process.join()
        results = dict(pool.imap_unordered(enumerate([1, 2, 3])))
        assert pool.restarts == 1
    assert results[0].status is Status.CRASH and "killed by signal 9" in results[0].error
    assert [results[i].value for i in (1, 2)] == [4, 6]


def test_a_worker_that_cannot_start_says_why(monkeypatch):
    import resource

    from symseq.sandbox import BackgroundCall, SandboxError

    def refuse(*args):
        raise ValueError("not allowed")

    monkeypatch.setattr(resource, "setrlimit", refuse)  # the forked children inherit it
    out = BackgroundCall(job, 1, memory_mb=100).result(10)
    assert out.status is Status.CRASH and out.error == "sandbox worker could not start: not allowed"
    outcomes = []
    with pytest.raises(SandboxError, match="could not start: not allowed"):
        with SandboxPool(job, workers=2, timeout=5, memory_mb=100) as pool:
            for key, outcome in pool.imap_unordered((i, i) for i in range(100)):
                outcomes.append(outcome)
    assert outcomes and all(o.status is Status.CRASH and "could not start" in o.error for o in outcomes)


def _nested(arg):
    from symseq.sandbox import run_in_sandbox

    return run_in_sandbox(abs, arg, timeout=5).value


def test_a_sandboxed_function_may_use_a_sandbox_itself():
    from symseq.sandbox import SandboxPool

    with SandboxPool(_nested, workers=1, timeout=10) as pool:
        assert dict(pool.imap_unordered([(0, -3)]))[0].value == 3


def _pid(_):
    return os.getpid()


def _sleep_then_pid(seconds):
    time.sleep(seconds)
    return os.getpid()


@pytest.fixture
def warm():
    from symseq import sandbox

    with sandbox.warm_workers(size=2):
        yield sandbox
    assert not sandbox.workers_kept_warm()  # the next tests fork as usual


def test_warm_workers_are_reused_and_killed_when_they_overrun(warm):
    first = run_in_sandbox(_pid, None, timeout=5).value
    assert run_in_sandbox(_pid, None, timeout=5).value == first  # no fork: the same worker
    assert run_in_sandbox(_sleep_then_pid, 5, timeout=0.3).status is Status.TIMEOUT
    assert run_in_sandbox(_pid, None, timeout=5).value != first  # the overrun one was killed
    assert run_in_sandbox(lambda _: 7, None, timeout=5).value == 7  # not sendable by name: fresh child


def test_warm_pools_get_clean_workers(warm):
    with SandboxPool(_sleep_then_pid, workers=2, timeout=5) as pool:
        pids = {out.value for _, out in pool.imap_unordered([(i, 0.01) for i in range(6)])}
    assert len(pids) <= 2
    assert run_in_sandbox(_pid, None, timeout=5).value in pids
    assert sum(len(v) for v in warm.warm.current().idle.values()) <= 2


def test_calls_with_an_affinity_go_to_the_worker_that_holds_it(warm):
    from symseq.sandbox import BackgroundCall

    def pid_of(affinity, arg=None, fn=_pid):
        return BackgroundCall(fn, arg, affinity=affinity).result(5).value

    session = pid_of("cas")
    other = pid_of(None)  # must not take (and risk killing) the worker that holds "cas"
    assert other != session
    assert pid_of("cas") == session and pid_of(None) == other


def test_a_drained_worker_finishes_its_call_and_is_reused(warm):
    from symseq.sandbox import BackgroundCall

    held = BackgroundCall(_pid, None, affinity="cas").result(5).value
    call = BackgroundCall(_sleep_then_pid, 0.2, affinity="cas")
    call.stop(drain=2.0)  # not killed: it finishes in the background, its answer never read here
    assert call.result(5).status is Status.TIMEOUT and not warm.idle_worker_holds("cas")
    time.sleep(0.4)
    warm.sweep_drained()
    assert warm.idle_worker_holds("cas")
    assert BackgroundCall(_pid, None, affinity="cas").result(5).value == held
    call = BackgroundCall(_sleep_then_pid, 30, affinity="cas")
    call.stop(drain=0.1)  # past its drain time: killed, with what it held
    time.sleep(0.2)
    assert BackgroundCall(_pid, None, affinity="cas").result(5).value != held
    call = BackgroundCall(_sleep_then_pid, 0.2)  # holds nothing: stop kills at once
    call.stop(drain=2.0)
    assert warm.warm.current().draining == []


def test_one_idle_worker_per_kind_of_session(warm):
    from symseq.sandbox import BackgroundCall

    first = BackgroundCall(_sleep_then_pid, 0.3, affinity="cas")
    second = BackgroundCall(_pid, None, affinity="cas")  # the first is busy: a fresh worker
    assert second.result(5).ok and first.result(5).ok
    holders = [w for idle in warm.warm.current().idle.values() for w in idle if "cas" in w.holds]
    assert len(holders) == 1  # the second session of the same kind was stopped, not kept
