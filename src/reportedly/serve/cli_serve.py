"""``reportedly serve``: the REST API and web pages over a ledger (FastAPI on uvicorn).

Read-only unless a write token is given (``--token`` or ``$REPORTEDLY_TOKEN``). Binds to 127.0.0.1 by
default; exposing the ledger on another interface is an explicit choice.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from reportedly.serve.cli_ledger import DbOption, db_url, err


def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 = any free port).")] = 8000,
    token: Annotated[str | None, typer.Option(help="Write token: enables adding analyzed articles to the ledger "
                                                   "(default $REPORTEDLY_TOKEN; none = read-only).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Server processes (each with its own ledger "
                                                             "connections); more use more cores.")] = 1,
) -> None:
    """Serve the ledger in the browser (search, articles, sources, clusters, outlets, analyze) and the REST
    API under /api/v1."""
    import uvicorn

    from reportedly.serve.api import create_app
    from reportedly.serve.web.state import SETTINGS_ENV, Settings
    from reportedly.store import StoreError

    settings = Settings(db_url=db_url(db), token=token or os.environ.get("REPORTEDLY_TOKEN") or None)
    try:
        app = create_app(settings)  # also checks the ledger (and migrates it) before anything listens
    except StoreError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    err.print(f"reportedly: serving {db_url(db)} on http://{shown}:{port}/ (Ctrl-C to stop)", markup=False)
    # httptools parses HTTP and uvloop runs the event loop in C: 0.6-0.8 ms less CPU per request than h11
    # and asyncio's loop (docs/design.md)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, http="httptools", loop="uvloop", log_level="warning",
                    server_header=False)
        return
    # worker processes build their own app from the environment (uvicorn imports the factory in each), each
    # on its own socket of the port (web/processes.py: how connections are spread over the processes)
    from reportedly.serve.web.processes import WorkerFailed, serve_processes

    os.environ[SETTINGS_ENV] = settings.to_env()
    config = uvicorn.Config("reportedly.serve.api:app_from_env", factory=True, host=host, port=port,
                            http="httptools", loop="uvloop", log_level="warning", server_header=False)
    try:
        serve_processes(config, host, port, workers)
    except OSError as exc:
        err.print(f"error: {host}:{port}: {exc.strerror or exc}", markup=False)
        raise typer.Exit(2) from None
    except WorkerFailed as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
