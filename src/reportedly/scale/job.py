"""``reportedly spark run``: inputs -> analyzed reports (Parquet) -> linked claims (Parquet) -> optionally
the ledger store. Also the spark-submit entry point (``python -m reportedly.scale.job`` or this file).

Outputs are idempotent: each stage is written to a hidden temporary directory in overwrite mode and renamed
into place only when complete, so a killed run leaves whole stages or none, and a re-run gives the same
result. A re-run with the same inputs and settings reuses a complete analysis stage (the expensive one) and
redoes the linking. Paths are local or on a file system every executor and the driver share.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reportedly.analysis import Limits

RUN_FILE = "_run.json"
OUTPUTS = ("reports", "errors", "claims", "clusters", "members", "origins", "relays", "recycled")


@dataclass
class RunStats:
    files: int = 0
    articles: int = 0  # analyzed and kept
    errors: int = 0  # bad records and failed analyses (one line each in errors/)
    superseded: int = 0  # rows whose id appears again later in the inputs (the later row wins, as in ingest)
    claims: int = 0
    clusters: int = 0
    recycled: int = 0
    reused_analysis: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def local_partitions(master: str | None) -> int | None:
    """Partitions for a local master: four per core (spark-submit's settings decide on a cluster)."""
    m = re.fullmatch(r"local\[(\d+)\]", master or "")
    if m:
        return 4 * int(m.group(1))
    return 4 if master == "local" else None


def session(master: str | None, partitions: int | None) -> Any:
    """A SparkSession; ``master`` None leaves it to spark-submit. Executors run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName("reportedly").config("spark.ui.showConsoleProgress", "false")
    if master:
        if master.startswith("local"):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        b = b.master(master).config("spark.ui.enabled", "false").config("spark.driver.memory", "2g")
    if partitions:  # the linking's shuffles carry small rows: fewer, larger partitions than the analysis
        shuffle = str(max(1, partitions // 4))
        b = b.config("spark.sql.shuffle.partitions", shuffle).config("spark.default.parallelism", shuffle)
    spark = b.config("spark.python.worker.reuse", "true").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _publish(out: Path, name: str, write: Callable[[str], None]) -> None:
    """Write one output to a temporary path, then move it into place (a killed run leaves no half stage)."""
    tmp = out / f".tmp-{name}"
    write(str(tmp))
    final = out / name
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)


def _run_key(files: Sequence[str], limits: Limits) -> dict[str, Any]:
    stat = [[f, os.path.getsize(f), int(os.path.getmtime(f))] for f in files]
    return {"files": stat, "limits": asdict(limits)}


def analyze_stage(spark: Any, files: Sequence[str], out: Path, limits: Limits, partitions: int) -> None:
    """Read and analyze every input; write ``reports`` (Parquet) and ``errors`` (one text line each)."""
    from pyspark import StorageLevel

    from reportedly.scale import schemas
    from reportedly.scale.analyze import analyze_partition
    from reportedly.scale.inputs import read_inputs

    records = read_inputs(spark, files).repartition(partitions)
    rows = records.mapPartitions(lambda part: analyze_partition(part, limits)).persist(StorageLevel.MEMORY_AND_DISK)
    cols = schemas.names(schemas.reports())
    reports = spark.createDataFrame(rows.filter(lambda r: r["kind"] == "article")
                                    .map(lambda r: tuple(r[c] for c in cols)), schemas.reports())
    errors = spark.createDataFrame(rows.filter(lambda r: r["kind"] == "error")
                                   .map(lambda r: (r["pos"], r["message"])), schemas.errors())
    _publish(out, "reports", lambda p: reports.write.mode("overwrite").parquet(p))
    _publish(out, "errors", lambda p: errors.orderBy("pos").select("message").coalesce(1)
             .write.mode("overwrite").text(p))
    rows.unpersist()


def link_stage(spark: Any, out: Path, stats: RunStats) -> None:
    """Link the analyzed corpus and write the link tables and the ``claims`` output."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from reportedly.scale import linking

    every = spark.read.parquet(str(out / "reports"))
    latest = Window.partitionBy("id").orderBy(F.col("pos").desc())
    reports = every.withColumn("_n", F.row_number().over(latest)).where("_n = 1").drop("_n").cache()
    stats.articles = reports.count()
    stats.superseded = every.count() - stats.articles
    facts = linking.facts_frame(spark, reports).cache()
    ordered = facts.where(F.trim("content") != "").rdd.sortBy(lambda r: (r.pos, r.fact_idx)).zipWithIndex() \
        .map(lambda kv: (kv[1], *kv[0]))
    members = spark.createDataFrame(ordered, "node long, " + ", ".join(
        f"{f.name} {f.dataType.simpleString()}" for f in facts.schema.fields)).cache()
    paras = linking.paragraph_frame(spark, reports).cache()
    recycled = linking.recycled_passages(spark, paras).cache()
    clusters = linking.claim_clusters(spark, members)
    tables = linking.origin_tables(spark, members, clusters, recycled, paras)
    tables["recycled"] = recycled
    for name in ("recycled", "clusters", "members", "origins", "relays"):
        _publish(out, name, tables[name].write.mode("overwrite").parquet)
    done = {n: spark.read.parquet(str(out / n)) for n in ("clusters", "members")}
    claims = facts.withColumnRenamed("origin_key", "fact_origin_key").drop("wire") \
        .join(done["members"].withColumnRenamed("article_id", "aid").withColumnRenamed("attr_id", "xid"),
              (F.col("article_id") == F.col("aid")) & (F.col("attr_id") == F.col("xid")), "left") \
        .drop("aid", "xid").join(done["clusters"].select("cluster_id", "n_origins"), "cluster_id", "left")
    from reportedly.scale import schemas

    claims = claims.select(*schemas.names(schemas.claims()))
    _publish(out, "claims", lambda p: claims.write.mode("overwrite").parquet(p))
    stats.claims = spark.read.parquet(str(out / "claims")).count()
    stats.clusters = done["clusters"].count()
    stats.recycled = spark.read.parquet(str(out / "recycled")).count()


def run(inputs: Sequence[str], output: str, master: str | None = "local[2]", partitions: int | None = None,
        limits: Limits | None = None, db: str | None = None,
        on_error: Callable[[str], None] | None = None) -> RunStats:
    """The whole job; bad inputs and bad records are passed to ``on_error`` (one line each) and written to
    ``OUTPUT/errors``; none of them stops the run."""
    from reportedly.scale.inputs import input_files

    limits = limits or Limits()
    stats = RunStats()
    files, missing = input_files(inputs)
    for line in missing:
        if on_error:
            on_error(line)
    stats.files = len(files)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    partitions = partitions or local_partitions(master)
    spark = session(master, partitions)
    try:
        parts = partitions or max(2, spark.sparkContext.defaultParallelism * 4)
        key = _run_key(files, limits)
        run_file = out / RUN_FILE
        t0 = time.perf_counter()
        if (out / "reports" / "_SUCCESS").exists() and (out / "errors").exists() and run_file.exists() \
                and json.loads(run_file.read_text()) == key:
            stats.reused_analysis = True
        else:
            run_file.unlink(missing_ok=True)
            analyze_stage(spark, files, out, limits, parts)
            run_file.write_text(json.dumps(key))
        stats.seconds["analyze"] = time.perf_counter() - t0
        errors = [ln for p in sorted((out / "errors").glob("part-*")) for ln in p.read_text("utf-8").splitlines()]
        stats.errors = len(errors)
        for line in errors:
            if on_error:
                on_error(line)
        t1 = time.perf_counter()
        link_stage(spark, out, stats)
        stats.seconds["link"] = time.perf_counter() - t1
        if db:
            from reportedly.scale.load import load

            t2 = time.perf_counter()
            load(spark, out, db)
            stats.seconds["load"] = time.perf_counter() - t2
    finally:
        spark.stop()
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    """spark-submit entry point: the same arguments as ``reportedly spark run`` (master from spark-submit)."""
    from reportedly.serve.cli import app

    args = list(sys.argv[1:] if argv is None else argv)
    if "--master" not in args:
        args += ["--master", ""]
    try:
        app(["spark", "run", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
