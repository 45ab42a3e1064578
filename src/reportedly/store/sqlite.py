"""Embedded SQLite ledger (the default): one file, WAL journal, FTS5 for full-text search over claims."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reportedly.store.base import Store

_WORD = re.compile(r"\w+", re.UNICODE)
CACHE_KIB = 131_072  # page cache per connection (128 MB), see __init__


class SQLiteStore(Store):
    dialect = "sqlite"
    ordered_join = "CROSS JOIN"  # SQLite never reorders around it: how a query states its driving table

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        # autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT) so a batch is atomic
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=60)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        # SQLite's default page cache is 2 MB: once an index outgrows it, every insert at a random key
        # (claim nodes, shapes, paragraph signatures) rereads its path from the file, and a relink from
        # scratch of a whole corpus slowed more than in proportion to its size (docs/design.md, "Storing the state")
        self.conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        self._depth = 0

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, tuple(params))

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, [tuple(r) for r in rows])

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(sql, tuple(params)).fetchall())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    @staticmethod
    def _match(text: str) -> str:
        # every word quoted: user text never reaches the FTS5 query syntax (no operators, no column filters)
        words = _WORD.findall(text)[:32]
        return " ".join('"' + w.replace('"', '""') + '"' for w in words) or '""'

    def _fts(self, text: str) -> tuple[str, list[Any]]:
        # the index is keyed by the claim's seq: matching rowids, then attributions by primary key
        return "a.seq IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)", [self._match(text)]

    def _fts_window(self, text: str, window: int) -> list[int]:
        # FTS5 walks its doclist backwards and stops at the window: cost bounded however common the words
        rows = self._query("SELECT rowid FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                           [self._match(text), window])
        return [int(r[0]) for r in rows]

    def _seq_rows(self, seqs: Sequence[int]) -> tuple[str, list[Any]]:
        return "SELECT value AS seq FROM json_each(?)", [json.dumps([int(s) for s in seqs])]

    def close(self) -> None:
        self.conn.close()
