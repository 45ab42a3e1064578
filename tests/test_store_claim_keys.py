"""Migration 5 (claims keyed by ``seq``, full text keyed by it) on a ledger written by schema 4, and the
bounded full-text window of the web's claim lists: the window's note, its bound, and the export that
ignores it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from reportedly.ingest.batch import content_hash
from reportedly.link.passages import signatures
from reportedly.model import Article
from reportedly.store import ArticleRecord, ClaimFilter, open_store
from reportedly.store import base as store_base
from reportedly.store import queries as Q
from reportedly.store.schema import LATEST, MIGRATIONS
from tests._ledger import BACKENDS, ledger_url


def _records(report, text: str, n: int, tag: str = "") -> list[ArticleRecord]:
    out = []
    for i in range(n):
        d = copy.deepcopy(report.to_dict())
        d["article"]["id"] = f"copy-{i}"
        d["article"]["published"] = f"2022-04-{i + 1:02d}"
        body = text + tag
        out.append(ArticleRecord(d, body, content_hash(Article(d["article"]["id"], body)), signatures(body)))
    return out


@pytest.fixture(scope="module")
def seed_text() -> str:
    from tests.conftest import SEED

    return SEED.read_text(encoding="utf-8")


def _word(store) -> str:
    """A word of the first claim's content that full-text search must find."""
    content = str(store.claims(ClaimFilter(limit=1))[0]["content"])
    return max(content.split(), key=len).strip(".,;:\"'")


def _old_search(store, word: str) -> set[tuple[str, str]]:
    """Full-text search as schema 4 ran it (FTS5 rows carried the claim's text key; tsvector is unchanged)."""
    if store.dialect == "sqlite":
        sql = "SELECT article_id, attr_id FROM claims_fts WHERE claims_fts MATCH ?"
        return {(str(a), str(b)) for a, b in store._query(sql, (f'"{word}"',))}
    frag, params = store._fts(word)
    return {(str(a), str(b)) for a, b in store._query(f"SELECT article_id, attr_id FROM attributions a WHERE {frag}",
                                                      params)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_schema4_ledger_upgrades_in_place(backend: str, tmp_path: Path, seed_report, seed_text,
                                          monkeypatch) -> None:
    with ledger_url(backend, tmp_path) as url:
        monkeypatch.setattr(store_base, "MIGRATIONS", MIGRATIONS[:4])
        with open_store(url) as old:  # written by the previous schema
            assert old.schema_version() == 4
            old.put_articles(_records(seed_report, seed_text, 3))
            before = old.claims(ClaimFilter(limit=None))
            word = _word(old)
            found_before = _old_search(old, word)
        monkeypatch.setattr(store_base, "MIGRATIONS", MIGRATIONS)
        with open_store(url) as s:
            assert s.schema_version() == LATEST
            assert s.claims(ClaimFilter(limit=None)) == before  # every claim kept, nothing else changed
            found = {(c["article_id"], c["attr_id"]) for c in s.claims(ClaimFilter(search=word, limit=None))}
            assert found == found_before and found
            # the triggers keep the index in step: a replaced article's old claims leave it, new ones enter
            s.put_articles(_records(seed_report, seed_text, 1, tag="\n\nEdited."))
            after = {(c["article_id"], c["attr_id"]) for c in s.claims(ClaimFilter(search=word, limit=None))}
            assert after == found
            seqs = [int(r[0]) for r in s._query("SELECT seq FROM attributions WHERE article_id = 'copy-0'")]
            assert seqs and min(seqs) > max(int(r[0]) for r in s._query(
                "SELECT seq FROM attributions WHERE article_id <> 'copy-0'"))
            page = Q.search_claims(s, Q.ClaimQuery(q=word, limit=200))
            assert {(c["article_id"], c["attr_id"]) for c in page.items} == found


@pytest.mark.parametrize("backend", BACKENDS)
def test_full_text_window_bounds_the_search_not_the_export(backend: str, tmp_path: Path, seed_report, seed_text,
                                                           monkeypatch) -> None:
    with ledger_url(backend, tmp_path) as url, open_store(url) as s:
        s.put_articles(_records(seed_report, seed_text, 4))
        word = _word(s)
        matching = {(c["article_id"], c["attr_id"]) for c in s.claims(ClaimFilter(search=word, limit=None))}
        assert len(matching) >= 4  # the word is in each copy
        monkeypatch.setattr(Q, "WINDOW", 3)
        for sort in Q.SORTS:
            page = Q.search_claims(s, Q.ClaimQuery(q=word, sort=sort, limit=50))
            assert page.window == 3 and len(page.items) <= 3 and page.next_cursor is None
        # the window holds the newest matches: every listed claim is among the 3 newest matching claims
        listed = Q.search_claims(s, Q.ClaimQuery(q=word, sort="published", limit=50)).items
        keyed = {(str(a), str(b)): int(q) for a, b, q in s._query("SELECT article_id, attr_id, seq FROM attributions")}
        newest3 = sorted((keyed[k] for k in matching), reverse=True)[:3]
        assert sorted(keyed[(c["article_id"], c["attr_id"])] for c in listed) == sorted(newest3)
        # a search whose matches fit the window says nothing; the export streams every match
        monkeypatch.setattr(Q, "WINDOW", len(matching) + 1)
        assert Q.search_claims(s, Q.ClaimQuery(q=word, limit=200)).window is None
        exported = {(c["article_id"], c["attr_id"]) for c in Q.iter_claims(s, Q.ClaimQuery(q=word), batch=2)}
        assert exported == matching


def test_cached_aggregates_refresh_in_the_background(tmp_path: Path, seed_report, seed_text, monkeypatch) -> None:
    """The outlets' profiles are computed once, then served stale while a background pass recomputes them."""
    import time

    from reportedly.serve.web import state as web_state

    url = str(tmp_path / "ledger.db")
    with open_store(url) as s:
        s.put_articles(_records(seed_report, seed_text, 1))
    st = web_state.ServerState(web_state.Settings(url))
    try:
        first = sum(r["articles"] for r in st.outlets())
        assert first == 1
        with open_store(url) as s:
            s.put_articles(_records(seed_report, seed_text, 3)[1:])
        assert sum(r["articles"] for r in st.outlets()) == 1  # fresh enough: the cached value
        monkeypatch.setattr(web_state, "FACET_TTL", 0.0)
        assert sum(r["articles"] for r in st.outlets()) == 1  # stale: served, and a recompute starts
        deadline = time.monotonic() + 20
        while sum(r["articles"] for r in st.outlets()) != 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sum(r["articles"] for r in st.outlets()) == 3
    finally:
        st.close()
