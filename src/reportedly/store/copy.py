"""Copy a ledger into another store (SQLite to PostgreSQL, or back): how an existing ledger reaches a
shared server without analysing its articles again.

Articles go over in batches, each batch (articles, claims, entities, paragraphs) one transaction of
parameterized inserts, in the source's ingest order, so claims keep their relative order. An article whose
id the destination already holds is skipped: a copy that was interrupted is simply run again, and running it
twice changes nothing. Claim and article numbers (``seq``) are the destination's own. The links (recycled
passages, claim clusters, origins, relays) describe the whole ledger, so they are copied only when the
destination then holds exactly the source's articles; otherwise they are left for ``reportedly link``.
Stored claim embeddings are keyed by text and copied when missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportedly.store.base import Store
from reportedly.store.link_state import STATE_TABLES

BATCH = 200  # articles per transaction
ARTICLE_PARTS = ("attributions", "entities", "paragraphs")  # the rows that belong to one article
LINK_TABLES = ("recycled", "clusters", "claim_clusters", "origins", "relays")  # in foreign-key order
SKIP_COLUMNS = {"seq", "tsv"}  # the destination's own claim/article numbers; PostgreSQL's generated tsvector


@dataclass
class CopyStats:
    articles: int = 0  # copied now
    present: int = 0  # already in the destination (skipped)
    claims: int = 0
    links: bool = False  # link tables copied (else: run `reportedly link` on the destination)
    vectors: int = 0


def columns(store: Store, table: str) -> list[str]:
    """The columns of ``table`` in ``store`` that a copy writes (not the store's own keys or generated ones)."""
    if store.dialect == "sqlite":
        names = [str(r[1]) for r in store._query(f"PRAGMA table_info({table})")]
    else:
        names = [str(r[0]) for r in store._query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position", (table,))]
    return [c for c in names if c not in SKIP_COLUMNS]


def copy_ledger(src: Store, dst: Store, batch: int = BATCH,
                progress: Callable[[int, int], None] | None = None) -> CopyStats:
    """Copy every article of ``src`` that ``dst`` lacks, then the links and claim embeddings (see module
    doc). ``progress(done, total)`` is called after each batch. Both stores must be at the same schema
    (opening them migrates both)."""
    stats = CopyStats()
    cols = {t: _shared_columns(src, dst, t) for t in ("articles", *ARTICLE_PARTS, *LINK_TABLES, "claim_vectors")}
    total = int(src._query("SELECT count(*) FROM articles")[0][0])
    after = -1
    while True:
        page = src._query("SELECT seq, id FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (after, batch))
        if not page:
            break
        after = int(page[-1][0])
        ids = [str(r[1]) for r in page]
        have = {str(r[0]) for r in dst._query(f"SELECT id FROM articles WHERE id IN ({_marks(ids)})", ids)}
        todo = [i for i in ids if i not in have]
        stats.present += len(have)
        if todo:
            stats.claims += _copy_articles(src, dst, todo, cols)
            stats.articles += len(todo)
        if progress:
            progress(stats.articles + stats.present, total)
    stats.links = _same_articles(src, dst) and _copy_links(src, dst, cols)
    stats.vectors = _copy_vectors(src, dst, cols["claim_vectors"], batch)
    if dst.dialect == "postgres" and stats.articles:
        # after a bulk load: the planner's statistics, and the full-text GIN index's pending list merged (until
        # then every search scans that list; it halved a search's time on the AllSides ledger). Autovacuum
        # would do both, later. Outside a transaction: PostgreSQL connections here are autocommit.
        dst._execute(f"VACUUM (ANALYZE) {', '.join(('articles', *ARTICLE_PARTS, *LINK_TABLES))}")
    return stats


def _shared_columns(src: Store, dst: Store, table: str) -> list[str]:
    mine = set(columns(dst, table))
    return [c for c in columns(src, table) if c in mine]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _rows(store: Store, table: str, cols: list[str], ids: list[str], order: str) -> list[tuple[Any, ...]]:
    return store._query(f"SELECT {', '.join(cols)} FROM {table} WHERE {'id' if table == 'articles' else 'article_id'}"
                        f" IN ({_marks(ids)}) ORDER BY {order}", ids)


def _insert(dst: Store, table: str, cols: list[str], rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        dst._executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({_marks(cols)})", rows)


def _copy_articles(src: Store, dst: Store, ids: list[str], cols: dict[str, list[str]]) -> int:
    """One batch of articles with their claims, entities and paragraphs, in one transaction; the number of
    claims copied. Ordered by the source's numbers so the destination numbers them in the same order."""
    rows = {"articles": _rows(src, "articles", cols["articles"], ids, "seq"),
            "attributions": _rows(src, "attributions", cols["attributions"], ids, "seq"),
            "entities": _rows(src, "entities", cols["entities"], ids, "article_id, entity_id"),
            "paragraphs": _rows(src, "paragraphs", cols["paragraphs"], ids, "article_id, idx")}
    with dst.transaction():
        for table in ("articles", *ARTICLE_PARTS):
            _insert(dst, table, cols[table], [_plain(r) for r in rows[table]])
    return len(rows["attributions"])


def _plain(row: Sequence[Any]) -> tuple[Any, ...]:
    """A row as the other driver takes it (PostgreSQL returns BYTEA as memoryview in some paths)."""
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def _same_articles(src: Store, dst: Store) -> bool:
    def ids(store: Store) -> set[str]:
        return {str(r[0]) for r in store._query("SELECT id FROM articles")}

    return ids(src) == ids(dst)


def _copy_links(src: Store, dst: Store, cols: dict[str, list[str]]) -> bool:
    """Replace the destination's links with the source's, in one transaction (they belong together). The
    destination's incremental-link state described its old links, so it goes too: its next link pass relinks
    from scratch (the source's state is not copied; it is rebuilt)."""
    with dst.transaction():
        for table in (*STATE_TABLES, *reversed(LINK_TABLES)):
            dst._execute(f"DELETE FROM {table}")
        for table in LINK_TABLES:
            _insert(dst, table, cols[table], [_plain(r) for r in src._query(
                f"SELECT {', '.join(cols[table])} FROM {table}")])
    return True


def _copy_vectors(src: Store, dst: Store, cols: list[str], batch: int) -> int:
    """Stored claim embeddings the destination lacks (keyed by text), in batches."""
    have = {str(r[0]) for r in dst._query("SELECT text_key FROM claim_vectors")}
    key = cols.index("text_key")
    rows = [_plain(r) for r in src._query(f"SELECT {', '.join(cols)} FROM claim_vectors ORDER BY text_key")
            if str(r[key]) not in have]
    for i in range(0, len(rows), batch * 10):
        with dst.transaction():
            _insert(dst, "claim_vectors", cols, rows[i:i + batch * 10])
    return len(rows)
