"""The resumable analysis's chunking (``scale.chunks``): pure naming and done-marker rules, no Spark needed,
so they run in CI (the Spark runs themselves are in tests/test_spark.py)."""

from __future__ import annotations

from pathlib import Path

from reportedly.scale.chunks import chunk_name, done_chunks
from reportedly.scale.inputs import FILE_STRIDE


def test_chunks_cut_each_file_into_runs_of_consecutive_records_named_in_input_order() -> None:
    names = [chunk_name(pos, 3) for pos in range(7)]
    assert names == ["f000000-c000000000"] * 3 + ["f000000-c000000001"] * 3 + ["f000000-c000000002"]
    second_file = chunk_name(FILE_STRIDE + 4, 3)
    assert second_file == "f000001-c000000001"
    everything = [chunk_name(p, 3) for p in (0, 5, 2 * 3, FILE_STRIDE, FILE_STRIDE + 3, 2 * FILE_STRIDE)]
    assert everything == sorted(everything)  # names sort as the records do


def test_only_a_chunks_renamed_reports_file_marks_it_done(tmp_path: Path) -> None:
    assert done_chunks(tmp_path) == set()
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "f000000-c000000000.parquet").write_bytes(b"x")
    (reports / ".f000000-c000000001.parquet.0123.tmp").write_bytes(b"half")  # a write killed mid-way
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "f000000-c000000002.parquet").write_bytes(b"x")  # written before its reports file
    assert done_chunks(tmp_path) == {"f000000-c000000000"}
