"""Loading a finished run into the ledger store through the store's own write path (``put_articles`` for
the articles, their attributions, entities and paragraph signatures; ``write_links`` for the link tables),
so ``claims``, ``show``, ``export`` and ``serve`` work on it as on an ingested ledger.

Articles are streamed to the driver in input order (``toLocalIterator``, one partition at a time), so the
ledger's ingest order is the input order, as after ``ingest``. A ledger is one database written by one
writer; the link tables are replaced in one transaction, as ``reportedly link`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reportedly.store.base import ArticleRecord

BATCH = 64  # articles per write transaction


def _record(r: Any) -> ArticleRecord:
    paras = [(p.idx, p.start, p.end, bytes(p.sig)) for p in (r.paragraphs or [])]
    return ArticleRecord(report=json.loads(r.report), text=r.text, content_hash=r.content_hash, paragraphs=paras)


def load(spark: Any, out: Path, db: str) -> int:
    """Store every article of the run at ``out`` and its links in the ledger ``db``; returns articles written."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from reportedly.scale import schemas
    from reportedly.scale.chunks import read_reports
    from reportedly.store import open_store

    every = read_reports(spark, out)
    latest = Window.partitionBy("id").orderBy(F.col("pos").desc())
    reports = every.withColumn("_n", F.row_number().over(latest)).where("_n = 1").drop("_n").orderBy("pos")
    written = 0
    with open_store(db) as store:
        batch: list[ArticleRecord] = []
        for r in reports.toLocalIterator():
            batch.append(_record(r))
            if len(batch) >= BATCH:
                written += store.put_articles(batch)
                batch = []
        if batch:
            written += store.put_articles(batch)
        tables = {}
        for name in ("recycled", "clusters", "members", "origins", "relays"):
            cols = schemas.names(getattr(schemas, name)())
            tables[name] = [tuple(r) for r in spark.read.parquet(str(out / name)).select(*cols).toLocalIterator()]
        store.write_links(tables["recycled"], tables["clusters"], tables["members"], tables["origins"],
                          tables["relays"])
    return written
