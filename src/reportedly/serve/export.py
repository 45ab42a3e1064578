"""Exports of the ledger's claims: JSON Lines, CSV and Parquet (pyarrow), one row per claim.

Every format carries the same flat columns (``Store.CLAIM_COLUMNS``). CSV cells that a spreadsheet would
run as a formula (leading ``= + - @``, tab or CR) are prefixed with a quote: article text is hostile input.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

FORMATS = ("jsonl", "csv", "parquet")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

# column -> pyarrow type name (kept here so the Parquet schema does not depend on the first row)
PARQUET_TYPES = {
    "article_id": "string", "attr_id": "string", "outlet": "string", "published": "string", "title": "string",
    "source_text": "string", "source_name": "string", "source_kind": "string", "cue": "string", "kind": "string",
    "content": "string", "channel_type": "string", "claim_date": "string", "n_hedges": "int64",
    "hedge_max": "float64", "relayed": "int64", "cluster_id": "int64", "n_origins": "int64", "origin_key": "string",
}


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _cell(v: Any) -> Any:
    if isinstance(v, str) and v.startswith(_FORMULA):
        return "'" + v
    return v


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: Iterable[str]) -> int:
    cols = list(columns)
    w = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    n = 0
    for row in rows:
        w.writerow({k: _cell(row.get(k)) for k in cols})
        n += 1
    return n


def write_parquet(rows: Iterable[dict[str, Any]], path: Path, columns: Iterable[str]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = list(columns)
    schema = pa.schema([(c, getattr(pa, PARQUET_TYPES.get(c, "string"))()) for c in cols])
    data: dict[str, list[Any]] = {c: [] for c in cols}
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for row in rows:
            for c in cols:
                data[c].append(row.get(c))
            n += 1
            if n % 50_000 == 0:
                writer.write_table(pa.Table.from_pydict(data, schema=schema))
                data = {c: [] for c in cols}
        if any(data.values()) or n == 0:
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
    return n
