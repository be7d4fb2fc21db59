"""The service's JSON API, in-process (FastAPI's test client over a real solver pool)."""

import pytest

pytest.importorskip("fastapi", reason="symseq serve needs the 'serve' extra")
from fastapi.testclient import TestClient  # noqa: E402

from symseq.serve.app import MAX_BODY_BYTES, create_app  # noqa: E402
from symseq.serve.pool import SolverPool  # noqa: E402


@pytest.fixture(scope="module")
def pool():
    p = SolverPool(workers=1, queue=2)
    yield p
    p.close()


@pytest.fixture(scope="module")
def client(pool):
    return TestClient(create_app(pool))


@pytest.mark.slow
def test_integrate_answers_like_the_cli(client):
    r = client.post("/integrate", json={"question": "x*cos(x)", "mode": "sympy"})
    assert r.status_code == 200
    body = r.json()
    assert body["answer"] == "x*sin(x) + cos(x)" and body["verdict"] == "proved" and body["engine"] == "sympy"
    assert {"question", "seconds", "stages", "candidates", "notes", "rank"} <= set(body)


def test_render_adds_mathml_and_the_check(client):
    body = client.post("/integrate", json={"question": "t^2", "var": "t", "mode": "sympy", "render": True}).json()
    assert body["answer"] == "t**3/3"
    assert body["render"]["answer_mathml"].startswith("<math") and "<mi>t</mi>" in body["render"]["answer_mathml"]
    assert "&#x222B;" in body["render"]["question_mathml"] and body["render"]["answer_latex"] == "\\frac{t^{3}}{3}"
    assert "<mo>=</mo>" in body["render"]["check_mathml"]


def test_ode_and_verify(client):
    body = client.post("/solve-ode", json={"question": "y'' + y = x", "mode": "sympy"}).json()
    assert body["verdict"] == "proved" and "c1" in body["answer"]
    good = client.post("/verify", json={"question": "x*cos(x)", "answer": "x*sin(x) + cos(x)"}).json()
    bad = client.post("/verify", json={"question": "x*cos(x)", "answer": "x*sin(x)"}).json()
    assert good["verified"] is True and bad["verified"] is False and bad["verdict"] == "wrong"
    assert good["valid_on"] is None  # global: no interval to state


def test_a_local_answer_carries_where_it_holds(client):
    body = client.post("/verify", json={"question": "1", "answer": "x + sign(x)"}).json()
    assert body["verified"] is True and body["verdict"] == "local" and body["valid_on"] == "x < 0; x > 0"
    body = client.post("/solve-ode", json={"question": "y' = -sqrt(1 - y^2)", "mode": "sympy"}).json()
    assert body["verdict"] == "local" and " < x < " in body["valid_on"]


def test_an_implicit_solution_is_not_an_answer(client):
    body = client.post("/solve-ode", json={"question": "y' = (x^2 + 1)/(y^4 + 1)", "mode": "sympy"}).json()
    assert body["verdict"] == "implicit" and body["answer"] is None
    assert body["implicit"] == "-x**3/3 - x + y**5/5 + y = c1"


@pytest.mark.slow
def test_no_answer_is_a_200_with_no_answer(client):
    body = client.post("/integrate", json={"question": "exp(x)/(x + sin(x))", "mode": "sympy",
                                           "timeout": 2}).json()
    assert body["answer"] is None and body["verdict"] is None


@pytest.mark.parametrize("payload,status,message", [
    ({"question": "sin(x"}, 400, "cannot parse"),
    ({"question": "__import__('os').system('true')", "mode": "sympy"}, 400, ""),
    ({"question": "x", "beam": 0}, 422, "beam"),
    ({"question": "x", "mode": "mathematica"}, 422, "mode"),
    ({"question": "x", "timeout": 1000}, 422, "timeout"),
    ({"nothing": 1}, 422, "question"),
])
def test_bad_input_is_a_4xx_with_one_line(client, payload, status, message):
    r = client.post("/integrate", json=payload)
    assert r.status_code == status
    error = r.json()["error"]
    assert message in error and "\n" not in error and "Traceback" not in error


def test_a_huge_body_is_refused_before_it_is_read(client):
    r = client.post("/integrate", content=b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_health_page_and_docs(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and "sympy" in health["engines"] and health["workers"] == 1
    page = client.get("/")
    assert page.status_code == 200 and "<form" in page.text
    assert "http://" not in page.text.replace("http://www.w3.org", "") and "https://" not in page.text  # no CDN
    assert "/integrate" in client.get("/docs").text
    assert "/solve-ode" in client.get("/openapi.json").json()["paths"]


@pytest.mark.slow
def test_a_full_queue_answers_503_not_a_hang(pool):
    import asyncio

    from symseq.serve.pool import Busy

    async def flood():
        jobs = [pool.run("integrate", {"question": "exp(x)/(x + sin(x))", "mode": "sympy", "timeout": 1})
                for _ in range(pool.workers + pool.queue_limit + 2)]
        return await asyncio.gather(*jobs, return_exceptions=True)

    results = asyncio.run(flood())
    busy = [r for r in results if isinstance(r, Busy)]
    answered = [r for r in results if isinstance(r, tuple)]
    assert len(busy) == 2 and len(answered) == pool.workers + pool.queue_limit
    assert all(status == 200 for status, _ in answered)


def test_definite_integrals_and_parameters(client):
    body = client.post("/integrate", json={"question": "x^2", "lower": "0", "upper": "1", "mode": "sympy"}).json()
    assert body["value"] == "1/3" and body["quadrature"]["error"] < 1e-12
    one = client.post("/integrate", json={"question": "x^2", "lower": "0", "mode": "sympy"})
    assert one.status_code == 400 and "both bounds" in one.json()["error"]
    param = client.post("/integrate", json={"question": "exp(a*x)", "assume": "a < 0", "mode": "sympy"}).json()
    assert param["answer"] == "exp(a*x)/a" and param["assumptions"] == "a < 0"


def test_initial_value_problems(client):
    body = client.post("/solve-ode", json={"question": "y'' + y = 0", "ics": "y(0) = 1, y'(0) = 0",
                                           "mode": "sympy"}).json()
    assert body["answer"] == "cos(x)" and body["conditions"] == ["y(0) = 1", "y'(0) = 0"]
    assert body["tried"][0]["conditions_met"] == {"y(0) = 1": True, "y'(0) = 0": True}
    bad = client.post("/solve-ode", json={"question": "y' = y", "ics": "y'(0) = 1", "mode": "sympy"})
    assert bad.status_code == 400 and "on y only" in bad.json()["error"]
