"""Reading the inputs in executors, exactly as ``ingest`` reads them (``ingest.batch.iter_articles``): one
task per input file (a .jsonl.gz is not splittable anyway; shard big corpora into many files), every
article or bad record numbered by its place in the inputs, so the run has the order ``ingest`` would give.

Paths must be readable by every executor (a local path in local mode, a shared file system on a cluster).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from reportedly.ingest.batch import expand
from reportedly.ingest.text import InputError
from reportedly.model import Article

FILE_STRIDE = 1_000_000_000_000  # a record's position: file number * FILE_STRIDE + its place in the file


def input_files(inputs: Sequence[str]) -> tuple[list[str], list[str]]:
    """The files the inputs name (directories walked as ingest walks them), and one line per missing input."""
    files, missing = [], []
    for item in expand(inputs):
        if isinstance(item, InputError):
            missing.append(str(item))
        else:
            files.append(str(item))
    return files, missing


def read_file(file_no: int, path: str) -> Iterator[tuple[int, Article | InputError]]:
    """(position, article or one-line error) for every record of one input file."""
    from reportedly.ingest.batch import iter_articles

    for n, item in enumerate(iter_articles([path])):
        yield file_no * FILE_STRIDE + n, item


def read_inputs(spark: Any, files: Sequence[str]) -> Any:
    """An RDD of (position, Article | InputError), one partition per input file."""
    sc = spark.sparkContext
    numbered = list(enumerate(files))
    return sc.parallelize(numbered, max(1, len(numbered))).flatMap(lambda fp: read_file(fp[0], fp[1]))
