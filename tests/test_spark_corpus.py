"""The whole-corpus bench's row accounting (bench/bench_spark_corpus.py): every input row is stored,
superseded, rejected with a reason, or listed as unaccounted. No Spark needed: a run's chunk files are
written here with pyarrow as ``scale.chunks`` writes them, and the input is read by the real reader."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from bench.bench_spark_corpus import account

ROWS = [
    {"id": "a", "text": "The mayor said the bridge would reopen on Monday after repairs."},
    "{not json",
    {"id": "b", "published": "9/20", "text": "Officials said the vote was delayed until next week."},
    {"id": "a", "text": "The mayor said the bridge would reopen on Tuesday after repairs."},
    {"id": "c", "text": "The company said its profits rose sharply in the third quarter."},
]


def _input(tmp_path: Path) -> Path:
    src = tmp_path / "input.jsonl"
    src.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in ROWS))
    return src


def _spark_run(out: Path, kept: dict[int, str], errors: dict[int, str]) -> None:
    for folder, table in (("reports", pa.table({"pos": list(kept), "id": list(kept.values())})),
                          ("chunk_errors", pa.table({"pos": list(errors), "message": list(errors.values())}))):
        (out / "spark" / folder).mkdir(parents=True)
        pq.write_table(table, out / "spark" / folder / "f000000-c000000000.parquet")


def test_every_row_is_stored_superseded_or_rejected_with_its_reason(tmp_path: Path) -> None:
    src = _input(tmp_path)
    _spark_run(tmp_path, {0: "a", 2: "b", 3: "a", 4: "c"},
               {1: f"{src}:2: not valid JSON", 2: f"warning: {src}:3: unreadable publication date '9/20'"})
    acc = account("spark", tmp_path, src)
    assert acc["rows"] == 5
    assert (acc["stored"], acc["superseded"], acc["rejected"]) == (3, 1, 1)
    assert acc.get("unaccounted", 0) == 0 and acc["unaccounted_rows"] == []
    assert list(acc["reasons"]) == ["not valid JSON"]
    assert sum(acc["warnings"].values()) == 1  # the odd date: kept, counted apart


def test_a_row_the_run_never_mentions_is_listed_as_unaccounted(tmp_path: Path) -> None:
    src = _input(tmp_path)
    _spark_run(tmp_path, {0: "a", 2: "b", 3: "a"}, {1: f"{src}:2: not valid JSON"})
    acc = account("spark", tmp_path, src)
    assert acc["unaccounted"] == 1 and acc["unaccounted_rows"] == ["row 5: c"]
