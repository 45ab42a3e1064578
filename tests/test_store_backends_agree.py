"""A search gives the same claims in the same order on SQLite and PostgreSQL, page after page.

The two backends find a search's window differently (FTS5's doclist; PostgreSQL's own window statement,
which joins the claims' articles and clusters only when the order or a filter reads them), so every sort
and the filters that read the article or the cluster are run on the same fixture ledger (linked: it has
clusters) on both, for words drawn from its claims, following the cursors to the end.
"""

from __future__ import annotations

import re

import pytest

from reportedly.store import open_store
from reportedly.store.queries import SORTS, ClaimQuery, iter_claims, search_claims
from tests._web import shared_ledger


def _every_page(url: str, f: ClaimQuery) -> list[tuple[str, str, int | None]]:
    """(article, claim, independent origins) of every claim the search lists, following its cursors."""
    out, cursor = [], None
    with open_store(url, migrate=False) as store:
        while True:
            page = search_claims(store, ClaimQuery(**{**f.__dict__, "limit": 7, "cursor": cursor}))
            out += [(c["article_id"], c["attr_id"], c["n_origins"]) for c in page.items]
            cursor = page.next_cursor
            if cursor is None:
                return out


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> tuple[str, str]:
    root = tmp_path_factory.getbasetemp()
    return shared_ledger("sqlite", root), shared_ledger("postgres", root)  # skips without REPORTEDLY_TEST_PG


def _words(sqlite: str, postgres: str) -> list[str]:
    """A dozen words of the ledger's claims that match the same claims on both backends, unsorted and
    unbounded (the export's path, not the search's). The engines differ for some words: PostgreSQL drops
    English stop words ("about") and stems otherwise ("reportedly" matches "reported"); not the queries'
    doing."""
    with open_store(sqlite, migrate=False) as store:
        texts = [str(r[0]) for r in store._query("SELECT content FROM attributions ORDER BY seq LIMIT 60")]
    words = sorted({w.lower() for t in texts for w in re.findall(r"[A-Za-z]{5,}", t)})

    def matched(url: str, word: str) -> set[tuple[str, str]]:
        with open_store(url, migrate=False) as store:
            return {(c["article_id"], c["attr_id"]) for c in iter_claims(store, ClaimQuery(q=word))}

    same = [w for w in words if matched(sqlite, w) == matched(postgres, w) != set()]
    return same[::max(1, len(same) // 12)]


def test_searches_agree_on_both_backends(ledgers: tuple[str, str]) -> None:
    sqlite, postgres = ledgers
    with open_store(sqlite, migrate=False) as store:
        outlet = str(store._query("SELECT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY seq LIMIT 1")[0][0])
        assert int(store._query("SELECT count(*) FROM clusters")[0][0]) > 0  # linked: origins sort has work
    listed = 0
    for word in _words(sqlite, postgres):
        for sort in SORTS:
            for extra in ({}, {"outlet": outlet}, {"hedged": "yes"}, {"min_origins": 1},
                          {"date_from": "2000-01-01"}):
                f = ClaimQuery(q=word, sort=sort, **extra)
                mine = _every_page(sqlite, f)
                assert _every_page(postgres, f) == mine, (word, sort, extra)
                listed += len(mine)
    assert listed > 100  # the words match claims: the comparison compared something
