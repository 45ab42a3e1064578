"""PostgreSQL's full-text window (store/pg_window.py): the cost model picks the path a word's frequency
calls for, and every path returns exactly the newest matches, newest first (what the plain query returns)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from reportedly.ingest.batch import content_hash
from reportedly.link.passages import signatures
from reportedly.model import Article
from reportedly.store import ArticleRecord, open_store
from reportedly.store import pg_window as W
from tests._ledger import ledger_url

LEDGER = 322_231  # claims of the 13.4k-article ledger the model's costs were measured on


@pytest.mark.parametrize(("matches", "path"), [
    (3, "all"),  # a rare word: read its few matches
    (1_700, "all"),
    (7_000, "recent"),  # one claim in 46: the walk would test 46,000 claims
    (10_000, "recent"),
    (25_000, "walk"),  # one claim in 13: the walk stops within 13,000
    (300_000, "walk"),
])
def test_the_path_follows_the_words_frequency(matches: int, path: str) -> None:
    assert W.choose(matches, 1, LEDGER, 1000).name == path


def test_the_recent_range_is_where_the_window_should_fill_with_a_margin() -> None:
    lo = W.choose(7_000, 1, LEDGER, 1000).lo
    expected_reach = W.MARGIN * 1000 * LEDGER / 7_000  # claims to read, newest first, to meet 1,500 matches
    assert LEDGER - lo + 1 == pytest.approx(expected_reach, rel=0.01)
    # the more frequent the word, the fewer recent claims are read
    assert W.choose(10_000, 1, LEDGER, 1000).lo > lo


def test_an_estimate_of_no_matches_reads_them_all() -> None:
    assert W.choose(0, 1, LEDGER, 1000).name == "all"


def _records(report, text: str, n: int) -> list[ArticleRecord]:
    out = []
    for i in range(n):
        d = copy.deepcopy(report.to_dict())
        d["article"]["id"] = f"copy-{i}"
        body = text + ("\n\nAn extra sentence, for half of them." if i % 2 else "")
        out.append(ArticleRecord(d, body, content_hash(Article(d["article"]["id"], body)), signatures(body)))
    return out


@pytest.fixture(scope="module")
def seed_text() -> str:
    from tests.conftest import SEED

    return SEED.read_text(encoding="utf-8")


def test_every_path_returns_the_newest_matches_in_order(tmp_path: Path, seed_report, seed_text,
                                                        monkeypatch) -> None:
    # skipped when the PostgreSQL test server is not configured (REPORTEDLY_TEST_PG)
    with ledger_url("postgres", tmp_path) as url, open_store(url) as s:
        s.put_articles(_records(seed_report, seed_text, 6))
        lowest, highest = (int(v) for v in s._query("SELECT min(seq), max(seq) FROM attributions")[0])
        words = {w.strip(".,;:\"'").lower() for w in seed_text.split()[:80]} - {""}
        checked = 0
        for word in sorted(words):
            for window in (1, 3, 1000):
                plain = [int(r[0]) for r in s._query(W.MATCH + " ORDER BY seq DESC LIMIT ?", [word, window])]
                middle = (lowest + highest) // 2
                # recent ranges that fill the window and ones that do not (then older claims are read too)
                for path in (W.Path("walk"), W.Path("all"), W.Path("recent", middle), W.Path("recent", highest)):
                    monkeypatch.setattr(W, "choose", lambda *_a, p=path: p)
                    assert s._fts_window(word, window) == plain, (word, window, path)
                checked += bool(plain)
        assert checked > 50  # most of the words match claims
