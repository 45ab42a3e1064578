"""The ledger store: ``open_store(url)`` gives a migrated SQLite or PostgreSQL store behind one interface."""

from __future__ import annotations

from pathlib import Path

from reportedly.store.base import ArticleRecord, ClaimFilter, LinkArticle, Store

DEFAULT_URL = "reportedly.db"

__all__ = ["ArticleRecord", "ClaimFilter", "DEFAULT_URL", "LinkArticle", "Store", "StoreError", "open_store"]


class StoreError(ValueError):
    """A ledger URL or database that cannot be opened; the message is one line."""


def open_store(url: str = DEFAULT_URL, migrate: bool = True) -> Store:
    """Open (and bring to the latest schema) the ledger at ``url``: ``postgresql://...`` for a server,
    ``sqlite:///path`` or a plain file path for the embedded default."""
    try:
        if url.startswith(("postgresql://", "postgres://")):
            from reportedly.store.postgres import PostgresStore

            store: Store = PostgresStore(url)
        else:
            path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
            if "://" in path:
                raise StoreError(f"{url}: unknown database URL (use a file path, sqlite:///PATH or postgresql://...)")
            if Path(path).is_dir():
                raise StoreError(f"{url}: is a directory, not a database file")
            from reportedly.store.sqlite import SQLiteStore

            store = SQLiteStore(path)
        if migrate:
            store.migrate()
        return store
    except StoreError:
        raise
    except Exception as exc:  # driver errors (bad credentials, corrupt file) become one line
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"{_redact(url)}: cannot open ledger ({msg})") from None


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url
