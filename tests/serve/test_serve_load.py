"""A bounded load test on loopback: a real server, many concurrent requests, every one answered
and every answer re-checked (benchmarks/serve_bench.py's load mode, smaller)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="symseq serve needs the 'serve' extra")
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "serve_bench.py"


@pytest.mark.slow
def test_concurrent_requests_are_all_answered_and_none_is_wrong():
    out = subprocess.run([sys.executable, str(SCRIPT), "load", "--requests", "48", "--concurrency", "12",
                          "--workers", "2"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout)
    print(result)  # latency percentiles, for the log
    assert result["answered_200"] == 48 and result["other_status"] == []
    assert result["wrong"] == 0 and result["solved"] >= 40
    lat = result["latency_s"]  # percentiles are printed rounded to the millisecond
    assert lat["p50"] <= lat["p99"] <= lat["max"] + 0.001
