"""``reportedly spark run``: the corpus through the pipeline on Apache Spark (optional extra ``spark``).

Errors are one line each on stderr (and in OUTPUT/errors, with the warnings: records kept with a caveat);
a bad record never stops the job; the exit code
is 1 when some records failed, 2 for bad usage (pyspark or Java missing included).
"""

from __future__ import annotations

import shutil
from typing import Annotated

import typer
from rich.console import Console

from reportedly.scale import CHUNK_SIZE
from reportedly.serve.options import DEFAULT_LIMITS, MaxChars, MaxMemory, MaxSeconds, ModelOption, check_options

err = Console(stderr=True, highlight=False, soft_wrap=True)
spark_app = typer.Typer(add_completion=False, no_args_is_help=True,
                        help="Scale-out on Apache Spark (pip install 'reportedly[spark]'; needs Java 17).")


def _usage(msg: str) -> None:
    err.print(f"error: {msg}", markup=False)
    raise typer.Exit(2)


@spark_app.command("run")
def run_cmd(
    inputs: Annotated[list[str], typer.Argument(help="Files or directories, as for ingest (.jsonl(.gz), pages, "
                                                     "feeds, WARC).")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output directory (Parquet per table).")],
    db: Annotated[str | None, typer.Option("--db", help="Also load the result into this ledger (SQLite path or "
                                                        "postgresql://...).")] = None,
    master: Annotated[str, typer.Option("--master", help="Spark master; empty under spark-submit.")] = "local[2]",
    partitions: Annotated[int | None, typer.Option("--partitions", min=1, max=100_000,
                                                   help="Shuffle partitions of the linking (default: one per "
                                                        "local core).")] = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, max=1_000_000,
                                            help="Articles per analysis task; a killed run resumes by "
                                                 "chunk.")] = CHUNK_SIZE,
    extractor: Annotated[str, typer.Option(help="Attribution extractor (as for analyze).")] = "rules",
    model: ModelOption = None,
    max_chars: MaxChars = DEFAULT_LIMITS.max_chars,
    max_seconds: MaxSeconds = DEFAULT_LIMITS.max_seconds,
    max_memory: MaxMemory = DEFAULT_LIMITS.max_memory_mb,
) -> None:
    """Analyze and link a corpus on Spark; write reports, claims and link tables as Parquet under --output."""
    from reportedly.analysis import Limits

    check_options(None, extractor, model, [max_chars, max_seconds, max_memory])
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _usage("spark run needs pyspark: pip install 'reportedly[spark]'")
    if master and master.startswith("local") and not shutil.which("java"):
        _usage("spark run needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)")
    from reportedly.scale.job import run

    failed: list[str] = []

    def report(line: str) -> None:
        failed.append(line)
        err.print(f"error: {line}", markup=False)

    def caveat(line: str) -> None:
        err.print(line, markup=False)

    stats = run(inputs, output, master or None, partitions,
                Limits(max_chars, max_seconds, max_memory, extractor, str(model) if model else None), db, chunk_size,
                report, caveat)
    secs = sum(stats.seconds.values())
    analysis, linking = stats.seconds.get("analyze", 0.0), stats.seconds.get("link", 0.0)
    err.print(f"{stats.articles} articles, {stats.claims} claims, {stats.clusters} clusters, "
              f"{stats.recycled} recycled passages, {len(failed)} errors, {stats.warnings} warnings, "
              f"{stats.superseded} superseded "
              f"({secs:.1f} s: analysis {analysis:.1f}, linking {linking:.1f}"
              f"{'; analysis reused' if stats.reused_analysis else f'; {stats.chunks} chunks analyzed'}) -> {output}"
              + (f"; loaded into {db}" if db else ""), markup=False)
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``spark`` to the main CLI."""
    app.add_typer(spark_app, name="spark")
