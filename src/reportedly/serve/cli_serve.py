"""``reportedly serve``: the REST API and web pages over a ledger (FastAPI on uvicorn).

Read-only unless a write token is given (``--token`` or ``$REPORTEDLY_TOKEN``). Binds to 127.0.0.1 by
default; exposing the ledger on another interface is an explicit choice.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from reportedly.serve.cli_ledger import DbOption, _url, err


def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 = any free port).")] = 8000,
    token: Annotated[str | None, typer.Option(help="Write token: enables adding analyzed articles to the ledger "
                                                   "(default $REPORTEDLY_TOKEN; none = read-only).")] = None,
) -> None:
    """Serve the ledger in the browser (search, articles, sources, clusters, outlets, analyze) and the REST
    API under /api/v1."""
    import uvicorn

    from reportedly.serve.api import create_app
    from reportedly.serve.web.state import Settings
    from reportedly.store import StoreError

    try:
        app = create_app(Settings(db_url=_url(db), token=token or os.environ.get("REPORTEDLY_TOKEN") or None))
    except StoreError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    err.print(f"reportedly: serving {_url(db)} on http://{shown}:{port}/ (Ctrl-C to stop)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
