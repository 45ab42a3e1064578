"""``reportedly copy``: a ledger copied into SQLite and PostgreSQL holds the same articles, claims, links and
embeddings as its source; an interrupted copy goes on where it stopped; a second copy changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reportedly.store import open_store
from reportedly.store import queries as Q
from reportedly.store.copy import ARTICLE_PARTS, LINK_TABLES, columns, copy_ledger
from tests._ledger import BACKENDS, ledger_url
from tests._web import build_ledger

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The web fixture corpus (demo and hostile articles), ingested and linked into SQLite."""
    url = str(tmp_path_factory.mktemp("copy") / "source.db")
    build_ledger(url, with_seed=False)
    return url


_ORDER = {"articles": "seq", "attributions": "seq"}


def _nulls_first(row: tuple[Any, ...]) -> list[tuple[bool, Any]]:
    return [(v is not None, "" if v is None else v) for v in row]


def snapshot(url: str) -> dict[str, Any]:
    """Every copied row of the ledger, in a backend-neutral order (claims in their ledger order)."""
    with open_store(url, migrate=False) as st:
        out: dict[str, Any] = {}
        for table in ("articles", *ARTICLE_PARTS, *LINK_TABLES, "claim_vectors"):
            cols = sorted(columns(st, table))
            rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
                    for r in st._query(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {_ORDER.get(table, '1')}")]
            # the ledger order where it means something, else sorted here (the backends sort NULLs apart)
            out[table] = rows if table in _ORDER else sorted(rows, key=_nulls_first)
        return out


def stop_after_first_batch(done: int, total: int) -> None:
    """A progress callback that interrupts the copy after its first batch, as a killed process would."""
    raise KeyboardInterrupt


@pytest.mark.parametrize("backend", BACKENDS)
def test_copy_carries_the_whole_ledger(source: str, backend: str, tmp_path: Path) -> None:
    with ledger_url(backend, tmp_path) as url:
        with open_store(source) as src, open_store(url) as dst:
            stats = copy_ledger(src, dst, batch=3)
            n = int(src._query("SELECT count(*) FROM articles")[0][0])
            assert (stats.articles, stats.present, stats.links) == (n, 0, True)
            # the copy answers the same search with the same claims, in the same order
            f = Q.ClaimQuery(q="said", sort="-published", limit=200)
            assert [(c["article_id"], c["attr_id"]) for c in Q.search_claims(dst, f).items] == \
                   [(c["article_id"], c["attr_id"]) for c in Q.search_claims(src, f).items]
        mine, theirs = snapshot(source), snapshot(url)
        assert mine["attributions"] and mine["clusters"]  # a fixture with claims and links to copy
        assert theirs == mine


def test_an_interrupted_copy_goes_on_and_a_second_changes_nothing(source: str, tmp_path: Path) -> None:
    url = str(tmp_path / "copy.db")

    with open_store(source) as src, open_store(url) as dst:
        with pytest.raises(KeyboardInterrupt):
            copy_ledger(src, dst, batch=2, progress=stop_after_first_batch)
        assert int(dst._query("SELECT count(*) FROM articles")[0][0]) == 2
        again = copy_ledger(src, dst, batch=2)
        assert again.present == 2 and again.articles > 0 and again.links
        third = copy_ledger(src, dst, batch=2)
        assert (third.articles, third.claims, third.vectors) == (0, 0, 0)
        assert third.present == again.present + again.articles
    assert snapshot(url) == snapshot(source)


def test_links_are_left_alone_when_the_destination_holds_other_articles(source: str, tmp_path: Path) -> None:
    url = str(tmp_path / "mixed.db")
    with open_store(source) as src, open_store(url) as dst:
        dst._execute("INSERT INTO articles (id, content_hash, chars, n_attributions, text, report, ingested_at)"
                     " VALUES ('elsewhere', 'h', 4, 0, 'Text', '{}', '2022-01-01')")
        stats = copy_ledger(src, dst)
        assert stats.articles > 0 and not stats.links
        assert dst._query("SELECT count(*) FROM clusters")[0][0] == 0


def test_the_command_copies_and_refuses_bad_ledgers(source: str, tmp_path: Path) -> None:
    dst = tmp_path / "cli.db"
    run = [str(BIN / "reportedly"), "copy"]
    ok = subprocess.run([*run, source, str(dst)], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert "articles copied (0 already there)" in ok.stderr and "links copied" in ok.stderr
    assert snapshot(str(dst)) == snapshot(source)
    for args, message in (([source, source], "the same ledger as the source"),
                          ([str(tmp_path / "missing.db"), str(dst)], "no such ledger")):
        bad = subprocess.run([*run, *args], capture_output=True, text=True, timeout=120)
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr, bad.stderr


def test_copied_links_replace_the_destinations_link_state(source: str, tmp_path: Path) -> None:
    """A destination linked on part of the ledger keeps incremental state for those links; once the copy
    brings the source's links, that state is stale and must go, so the next pass relinks from scratch."""
    from reportedly.link.incremental import relink
    from reportedly.store.link_state import STATE_TABLES

    url = str(tmp_path / "partial.db")

    with open_store(source) as src, open_store(url) as dst:
        with pytest.raises(KeyboardInterrupt):
            copy_ledger(src, dst, batch=2, progress=stop_after_first_batch)
        relink(dst)
        assert dst._query("SELECT count(*) FROM link_articles")[0][0] == 2  # state for the two copied
        assert copy_ledger(src, dst, batch=2).links
        assert all(dst._query(f"SELECT count(*) FROM {t}")[0][0] == 0 for t in STATE_TABLES)
        relink(dst)
    assert snapshot(url) == snapshot(source)
