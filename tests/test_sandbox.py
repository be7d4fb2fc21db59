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
