"""Helpers shared by the web tests: the fixture ledger (demo articles, the seed article when ../shared is
there, the hostile XSS corpus) and a real uvicorn server on a free loopback port."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import ROOT, SEED

DEMO = ROOT / "src" / "reportedly" / "data" / "demo"
XSS = ROOT / "tests" / "fixtures" / "xss"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def corpus_inputs(with_seed: bool = True) -> list[str]:
    """The fixture corpus: demo articles, the XSS corpus (text files and a JSONL with hostile metadata) and
    the seed article when ../shared is present."""
    inputs = [str(DEMO), *sorted(str(p) for p in XSS.iterdir() if p.suffix in (".txt", ".jsonl"))]
    if with_seed and SEED.exists():
        inputs.append(str(SEED))
    return inputs


def build_ledger(url: str, with_seed: bool = True) -> None:
    """Ingest the fixture corpus into the ledger at ``url`` (the same path as ``reportedly ingest``)."""
    from reportedly.ingest.batch import ingest, iter_articles
    from reportedly.store import open_store

    with open_store(url) as store:
        stats = ingest(store, iter_articles(corpus_inputs(with_seed)), workers=1)
    assert not stats.failed, stats.failed


_LEDGERS: dict[str, str] = {}


def shared_ledger(backend: str, tmp_root: Path) -> str:
    """The fixture ledger on ``backend``, built once per test session (ingesting is the slow part) and
    removed at exit. Skips PostgreSQL when REPORTEDLY_TEST_PG is unset, like the store tests."""
    if backend in _LEDGERS:
        return _LEDGERS[backend]
    url = str(tmp_root / "web-ledger.db") if backend == "sqlite" else _pg_schema_url()
    build_ledger(url)
    _LEDGERS[backend] = url
    return url


def _pg_schema_url() -> str:
    import atexit

    from tests._ledger import pg_schema

    url, drop = pg_schema("web_")
    atexit.register(drop)
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(url: str, token: str | None = None) -> Iterator[str]:
    """A real uvicorn server over the ledger at ``url`` on 127.0.0.1 (in a thread); yields its base URL."""
    import uvicorn

    from reportedly.serve.api import create_app
    from reportedly.serve.web.state import Settings

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(url, token=token)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/outlets", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise RuntimeError("server did not start")
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)


def chromium_path() -> str | None:
    """Debian's chromium (installed by .ci/chromium.sh), or None when this machine has none."""
    path = os.environ.get("REPORTEDLY_CHROMIUM") or "/usr/bin/chromium"
    return path if Path(path).exists() else None
