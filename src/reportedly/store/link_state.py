"""The incremental linker's state in the ledger (migration 8): reads and writes by key, never a whole-table
load of reports, so a batch's link pass touches the rows its new claims can reach.

Tables: ``link_articles`` (which articles, at which content hash, the link tables cover), ``link_claims``
(per claim: its number, graph node, shape, formulaic verdict), ``link_nodes`` (per node: the stored vector's
text key and the features ``same_claim`` reads), ``link_buckets`` (LSH bucket -> node) and ``link_shapes``
(per claim shape: the speakers, outlets and months it was met in, capped at the counts the verdict reads);
for the passage pass (migration 11) ``link_passages`` (per distinct paragraph signature: its first
occurrence, group, indexed flag and, for a group's founder, the articles the group spans),
``link_passage_bands`` (LSH band -> signature) and ``link_passage_paras`` (paragraph -> signature).
Every statement takes its values as parameters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

CHUNK = 500  # keys per IN (...) statement
STATE_TABLES = ("link_articles", "link_claims", "link_nodes", "link_buckets", "link_shapes", "link_meta",
                "link_passages", "link_passage_bands", "link_passage_paras")
LINK_TABLES = ("recycled", "clusters", "claim_clusters", "origins", "relays")


class ConcurrentLink(Exception):
    """Another pass linked some of this pass's articles while it ran: its changes are not written."""


@dataclass
class ClaimRow:
    """One claim's state row."""

    article: str
    attr_id: str
    seq: int
    node: str  # feature digest, '' when the claim cannot join a cluster
    shape: str  # link.incremental.shape_text
    formulaic: bool


@dataclass
class StateWrite:
    """Everything one link pass changes, written in one transaction (see ``LinkState.write``)."""

    articles: list[tuple[str, str]] = field(default_factory=list)  # (article id, content hash) now linked
    claims: list[ClaimRow] = field(default_factory=list)  # new claim rows
    updated_claims: list[ClaimRow] = field(default_factory=list)  # stored claims that changed (now formulaic)
    nodes: list[tuple[str, str, str]] = field(default_factory=list)  # (node, text key, features JSON)
    # (bucket, node) to add: an iterable, written in ROW_CHUNK slices, so a relink from scratch never holds
    # the corpus's bucket rows (dozens per claim) in memory
    buckets: Iterable[tuple[str, str]] = ()
    dropped_nodes: list[str] = field(default_factory=list)  # nodes no claim has any more (and their buckets)
    dropped_buckets: list[tuple[str, str]] = field(default_factory=list)
    shapes: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # upserted link_shapes rows
    recycled_articles: list[str] = field(default_factory=list)  # articles whose recycled rows are replaced
    recycled: list[tuple[Any, ...]] = field(default_factory=list)
    clusters_replaced: list[int] = field(default_factory=list)  # cluster ids whose rows are replaced
    clusters: list[tuple[Any, ...]] = field(default_factory=list)
    members: list[tuple[Any, ...]] = field(default_factory=list)
    origins: list[tuple[Any, ...]] = field(default_factory=list)
    relays: list[tuple[Any, ...]] = field(default_factory=list)
    # the passage pass: upserted link_passages rows (sig key, first article, first idx, leader, indexed,
    # articles), new band and paragraph rows (iterables, written in slices), the corpus's article count
    passage_texts: list[tuple[str, str, int, str, int, int]] = field(default_factory=list)
    passage_bands: Iterable[tuple[int, str]] = ()
    passage_paras: Iterable[tuple[str, int, str]] = ()
    passage_articles: int | None = None


@dataclass
class StoredText:
    """One link_passages row with its first occurrence's signature and order."""

    key: str
    article: str
    idx: int
    published: str | None
    seq: int
    sig: bytes
    leader: str
    indexed: bool
    articles: int


@dataclass
class StoredPara:
    """One linked paragraph with what the passage notes read of it."""

    article: str
    idx: int
    start: int
    end: int
    published: str | None
    seq: int
    sig: bytes
    key: str


Sig = tuple[int, int, int, bytes]  # a stored paragraph: idx, start, end, minhash


def _chunks(keys: Sequence[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(keys), CHUNK):
        yield list(keys[i:i + CHUNK])


ROW_CHUNK = 50_000


def _slices(rows: Iterable[tuple[Any, ...]]) -> Iterable[list[tuple[Any, ...]]]:
    it = iter(rows)
    while chunk := list(islice(it, ROW_CHUNK)):
        yield chunk


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class LinkState:
    """The link state of one store (``store.base.Store``)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def _in(self, sql: str, keys: Iterable[Any], extra: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """``sql`` with one ``{marks}`` IN-list, run once per chunk of ``keys``."""
        out: list[tuple[Any, ...]] = []
        for chunk in _chunks(sorted(set(keys))):
            out.extend(self.store._query(sql.format(marks=_marks(len(chunk))), [*chunk, *extra]))
        return out

    # --- whether it can be used ------------------------------------------------------------------------
    def usable(self, rules: str) -> bool:
        """The state covers a linked ledger, was built under these linker ``rules`` (a fingerprint), and no
        covered article was replaced or removed since: otherwise only a relink from scratch (which rebuilds
        the state) is right."""
        q = self.store._query
        if not q("SELECT 1 FROM link_articles LIMIT 1"):
            return False
        if [str(r[0]) for r in q("SELECT value FROM link_meta WHERE key = 'rules'")] != [rules]:
            return False
        stale = q("SELECT 1 FROM link_articles l LEFT JOIN articles a ON a.id = l.article_id"
                  " WHERE a.id IS NULL OR a.content_hash <> l.content_hash LIMIT 1")
        return not stale

    def new_articles(self) -> list[str]:
        """Ids of stored articles the link tables do not cover yet, in ingest order."""
        return [str(r[0]) for r in self.store._query(
            "SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM link_articles l WHERE l.article_id = a.id)"
            " ORDER BY seq")]

    def article_ids(self) -> list[str]:
        """Ids of every stored article, in ingest order (a relink from scratch reads them chunk by chunk)."""
        return [str(r[0]) for r in self.store._query("SELECT id FROM articles ORDER BY seq")]

    def hashes(self, ids: Sequence[str] | None = None) -> list[tuple[str, str]]:
        """(article id, content hash) of the given articles, or of all."""
        if ids is None:
            return [(str(i), str(h)) for i, h in self.store._query("SELECT id, content_hash FROM articles")]
        return [(str(i), str(h)) for i, h in self._in("SELECT id, content_hash FROM articles WHERE id IN ({marks})",
                                                      ids)]

    # --- reads by key ------------------------------------------------------------------------------------
    def claim_seqs(self, articles: Iterable[str]) -> dict[tuple[str, str], int]:
        """(article id, attr id) -> the claim's number (attributions.seq) for these articles."""
        return {(str(a), str(x)): int(s) for a, x, s in self._in(
            "SELECT article_id, attr_id, seq FROM attributions WHERE article_id IN ({marks})", articles)}

    def shape_rows(self, shapes: Iterable[str]) -> dict[str, tuple[list[str], list[str], list[str], bool]]:
        return {str(s): (json.loads(a), json.loads(b), json.loads(c), bool(f)) for s, a, b, c, f in self._in(
            "SELECT shape, speakers, outlets, months, formulaic FROM link_shapes WHERE shape IN ({marks})", shapes)}

    def formulaic_shapes(self) -> list[str]:
        return [str(r[0]) for r in self.store._query("SELECT shape FROM link_shapes WHERE formulaic = 1")]

    def shapes(self) -> Iterable[str]:
        """Every stored shape, streamed: what a new formula may cover is found by one scan of them, in Python
        (``link.formulaic.verdicts``); one LIKE scan per new formula took a tenth of a batch's pass."""
        cur = self.store._execute("SELECT shape FROM link_shapes")
        while rows := cur.fetchmany(ROW_CHUNK):
            yield from (str(r[0]) for r in rows)

    def claims_by(self, column: str, keys: Iterable[Any]) -> list[ClaimRow]:
        """Claim rows whose ``column`` ("node", "shape" or "article_id") is one of ``keys``."""
        assert column in ("node", "shape", "article_id")
        return [ClaimRow(str(a), str(x), int(s), str(n), str(sh), bool(f)) for a, x, s, n, sh, f in self._in(
            f"SELECT article_id, attr_id, claim_seq, node, shape, formulaic FROM link_claims WHERE {column}"
            " IN ({marks})", keys)]

    def cluster_of(self, claims: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The current cluster id of each given claim (by article, then filtered)."""
        want = set(claims)
        rows = self._in("SELECT article_id, attr_id, cluster_id FROM claim_clusters WHERE article_id IN ({marks})",
                        {a for a, _ in want})
        return {(str(a), str(x)): int(c) for a, x, c in rows if (str(a), str(x)) in want}

    def cluster_members(self, cluster_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        out: dict[int, list[tuple[str, str]]] = {}
        for a, x, c in self._in("SELECT article_id, attr_id, cluster_id FROM claim_clusters"
                                " WHERE cluster_id IN ({marks})", cluster_ids):
            out.setdefault(int(c), []).append((str(a), str(x)))
        return out

    def clusters_of_articles(self, articles: Iterable[str]) -> set[int]:
        return {int(r[0]) for r in self._in(
            "SELECT DISTINCT cluster_id FROM claim_clusters WHERE article_id IN ({marks})", articles)}

    def nodes(self, nodes: Iterable[str]) -> dict[str, tuple[str, str]]:
        """node -> (text key, features JSON)."""
        return {str(n): (str(k), str(f)) for n, k, f in self._in(
            "SELECT node, text_key, features FROM link_nodes WHERE node IN ({marks})", nodes)}

    def bucket_members(self, buckets: Iterable[str]) -> dict[str, set[str]]:
        """bucket -> its nodes, one row per bucket (nodes are hex digests, joined by spaces in SQL): a batch
        touches a million buckets holding millions of rows, and a Python tuple per row was most of reading them."""
        agg = "string_agg(node, ' ')" if self.store.dialect == "postgres" else "group_concat(node, ' ')"
        return {str(b): set(str(ns).split()) for b, ns in self._in(
            f"SELECT bucket, {agg} FROM link_buckets WHERE bucket IN ({{marks}}) GROUP BY bucket", buckets)}

    def recycled_of(self, articles: Iterable[str]) -> list[tuple[Any, ...]]:
        """The stored recycled rows of these articles."""
        return self._in("SELECT article_id, para_idx, start_char, end_char, source_article_id, source_para_idx,"
                        " similarity, earlier FROM recycled WHERE article_id IN ({marks})", articles)

    def paragraph_inputs(self, ids: Sequence[str]) -> list[tuple[str, str | None, int, list[Sig]]]:
        """(article id, published, seq, paragraph signatures) of the articles ``ids``, in ingest order."""
        meta = {str(i): (p, int(s)) for i, p, s in self._in("SELECT id, published, seq FROM articles"
                                                            " WHERE id IN ({marks})", ids)}
        paras: dict[str, list[Sig]] = {}
        for aid, idx, s, e, sig in sorted(self._in("SELECT article_id, idx, start_char, end_char, minhash"
                                                   " FROM paragraphs WHERE article_id IN ({marks})", ids),
                                          key=lambda r: (str(r[0]), int(r[1]))):
            paras.setdefault(str(aid), []).append((int(idx), int(s), int(e), bytes(sig)))
        return [(aid, pub, seq, paras.get(aid, [])) for aid, (pub, seq) in sorted(meta.items(), key=lambda x: x[1][1])]

    def paragraph_spans(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[int, int]]:
        """(article id, idx) -> (start, end) of these paragraphs (read by article, then filtered)."""
        want = set(keys)
        rows = self._in("SELECT article_id, idx, start_char, end_char FROM paragraphs WHERE article_id IN ({marks})",
                        {a for a, _ in want})
        return {(str(a), int(i)): (int(s), int(e)) for a, i, s, e in rows if (str(a), int(i)) in want}

    # --- the passage pass's state ------------------------------------------------------------------------
    def passage_texts(self, keys: Iterable[str]) -> list[StoredText]:
        """The stored texts (distinct paragraph signatures) with these keys."""
        return [StoredText(str(k), str(a), int(i), p, int(s), bytes(m), str(ld), bool(x), int(n))
                for k, a, i, p, s, m, ld, x, n in self._in(
                    "SELECT t.sig_key, t.first_article, t.first_idx, a.published, a.seq, p.minhash, t.leader,"
                    " t.indexed, t.articles FROM link_passages t JOIN articles a ON a.id = t.first_article"
                    " JOIN paragraphs p ON p.article_id = t.first_article AND p.idx = t.first_idx"
                    " WHERE t.sig_key IN ({marks})", keys)]

    def passage_bands(self, bands: Iterable[int]) -> list[tuple[int, str]]:
        """(band, text key) of the stored texts in these LSH bands."""
        return [(int(b), str(k)) for b, k in self._in(
            "SELECT band, sig_key FROM link_passage_bands WHERE band IN ({marks})", bands)]

    def passage_members(self, leaders: Iterable[str]) -> list[str]:
        """Keys of the stored texts in the groups these texts founded."""
        return [str(r[0]) for r in self._in("SELECT sig_key FROM link_passages WHERE leader IN ({marks})", leaders)]

    def passage_groups_spanning(self, low: int, high: int) -> list[str]:
        """Founders of the stored groups spanning at least ``low`` and fewer than ``high`` articles."""
        return [str(r[0]) for r in self.store._query(
            "SELECT sig_key FROM link_passages WHERE articles >= ? AND articles < ?", [low, high])]

    def passage_paras(self, keys: Iterable[str]) -> list[StoredPara]:
        """The linked paragraphs whose signature is one of these texts."""
        return [StoredPara(str(a), int(i), int(s), int(e), p, int(q), bytes(m), str(k)) for a, i, s, e, p, q, m, k in
                self._in("SELECT x.article_id, x.idx, p.start_char, p.end_char, a.published, a.seq, p.minhash,"
                         " x.sig_key FROM link_passage_paras x JOIN articles a ON a.id = x.article_id"
                         " JOIN paragraphs p ON p.article_id = x.article_id AND p.idx = x.idx"
                         " WHERE x.sig_key IN ({marks})", keys)]

    def passage_articles(self) -> int:
        """How many articles with linkable paragraphs the passage state covers (boilerplate is a share of it)."""
        rows = self.store._query("SELECT value FROM link_meta WHERE key = 'passage_articles'")
        return int(rows[0][0]) if rows else 0

    # --- writes ----------------------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget the state (inside the caller's transaction): a relink from scratch rebuilds it."""
        for t in STATE_TABLES:
            self.store._execute(f"DELETE FROM {t}")

    def write(self, w: StateWrite, replace_all: bool = False, rules: str = "") -> None:
        """Apply one pass's changes in one transaction: the state rows, the replaced recycled rows and the
        replaced clusters (their rows, members, origins and relays). ``replace_all``: a relink from scratch,
        whose state is stamped with the linker ``rules`` it was built under."""
        st = self.store
        with st.transaction():
            if replace_all:
                self.clear()
                for t in LINK_TABLES:
                    st._execute(f"DELETE FROM {t}")
                st._execute("INSERT INTO link_meta (key, value) VALUES ('rules', ?)", [rules])
            elif self._in("SELECT article_id FROM link_articles WHERE article_id IN ({marks})",
                          [a for a, _ in w.articles]):
                raise ConcurrentLink("another link pass covered these articles first")
            self._write_state(w)
            self._write_passages(w)
            for chunk in _chunks(sorted(set(w.recycled_articles))):
                st._execute(f"DELETE FROM recycled WHERE article_id IN ({_marks(len(chunk))})", chunk)
            for chunk in _chunks(sorted(set(w.clusters_replaced))):
                for t in ("clusters", "claim_clusters", "origins", "relays"):
                    st._execute(f"DELETE FROM {t} WHERE cluster_id IN ({_marks(len(chunk))})", chunk)
            self._write_links(w)

    def _write_state(self, w: StateWrite) -> None:
        st = self.store
        if w.articles:
            st._executemany("INSERT INTO link_articles (article_id, content_hash) VALUES (?, ?)", w.articles)
        if w.updated_claims:
            st._executemany("UPDATE link_claims SET node = ?, formulaic = ? WHERE article_id = ? AND attr_id = ?",
                            [(c.node, int(c.formulaic), c.article, c.attr_id) for c in w.updated_claims])
        if w.claims:
            st._executemany("INSERT INTO link_claims (article_id, attr_id, claim_seq, node, shape, formulaic)"
                            " VALUES (?, ?, ?, ?, ?, ?)",
                            [(c.article, c.attr_id, c.seq, c.node, c.shape, int(c.formulaic)) for c in w.claims])
        for chunk in _chunks(sorted(set(w.dropped_nodes))):
            st._execute(f"DELETE FROM link_nodes WHERE node IN ({_marks(len(chunk))})", chunk)
        if w.dropped_buckets:
            st._executemany("DELETE FROM link_buckets WHERE bucket = ? AND node = ?", w.dropped_buckets)
        if w.nodes:
            st._executemany("INSERT INTO link_nodes (node, text_key, features) VALUES (?, ?, ?)", w.nodes)
        for rows in _slices(w.buckets):
            st._executemany("INSERT INTO link_buckets (bucket, node) VALUES (?, ?)", rows)
        for chunk in _chunks(sorted({s[0] for s in w.shapes})):
            st._execute(f"DELETE FROM link_shapes WHERE shape IN ({_marks(len(chunk))})", chunk)
        if w.shapes:
            st._executemany("INSERT INTO link_shapes (shape, speakers, outlets, months, formulaic)"
                            " VALUES (?, ?, ?, ?, ?)", w.shapes)

    def _write_passages(self, w: StateWrite) -> None:
        st = self.store
        for chunk in _chunks(sorted({t[0] for t in w.passage_texts})):
            st._execute(f"DELETE FROM link_passages WHERE sig_key IN ({_marks(len(chunk))})", chunk)
        for rows in _slices(w.passage_texts):
            st._executemany("INSERT INTO link_passages (sig_key, first_article, first_idx, leader, indexed, articles)"
                            " VALUES (?, ?, ?, ?, ?, ?)", rows)
        for rows in _slices(w.passage_bands):
            st._executemany("INSERT INTO link_passage_bands (band, sig_key) VALUES (?, ?)", rows)
        for rows in _slices(w.passage_paras):
            st._executemany("INSERT INTO link_passage_paras (article_id, idx, sig_key) VALUES (?, ?, ?)", rows)
        if w.passage_articles is not None:
            st._execute("DELETE FROM link_meta WHERE key = 'passage_articles'")
            st._execute("INSERT INTO link_meta (key, value) VALUES ('passage_articles', ?)", [str(w.passage_articles)])

    def _write_links(self, w: StateWrite) -> None:
        self.store.insert_links(w.recycled, w.clusters, w.members, w.origins, w.relays)
