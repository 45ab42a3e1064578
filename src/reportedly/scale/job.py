"""``reportedly spark run``: inputs -> analyzed reports (Parquet) -> linked claims (Parquet) -> optionally
the ledger store. The spark-submit entry point is
``serve/spark_submit.py`` (it drives the CLI, which drives this module).

Outputs are idempotent. The analysis (the expensive part: hours for a large corpus) is written chunk by
chunk by the tasks themselves (``scale.chunks``): a killed run re-run with the same inputs, bounds and chunk
size analyzes only the chunks not done, and a re-run after a complete analysis reuses it whole. Every later
output is written to a hidden temporary directory and renamed into place when complete, so a killed run
leaves whole outputs or none; the linking is redone from the analysis on every run. Paths are local or on
a file system every executor and the driver share.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reportedly.analysis import Limits
from reportedly.scale.chunks import SIZE

RUN_FILE = "_run.json"
WARNING = "warning: "  # how a caveat's line starts in OUTPUT/errors (the ingest reader's own wording)
OUTPUTS = ("reports", "errors", "claims", "clusters", "members", "origins", "relays", "recycled")


@dataclass
class RunStats:
    files: int = 0
    articles: int = 0  # analyzed and kept
    errors: int = 0  # bad records and failed analyses (one line each in errors/)
    warnings: int = 0  # records kept with a caveat (``warning:`` lines in errors/)
    superseded: int = 0  # rows whose id appears again later in the inputs (the later row wins, as in ingest)
    claims: int = 0
    clusters: int = 0
    recycled: int = 0
    reused_analysis: bool = False  # a complete analysis with the same inputs, bounds and chunk size was reused
    chunks: int = 0  # input chunks analyzed by this run (the others were done by an earlier, killed run)
    seconds: dict[str, float] = field(default_factory=dict)


def local_partitions(master: str | None) -> int | None:
    """Shuffle partitions for a local master: one per core, as the linking's shuffles carry small rows and
    every extra partition is a task to schedule in each of its many stages (spark-submit's settings decide
    on a cluster)."""
    m = re.fullmatch(r"local\[(\d+)\]", master or "")
    if m:
        return int(m.group(1))
    return 1 if master == "local" else None


def session(master: str | None, partitions: int | None) -> Any:
    """A SparkSession; ``master`` None leaves it to spark-submit. Executors run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName("reportedly").config("spark.ui.showConsoleProgress", "false")
    if master:
        if master.startswith("local"):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # one JVM does everything and is idle most of the time (the work is in the Python workers): the C1
        # JIT only, the serial collector and no whole-stage code generation for the linking's many small
        # queries halved its CPU seconds on a 12-article run (87 -> 44 s; the Python side: 28 s both times)
        b = b.master(master).config("spark.ui.enabled", "false").config("spark.driver.memory", "2g") \
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC") \
            .config("spark.sql.codegen.wholeStage", "false")
    if partitions:  # the linking's shuffles (the analysis is one task per chunk, scale.chunks)
        b = b.config("spark.sql.shuffle.partitions", str(partitions)) \
            .config("spark.default.parallelism", str(partitions))
    # workers are forked from a daemon that loaded the pipeline once (scale/daemon.py), and kept for reuse
    spark = b.config("spark.python.worker.reuse", "true") \
        .config("spark.python.daemon.module", "reportedly.scale.daemon").getOrCreate()
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


def _run_key(files: Sequence[str], limits: Limits, size: int) -> dict[str, Any]:
    stat = [[f, os.path.getsize(f), int(os.path.getmtime(f))] for f in files]
    return {"files": stat, "limits": asdict(limits), "chunk": size}


def _analyze_chunk(out: str, name: str, records: Iterable[tuple[int, Any]], limits: Limits) -> tuple[str, int, int]:
    """Analyze one chunk's records in input order and write its output (executor side)."""
    from reportedly.scale.analyze import analyze_partition
    from reportedly.scale.chunks import sorted_records, write_chunk

    rows = list(analyze_partition(sorted_records(records), limits))
    return (name, *write_chunk(Path(out), name, rows))


def analyze_stage(spark: Any, files: Sequence[str], out: Path, limits: Limits, size: int) -> int:
    """Read the inputs and analyze every chunk not done yet, one task per chunk, each task writing its own
    chunk (``scale.chunks``); returns the chunks analyzed by this run."""
    from pyspark import StorageLevel

    from reportedly.scale.chunks import chunk_name, done_chunks
    from reportedly.scale.inputs import read_inputs

    done = spark.sparkContext.broadcast(frozenset(done_chunks(out)))
    todo = read_inputs(spark, files).map(lambda kv: (chunk_name(kv[0], size), kv)) \
        .filter(lambda kv: kv[0] not in done.value).persist(StorageLevel.MEMORY_AND_DISK)
    names = sorted(todo.keys().distinct().collect())  # chunk names only (a few per thousand articles)
    if names:
        index = {n: i for i, n in enumerate(names)}
        where, lim = str(out), limits
        todo.partitionBy(len(names), lambda n: index[n]).glom() \
            .map(lambda part: _analyze_chunk(where, part[0][0], (r for _, r in part), lim) if part else None) \
            .filter(lambda r: r is not None).count()
    todo.unpersist()
    return len(names)


def errors_stage(spark: Any, out: Path) -> None:
    """The ``errors`` output: every chunk's error and warning lines, in input order, one text file."""
    from reportedly.scale import schemas
    from reportedly.scale.chunks import CHUNK_ERRORS

    folder = out / CHUNK_ERRORS
    if folder.is_dir() and any(p.suffix == ".parquet" for p in folder.iterdir()):
        notes = spark.read.schema(schemas.errors()).parquet(str(folder))
    else:
        notes = spark.createDataFrame([], schemas.errors())
    ordered = notes.orderBy("pos").select("message").coalesce(1)
    _publish(out, "errors", lambda p: ordered.write.mode("overwrite").text(p))


def resume_analysis(spark: Any, files: Sequence[str], out: Path, limits: Limits, size: int) -> tuple[bool, int]:
    """Analyze what is not analyzed yet: nothing when a run with the same inputs, bounds and chunk size
    completed its analysis; the chunks not done when one was killed; everything (old chunks cleared) when
    the inputs, bounds or chunk size changed. Returns (analysis reused, chunks analyzed by this run)."""
    from reportedly.scale.chunks import clear

    key = _run_key(files, limits, size)
    run_file = out / RUN_FILE
    try:
        before = json.loads(run_file.read_text()) if run_file.exists() else {}
    except ValueError:  # a damaged run file: nothing of the old analysis can be trusted
        before = {}
    if before.get("key") == key and before.get("complete"):
        return True, 0
    if before.get("key") != key:
        clear(out)
        run_file.write_text(json.dumps({"key": key, "complete": False}))
    n = analyze_stage(spark, files, out, limits, size)
    run_file.write_text(json.dumps({"key": key, "complete": True}))
    return False, n


def link_stage(spark: Any, out: Path, stats: RunStats) -> None:
    """Link the analyzed corpus and write the link tables and the ``claims`` output."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from reportedly.scale import linking
    from reportedly.scale.chunks import read_reports

    every = read_reports(spark, out)
    latest = Window.partitionBy("id").orderBy(F.col("pos").desc())
    reports = every.withColumn("_n", F.row_number().over(latest)).where("_n = 1").drop("_n").cache()
    stats.articles = reports.count()
    stats.superseded = every.count() - stats.articles
    facts = linking.facts_frame(spark, out, reports).cache()
    # claims numbered (node) in input order: increasing, not consecutive (a distributed sort, no Python)
    members = facts.where(F.trim("content") != "").orderBy("pos", "fact_idx") \
        .select(F.monotonically_increasing_id().alias("node"), *facts.columns).cache()
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
        limits: Limits | None = None, db: str | None = None, chunk_size: int = SIZE,
        on_error: Callable[[str], None] | None = None, on_warning: Callable[[str], None] | None = None) -> RunStats:
    """The whole job; bad inputs and bad records are passed to ``on_error`` (one line each) and written to
    ``OUTPUT/errors``; none of them stops the run. Records kept with a caveat go to ``on_warning``."""
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
        t0 = time.perf_counter()
        stats.reused_analysis, stats.chunks = resume_analysis(spark, files, out, limits, chunk_size)
        errors_stage(spark, out)
        stats.seconds["analyze"] = time.perf_counter() - t0
        lines = [ln for p in sorted((out / "errors").glob("part-*")) for ln in p.read_text("utf-8").splitlines()]
        errors = [ln for ln in lines if not ln.startswith(WARNING)]
        stats.errors, stats.warnings = len(errors), len(lines) - len(errors)
        for line in lines:
            if line.startswith(WARNING) and on_warning:
                on_warning(line)
            elif not line.startswith(WARNING) and on_error:
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
