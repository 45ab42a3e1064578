"""The Spark job (``reportedly spark run``, extra ``spark``) against the single-machine ``ingest`` on real
articles: the same claims, the same clusters and the same independent-origin counts; bad records one line
each in the errors output, never a failed job; a re-run over the same output gives the same result.

Real AllSides articles (../shared/data/corpora/allsides); skipped with a reason when the corpus, pyspark
or Java is absent (`REPORTEDLY_SPARK_EXTRA=1 bash scripts/test.sh` installs the spark extra and Java).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

ALLSIDES = SHARED / "data" / "corpora" / "allsides" / "articles.jsonl.gz"
N_ARTICLES = 200  # about 3 minutes for both runs together on this quiet 2-core machine
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark not installed (extra spark)"),
    pytest.mark.skipif(shutil.which("java") is None, reason="no java on PATH (.ci/java.sh installs it)"),
]

BAD_ROWS = [b"{not json\n", json.dumps({"id": "no-text", "title": "empty"}).encode() + b"\n",
            json.dumps({"id": "odd-date", "published": "9/20", "outlet": "Test Outlet",
                        "text": "The mayor said the bridge would reopen on Monday after repairs."}).encode() + b"\n"]


def _corpus(path: Path) -> None:
    """The first N_ARTICLES rows of the real corpus, with three bad or odd rows among them."""
    with gzip.open(ALLSIDES, "rb") as src, gzip.open(path, "wb") as dst:
        for i, line in enumerate(src):
            if i >= N_ARTICLES:
                break
            dst.write(line)
            if i == 10:
                dst.writelines(BAD_ROWS)


def _ledger(url: str) -> dict[str, Any]:
    """Claims (facts and independent-origin counts), clusters as sets of claims, and origin keys."""
    from reportedly.store import ClaimFilter, open_store

    with open_store(url) as store:
        rows = store.claims(ClaimFilter(limit=None))
    claims = {(r["article_id"], r["attr_id"]): (r["source_name"], r["cue"], r["content"], r["n_hedges"],
                                                r["relayed"], r["n_origins"], r["origin_key"]) for r in rows}
    clusters: dict[Any, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        if r["cluster_id"] is not None:
            clusters[r["cluster_id"]].add((r["article_id"], r["attr_id"]))
    return {"claims": claims, "clusters": {frozenset(c) for c in clusters.values()}}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "reportedly"), *args], capture_output=True, text=True, timeout=1500)


@pytest.mark.skipif(not ALLSIDES.exists(), reason=f"{ALLSIDES} not found")
def test_spark_run_equals_single_machine_ingest(tmp_path: Path) -> None:
    corpus = tmp_path / "articles.jsonl.gz"
    _corpus(corpus)
    single = _run("ingest", str(corpus), "--db", str(tmp_path / "single.db"), "--workers", "2")
    assert single.returncode == 1  # the bad rows
    out = tmp_path / "out"
    spark = _run("spark", "run", str(corpus), "--output", str(out), "--db", str(tmp_path / "spark.db"),
                 "--master", "local[2]", "--partitions", "4")
    assert spark.returncode == 1, spark.stderr[-3000:]
    assert "Traceback" not in spark.stderr
    errors = (out / "errors").glob("part-*")
    every = [ln for p in errors for ln in p.read_text("utf-8").splitlines()]
    assert all(str(corpus) in ln for ln in every), every
    lines = [ln for ln in every if not ln.startswith("warning:")]  # the rows dropped, one line each
    assert len(lines) == 2, every
    assert any(":12: not valid JSON" in ln for ln in lines) and any(":13: missing text" in ln for ln in lines)
    warned = [ln for ln in every if ln.startswith("warning:")]  # kept, with the date unknown
    assert len(warned) == 1 and ":14: unreadable publication date" in warned[0], every

    a, b = _ledger(str(tmp_path / "single.db")), _ledger(str(tmp_path / "spark.db"))
    assert len(a["claims"]) > 500 and len(a["clusters"]) > 100
    assert b["claims"].keys() == a["claims"].keys()
    assert "odd-date" in {k[0] for k in b["claims"]}  # an unreadable date does not drop the article
    assert b["claims"] == a["claims"]
    assert b["clusters"] == a["clusters"]
    assert any(len(c) > 1 for c in b["clusters"])  # linking found cross-article clusters, not only singletons

    import pyarrow.parquet as pq

    claims = pq.read_table(out / "claims").to_pylist()
    assert len(claims) == len(b["claims"])
    before = {n: sorted(map(str, pq.read_table(out / n).to_pylist())) for n in ("clusters", "origins", "recycled")}
    again = _run("spark", "run", str(corpus), "--output", str(out), "--master", "local[2]", "--partitions", "3")
    assert "analysis reused" in again.stderr, again.stderr[-2000:]
    after = {n: sorted(map(str, pq.read_table(out / n).to_pylist())) for n in ("clusters", "origins", "recycled")}
    assert after == before


def _tables(out: Path) -> dict[str, list[str]]:
    import pyarrow.parquet as pq

    names = ("claims", "clusters", "origins", "recycled")
    got = {n: sorted(map(str, pq.read_table(out / n).to_pylist())) for n in names}
    got["errors"] = [ln for p in sorted((out / "errors").glob("part-*")) for ln in p.read_text("utf-8").splitlines()]
    return got


@pytest.mark.skipif(not ALLSIDES.exists(), reason=f"{ALLSIDES} not found")
def test_a_killed_run_resumes_from_its_done_chunks_to_the_same_result(tmp_path: Path) -> None:
    """A kill is simulated on a finished run's output: the run file says the analysis is not complete and
    only the first chunk has its done-marker (the others keep their stale facts and error files, as a task
    killed mid-write leaves them). The re-run analyzes only the other chunks and gives the same outputs."""
    corpus = tmp_path / "articles.jsonl.gz"
    with gzip.open(ALLSIDES, "rb") as src, gzip.open(corpus, "wb") as dst:
        for i, line in enumerate(src):
            if i >= 6:
                break
            dst.write(line)
            if i == 2:
                dst.writelines(BAD_ROWS)
    out = tmp_path / "out"
    args = ["spark", "run", str(corpus), "--output", str(out), "--master", "local[2]", "--chunk-size", "3"]
    first = _run(*args)
    assert first.returncode == 1 and "3 chunks analyzed" in first.stderr, first.stderr[-2000:]
    whole = _tables(out)
    assert len([ln for ln in whole["errors"] if not ln.startswith("warning:")]) == 2, whole["errors"]
    assert len(whole["claims"]) > 20

    reports = sorted((out / "reports").glob("*.parquet"))
    assert [p.name for p in reports] == [f"f000000-c{i:09d}.parquet" for i in range(3)]
    kept = reports[0].stat()
    for p in reports[1:]:
        p.unlink()
    run_file = out / "_run.json"
    run_file.write_text(json.dumps({**json.loads(run_file.read_text()), "complete": False}))
    resumed = _run(*args)
    assert resumed.returncode == 1 and "2 chunks analyzed" in resumed.stderr, resumed.stderr[-2000:]
    assert (reports[0].stat().st_ino, reports[0].stat().st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    assert _tables(out) == whole


@pytest.fixture(scope="module")
def spark_session():
    from reportedly.scale.job import session

    spark = session("local[1]", 4)
    yield spark
    spark.stop()


def test_connected_components_follow_chains_and_keep_components_apart(spark_session: Any) -> None:
    from reportedly.scale.components import connected_components

    edges = spark_session.createDataFrame([(5, 4), (4, 3), (3, 2), (2, 1), (10, 12), (12, 11)], "src long, dst long")
    labels = {r.node: r.label for r in connected_components(edges).collect()}
    assert labels == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 10: 10, 11: 10, 12: 10}


def test_bucket_pairs_bound_each_node_to_the_limit_before_it(spark_session: Any) -> None:
    from reportedly.scale.linking import bucket_pairs

    keyed = spark_session.createDataFrame([("k", n) for n in range(1, 6)] + [("j", 1), ("j", 5)],
                                          "key string, node long")
    pairs = {(r.a, r.b) for r in bucket_pairs(keyed, limit=2).collect()}
    assert pairs == {(1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (3, 5), (4, 5), (1, 5)}
