"""The links are a function of the ledger, not of the process that computes them: two relinks from scratch
under different string-hash seeds (``PYTHONHASHSEED``, which orders every set and dict of strings) leave the
same five link tables. A tie decided by set order (it happened: link.passages) shows up here."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from reportedly.ingest.batch import ingest, iter_articles
from reportedly.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).resolve().parents[1] / "src" / "reportedly" / "data" / "demo"
LINK_TABLES = ("recycled", "clusters", "claim_clusters", "origins", "relays")


def _relink(db: Path, seed: str) -> dict[str, list[tuple[object, ...]]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "reportedly.serve.cli", "link", "--db", str(db)], check=True, env=env,
                   capture_output=True, text=True, timeout=600)
    con = sqlite3.connect(db)
    out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in LINK_TABLES}
    con.close()
    return out


def test_relinks_under_two_hash_seeds_leave_the_same_links(tmp_path: Path, nlp) -> None:
    base = tmp_path / "ledger.db"
    store = open_store(str(base))
    stats = ingest(store, iter_articles([str(DEMO), str(FIXTURES / "relay"), str(FIXTURES / "excerpts")]),
                   workers=1, link=False)
    store.close()
    assert stats.written >= 10 and not stats.failed
    links = []
    for seed in ("1", "2"):
        copy = tmp_path / f"seed{seed}.db"
        shutil.copyfile(base, copy)
        links.append(_relink(copy, seed))
    assert links[0]["claim_clusters"] and links[0]["recycled"], "the corpus links claims and passages"
    assert links[0] == links[1]
