"""The HTTP service (FastAPI): a JSON API over the solver pool, and the web page at ``/``.

``POST /integrate``, ``POST /solve-ode`` -> the CLI's ``--json`` object (plus ``render`` when the
body asks for it); ``POST /verify`` -> ``symseq verify --json``'s object; ``GET /health``;
``GET /openapi.json`` and a local ``/docs`` page (no CDN: nothing is fetched from the internet).
Bad input -> 400 with the CLI's one-line message; a body over ``MAX_BODY_BYTES`` -> 413; a full
queue -> 503; a request that outlives its timeout by ``TIMEOUT_SLACK`` -> 504.
"""

from __future__ import annotations

import asyncio
import html
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from symseq.domain import DEFAULT_TIMEOUT, MODES
from symseq.serve.page import PAGE
from symseq.serve.pool import MAX_TIMEOUT, Busy, SolverPool

MAX_BODY_BYTES = 32_768
MAX_QUESTION_CHARS = 5_000
TIMEOUT_SLACK = 20.0  # seconds past a request's own timeout before the server gives up on it


class SolveRequest(BaseModel):
    question: str = Field(max_length=MAX_QUESTION_CHARS, examples=["x*cos(x)"])
    var: str | None = Field(None, max_length=32, description="Integration variable (integrate only)")
    mode: Literal[MODES] = "hybrid"  # type: ignore[valid-type]
    beam: int = Field(10, ge=1, le=100)
    timeout: float = Field(DEFAULT_TIMEOUT, gt=0, le=MAX_TIMEOUT)
    render: bool = Field(False, description="Add MathML and LaTeX of the answer (for the page)")
    assume: str | None = Field(None, max_length=200, description="What the parameters are: 'a < 0, n integer'")
    lower: str | None = Field(None, max_length=64, description="Definite integral: lower bound (-oo allowed)")
    upper: str | None = Field(None, max_length=64, description="Definite integral: upper bound (oo allowed)")
    ics: str | None = Field(None, max_length=500, description="ODE: initial conditions, \"y(0) = 1, y'(0) = 0\"")


class VerifyRequest(BaseModel):
    question: str = Field(max_length=MAX_QUESTION_CHARS, examples=["x*cos(x)"])
    answer: str = Field(max_length=MAX_QUESTION_CHARS, examples=["x*sin(x) + cos(x)"])
    ode: bool = False
    var: str | None = Field(None, max_length=32)
    timeout: float = Field(DEFAULT_TIMEOUT, gt=0, le=MAX_TIMEOUT)


def create_app(pool: SolverPool) -> FastAPI:
    app = FastAPI(title="symseq", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Integrals and ODEs solved by a neural model raced against computer "
                              "algebra; every answer verified.")

    @app.middleware("http")
    async def cap_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"error": f"request body over {MAX_BODY_BYTES} bytes"}, 413)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def one_line_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "body"
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid request')}"}, 422)

    async def solve(kind: str, body: dict, timeout: float):
        try:
            status, answer = await asyncio.wait_for(pool.run(kind, body), timeout + TIMEOUT_SLACK)
        except Busy as err:
            return JSONResponse({"error": str(err)}, 503)
        except asyncio.TimeoutError:
            return JSONResponse({"error": f"no result within {timeout + TIMEOUT_SLACK:g} s"}, 504)
        return JSONResponse(answer, status)

    @app.post("/integrate", summary="Integrate; the verified answer or none")
    async def integrate(req: SolveRequest):
        return await solve("integrate", req.model_dump(exclude={"ics"}), req.timeout)

    @app.post("/solve-ode", summary="Solve an ODE in y of x; constants c1, c2")
    async def solve_ode(req: SolveRequest):
        return await solve("solve-ode", req.model_dump(exclude={"var", "assume", "lower", "upper"}), req.timeout)

    @app.post("/verify", summary="Check an antiderivative or an ODE solution")
    async def verify(req: VerifyRequest):
        return await solve("verify", req.model_dump(), req.timeout)

    @app.get("/health")
    async def health():
        from symseq.solve.engines import ENGINES, available

        return {"status": "ok", **pool.status(),
                "engines": [name for name in ENGINES if available(name)]}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page():
        return PAGE

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs():
        rows = "".join(f"<li><code>{html.escape(m.upper())} {html.escape(path)}</code>: "
                       f"{html.escape(op.get('summary', ''))}</li>"
                       for path, ops in app.openapi()["paths"].items() for m, op in ops.items())
        return (f"<!doctype html><title>symseq API</title><h1>symseq API</h1><ul>{rows}</ul>"
                "<p>Schema: <a href='/openapi.json'>/openapi.json</a></p>")

    return app
