"""The Dask executor on a real local cluster started here (2 worker processes): the same files,
verdicts and answers as the local executor, a worker killed mid-run, clear errors."""

import json
import os
import signal

import pytest
from click.testing import CliRunner

from symseq.cli import main
from symseq.exec import ExecutorError, open_executor

dask = pytest.importorskip("distributed", reason="the dask extra is installed by `make venv`")


def _boom(x):
    raise ValueError(f"bad {x}")


def _square(x):
    return x * x


@pytest.fixture(scope="module")
def cluster():
    """A scheduler and 2 workers (processes), as a user would start them, reached by address."""
    import dask as dask_config
    from distributed import LocalCluster

    dask_config.config.set({"distributed.worker.daemon": False})  # also for workers restarted later
    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield c.scheduler_address
    c.close()


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("part-*.txt"))}


def test_local_executor_is_none_and_refuses_an_address():
    assert open_executor("local") is None
    with pytest.raises(ExecutorError, match="--address is for --executor dask"):
        open_executor("local", "tcp://127.0.0.1:8786")
    with pytest.raises(ExecutorError, match="unknown executor"):
        open_executor("ray")


def test_without_the_dask_extra_the_error_says_what_to_install(monkeypatch):
    import sys

    for name in ("distributed", "symseq.exec.cluster"):  # as if Dask were not installed
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ExecutorError, match=r"pip install 'symseq\[dask\]'"):
        open_executor("dask")
    assert open_executor("local") is None  # the local path needs nothing of it


@pytest.mark.slow
def test_tasks_stream_back_and_a_failing_task_is_one_line_error(cluster):
    with open_executor("dask", cluster) as ex:
        assert ex.threads == 2
        got = dict(ex.imap_unordered(_square, ((i, (i,)) for i in range(40))))
        assert got == {i: i * i for i in range(40)}
        endless = ex.imap_unordered(_square, ((i, (i,)) for i in iter(int, 1)))  # never exhausted
        first = [next(endless) for _ in range(5)]
        endless.close()  # what is still out is cancelled, nothing hangs
        assert len(first) == 5 and all(v == k * k for k, v in first)
        with pytest.raises(ExecutorError, match=r"a task failed on the cluster: ValueError: bad 3") as err:
            dict(ex.imap_unordered(_boom, [(3, (3,))]))
        assert "\n" not in str(err.value)


@pytest.mark.slow
def test_generate_on_the_cluster_writes_the_local_files(cluster, tmp_path):
    args = ["generate", "--task", "bwd", "--n", "150", "--seed", "3", "--chunk-size", "60", "--max-ops", "6"]
    local = CliRunner().invoke(main, args + ["--workers", "1", "--out", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    remote = CliRunner().invoke(main, args + ["--executor", "dask", "--address", cluster,
                                              "--out", str(tmp_path / "dask")])
    assert remote.exit_code == 0, remote.output
    files = _files(tmp_path / "local")
    assert len(files) >= 3 and files == _files(tmp_path / "dask")
    manifests = [json.loads((tmp_path / d / "manifest-000-of-001.json").read_text()) for d in ("local", "dask")]
    assert manifests[0]["counts"] == manifests[1]["counts"] and manifests[0]["chunks"] == manifests[1]["chunks"]


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(tmp_path):
    from symseq.data.generate import GenerateConfig, generate
    from generators import ExprConfig

    cfg = GenerateConfig(task="bwd", n=300, seed=11, chunk_size=100, expr=ExprConfig(max_ops=6))
    generate(cfg, tmp_path / "local", workers=1)
    killed = []
    with open_executor("dask", workers=2) as ex:  # a local cluster of its own (no address)
        pids = ex.client.run(os.getpid)

        def kill_one(state, label):
            if not killed:  # the first batch is back, the other worker's task is still running
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        generate(cfg, tmp_path / "dask", executor=ex, progress=kill_one)
        ex.client.wait_for_workers(2, timeout=30)
        assert killed and killed[0] not in ex.client.run(os.getpid).values()  # it was replaced
    assert _files(tmp_path / "dask") == _files(tmp_path / "local")


@pytest.mark.slow
def test_benchmark_and_file_on_the_cluster_match_local(cluster, tmp_path):
    suite = tmp_path / "easy.jsonl"
    questions = ["x*cos(x)", "exp(2*x)", "1/(1 + x**2)", "log(x)", "sin(x)**2", "x**3 - x"]
    suite.write_text("".join(json.dumps({"question": q}) + "\n" for q in questions))
    verdicts = {}
    for name, extra in (("local", []), ("dask", ["--executor", "dask", "--address", cluster])):
        result = CliRunner().invoke(main, ["benchmark", str(suite), "--engines", "sympy", "--timeout", "10",
                                           "--out", str(tmp_path / name), *extra])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in (tmp_path / name / "results.jsonl").read_text().splitlines()]
        verdicts[name] = {r["id"]: r["verdict"] for r in rows}
    assert len(verdicts["local"]) == 6 and verdicts["local"] == verdicts["dask"]

    problems = tmp_path / "problems.txt"
    problems.write_text("\n".join(questions[:4] + ["foo("]) + "\n")
    answers = {}
    for name, extra in (("local", []), ("dask", ["--executor", "dask", "--address", cluster])):
        result = CliRunner().invoke(main, ["integrate", "--file", str(problems), "--mode", "sympy", "--json", *extra])
        assert result.exit_code == 1  # the unparsable line is not solved
        rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        answers[name] = [(r["question"], r["answer"], r["verdict"]) for r in rows]
    assert [a[0] for a in answers["dask"]] == ["x*cos(x)", "exp(2*x)", "1/(x**2 + 1)", "log(x)", "foo("]
    assert answers["local"] == answers["dask"] and answers["dask"][-1][2] == "invalid_input"


@pytest.mark.slow
def test_unreachable_scheduler_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["generate", "--task", "bwd", "--n", "5", "--executor", "dask",
                                       "--address", "tcp://127.0.0.1:9", "--out", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "d" / "manifest-000-of-001.json").exists()


@pytest.mark.parametrize("address", ["nonsense", "", "tcp://[::1", "tcp://no.such.host.invalid:8786"])
def test_a_malformed_address_is_a_prompt_one_line_error(address):
    import subprocess
    import sys
    import time

    t = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "symseq", "integrate", "--file", "-", "--executor", "dask",
                          "--address", address], input="x\n", capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "cannot reach the Dask scheduler" in run.stderr
    assert "Traceback" not in run.stderr and time.monotonic() - t < 15  # no 20 s wait at exit


def test_workers_that_cannot_run_tasks_are_refused_before_any_work():
    from symseq.exec.cluster import DaskExecutor

    ex = DaskExecutor.__new__(DaskExecutor)
    ex.cluster, ex.client = None, None
    from symseq.version import __version__

    with pytest.raises(ExecutorError, match="daemonic process"):
        ex._check({"tcp://w1": {"symseq": __version__, "daemon": True}})
    with pytest.raises(ExecutorError, match="runs symseq 0.0.0"):
        ex._check({"tcp://w1": {"symseq": "0.0.0", "daemon": False}})
    ex._check({"tcp://w1": {"symseq": __version__, "daemon": False}})  # a usable worker passes
