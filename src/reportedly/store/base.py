"""The ledger's storage interface, written once over DB-API for both backends.

Subclasses supply the connection, the placeholder style, transactions and the full-text clause; every
statement here uses ``?`` placeholders (rewritten to ``%s`` for psycopg) and only parameters for values,
because article text and user filters are hostile input.

Crash safety: an article, its attributions, entities and paragraph signatures are written in the same
transaction (``put_articles`` commits a small batch at once), so a killed ingest leaves whole articles or
nothing; links are derived data, replaced as a whole in one transaction by ``write_links``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from reportedly.link.origins import attribution_facts, origin_reason
from reportedly.link.outlets import HEAD_CHARS, TAIL_CHARS
from reportedly.store.link_state import STATE_TABLES
from reportedly.store.schema import BOOTSTRAP, MIGRATIONS

VECTOR_CHUNK = 500  # text keys per lookup statement (SQLite's bound-parameter limit is far above it)


@dataclass
class ArticleRecord:
    """What the batch runner hands to the store for one analyzed article."""

    report: dict[str, Any]  # Report.to_dict()
    text: str
    content_hash: str
    paragraphs: list[tuple[int, int, int, bytes]] = field(default_factory=list)  # idx, start, end, minhash

    @property
    def id(self) -> str:
        return str(self.report["article"]["id"])


@dataclass
class LinkArticle:
    """One stored article as the linker needs it (report JSON plus paragraph signatures)."""

    id: str
    seq: int
    published: str | None
    outlet: str | None
    report: dict[str, Any]
    paragraphs: list[tuple[int, int, int, bytes]]
    byline: str | None = None
    head: str | None = None  # the text's first and last characters: where wire credit lines sit
    tail: str | None = None


@dataclass
class ClaimFilter:
    entity: str | None = None
    source: str | None = None
    outlet: str | None = None
    since: str | None = None
    hedged: bool = False
    min_origins: int | None = None
    search: str | None = None
    limit: int | None = 100


def _attr_order(attr_id: str) -> tuple[int, str]:
    """"a2" before "a10"; ids of another shape after, by name."""
    digits = attr_id.lstrip("a")
    return (int(digits), "") if digits.isdigit() else (1 << 30, attr_id)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(ABC):
    """A ledger database (SQLite file or PostgreSQL server) behind one set of methods."""

    dialect: str = ""
    url: str = ""
    ordered_join: str = "JOIN"  # a join that keeps the written table order (SQLite: CROSS JOIN)

    # --- backend hooks -------------------------------------------------------------------------------
    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    @abstractmethod
    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A context in which every statement commits together or not at all."""

    @abstractmethod
    def _fts(self, text: str) -> tuple[str, list[Any]]:
        """A WHERE fragment (over alias ``a`` = attributions) selecting claims matching ``text``."""

    @abstractmethod
    def _fts_window(self, text: str, window: int) -> list[int]:
        """The ``seq`` of the newest ``window`` claims matching ``text``, newest first: what bounds the cost
        of a search for a common word on a large ledger."""

    def _fts_window_statement(self, text: str, window: int, columns: str
                              ) -> tuple[str, list[Any]] | list[int]:
        """The window of ``_fts_window`` as a statement (with its parameters) selecting ``columns`` of the
        window's claims from ``attributions``, for a page's query to read as a table; or, where one
        statement does not do it, the claim numbers as ``_fts_window`` returns them."""
        return self._fts_window(text, window)

    def _query_unprepared(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """``_query`` planned for these parameters every time (PostgreSQL would otherwise reuse a plan
        after a few runs of the same text; a window's path depends on its words)."""
        return self._query(sql, params)

    @abstractmethod
    def _seq_rows(self, seqs: Sequence[int]) -> tuple[str, list[Any]]:
        """A subquery listing these claim numbers as rows of one column, ``seq``: a search's window is
        fetched once (its size says whether it was full) and joined back into the page's query from here."""

    @abstractmethod
    def close(self) -> None: ...

    def _migration_lock(self) -> None:
        """Serialise concurrent migrators inside the current transaction (SQLite's BEGIN IMMEDIATE already
        does; PostgreSQL takes an advisory lock)."""
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema --------------------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply the missing numbered migrations in order; returns the versions applied now."""
        with self.transaction():
            self._execute(BOOTSTRAP)
        done = {int(r[0]) for r in self._query("SELECT version FROM schema_migrations")}
        applied = []
        for m in MIGRATIONS:
            if m.version in done:
                continue
            with self.transaction():
                self._migration_lock()
                if self._query("SELECT 1 FROM schema_migrations WHERE version = ?", (m.version,)):
                    continue  # another process applied it while we waited for the lock
                for stmt in m.statements(self.dialect):
                    self._execute(stmt)
                self._execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                              (m.version, m.name, _now()))
            applied.append(m.version)
        return applied

    def schema_version(self) -> int:
        rows = self._query("SELECT max(version) FROM schema_migrations")
        return int(rows[0][0] or 0)

    # --- ingest --------------------------------------------------------------------------------------
    def known_hashes(self) -> dict[str, str]:
        """id -> content hash of every stored article (what makes re-ingest skip unchanged articles)."""
        return {str(i): str(h) for i, h in self._query("SELECT id, content_hash FROM articles")}

    def put_articles(self, records: Sequence[ArticleRecord]) -> int:
        """Store a small batch in ONE transaction; an id stored with the same hash is skipped, with another
        hash it is replaced. Returns how many articles were written."""
        written = 0
        with self.transaction():
            for rec in records:
                old = self._query("SELECT content_hash FROM articles WHERE id = ?", (rec.id,))
                if old and old[0][0] == rec.content_hash:
                    continue
                if old:
                    self._delete_article(rec.id)
                self._insert_article(rec)
                written += 1
        return written

    def _delete_article(self, article_id: str) -> None:
        # explicit child deletes: cascades are declared, but SQLite only honours them with a pragma
        for table in ("recycled", "claim_clusters", "paragraphs", "entities", "attributions"):
            self._execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self._execute("DELETE FROM recycled WHERE source_article_id = ?", (article_id,))
        self._execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def _insert_article(self, rec: ArticleRecord) -> None:
        meta = rec.report.get("article") or {}
        attrs = rec.report.get("attributions") or []
        self._execute(
            "INSERT INTO articles (id, content_hash, url, outlet, title, byline, published, chars, n_attributions,"
            " text, report, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rec.id, rec.content_hash, meta.get("url"), meta.get("outlet"), meta.get("title"), meta.get("byline"),
             meta.get("published"), len(rec.text), len(attrs), rec.text, json.dumps(rec.report, ensure_ascii=False),
             _now()))
        rows = []
        for f in attribution_facts(rec.report):
            rows.append((rec.id, f.attr_id, f.source_text, f.source_name, f.source_kind, f.source_key, f.cue,
                         f.cue_lemma, f.kind, f.content, f.channel_type, f.claim_date, f.n_hedges, f.hedge_max,
                         f.parent, int(f.relayed)))
        if rows:
            self._executemany(
                "INSERT INTO attributions (article_id, attr_id, source_text, source_name, source_kind, source_key,"
                " cue, cue_lemma, kind, content, channel_type, claim_date, n_hedges, hedge_max, parent, relayed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        ents = [(rec.id, str(e.get("id")), str(e.get("name") or ""), e.get("kind"))
                for e in rec.report.get("entities") or [] if isinstance(e, dict) and e.get("id")]
        if ents:
            self._executemany("INSERT INTO entities (article_id, entity_id, name, kind) VALUES (?, ?, ?, ?)", ents)
        if rec.paragraphs:
            self._executemany(
                "INSERT INTO paragraphs (article_id, idx, start_char, end_char, minhash) VALUES (?, ?, ?, ?, ?)",
                [(rec.id, i, s, e, sig) for i, s, e, sig in rec.paragraphs])

    # --- linking -------------------------------------------------------------------------------------
    def load_link_inputs(self, ids: Sequence[str] | None = None) -> list[LinkArticle]:
        """Every article (or those with ``ids``: an incremental link pass) in ingest order with its report
        and paragraph signatures."""
        if ids is not None:
            out = [a for i in range(0, len(ids), VECTOR_CHUNK)
                   for a in self._link_inputs(list(ids[i:i + VECTOR_CHUNK]))]
            return sorted(out, key=lambda a: a.seq)
        return self._link_inputs(None)

    def _link_inputs(self, ids: list[str] | None) -> list[LinkArticle]:
        where, params = ("", []) if ids is None else (f" WHERE {{col}} IN ({', '.join('?' * len(ids))})", ids)
        paras: dict[str, list[tuple[int, int, int, bytes]]] = {}
        for aid, idx, s, e, sig in self._query(
                "SELECT article_id, idx, start_char, end_char, minhash FROM paragraphs"
                + where.format(col="article_id") + " ORDER BY article_id, idx", params):
            paras.setdefault(str(aid), []).append((int(idx), int(s), int(e), bytes(sig)))
        out = []
        for aid, seq, pub, outlet, report, byline, head, tail in self._query(
                "SELECT id, seq, published, outlet, report, byline, substr(text, 1, ?),"
                " CASE WHEN length(text) > ? THEN substr(text, length(text) - ?) ELSE text END"
                " FROM articles" + where.format(col="id") + " ORDER BY seq",
                [HEAD_CHARS, TAIL_CHARS, TAIL_CHARS - 1, *params]):
            out.append(LinkArticle(str(aid), int(seq), pub, outlet, json.loads(report), paras.get(str(aid), []),
                                   byline, head, tail))
        return out

    def claim_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Stored claim embeddings by text key (link.vectors.text_key); keys not stored are absent."""
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), VECTOR_CHUNK):
            chunk = list(keys[i:i + VECTOR_CHUNK])
            marks = ", ".join("?" * len(chunk))
            for key, vec in self._query(f"SELECT text_key, vector FROM claim_vectors WHERE text_key IN ({marks})",
                                        chunk):
                out[str(key)] = bytes(vec)
        return out

    def put_claim_vectors(self, rows: Sequence[tuple[str, bytes]]) -> None:
        """Store new claim embeddings (text key, float32 bytes) in one transaction; a stored key is kept."""
        if rows:
            with self.transaction():
                self._executemany("INSERT INTO claim_vectors (text_key, vector) VALUES (?, ?)"
                                  " ON CONFLICT (text_key) DO NOTHING", rows)

    def write_links(self, recycled: Sequence[Sequence[Any]], clusters: Sequence[Sequence[Any]],
                    members: Sequence[Sequence[Any]], origins: Sequence[Sequence[Any]],
                    relays: Sequence[Sequence[Any]]) -> None:
        """Replace all derived link tables in one transaction (rows as produced by link.origins.link_rows, or
        by the Spark job). The incremental linker's state is dropped with them: it described the old links,
        so the next link pass relinks from scratch."""
        with self.transaction():
            for table in ("recycled", "clusters", "claim_clusters", "origins", "relays", *STATE_TABLES):
                self._execute(f"DELETE FROM {table}")
            self.insert_links(recycled, clusters, members, origins, relays)

    def insert_links(self, recycled: Sequence[Sequence[Any]], clusters: Sequence[Sequence[Any]],
                     members: Sequence[Sequence[Any]], origins: Sequence[Sequence[Any]],
                     relays: Sequence[Sequence[Any]]) -> None:
        """Insert link rows (no delete, no transaction of its own): the one spelling of the link tables'
        columns, shared by a full rewrite (``write_links``) and the incremental linker's partial one."""
        if recycled:
            self._executemany(
                "INSERT INTO recycled (article_id, para_idx, start_char, end_char, source_article_id,"
                " source_para_idx, similarity, earlier) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", recycled)
        if clusters:
            self._executemany(
                "INSERT INTO clusters (cluster_id, label, n_claims, n_articles, n_origins, first_published,"
                " first_article_id) VALUES (?, ?, ?, ?, ?, ?, ?)", clusters)
        if members:
            self._executemany(
                "INSERT INTO claim_clusters (article_id, attr_id, cluster_id, origin_key) VALUES (?, ?, ?, ?)",
                members)
        if origins:
            self._executemany(
                "INSERT INTO origins (cluster_id, origin_key, name, kind, channel, origin_date, first_published,"
                " first_article_id, n_articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", origins)
        if relays:
            self._executemany(
                "INSERT INTO relays (cluster_id, origin_key, position, article_id, outlet, published, via,"
                " relayed_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", relays)

    # --- queries -------------------------------------------------------------------------------------
    CLAIM_COLUMNS = ("article_id", "attr_id", "outlet", "published", "title", "source_text", "source_name",
                     "source_kind", "cue", "kind", "content", "channel_type", "claim_date", "n_hedges", "hedge_max",
                     "relayed", "cluster_id", "n_origins", "origin_key")

    def claims(self, flt: ClaimFilter | None = None) -> list[dict[str, Any]]:
        """Claims (attributions) with their article, cluster and independent-origin count, filtered."""
        flt = flt or ClaimFilter()
        where: list[str] = []
        params: list[Any] = []
        if flt.entity:
            where.append("(lower(coalesce(a.source_name, '')) LIKE ? OR lower(a.content) LIKE ?"
                         " OR EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.article_id"
                         " AND lower(e.name) LIKE ?))")
            pat = f"%{flt.entity.lower()}%"
            params += [pat, pat, pat]
        if flt.source:
            where.append("(lower(coalesce(a.source_name, '')) LIKE ? OR lower(coalesce(a.source_text, '')) LIKE ?)")
            pat = f"%{flt.source.lower()}%"
            params += [pat, pat]
        if flt.outlet:
            where.append("lower(coalesce(r.outlet, '')) LIKE ?")
            params.append(f"%{flt.outlet.lower()}%")
        if flt.since:
            where.append("r.published >= ?")
            params.append(flt.since)
        if flt.hedged:
            where.append("a.n_hedges > 0")
        if flt.min_origins is not None:
            where.append("coalesce(c.n_origins, 0) >= ?")
            params.append(flt.min_origins)
        if flt.search:
            frag, fparams = self._fts(flt.search)
            where.append(frag)
            params += fparams
        sql = ("SELECT a.article_id, a.attr_id, r.outlet, r.published, r.title, a.source_text, a.source_name,"
               " a.source_kind, a.cue, a.kind, a.content, a.channel_type, a.claim_date, a.n_hedges, a.hedge_max,"
               " a.relayed, m.cluster_id, c.n_origins, m.origin_key"
               " FROM attributions a JOIN articles r ON r.id = a.article_id"
               " LEFT JOIN claim_clusters m ON m.article_id = a.article_id AND m.attr_id = a.attr_id"
               " LEFT JOIN clusters c ON c.cluster_id = m.cluster_id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY r.published, r.seq, a.attr_id"
        if flt.limit:
            sql += " LIMIT ?"
            params.append(int(flt.limit))
        return [dict(zip(self.CLAIM_COLUMNS, row, strict=True)) for row in self._query(sql, params)]

    def sources(self, limit: int | None = 100) -> list[dict[str, Any]]:
        """Who is cited how often: citations, articles, first-hand vs relayed, clusters they originate."""
        sql = ("SELECT a.source_key, max(a.source_name), max(a.source_kind), count(*),"
               " count(DISTINCT a.article_id), sum(CASE WHEN a.relayed = 0 THEN 1 ELSE 0 END),"
               " sum(CASE WHEN a.relayed = 1 THEN 1 ELSE 0 END),"
               " (SELECT count(*) FROM origins o WHERE o.origin_key = a.source_key)"
               " FROM attributions a WHERE a.source_key IS NOT NULL AND a.source_key <> ''"
               " GROUP BY a.source_key ORDER BY count(*) DESC, a.source_key")
        params: list[Any] = []
        if limit:
            sql += " LIMIT ?"
            params.append(int(limit))
        cols = ("source_key", "name", "kind", "citations", "articles", "first_hand", "relayed", "origin_of")
        return [dict(zip(cols, row, strict=True)) for row in self._query(sql, params)]

    def show(self, article_id: str) -> dict[str, Any] | None:
        """One article: metadata, claims (with cluster and origins) and recycled-passage notes."""
        rows = self._query("SELECT id, url, outlet, title, byline, published, chars, report FROM articles"
                           " WHERE id = ?", (article_id,))
        if not rows:
            return None
        aid, url, outlet, title, byline, published, chars, _report = rows[0]
        claims = self._article_claims(str(aid))
        recycled = [dict(zip(("para_idx", "start", "end", "source_article_id", "source_para_idx", "similarity",
                              "earlier", "source_outlet", "source_published"), r, strict=True))
                    for r in self._query(
                        "SELECT x.para_idx, x.start_char, x.end_char, x.source_article_id, x.source_para_idx,"
                        " x.similarity, x.earlier, s.outlet, s.published FROM recycled x"
                        " JOIN articles s ON s.id = x.source_article_id WHERE x.article_id = ? ORDER BY x.para_idx",
                        (aid,))]
        return {"id": aid, "url": url, "outlet": outlet, "title": title, "byline": byline, "published": published,
                "chars": chars, "claims": claims, "recycled": recycled}

    def _article_claims(self, article_id: str) -> list[dict[str, Any]]:
        out = []
        for row in self._query(
                "SELECT a.attr_id, a.source_text, a.source_name, a.cue, a.kind, a.content, a.n_hedges, a.relayed,"
                " m.cluster_id, c.n_origins, c.n_articles FROM attributions a"
                " LEFT JOIN claim_clusters m ON m.article_id = a.article_id AND m.attr_id = a.attr_id"
                " LEFT JOIN clusters c ON c.cluster_id = m.cluster_id WHERE a.article_id = ?", (article_id,)):
            d = dict(zip(("attr_id", "source_text", "source_name", "cue", "kind", "content", "n_hedges", "relayed",
                          "cluster_id", "n_origins", "n_articles"), row, strict=True))
            d["origins"] = self.cluster_origins(int(d["cluster_id"])) if d["cluster_id"] is not None else []
            out.append(d)
        out.sort(key=lambda d: _attr_order(str(d["attr_id"])))
        return out

    def cluster_origins(self, cluster_id: int) -> list[dict[str, Any]]:
        """The independent origins of a claim cluster, each with its relay order."""
        origins = []
        for key, name, kind, channel, odate, first_pub, first_art, n in self._query(
                "SELECT origin_key, name, kind, channel, origin_date, first_published, first_article_id, n_articles"
                " FROM origins WHERE cluster_id = ? ORDER BY first_published, origin_key", (cluster_id,)):
            relays = [dict(zip(("position", "article_id", "outlet", "published", "via", "relayed_from"), r,
                               strict=True))
                      for r in self._query("SELECT position, article_id, outlet, published, via, relayed_from"
                                           " FROM relays WHERE cluster_id = ? AND origin_key = ? ORDER BY position",
                                           (cluster_id, key))]
            origins.append({"origin_key": key, "name": name, "kind": kind, "channel": channel, "origin_date": odate,
                            "first_published": first_pub, "first_article_id": first_art, "n_articles": n,
                            "relays": relays, **origin_reason(name, relays)})
        return origins

    EXPORT_COLUMNS = (*CLAIM_COLUMNS, "origin_reason")

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every claim as one flat row (the export formats' shared content), with the reason its origin
        counts once (which articles state it first-hand, relay it, copy it or carry it as wire copy). The
        reason is read per origin, by key, when a claim needs it (and remembered for the next few thousand
        origins), never by loading every relay of the ledger at once."""
        reason = lru_cache(maxsize=4096)(self.origin_reason)
        for row in self.claims(ClaimFilter(limit=None)):
            cid = row.get("cluster_id")
            row["origin_reason"] = reason(int(cid), str(row.get("origin_key"))) if cid is not None else None
            yield row

    def origin_reason(self, cluster_id: int, origin_key: str) -> str | None:
        """Why the origin ``origin_key`` of a claim cluster counts once, from its relay steps (None when the
        ledger has no such origin)."""
        rows = self._query(
            "SELECT o.name, x.article_id, x.outlet, x.via, x.relayed_from FROM origins o"
            " LEFT JOIN relays x ON x.cluster_id = o.cluster_id AND x.origin_key = o.origin_key"
            " WHERE o.cluster_id = ? AND o.origin_key = ? ORDER BY x.position", (cluster_id, origin_key))
        if not rows:
            return None
        steps = [{"article_id": a, "outlet": o, "via": v, "relayed_from": c} for _, a, o, v, c in rows if a is not None]
        return str(origin_reason(str(rows[0][0]), steps)["reason"])

    # --- checks --------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Row counts and integrity checks: orphans and partially stored articles must both be 0."""
        def one(sql: str) -> int:
            return int(self._query(sql)[0][0])

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "distinct_ids": one("SELECT count(DISTINCT id) FROM articles"),
            "attributions": one("SELECT count(*) FROM attributions"),
            "orphan_attributions": one("SELECT count(*) FROM attributions a WHERE NOT EXISTS"
                                       " (SELECT 1 FROM articles r WHERE r.id = a.article_id)"),
            "orphan_paragraphs": one("SELECT count(*) FROM paragraphs p WHERE NOT EXISTS"
                                     " (SELECT 1 FROM articles r WHERE r.id = p.article_id)"),
            "orphan_entities": one("SELECT count(*) FROM entities p WHERE NOT EXISTS"
                                   " (SELECT 1 FROM articles r WHERE r.id = p.article_id)"),
            "partial_articles": one("SELECT count(*) FROM articles r WHERE r.n_attributions <>"
                                    " (SELECT count(*) FROM attributions a WHERE a.article_id = r.id)"),
        }
