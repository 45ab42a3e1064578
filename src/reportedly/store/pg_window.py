"""How PostgreSQL finds a full-text search's window (the newest ``window`` claims matching the words).

Left alone, the planner walks the claim-number index backwards testing each claim's tsvector, a test it
takes as nearly free: fast for a common word (the window fills within a few thousand claims), up to 100 ms
on the 13k-article ledger for a word in one claim of 60 (the walk tests 60,000). Here the path is chosen by
a cost model of our own, fed by the planner's estimate of the words' matches (good: from the tsvector's
statistics) and measured with EXPLAIN ANALYZE per row of each path. Every path returns the same claims in
the same order: the newest ``window`` matches, newest first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

# microseconds per row, from EXPLAIN ANALYZE on the 13.4k-article AllSides ledger (machine under load)
WALK_ROW = 1.4  # walking the claim-number index backwards: one claim fetched and its tsvector tested
HEAP_ROW = 5.0  # a match from the GIN index's bitmap read from the table for its claim number
GIN_ROW = 0.4  # a match listed by the GIN index
RANGE_ROW = 0.2  # a claim number put into a bitmap from the claim-number index
MARGIN = 1.5  # the recent range is where the estimate says the window fills, times this

MATCH = "SELECT seq FROM attributions WHERE tsv @@ plainto_tsquery('english', ?)"


@dataclass(frozen=True)
class Path:
    """``name``: walk, all (every match by the GIN index) or recent (the GIN matches among claim numbers
    >= ``lo``, then older ones only if the window did not fill)."""

    name: str
    lo: int = 0


def _walk(estimate: float, span: int, window: int) -> tuple[float, Path]:
    return WALK_ROW * window * span / estimate, Path("walk")


def _all(estimate: float, span: int, window: int) -> tuple[float, Path]:
    return (HEAP_ROW + GIN_ROW) * estimate, Path("all")


def _recent(estimate: float, span: int, window: int) -> tuple[float, Path]:
    reach = math.ceil(MARGIN * window * span / estimate)
    return RANGE_ROW * reach + HEAP_ROW * MARGIN * window + GIN_ROW * estimate, Path("recent", reach)


PATHS = (_walk, _all, _recent)  # ties go to the earlier


def choose(estimate: float, lowest: int, highest: int, window: int) -> Path:
    """The cheapest path for words estimated to match ``estimate`` claims among claim numbers
    ``lowest..highest`` (a recent path's ``lo`` is then an absolute claim number)."""
    span = highest - lowest + 1
    _, path = min((p(max(1.0, estimate), span, window) for p in PATHS), key=lambda cp: cp[0])
    if path.name == "recent":
        lo = highest - path.lo + 1
        return Path("recent", lo) if lo > lowest else Path("all")
    return path


def estimated_path(conn: _Conn, sql: Any, text: str, window: int, ends: tuple[int, int]) -> Path:
    """The path for ``text``, from the planner's estimate of its matches (one round trip, not prepared)."""
    plan = conn.execute(sql("EXPLAIN (FORMAT JSON) " + MATCH), (text,), prepare=False).fetchone()[0]
    return choose(float(plan[0]["Plan"]["Plan Rows"]), ends[0], ends[1], window)


def one_statement(path: Path, text: str, window: int, columns: str = "seq") -> tuple[str, tuple[Any, ...]] | None:
    """The window as one statement selecting ``columns`` of its claims, newest first (None for the recent
    path, which needs a planner switch and maybe a second statement)."""
    match = MATCH.replace("SELECT seq ", f"SELECT {columns} ", 1)
    if path.name == "walk":  # what the planner does by itself for common words
        return match + " ORDER BY seq DESC LIMIT ?", (text, window)
    if path.name == "all":  # "seq + 0": no index gives that order, so the GIN index is the only way in
        return match + " ORDER BY seq + 0 DESC LIMIT ?", (text, window)
    return None


class _Conn(Protocol):
    def execute(self, query: Any, params: Any = ..., *, prepare: bool | None = ...) -> Any: ...


def window_seqs(conn: _Conn, sql: Any, text: str, window: int, ends: tuple[int, int],
                path: Path | None = None) -> list[int]:
    """The claim numbers of the window for ``text``; ``sql`` turns a "?" statement into the driver's;
    ``ends``: the lowest and highest claim number (they only steer the path: every path reads every claim
    above its bound, and older ones when short). Statements are planned afresh for their words
    (``prepare=False``: a prepared statement's cached or generic plan would keep one word's path for all).
    Round trips are few (the estimate, then one statement; a recent path sets and resets the planner's
    switch): a page's latency under load is its queueing, and each trip queues."""

    def seqs(stmt: str, params: tuple[Any, ...]) -> list[int]:
        return [int(r[0]) for r in conn.execute(sql(stmt), params, prepare=False).fetchall()]

    path = path or estimated_path(conn, sql, text, window, ends)
    one = one_statement(path, text, window)
    if one is not None:
        return seqs(*one)
    # bitmap index scans only (the GIN matches AND the recent claim numbers): the planner would walk
    conn.execute("SET enable_indexscan = off")
    try:
        found = seqs(MATCH + " AND seq >= ? ORDER BY seq DESC LIMIT ?", (text, path.lo, window))
        if len(found) < window:
            found += seqs(MATCH + " AND seq < ? ORDER BY seq DESC LIMIT ?", (text, path.lo, window - len(found)))
    finally:
        conn.execute("RESET enable_indexscan")
    return found
