"""Read-only queries for the web layer (REST API and pages), over the same ``Store`` the CLI writes.

One query layer for both backends: every statement uses ``?`` placeholders and the store's own full-text
clause (FTS5 on SQLite, tsvector on PostgreSQL). Lists page by *keyset cursors*: a cursor is the sort key of
the last row shown, encoded opaquely, so a page URL stays valid while the ledger grows and a deep page costs
no more than the first. Aggregated lists (sources, outlets, clusters) are ordered by a count plus a unique
key, and their cursors carry both.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

from reportedly.store.base import Store

MAX_LIMIT = 200


class CursorError(ValueError):
    """A cursor that was not produced by this server (or for another sort)."""


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: tuple[type, ...]) -> list[Any] | None:
    """The sort key in ``cursor`` (one value per type in ``types``), or None for the first page. The types
    are checked so a forged cursor is a clear error, not a database type error."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise CursorError("cursor: not a cursor from this server") from None
    if not isinstance(key, list) or len(key) != len(types) or not all(
            _fits(v, t) for v, t in zip(key, types, strict=True)):
        raise CursorError("cursor: not a cursor for this list")
    return [float(v) if t is float else v for v, t in zip(key, types, strict=True)]


def _fits(value: Any, typ: type) -> bool:
    if isinstance(value, bool):
        return False
    if typ is float:
        return isinstance(value, int | float)
    if typ is int:
        return isinstance(value, int) and abs(value) < 1 << 62
    return isinstance(value, str) and "\x00" not in value


def keyset(columns: list[tuple[str, bool]], key: list[Any]) -> tuple[str, list[Any]]:
    """The WHERE fragment selecting rows strictly after ``key`` in the order of ``columns`` (expression,
    descending?). Written as an OR of prefixes so mixed directions work the same on both backends; the
    expressions must not be NULL (callers coalesce). The redundant bound on the first column comes first:
    it is what lets an index on the order seek to the cursor instead of walking from the start."""
    first, first_desc = columns[0]
    ors, params = [], [key[0]]
    for i, (expr, desc) in enumerate(columns):
        parts = [f"{e} = ?" for e, _ in columns[:i]] + [f"{expr} {'<' if desc else '>'} ?"]
        ors.append("(" + " AND ".join(parts) + ")")
        params += list(key[:i]) + [key[i]]
    return f"({first} {'<=' if first_desc else '>='} ? AND (" + " OR ".join(ors) + "))", params


@dataclass
class Page:
    """One page of a list and the cursor of the next one (None on the last page). ``window`` is set when
    the list was drawn from a bounded window of candidates (see ``WINDOW``) and that window was full."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    window: int | None = None


# --- claims ----------------------------------------------------------------------------------------------

WINDOW = 1000
"""How many candidate claims a full-text search (or a sort no index serves) considers: the newest ``WINDOW``
claims containing the words, by claim number. A common word matches tens of thousands of claims on a large
ledger; sorting all of them per request is what made search slow, so the other filters and the sort apply
within this window, and the page says so when the window is full (narrow the words to see older claims)."""


@dataclass(frozen=True)
class Sort:
    """A named order of the claims list: its key expressions (none may be NULL), their directions, and the
    table whose index walks that order (``drive``; None: no index does, so the list is drawn from the newest
    ``WINDOW`` claims)."""

    name: str
    label: str
    columns: tuple[tuple[str, bool], ...]
    types: tuple[type, ...]
    drive: str | None


_PUB = "coalesce(r.published, '')"
_ORIGINS = "coalesce(c.n_origins, 0)"
_HEDGE = "coalesce(a.hedge_max, 0)"
_SOURCE = "coalesce(a.source_name, a.source_text, '')"
# the indexes that walk these orders: articles_published_seq, attributions_hedge_seq, attributions_source_seq
SORTS: dict[str, Sort] = {s.name: s for s in (
    Sort("published", "oldest first", ((_PUB, False), ("r.seq", False), ("a.seq", False)), (str, int, int),
         "articles"),
    Sort("-published", "newest first", ((_PUB, True), ("r.seq", True), ("a.seq", True)), (str, int, int),
         "articles"),
    Sort("origins", "most independent origins", ((_ORIGINS, True), ("a.seq", False)), (int, int), None),
    Sort("hedged", "most hedged", ((_HEDGE, True), ("a.seq", False)), (float, int), "attributions"),
    Sort("source", "source A–Z", ((_SOURCE, False), ("a.seq", False)), (str, int), "attributions"),
)}

@dataclass
class ClaimQuery:
    """The claims filters shared by the search page, the API and the export."""

    q: str | None = None  # full text over content and source
    source: str | None = None  # cited source name or text containing this
    source_key: str | None = None  # exactly this canonical source
    source_kind: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    hedged: str = "any"
    channel: str | None = None
    min_origins: int | None = None
    article_id: str | None = None
    cluster_id: int | None = None
    sort: str = "published"
    limit: int = 50
    cursor: str | None = None


_CLAIM_SELECT = (
    "SELECT a.article_id, a.attr_id, r.outlet, r.published, r.title, a.source_text, a.source_name,"
    " a.source_kind, a.cue, a.kind, a.content, a.channel_type, a.claim_date, a.n_hedges, a.hedge_max,"
    " a.relayed, m.cluster_id, c.n_origins, m.origin_key, a.source_key")
_CLUSTER_JOINS = (" LEFT JOIN claim_clusters m ON m.article_id = a.article_id AND m.attr_id = a.attr_id"
                  " LEFT JOIN clusters c ON c.cluster_id = m.cluster_id")
_CLAIM_JOINS = " JOIN articles r ON r.id = a.article_id" + _CLUSTER_JOINS
CLAIM_COLUMNS = (*Store.CLAIM_COLUMNS, "source_key")


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` literally anywhere (``%`` and ``_`` in user text are escaped)."""
    esc = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def _claim_where(f: ClaimQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    rules: list[tuple[Any, str, list[Any]]] = [
        (f.source, "(lower(coalesce(a.source_name, '')) LIKE ? ESCAPE '\\'"
                   " OR lower(coalesce(a.source_text, '')) LIKE ? ESCAPE '\\')", [_like(f.source or "")] * 2),
        (f.source_key, "a.source_key = ?", [f.source_key]),
        (f.source_kind, "a.source_kind = ?", [f.source_kind]),
        (f.outlet, "r.outlet = ?", [f.outlet]),
        # written over the date order's own expression, so the index seeks to the range
        (f.date_from, f"{_PUB} >= ?", [f.date_from]),
        (f.date_to, f"{_PUB} <= ? AND r.published IS NOT NULL", [f.date_to]),
        (f.hedged == "yes", "a.n_hedges > 0", []),
        (f.hedged == "no", "a.n_hedges = 0", []),
        (f.channel, "a.channel_type = ?", [f.channel]),
        (f.min_origins is not None, f"{_ORIGINS} >= ?", [f.min_origins]),
        (f.article_id, "a.article_id = ?", [f.article_id]),
        (f.cluster_id is not None, "m.cluster_id = ?", [f.cluster_id]),
    ]
    for active, frag, ps in rules:
        if active:
            where.append(frag)
            params += ps
    return where, params


def search_claims(store: Store, f: ClaimQuery, bounded: bool = True) -> Page:
    """One page of claims matching ``f`` in the order ``f.sort``, with the cursor of the next page.
    ``bounded`` (what a page asks for): a full-text search or an order no index walks considers the newest
    ``WINDOW`` candidates only; an export passes False and gets every match."""
    sort = SORTS.get(f.sort)
    if sort is None:
        raise CursorError(f"sort: {f.sort!r} is not one of {', '.join(SORTS)}")
    cols = list(sort.columns)
    where, params = _claim_where(f)
    drawn = _window(store, f, sort) if bounded else None
    if isinstance(drawn, tuple):  # the window as a statement: the page's query reads it as its claims table
        return _search_in_window(store, f, sort, drawn, where, params)
    seqs = drawn
    window = store._seq_rows(seqs) if seqs is not None else None
    if not bounded and f.q and f.q.strip():
        frag, ps = store._fts(f.q)
        where.append(frag)
        params += ps
    # two steps: order and cut the matching claim numbers only (a narrow sort), then fetch the page's rows
    tail, params, limit = _order_and_cut(f, sort, where, params)
    sql = f"SELECT a.seq, {', '.join(e for e, _ in cols)} FROM {_claim_from(store, f, sort, window)}{tail}"
    keys = store._query(sql, [*(window[1] if window else []), *params])
    full = seqs is not None and f.cursor is None and len(seqs) >= WINDOW
    return _page(store, keys, limit, len(cols), WINDOW if full else None)


def _order_and_cut(f: ClaimQuery, sort: Sort, where: list[str], params: list[Any]
                   ) -> tuple[str, list[Any], int]:
    """The WHERE (``where`` plus the cursor's keyset), ORDER BY and LIMIT of a page's key query, its
    parameters, and the page size (the query asks for one row more: is there a next page?)."""
    cols = list(sort.columns)
    key = decode_cursor(f.cursor, sort.types)
    if key is not None:
        frag, ps = keyset(cols, key)
        where, params = [*where, frag], [*params, *ps]
    limit = max(1, min(int(f.limit), MAX_LIMIT))
    tail = " WHERE " + " AND ".join(where) if where else ""
    tail += " ORDER BY " + ", ".join(f"{e} {'DESC' if d else 'ASC'}" for e, d in cols) + " LIMIT ?"
    return tail, [*params, limit + 1], limit


def _page(store: Store, keys: list[tuple[Any, ...]], limit: int, n_cols: int, note: int | None) -> Page:
    """The page from its key rows (claim number, then the ``n_cols`` sort columns): the claims, and the
    cursor of the next page when the query found one row more."""
    items = claims_by_seq(store, [int(k[0]) for k in keys[:limit]])
    nxt = encode_cursor(list(keys[limit - 1][1:1 + n_cols])) if len(keys) > limit else None
    return Page(items, nxt, note)


WINDOW_COLUMNS = ("seq, article_id, attr_id, source_text, source_name, source_kind, source_key, n_hedges,"
                  " hedge_max, channel_type")  # what the filters and sorts read of a claim (``_claim_where``)


def _search_in_window(store: Store, f: ClaimQuery, sort: Sort, window: tuple[str, list[Any]], where: list[str],
                      params: list[Any]) -> Page:
    """``search_claims`` over a window given as a statement: it is read once (``MATERIALIZED``) as the
    claims table ``a`` and counted for the page's note; the rest is the same query, filters, keyset and
    order. One statement where the window's claim numbers had gone to the client and back, and the
    claims' columns come from the rows the match read, not from a lookup per claim number."""
    cols = list(sort.columns)
    tail, params, limit = _order_and_cut(f, sort, where, params)
    with_w = f"WITH w AS MATERIALIZED ({window[0]}) "
    # the article of each of the 1,000 claims is joined only when the order or a filter reads it (every
    # claim has its article: the join drops none, so leaving it out changes no result, only the lookups)
    articles = f" {store.ordered_join} articles r ON r.id = a.article_id" if _ARTICLE_COLUMN.search(tail) else ""
    sql = (f"{with_w}SELECT a.seq, {', '.join(e for e, _ in cols)}, (SELECT count(*) FROM w) FROM w a{articles}"
           + (_CLUSTER_JOINS if _needs_clusters(f, sort) else "") + tail)
    keys = store._query_unprepared(sql, [*window[1], *params])
    size = int(keys[0][-1]) if keys else int(store._query_unprepared(f"{with_w}SELECT count(*) FROM w",
                                                                     window[1])[0][0])
    return _page(store, keys, limit, len(cols), WINDOW if f.cursor is None and size >= WINDOW else None)


_ARTICLE_COLUMN = re.compile(r"\br\.")  # a column of the claim's article (``articles r``) in a page's SQL


def _needs_clusters(f: ClaimQuery, sort: Sort) -> bool:
    return f.min_origins is not None or f.cluster_id is not None or any("c." in e for e, _ in sort.columns)


def _narrowed(f: ClaimQuery) -> bool:
    """A filter an index answers with few rows (one article, cluster, source or channel)."""
    return bool(f.article_id or f.cluster_id is not None or f.source_key or f.channel)


def _claim_from(store: Store, f: ClaimQuery, sort: Sort, window: tuple[str, list[Any]] | None) -> str:
    """The FROM clause of a claims list. SQLite's planner, without statistics, would rather scan an index on
    a filter and sort every match than walk the order's index and stop at the page, so the join order is
    stated: a window drives (its few rows first), else the table whose index walks the order, unless a
    narrow filter is there to drive (``Store.ordered_join``: CROSS JOIN on SQLite; PostgreSQL plans freely)."""
    then = store.ordered_join
    if window is not None:
        base = f"({window[0]}) w {then} attributions a ON a.seq = w.seq {then} articles r ON r.id = a.article_id"
    elif _narrowed(f) or sort.drive is None:
        base = "attributions a JOIN articles r ON r.id = a.article_id"
    elif sort.drive == "articles":
        base = f"articles r {then} attributions a ON a.article_id = r.id"
    else:
        base = f"attributions a {then} articles r ON r.id = a.article_id"
    return base + (_CLUSTER_JOINS if _needs_clusters(f, sort) else "")


def _window(store: Store, f: ClaimQuery, sort: Sort) -> list[int] | tuple[str, list[Any]] | None:
    """The bounded candidate set of a search, as claim numbers (``seq``), newest first, or as a statement
    selecting them (``Store._fts_window_statement``): the newest ``WINDOW`` claims containing the words;
    for an order no index walks, the newest ``WINDOW`` claims (unless a filter already narrows the list).
    None when the search needs no window."""
    if f.q and f.q.strip():
        return store._fts_window_statement(f.q, WINDOW, WINDOW_COLUMNS)
    if sort.drive is not None or _narrowed(f):
        return None
    return [int(r[0]) for r in store._query("SELECT seq FROM attributions ORDER BY seq DESC LIMIT ?", [WINDOW])]


def claims_by_seq(store: Store, seqs: list[int]) -> list[dict[str, Any]]:
    """The claim rows with these claim numbers, in the order given (each fetched by primary key). The
    numbers come as one list parameter, so the statement's text is the same for any count and PostgreSQL
    plans it once per connection, not once per page (a dozen distinct ``IN (?, ?, ...)`` lengths had it
    planning on most article pages)."""
    if not seqs:
        return []
    frag, params = store._seq_rows(seqs)
    rows = store._query(f"{_CLAIM_SELECT}, a.seq FROM ({frag}) s {store.ordered_join} attributions a"
                        f" ON a.seq = s.seq{_CLAIM_JOINS}", params)
    by_seq = {int(r[-1]): dict(zip(CLAIM_COLUMNS, r[:-1], strict=True)) for r in rows}
    return [by_seq[k] for k in seqs if k in by_seq]


def iter_claims(store: Store, f: ClaimQuery, batch: int = MAX_LIMIT) -> Any:
    """Every claim matching ``f`` (no window), fetched page by page (what the export streams)."""
    cursor = None
    while True:
        page = search_claims(store, ClaimQuery(**{**f.__dict__, "limit": batch, "cursor": cursor}), bounded=False)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def facet_values(store: Store) -> dict[str, list[str]]:
    """The values the search form offers in its selects: outlets, source kinds, channel types."""
    def col(sql: str) -> list[str]:
        return [str(r[0]) for r in store._query(sql) if r[0] not in (None, "")]

    return {
        "outlets": col("SELECT DISTINCT outlet FROM articles ORDER BY outlet"),
        "source_kinds": col("SELECT DISTINCT source_kind FROM attributions ORDER BY source_kind"),
        "channels": col("SELECT DISTINCT channel_type FROM attributions ORDER BY channel_type"),
    }


# --- articles --------------------------------------------------------------------------------------------

ARTICLE_COLUMNS = ("id", "url", "outlet", "title", "byline", "published", "chars", "n_attributions")


def list_articles(store: Store, limit: int = 50, cursor: str | None = None, outlet: str | None = None) -> Page:
    """Articles in ingest order (newest ingest last), keyset-paged by their sequence number."""
    where, params = [], []
    key = decode_cursor(cursor, (int,))
    if key is not None:
        where.append("seq > ?")
        params.append(key[0])
    if outlet:
        where.append("outlet = ?")
        params.append(outlet)
    limit = max(1, min(int(limit), MAX_LIMIT))
    sql = f"SELECT {', '.join(ARTICLE_COLUMNS)}, seq FROM articles"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = store._query(sql + " ORDER BY seq LIMIT ?", [*params, limit + 1])
    items = [dict(zip(ARTICLE_COLUMNS, r[:-1], strict=True)) for r in rows[:limit]]
    return Page(items, encode_cursor([rows[limit - 1][-1]]) if len(rows) > limit else None)


def get_article(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article with its text and stored report, its claims (with source key, cluster and number of
    independent origins; a cluster's origins are on its own page) and its recycled passages."""
    rows = store._query(f"SELECT {', '.join(ARTICLE_COLUMNS)}, text, report FROM articles WHERE id = ?",
                        (article_id,))
    if not rows:
        return None
    art = dict(zip((*ARTICLE_COLUMNS, "text", "report"), rows[0], strict=True))
    art["report"] = json.loads(art["report"])
    art["claims"] = list(iter_claims(store, ClaimQuery(article_id=article_id)))
    art["recycled"] = [dict(zip(("para_idx", "start", "end", "source_article_id", "source_para_idx", "similarity",
                                 "earlier", "source_outlet", "source_published"), r, strict=True))
                       for r in store._query(
                           "SELECT x.para_idx, x.start_char, x.end_char, x.source_article_id, x.source_para_idx,"
                           " x.similarity, x.earlier, s.outlet, s.published FROM recycled x"
                           " JOIN articles s ON s.id = x.source_article_id WHERE x.article_id = ? ORDER BY x.para_idx",
                           (article_id,))]
    return art


# --- sources ---------------------------------------------------------------------------------------------

_SRC_COUNT = "count(*)"


def list_sources(store: Store, limit: int = 50, cursor: str | None = None, kind: str | None = None) -> Page:
    """Canonical sources by number of citations (then key), with first-hand vs relayed counts."""
    key = decode_cursor(cursor, (int, str))
    having, hparams = "", []
    if key is not None:
        having = f" HAVING ({_SRC_COUNT} < ? OR ({_SRC_COUNT} = ? AND a.source_key > ?))"
        hparams = [key[0], key[0], key[1]]
    where, wparams = "a.source_key IS NOT NULL AND a.source_key <> ''", []
    if kind:
        where += " AND a.source_kind = ?"
        wparams.append(kind)
    limit = max(1, min(int(limit), MAX_LIMIT))
    sql = ("SELECT a.source_key, max(a.source_name), max(a.source_kind), count(*), count(DISTINCT a.article_id),"
           " sum(CASE WHEN a.relayed = 0 THEN 1 ELSE 0 END), sum(CASE WHEN a.relayed = 1 THEN 1 ELSE 0 END)"
           f" FROM attributions a WHERE {where} GROUP BY a.source_key{having}"
           f" ORDER BY {_SRC_COUNT} DESC, a.source_key LIMIT ?")
    rows = store._query(sql, [*wparams, *hparams, limit + 1])
    cols = ("source_key", "name", "kind", "citations", "articles", "first_hand", "relayed")
    items = [dict(zip(cols, r, strict=True)) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(items, encode_cursor([int(last[3]), str(last[0])]) if last else None)


def get_source(store: Store, source_key: str) -> dict[str, Any] | None:
    """A canonical source: totals, citations by outlet and by month (first-hand vs relayed)."""
    rows = store._query(
        "SELECT max(source_name), max(source_kind), count(*), count(DISTINCT article_id),"
        " sum(CASE WHEN relayed = 0 THEN 1 ELSE 0 END) FROM attributions WHERE source_key = ?", (source_key,))
    if not rows or not rows[0][2]:
        return None
    name, kind, n, n_art, first = rows[0]
    relayed_sum = "sum(CASE WHEN a.relayed = 1 THEN 1 ELSE 0 END)"
    by_outlet = [dict(zip(("outlet", "first_hand", "relayed"), r, strict=True)) for r in store._query(
        "SELECT coalesce(r.outlet, ''), sum(CASE WHEN a.relayed = 0 THEN 1 ELSE 0 END), " + relayed_sum +
        " FROM attributions a JOIN articles r ON r.id = a.article_id WHERE a.source_key = ?"
        " GROUP BY coalesce(r.outlet, '') ORDER BY count(*) DESC, coalesce(r.outlet, '') LIMIT 30", (source_key,))]
    by_month = [dict(zip(("month", "first_hand", "relayed"), r, strict=True)) for r in store._query(
        "SELECT substr(coalesce(r.published, ''), 1, 7), sum(CASE WHEN a.relayed = 0 THEN 1 ELSE 0 END), "
        + relayed_sum + " FROM attributions a JOIN articles r ON r.id = a.article_id WHERE a.source_key = ?"
        " GROUP BY substr(coalesce(r.published, ''), 1, 7) ORDER BY 1", (source_key,))]
    return {"source_key": source_key, "name": name, "kind": kind, "citations": int(n), "articles": int(n_art),
            "first_hand": int(first or 0), "relayed": int(n) - int(first or 0),
            "by_outlet": by_outlet, "by_month": by_month}


# --- clusters --------------------------------------------------------------------------------------------

CLUSTER_COLUMNS = ("cluster_id", "label", "n_claims", "n_articles", "n_origins", "first_published",
                   "first_article_id")


def list_clusters(store: Store, limit: int = 50, cursor: str | None = None, min_articles: int = 1) -> Page:
    """Claim clusters by number of articles carrying them (then id)."""
    key = decode_cursor(cursor, (int, int))
    where, params = ["n_articles >= ?"], [min_articles]
    if key is not None:
        where.append("(n_articles < ? OR (n_articles = ? AND cluster_id > ?))")
        params += [key[0], key[0], key[1]]
    limit = max(1, min(int(limit), MAX_LIMIT))
    rows = store._query(f"SELECT {', '.join(CLUSTER_COLUMNS)} FROM clusters WHERE {' AND '.join(where)}"
                        " ORDER BY n_articles DESC, cluster_id LIMIT ?", [*params, limit + 1])
    items = [dict(zip(CLUSTER_COLUMNS, r, strict=True)) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(items, encode_cursor([int(last[3]), int(last[0])]) if last else None)


def get_cluster(store: Store, cluster_id: int) -> dict[str, Any] | None:
    """A claim cluster: every article carrying it (in publication order) and its independent origins with
    their relay chains."""
    rows = store._query(f"SELECT {', '.join(CLUSTER_COLUMNS)} FROM clusters WHERE cluster_id = ?", (cluster_id,))
    if not rows:
        return None
    members = search_claims(store, ClaimQuery(cluster_id=cluster_id, limit=MAX_LIMIT)).items
    return {**dict(zip(CLUSTER_COLUMNS, rows[0], strict=True)), "members": members,
            "origins": store.cluster_origins(cluster_id)}


# --- outlets ---------------------------------------------------------------------------------------------

OUTLET_COLUMNS = ("outlet", "articles", "claims", "anonymous", "hedged", "relayed", "wire_articles")


def outlet_table(store: Store) -> list[dict[str, Any]]:
    """Every outlet's sourcing profile: claims, anonymous sources, hedged and relayed claims, and how many of
    its articles recycle a passage published earlier elsewhere (wire copy). Ordered by articles, then name.
    A pass over the whole ledger (index-only, about a second on 37k articles), so servers cache it."""
    sql = ("SELECT coalesce(r.outlet, ''), count(*), sum(r.n_attributions),"
           " sum((SELECT count(*) FROM attributions a WHERE a.article_id = r.id AND a.source_kind = 'anonymous')),"
           " sum((SELECT count(*) FROM attributions a WHERE a.article_id = r.id AND a.n_hedges > 0)),"
           " sum((SELECT count(*) FROM attributions a WHERE a.article_id = r.id AND a.relayed = 1)),"
           " sum(CASE WHEN EXISTS (SELECT 1 FROM recycled x WHERE x.article_id = r.id AND x.earlier = 1)"
           " THEN 1 ELSE 0 END)"
           " FROM articles r GROUP BY coalesce(r.outlet, '') ORDER BY count(*) DESC, coalesce(r.outlet, '')")
    return [dict(zip(OUTLET_COLUMNS, (r[0], *(int(v or 0) for v in r[1:])), strict=True)) for r in store._query(sql)]


def outlet_profiles(table: list[dict[str, Any]], limit: int = 50, cursor: str | None = None) -> Page:
    """One page of ``outlet_table`` rows after the cursor (key: articles, then outlet name)."""
    key = decode_cursor(cursor, (int, str))
    limit = max(1, min(int(limit), MAX_LIMIT))
    rows = table if key is None else [r for r in table if r["articles"] < key[0]
                                      or (r["articles"] == key[0] and r["outlet"] > key[1])]
    last = rows[limit - 1] if len(rows) > limit else None
    return Page(rows[:limit], encode_cursor([last["articles"], last["outlet"]]) if last else None)
