"""The web page in a real browser: the server started as a process, the page driven by headless
Chromium (``/?q=...`` submits the form on load, the same code path as the Solve button), the
rendered answer read back from the DOM, and a screenshot kept in ``test-artifacts/``."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="symseq serve needs the 'serve' extra")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "symseq", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if json.load(urllib.request.urlopen(url + "/health", timeout=1))["status"] == "ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"the server did not start: {proc.stdout.read().decode()[-2000:]}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _chromium(args, profile):
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here (.ci/run installs it: "
                    "apt-get install chromium)")
def test_the_page_shows_a_verified_answer(server, tmp_path):
    page = f"{server}/?q=x^2*exp(x)*sin(x)"
    dom = _chromium(["--virtual-time-budget=30000", "--dump-dom", page], tmp_path / "a").stdout
    assert 'id="result"' in dom, dom[-2000:]
    assert 'class="verdict proved"' in dom and 'id="answer"><math' in dom
    assert "check: " in dom and "copy LaTeX" in dom
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "serve-page.png"
    _chromium(["--virtual-time-budget=30000", "--window-size=1000,1000", f"--screenshot={shot}", page],
              tmp_path / "b")
    assert shot.exists() and shot.stat().st_size > 10_000


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here")
def test_the_page_says_when_input_is_bad(server, tmp_path):
    dom = _chromium(["--virtual-time-budget=20000", "--dump-dom", f"{server}/?q=sin(x"], tmp_path / "c").stdout
    assert 'class="err"' in dom and "cannot parse" in dom


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here")
def test_the_page_shows_a_definite_integral_with_its_quadrature(server, tmp_path):
    dom = _chromium(["--virtual-time-budget=30000", "--dump-dom", f"{server}/?q=x^2&from=0&to=1"], tmp_path / "d").stdout
    assert 'class="verdict proved">verified value' in dom and "<code>1/3</code>" in dom, dom[-2000:]
    assert "quadrature: 0.333333" in dom


def test_the_page_shows_an_initial_value_problem(server, tmp_path):
    from urllib.parse import urlencode

    query = urlencode({"q": "y'' + y = 0", "ode": "1", "ics": "y(0) = 1, y'(0) = 0"})
    dom = _chromium(["--virtual-time-budget=30000", "--dump-dom", f"{server}/?{query}"], tmp_path / "d").stdout
    assert 'class="verdict proved">verified' in dom and "<code>cos(x)</code>" in dom, dom[-2000:]
    assert "every condition holds exactly" in dom


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here")
def test_the_page_shows_an_implicit_solution_as_such(server, tmp_path):
    from urllib.parse import urlencode

    query = urlencode({"q": "y' = (x^2 + 1)/(y^4 + 1)", "ode": "1"})
    dom = _chromium(["--virtual-time-budget=30000", "--dump-dom", f"{server}/?{query}"], tmp_path / "i").stdout
    assert 'class="verdict implicit">implicit' in dom, dom[-2000:]
    assert "<code>-x**3/3 - x + y**5/5 + y = c1</code>" in dom and "y given implicitly" in dom
