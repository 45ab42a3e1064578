"""The ledger store on both backends (SQLite file, PostgreSQL server): migrations, idempotent writes,
queries, full-text search, exports. Real reports: the seed article analysed by the real pipeline."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest

from reportedly.ingest.batch import content_hash
from reportedly.link.incremental import relink
from reportedly.link.passages import signatures
from reportedly.model import Article
from reportedly.store import ArticleRecord, ClaimFilter, StoreError, open_store
from reportedly.store.schema import LATEST
from tests._ledger import BACKENDS, ledger_url


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with ledger_url(request.param, tmp_path) as url, open_store(url) as s:
        yield s


def _record(report, text: str, id: str | None = None, published: str | None = None) -> ArticleRecord:
    d = copy.deepcopy(report.to_dict())
    if id:
        d["article"]["id"] = id
    if published:
        d["article"]["published"] = published
    art = Article(d["article"]["id"], text, published=d["article"]["published"])
    return ArticleRecord(d, text, content_hash(art), signatures(text))


@pytest.fixture(scope="module")
def seed_text() -> str:
    from tests.conftest import SEED

    return SEED.read_text(encoding="utf-8")


def test_migrations_apply_once(store) -> None:
    assert store.schema_version() == LATEST
    assert store.migrate() == []  # reopening an up-to-date ledger applies nothing


@pytest.mark.parametrize("backend", BACKENDS)
def test_old_ledger_upgrades_in_place(backend: str, tmp_path: Path) -> None:
    from reportedly.store.schema import BOOTSTRAP, MIGRATIONS

    with ledger_url(backend, tmp_path) as url:
        with open_store(url, migrate=False) as old, old.transaction():  # a ledger made by schema version 1
            old._execute(BOOTSTRAP)
            for stmt in MIGRATIONS[0].statements(old.dialect):
                old._execute(stmt)
            old._execute("INSERT INTO schema_migrations VALUES (1, 'core', 'then')")
        with open_store(url, migrate=False) as s:
            assert s.schema_version() == 1
            assert s.migrate() == [m.version for m in MIGRATIONS[1:]]
            assert s.schema_version() == LATEST
            assert s.counts()["articles"] == 0


def test_put_is_idempotent_and_replaces_changed_articles(store, seed_report, seed_text) -> None:
    rec = _record(seed_report, seed_text)
    assert store.put_articles([rec]) == 1
    assert store.put_articles([rec]) == 0  # same id, same hash: skipped
    c = store.counts()
    assert c["articles"] == 1 and c["attributions"] == len(seed_report.attributions) > 0
    changed = _record(seed_report, seed_text + "\nA correction was appended.\n")
    changed.report["attributions"] = changed.report["attributions"][:2]
    assert store.put_articles([changed]) == 1
    c = store.counts()
    assert c["articles"] == 1 and c["attributions"] == 2
    assert c["partial_articles"] == c["orphan_attributions"] == c["orphan_paragraphs"] == 0
    assert store.known_hashes() == {"seed-article": changed.content_hash}


def test_failed_batch_leaves_nothing(store, seed_report, seed_text) -> None:
    good = _record(seed_report, seed_text, id="good")
    bad = _record(seed_report, seed_text, id="bad")
    bad.report["attributions"] = [bad.report["attributions"][0]] * 2  # duplicate primary key mid-batch
    with pytest.raises(Exception):  # noqa: B017 - each driver raises its own IntegrityError
        store.put_articles([good, bad])
    assert store.counts()["articles"] == 0  # the whole batch rolled back, "good" included


def test_claim_queries_and_full_text_search(store, seed_report, seed_text) -> None:
    store.put_articles([_record(seed_report, seed_text)])
    relink(store)
    everything = store.claims(ClaimFilter(limit=None))
    assert len(everything) == len(seed_report.attributions)
    telegram = store.claims(ClaimFilter(search="legion commanders"))
    assert telegram and all("legion" in r["content"].lower() for r in telegram)
    assert store.claims(ClaimFilter(search="zeppelin")) == []
    # hostile search text is data, not query syntax
    assert isinstance(store.claims(ClaimFilter(search='"NLAW" OR content:* NEAR( ) -- \'; DROP TABLE x')), list)
    hedged = store.claims(ClaimFilter(hedged=True, limit=None))
    assert all(r["n_hedges"] > 0 for r in hedged)
    assert len(hedged) == sum(1 for a in seed_report.attributions if a.hedges)
    assert store.claims(ClaimFilter(since="2022-04-02")) == []
    assert len(store.claims(ClaimFilter(since="2022-04-01", limit=None))) == len(everything)
    assert store.claims(ClaimFilter(outlet="no such outlet")) == []
    assert all(r["n_origins"] == 1 for r in everything)  # one article: every cluster has one origin
    assert store.claims(ClaimFilter(min_origins=2)) == []
    show = store.show("seed-article")
    assert show is not None and show["published"] == "2022-04-01" and len(show["claims"]) == len(everything)
    assert store.show("missing") is None


def test_sources_count_citations(store, seed_report, seed_text) -> None:
    store.put_articles([_record(seed_report, seed_text)])
    rows = store.sources()
    assert sum(r["citations"] for r in rows) == sum(1 for a in seed_report.attributions if a.source)
    assert all(r["first_hand"] + r["relayed"] == r["citations"] for r in rows)


def test_exports_round_trip(store, seed_report, seed_text, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from reportedly.serve.export import write_csv, write_jsonl, write_parquet

    store.put_articles([_record(seed_report, seed_text)])
    relink(store)
    n = len(seed_report.attributions)
    buf = io.StringIO()
    assert write_jsonl(store.export_rows(), buf) == n
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert {r["attr_id"] for r in rows} == {a.id for a in seed_report.attributions}
    buf = io.StringIO()
    assert write_csv(store.export_rows(), buf, store.CLAIM_COLUMNS) == n
    assert len(list(csv.DictReader(io.StringIO(buf.getvalue())))) == n
    out = tmp_path / "claims.parquet"
    assert write_parquet(store.export_rows(), out, store.CLAIM_COLUMNS) == n
    table = pq.read_table(out)
    assert table.num_rows == n and table.column_names == list(store.CLAIM_COLUMNS)


def test_csv_cells_cannot_become_formulas() -> None:
    from reportedly.serve.export import write_csv

    buf = io.StringIO()
    write_csv([{"content": "=HYPERLINK(\"http://x\")", "cue": "said"}], buf, ["content", "cue"])
    assert list(csv.DictReader(io.StringIO(buf.getvalue())))[0]["content"].startswith("'=")


def test_bad_urls_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown database URL"):
        open_store("mysql://x/y")
    with pytest.raises(StoreError, match="is a directory"):
        open_store(str(tmp_path))
    with pytest.raises(StoreError) as exc:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in str(exc.value) and "\n" not in str(exc.value)
