"""The analysis output by input chunk, so a killed run resumes where it stopped.

The inputs are cut into chunks of consecutive records (``size`` records of one file: positions
``file * FILE_STRIDE + n`` with the same ``n // size``). Each chunk is one Spark task, and the task itself
writes the chunk's output when it is complete: its bad records and warnings to ``chunk_errors/NAME.parquet``,
its attribution facts (with their claim embeddings) to ``facts/NAME.parquet``, then its articles to
``reports/NAME.parquet`` (each written to a hidden temporary file, then renamed). The
reports file is the chunk's done-marker: a re-run skips every chunk that has one. A stage-level DataFrame
write would commit only when the whole stage is done, so a kill after nine hours of analysis would lose all
nine. The chunk's content is a function of its records only, so a resumed run writes what an uninterrupted
run writes. Files are written with pyarrow on a path every executor shares (local, or a shared mount).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from reportedly.scale import CHUNK_SIZE
from reportedly.scale.inputs import FILE_STRIDE

REPORTS = "reports"
FACTS = "facts"
CHUNK_ERRORS = "chunk_errors"
SIZE = CHUNK_SIZE


def chunk_name(pos: int, size: int) -> str:
    """The chunk a record position belongs to: ``fFILE-cINDEX`` (names sort in input order)."""
    return f"f{pos // FILE_STRIDE:06d}-c{(pos % FILE_STRIDE) // size:09d}"


def done_chunks(out: Path) -> set[str]:
    """Chunks whose output is complete (their reports file exists)."""
    folder = out / REPORTS
    if not folder.is_dir():
        return set()
    return {p.name[:-len(".parquet")] for p in folder.iterdir() if p.name.endswith(".parquet")
            and not p.name.startswith(".")}


def _arrow_schema(spark_schema: Any) -> Any:
    """The pyarrow schema of a Spark StructType from ``scale.schemas`` (the types they use)."""
    import pyarrow as pa
    from pyspark.sql import types as T

    def conv(t: Any) -> Any:
        simple = {T.StringType: pa.string(), T.LongType: pa.int64(), T.IntegerType: pa.int32(),
                  T.DoubleType: pa.float64(), T.BooleanType: pa.bool_(), T.BinaryType: pa.binary()}
        if isinstance(t, T.ArrayType):
            return pa.list_(conv(t.elementType))
        if isinstance(t, T.StructType):
            return pa.struct([pa.field(f.name, conv(f.dataType)) for f in t.fields])
        return simple[type(t)]

    return pa.schema([pa.field(f.name, conv(f.dataType)) for f in spark_schema.fields])


def _write(table: Any, path: Path) -> None:
    """Write ``table`` to ``path`` atomically (hidden temporary file, then rename: readers never see half)."""
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def write_chunk(out: Path, name: str, rows: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """Write one complete chunk's rows (``scale.analyze`` rows); its reports file last, as its done-marker.
    Returns (articles, error and warning lines)."""
    import pyarrow as pa

    from reportedly.scale import schemas

    report_schema = schemas.reports()
    cols = schemas.names(report_schema)
    articles = [{c: r[c] for c in cols} for r in rows if r["kind"] == "article"]
    notes = [{"pos": r["pos"], "message": r["message"]} for r in rows if r["kind"] != "article"]
    facts = [f for r in rows if r["kind"] == "article" for f in r["facts"]]
    _write(pa.Table.from_pylist(notes, schema=_arrow_schema(schemas.errors())), out / CHUNK_ERRORS /
           f"{name}.parquet")
    _write(pa.Table.from_pylist(facts, schema=_arrow_schema(schemas.facts())), out / FACTS / f"{name}.parquet")
    _write(pa.Table.from_pylist(articles, schema=_arrow_schema(report_schema)), out / REPORTS / f"{name}.parquet")
    return len(articles), len(notes)


def read_reports(spark: Any, out: Path) -> Any:
    """Every analyzed article of the run (all chunks), superseded rows included, as a DataFrame."""
    from reportedly.scale import schemas

    if not any((out / REPORTS).glob("*.parquet")):
        return spark.createDataFrame([], schemas.reports())
    return spark.read.schema(schemas.reports()).parquet(str(out / REPORTS))


def clear(out: Path) -> None:
    """Remove every chunk's output (the inputs or the bounds changed: nothing of it is valid)."""
    import shutil

    for folder in (REPORTS, FACTS, CHUNK_ERRORS):
        shutil.rmtree(out / folder, ignore_errors=True)


def sorted_records(records: Iterable[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """A chunk's records in input order (a shuffle delivers them in any order)."""
    return sorted(records, key=lambda kv: kv[0])
