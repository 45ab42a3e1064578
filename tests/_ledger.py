"""Helpers shared by the ledger tests: one fresh database per test on each backend.

PostgreSQL tests use the server named by ``REPORTEDLY_TEST_PG`` (CI sets it from .ci/postgres.sh) and are
skipped only when it is unset; each test gets its own schema (via ``search_path`` in the URL) and drops it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

BACKENDS = ["sqlite", "postgres"]
PG_ENV = "REPORTEDLY_TEST_PG"


def pg_schema(prefix: str) -> tuple[str, Callable[[], None]]:
    """A fresh schema on the test server (``REPORTEDLY_TEST_PG``; the test is skipped when it is unset): the
    ledger URL that selects it, and the function that drops it. Shared by the ledger and the web tests."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (run .ci/postgres.sh)")
    import psycopg

    schema = prefix + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}", drop


@contextmanager
def ledger_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty ledger on ``backend``; the database (or schema) is removed afterwards."""
    if backend == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    url, drop = pg_schema("t_")
    try:
        yield url
    finally:
        drop()


def count_articles(url: str) -> int:
    """Stored articles, read without taking any write lock (0 before the schema exists)."""
    if url.startswith("postgresql://"):
        import psycopg

        try:
            with psycopg.connect(url, autocommit=True) as conn:
                row = conn.execute("SELECT count(*) FROM articles").fetchone()
                return int(row[0]) if row else 0
        except psycopg.errors.UndefinedTable:
            return 0
    import sqlite3

    if not Path(url).exists():
        return 0
    conn = sqlite3.connect(url, timeout=30)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()
