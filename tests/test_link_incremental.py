"""Incremental linking: the pass after ingesting a new batch embeds only the batch's new claim texts (the
others' vectors are read back from the ledger) and leaves exactly the links a relink from scratch writes,
on SQLite and PostgreSQL. Real text: the relay fixtures (four outlets carrying one ministry's claim, one
of them copying a paragraph of an earlier article), ingested two, then two more."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportedly.ingest.batch import analyze_chunk, iter_articles
from reportedly.link import embed
from reportedly.link.origins import relink
from reportedly.link.vectors import DIM, claim_vectors, text_key
from reportedly.store import ArticleRecord, open_store
from tests._ledger import BACKENDS, ledger_url

RELAY = Path(__file__).parent / "fixtures" / "relay"
LINK_TABLES = {
    "recycled": "article_id, para_idx, start_char, end_char, source_article_id, source_para_idx, similarity, earlier",
    "clusters": "cluster_id, label, n_claims, n_articles, n_origins, first_published, first_article_id",
    "claim_clusters": "article_id, attr_id, cluster_id, origin_key",
    "origins": "cluster_id, origin_key, name, kind, channel, origin_date, first_published, first_article_id,"
               " n_articles",
    "relays": "cluster_id, origin_key, position, article_id, outlet, published, via, relayed_from",
}


@pytest.fixture(scope="module")
def records(nlp) -> list[ArticleRecord]:
    arts = [a for a in iter_articles([str(RELAY)]) if not isinstance(a, Exception)]
    out = [r for r in analyze_chunk(arts).items if isinstance(r, ArticleRecord)]
    assert len(out) == 4
    return out


def _links(store) -> dict[str, list[tuple]]:
    return {t: store._query(f"SELECT {cols} FROM {t} ORDER BY {cols}") for t, cols in LINK_TABLES.items()}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_new_batch_links_against_the_ledger_like_a_full_relink(backend, records, tmp_path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "full").mkdir()
    with ledger_url(backend, tmp_path / "inc") as inc_url, ledger_url(backend, tmp_path / "full") as full_url:
        with open_store(inc_url) as inc:
            inc.put_articles(records[:2])
            first = relink(inc)
            assert first.new_vectors and first.reused_vectors == 0
            inc.put_articles(records[2:])
            embed.embed.cache_clear()
            batch = relink(inc)
            # the model ran once per new text of the batch, never for a text the ledger already held
            assert embed.embed.cache_info().currsize == len(batch.new_vectors) > 0
            assert batch.reused_vectors >= len(first.new_vectors)
            incremental = _links(inc)
        with open_store(full_url) as full:
            full.put_articles(records)
            scratch = relink(full)
            assert scratch.reused_vectors == 0
            assert _links(full) == incremental
        assert any(n > 1 for _, _, _, n, *_ in incremental["clusters"])  # the batch did join earlier claims
        assert incremental["recycled"]  # and the copied paragraph points back into the first batch


@pytest.mark.parametrize("backend", BACKENDS)
def test_stored_vectors_are_reused_and_a_damaged_one_is_recomputed(backend, tmp_path) -> None:
    texts = ["the ministry said its forces had recaptured two villages east of the city",
             "officials said the bridge would reopen to traffic on Monday after repairs"]
    with ledger_url(backend, tmp_path) as url, open_store(url) as store:
        first = claim_vectors(texts, store.claim_vectors)
        assert first.reused == 0 and len(first.new) == 2
        store.put_claim_vectors(first.new)
        store.put_claim_vectors(first.new)  # storing twice keeps one row per text
        again = claim_vectors(texts, store.claim_vectors)
        assert again.reused == 2 and not again.new and again.by_text == first.by_text
        assert all(len(v) == DIM * 4 for v in again.by_text.values())
        with store.transaction():
            store._execute("UPDATE claim_vectors SET vector = ? WHERE text_key = ?", (b"\x00" * 7, text_key(texts[0])))
        fixed = claim_vectors(texts, store.claim_vectors)
        assert fixed.reused == 1 and [k for k, _ in fixed.new] == [text_key(texts[0])]
        assert fixed.by_text == first.by_text


def test_link_command_on_an_unchanged_ledger_embeds_nothing(records, tmp_path) -> None:
    import subprocess
    import sys

    db = tmp_path / "ledger.db"
    with open_store(str(db)) as store:
        store.put_articles(records)
        first = relink(store)
    cli = Path(sys.executable).parent / "reportedly"
    proc = subprocess.run([str(cli), "link", "--db", str(db)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert f"(0 claim texts embedded, {len(first.new_vectors)} read back)" in proc.stderr, proc.stderr
