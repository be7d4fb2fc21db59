"""The serve command: the local service (JSON API and web page)."""

from __future__ import annotations

import click

from symseq.cli import UsageError, main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Solver processes (each loads the model once and solves one problem at a time).")
@click.option("--queue", type=click.IntRange(0, 10_000), default=16, show_default=True,
              help="Requests that may wait for a worker; beyond that the server answers 503.")
@click.option("--checkpoint", type=click.Path(), default=None, help="Model folder [default: the shipped one].")
def serve(host, port, workers, queue, checkpoint):
    """Serve the solver: JSON API (POST /integrate, /solve-ode, /verify; GET /health, /docs)
    and a web page at /.

    \b
    Examples:
      symseq serve                       # then open http://127.0.0.1:8000/
      symseq serve --workers 2 --port 8080
      curl -s localhost:8000/integrate -H 'Content-Type: application/json' -d '{"question": "x*cos(x)"}'
    """
    try:
        import uvicorn

        from symseq.serve.app import create_app
    except ImportError as err:
        raise UsageError(f"symseq serve needs the 'serve' extra ({err.name} is missing): "
                         "pip install 'symseq[serve]'") from None
    from symseq.serve.pool import SolverPool

    pool = SolverPool(workers=workers, queue=queue, checkpoint=checkpoint)
    click.echo(f"symseq: serving on http://{host}:{port}/ ({workers} worker(s); Ctrl-C stops)", err=True)
    try:
        uvicorn.run(create_app(pool), host=host, port=port, log_level="warning")
    finally:
        pool.close()
