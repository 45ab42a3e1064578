"""Incremental linking: the pass after ingesting a new batch embeds only the batch's new claim texts, reads
only what they can reach, and leaves exactly the links a relink from scratch writes, on SQLite and
PostgreSQL. Text: the relay fixtures (four outlets carrying one ministry's claim, one of them copying a
paragraph of an earlier article), then short stories analyzed by the pipeline, batch after batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportedly.ingest.batch import analyze_chunk, iter_articles
from reportedly.link import embed
from reportedly.link.incremental import relink, rules_fingerprint
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


def _story(aid: str, outlet: str, published: str, title: str, *sentences: str) -> dict[str, str]:
    return {"id": aid, "outlet": outlet, "published": published, "title": title, "text": "\n\n".join(sentences)}


BRIDGE = "the city bridge over the Nistra river would reopen to traffic on Monday after three weeks of repairs"
NO_COMMENT = "the company would not comment on the harbour dredging contract"
QUOTED = '"The company would not comment on the harbour dredging contract while the talks continue."'
# batches ingested one after another: the relay fixtures (two, then two more), a bridge claim by two speakers
# who cannot be one source (two clusters) and then by unnamed officials (compatible with both: it merges the
# two clusters), an unrelated story (touches no cluster), and a shape voiced by more and more named speakers
# until it is a formula (then the clusters its first speaker's two articles and another's two quoting its very
# words formed fall apart, but not the cluster of a third speaker's two articles quoting the formula's words
# and more at length)
BATCHES: list[list[dict[str, str]]] = [
    [_story("roe-0502", "North Post", "2022-05-02", "Bridge to reopen", f"Mayor Jane Roe said {BRIDGE}."),
     _story("vale-0503", "South Herald", "2022-05-03", "Bridge works end", f"Governor Alan Vale said {BRIDGE}."),
     _story("holt-0110", "Port Weekly", "2022-01-10", "Dredging deal", f"Dana Holt said {NO_COMMENT}."),
     _story("holt-0112", "Coast Daily", "2022-01-12", "Dredging deal questioned", f"Dana Holt said {NO_COMMENT}."),
     _story("finch-0301", "Port Weekly", "2022-03-01", "Dredging talks", f"Ada Finch said: {QUOTED}"),
     _story("finch-0303", "Coast Daily", "2022-03-03", "Dredging talks go on", f"Ada Finch said: {QUOTED}"),
     _story("vance-0305", "Port Weekly", "2022-03-05", "No word on dredging", f'Cora Vance said: "{NO_COMMENT}."'),
     _story("vance-0307", "Coast Daily", "2022-03-07", "Dredging silence", f'Cora Vance said: "{NO_COMMENT}."')],
    [],  # the relay fixtures' second half
    [_story("officials-0504", "West Gazette", "2022-05-04", "Bridge reopening", f"Officials said {BRIDGE}."),
     _story("marsh-0214", "Bay Courier", "2022-02-14", "Harbour works", f"Lee Marsh said {NO_COMMENT}.")],
    [_story("ferry-0610", "East Tribune", "2022-06-10", "New ferry route",
            "The harbour master said a new ferry route to the northern islands would open in July.")],
    [_story("oden-0320", "Island News", "2022-03-20", "Harbour contract", f"Ravi Oden said {NO_COMMENT}."),
     _story("quill-0425", "Metro Bulletin", "2022-04-25", "Contract row", f"Tom Quill said {NO_COMMENT}.")],
]


def _analyzed(rows: list[dict[str, str]], tmp: Path) -> list[ArticleRecord]:
    src = tmp / "batch.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    arts = [a for a in iter_articles([str(src)]) if not isinstance(a, Exception)]
    return [r for r in analyze_chunk(arts).items if isinstance(r, ArticleRecord)]


@pytest.fixture(scope="module")
def records(nlp) -> list[ArticleRecord]:
    arts = [a for a in iter_articles([str(RELAY)]) if not isinstance(a, Exception)]
    out = [r for r in analyze_chunk(arts).items if isinstance(r, ArticleRecord)]
    assert len(out) == 4
    return out


@pytest.fixture(scope="module")
def batches(records, tmp_path_factory) -> list[list[ArticleRecord]]:
    tmp = tmp_path_factory.mktemp("batches")
    out = [_analyzed(b, tmp) if b else [] for b in BATCHES]
    assert [len(b) for b in out] == [len(b) for b in BATCHES]
    out[0] = records[:2] + out[0]
    out[1] = records[2:]
    return out


def _links(store) -> dict[str, list[tuple]]:
    return {t: store._query(f"SELECT {cols} FROM {t} ORDER BY {cols}") for t, cols in LINK_TABLES.items()}


def _together(store, *articles: str) -> bool:
    """Whether one cluster holds a claim of every one of ``articles``."""
    rows = store._query("SELECT cluster_id, article_id FROM claim_clusters")
    by: dict[int, set[str]] = {}
    for cid, aid in rows:
        by.setdefault(cid, set()).add(aid)
    return any(set(articles) <= arts for arts in by.values())


@pytest.mark.parametrize("backend", BACKENDS)
def test_batches_link_against_the_ledger_like_a_full_relink(backend, batches, tmp_path) -> None:
    """After every batch the incremental ledger holds exactly the links of a relink from scratch; the batch
    that merges two clusters merges them, the one that makes a formula splits the cluster it covered, the
    unrelated one rewrites only its own clusters, and a pass with nothing new changes nothing."""
    seen: list[ArticleRecord] = []
    (tmp_path / "inc").mkdir()
    with ledger_url(backend, tmp_path / "inc") as inc_url, open_store(inc_url) as inc:
        for n, batch in enumerate(batches):
            before = _links(inc)
            inc.put_articles(batch)
            seen += batch
            embed.embed.cache_clear()
            rows = relink(inc)
            assert rows.incremental == (n > 0)
            if n > 0:  # the model ran once per text new to the ledger, never for one it already held
                assert embed.embed.cache_info().currsize == len(rows.new_vectors)
            after = _links(inc)
            (tmp_path / f"full{n}").mkdir()
            with ledger_url(backend, tmp_path / f"full{n}") as full_url, open_store(full_url) as full:
                full.put_articles(seen)
                relink(full)
                assert _links(full) == after, f"batch {n}"
            _check_batch(n, inc, before, after, rows, {r.id for r in batch})
        assert relink(inc).clusters == [] and _links(inc) == after  # nothing new: nothing rewritten


def _check_batch(n: int, inc, before, after, rows, new_ids: set[str]) -> None:
    if n == 0:
        assert not _together(inc, "roe-0502", "vale-0503")  # two speakers who cannot be one source
        assert _together(inc, "holt-0110", "holt-0112")  # one speaker, two articles, not yet a formula
        assert _together(inc, "finch-0301", "finch-0303") and _together(inc, "vance-0305", "vance-0307")
    if n == 1:
        assert any(c[3] > 1 for c in after["clusters"]) and after["recycled"]
    if n == 2:
        assert _together(inc, "roe-0502", "vale-0503", "officials-0504")  # merged through the unnamed source
        assert _together(inc, "holt-0110", "holt-0112")  # three speakers: still no formula
    if n == 3:  # unrelated: every cluster it wrote holds only its own claims; all others are untouched
        assert {m[0] for m in rows.members} == new_ids
        kept = {c[0] for c in rows.clusters}
        assert [c for c in before["clusters"] if c[0] not in kept] == [c for c in after["clusters"]
                                                                       if c[0] not in kept]
    if n == 4:  # four speakers, four outlets, four months: a formula, and the earlier cluster falls apart
        assert not _together(inc, "holt-0110", "holt-0112") and rows.formulaic >= 4
        assert _together(inc, "finch-0301", "finch-0303")  # the formula plus more words, quoted at length
        assert not _together(inc, "vance-0305", "vance-0307")  # the formula's words alone, quoted


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_new_batch_links_against_the_ledger_like_a_full_relink(backend, records, tmp_path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "full").mkdir()
    with ledger_url(backend, tmp_path / "inc") as inc_url, ledger_url(backend, tmp_path / "full") as full_url:
        with open_store(inc_url) as inc:
            inc.put_articles(records[:2])
            first = relink(inc)
            assert first.new_vectors and first.reused_vectors == 0 and not first.incremental
            inc.put_articles(records[2:])
            embed.embed.cache_clear()
            batch = relink(inc)
            # the model ran once per new text of the batch, never for a text the ledger already held
            assert batch.incremental and embed.embed.cache_info().currsize == len(batch.new_vectors) > 0
            assert {m[0] for m in batch.member_keys} == {r.id for r in records[2:]}  # only the batch's claims
            incremental = _links(inc)
        with open_store(full_url) as full:
            full.put_articles(records)
            scratch = relink(full)
            assert scratch.reused_vectors == 0
            assert _links(full) == incremental
        assert any(n > 1 for _, _, _, n, *_ in incremental["clusters"])  # the batch did join earlier claims
        assert incremental["recycled"]  # and the copied paragraph points back into the first batch


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_replaced_article_relinks_from_scratch(backend, records, tmp_path) -> None:
    """An article stored again with other content invalidates the state: the next pass is a full one."""
    with ledger_url(backend, tmp_path) as url, open_store(url) as store:
        store.put_articles(records)
        relink(store)
        changed = ArticleRecord(records[1].report, records[1].text + "\n", "another-hash", records[1].paragraphs)
        store.put_articles([changed])
        rows = relink(store)
        assert not rows.incremental and rows.clusters


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_state_built_under_other_linker_rules_relinks_from_scratch(backend, records, tmp_path, monkeypatch) -> None:
    """State stamped by other rules (older code: other candidate keys, another bucket cap) is rebuilt, never
    extended; under the same rules the next batch takes the local pass."""
    from reportedly.link import claims

    with ledger_url(backend, tmp_path) as url, open_store(url) as store:
        store.put_articles(records[:2])
        relink(store)
        store.put_articles(records[2:3])
        assert relink(store).incremental  # same rules: the state is extended
        monkeypatch.setattr(claims, "BUCKET_CAP", claims.BUCKET_CAP + 1)
        store.put_articles(records[3:])
        rows = relink(store)
        assert not rows.incremental and rows.clusters
        stamped = store._query("SELECT value FROM link_meta WHERE key = 'rules'")
        assert len(stamped) == 1 and stamped[0][0] == rules_fingerprint()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("gone", ["claim_vectors", "link_nodes"])
def test_a_state_without_its_vectors_or_nodes_relinks_from_scratch(backend, gone, records, tmp_path) -> None:
    """The state points at stored vectors, and its bucket rows at nodes whose band codes the pass reads
    before any embedding; when either is gone, the pass falls back to a full relink (which embeds again when
    the vectors went) rather than trusting a half state, and still leaves the links of a relink from scratch."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with ledger_url(backend, tmp_path / "a") as url, open_store(url) as store:
        store.put_articles(records[:2])
        relink(store)
        with store.transaction():
            store._execute(f"DELETE FROM {gone}")
        store.put_articles(records[2:])
        rows = relink(store)
        assert not rows.incremental and rows.clusters
        assert rows.new_vectors or gone != "claim_vectors"  # the vectors' loss is repaired by embedding again
        with ledger_url(backend, tmp_path / "b") as url2, open_store(url2) as full:
            full.put_articles(records)
            relink(full)
            assert _links(full) == _links(store)


class _Killed(Exception):
    """Stands for the pass being killed while it embeds."""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pass_killed_while_embedding_keeps_the_slices_it_finished(backend, records, tmp_path, monkeypatch) -> None:
    """New vectors are stored SAVE_EVERY at a time as they are computed. A relink from scratch that dies at
    its third slice (the store fails there) leaves the first two slices stored and no links; the next pass
    embeds only the rest and writes the links of a pass never interrupted."""
    from reportedly.link import vectors

    monkeypatch.setattr(vectors, "SAVE_EVERY", 2)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with ledger_url(backend, tmp_path / "a") as url, open_store(url) as store:
        store.put_articles(records)
        put, saved = store.put_claim_vectors, []

        def dies_at_third_slice(rows):
            if len(saved) == 2:
                raise _Killed
            saved.append(len(rows))
            put(rows)

        monkeypatch.setattr(store, "put_claim_vectors", dies_at_third_slice)
        with pytest.raises(_Killed):
            relink(store)
        assert saved == [2, 2] and store._query("SELECT count(*) FROM claim_vectors")[0][0] == 4
        assert store._query("SELECT count(*) FROM clusters")[0][0] == 0
        monkeypatch.setattr(store, "put_claim_vectors", put)
        resumed = relink(store)
        assert resumed.reused_vectors == 4 and resumed.new_vectors
        with ledger_url(backend, tmp_path / "b") as url2, open_store(url2) as full:
            full.put_articles(records)
            whole = relink(full)
            assert len(whole.new_vectors) == 4 + len(resumed.new_vectors)
            assert _links(full) == _links(store)


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
