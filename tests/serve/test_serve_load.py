"""A bounded load test on loopback: a real server, many concurrent requests, every one answered
and every answer re-checked independently (experiments/speed/serve_bench.py measures the same at
full size)."""

import json
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="symseq serve needs the 'serve' extra")
ROOT = Path(__file__).resolve().parents[2]


def _start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "symseq", "serve", "--port", str(port), "--workers", "2",
                             "--queue", "48"], cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.25)
    proc.kill()
    pytest.fail("the server did not start within 60 s")


def _post(url: str, question: str) -> tuple[int, dict]:
    body = json.dumps({"question": question, "timeout": 10}).encode()
    req = urllib.request.Request(url + "/integrate", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def _right(question: str, answer: str) -> bool:
    """F' = f, by SymPy's own derivative at five exact points to 30 digits, relative to f there
    (not the server's verifier)."""
    import sympy as sp

    from generators.symbols import X
    from symseq.lang.parse import parse_answer, parse_integrand

    f, var = parse_integrand(question, None)
    residual = sp.diff(parse_answer(answer, {var.name: X}), X) - f
    rng = random.Random(0)
    points = [sp.Rational(rng.randint(200, 2000), 1000) for _ in range(5)]
    return all(abs(complex(residual.subs(X, t).evalf(30))) < 1e-8 * (1 + abs(complex(f.subs(X, t).evalf(30))))
               for t in points)


@pytest.mark.slow
def test_concurrent_requests_are_all_answered_and_none_is_wrong():
    from symseq.bench.runner import load_suite

    questions = [p.question for p in load_suite(ROOT / "benchmarks/suites/textbook.jsonl")]
    rng = random.Random(0)
    batch = [rng.choice(questions) for _ in range(48)]
    proc, url = _start_server()
    try:
        with ThreadPoolExecutor(12) as pool:
            replies = list(pool.map(lambda q: _post(url, q), batch))
    finally:
        proc.terminate()
        proc.wait()
    assert [status for status, _ in replies] == [200] * 48
    solved = [(q, body["answer"]) for q, (_, body) in zip(batch, replies) if body.get("answer")]
    assert len(solved) >= 40
    assert [q for q, a in solved if not _right(q, a)] == []
