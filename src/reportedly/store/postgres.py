"""PostgreSQL ledger for shared deployments (psycopg 3): same schema, tsvector + GIN for full-text search."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from reportedly.store.base import Store
from reportedly.store.pg_window import estimated_path, one_statement, window_seqs

MIGRATION_LOCK = 0x7265706F  # "repo": the advisory lock id that serialises schema migrations
ENDS_TTL = 10.0  # seconds a connection keeps the claim numbers' range (see _seq_ends)


class PostgresStore(Store):
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self.conn = psycopg.connect(url, autocommit=True)
        self._ends: tuple[float, tuple[int, int]] | None = None

    @staticmethod
    def _sql(sql: str) -> str:
        # statements are written with "?" placeholders once for both backends; none contains a literal % or ?
        return sql.replace("%", "%%").replace("?", "%s")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(self._sql(sql), [tuple(r) for r in rows])

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(self._sql(sql), tuple(params)).fetchall())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def _fts(self, text: str) -> tuple[str, list[Any]]:
        return "a.tsv @@ plainto_tsquery('english', ?)", [text[:1000]]

    def _fts_window(self, text: str, window: int) -> list[int]:
        # the cheapest of three index paths by our own cost model (store/pg_window.py): the planner's
        # backward walk of the claim-number index costs up to 100 ms for a word of middling frequency
        ends = self._seq_ends()
        return window_seqs(self.conn, self._sql, text[:1000], window, ends) if ends else []

    def _fts_window_statement(self, text: str, window: int, columns: str
                              ) -> tuple[str, list[Any]] | list[int]:
        # the walk and all paths are one statement each, which the page's query then reads as its first
        # table: the matched claims' columns come with the match, not from 1,000 lookups by claim number
        ends = self._seq_ends()
        if not ends:
            return []
        path = estimated_path(self.conn, self._sql, text[:1000], window, ends)
        one = one_statement(path, text[:1000], window, columns)
        if one is not None:
            return one[0], list(one[1])
        return window_seqs(self.conn, self._sql, text[:1000], window, ends, path)

    def _query_unprepared(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(self._sql(sql), tuple(params), prepare=False).fetchall())

    def _seq_ends(self) -> tuple[int, int] | None:
        """The lowest and highest claim number, re-read at most every ``ENDS_TTL`` seconds (they only steer
        the window's path; a stale pair costs time, never results). None for a ledger without claims."""
        now = time.monotonic()
        if self._ends is None or now - self._ends[0] > ENDS_TTL:
            lowest, highest = self._query("SELECT min(seq), max(seq) FROM attributions")[0]
            if highest is None:
                return None
            self._ends = (now, (int(lowest), int(highest)))
        return self._ends[1]

    def _seq_rows(self, seqs: Sequence[int]) -> tuple[str, list[Any]]:
        return "SELECT unnest(?::bigint[]) AS seq", [[int(s) for s in seqs]]

    def _migration_lock(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def close(self) -> None:
        self.conn.close()
