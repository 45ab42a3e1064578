"""Reading the inputs in executors, exactly as ``ingest`` reads them (``ingest.batch.iter_articles``): one
task per input file (a .jsonl.gz is not splittable anyway; shard big corpora into many files), every
article or bad record numbered by its place in the inputs, so the run has the order ``ingest`` would give.

Paths must be readable by every executor (a local path in local mode, a shared file system on a cluster).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class InputWarning:
    """A record kept with a caveat ("unreadable publication date"): the reader logs it in the executor, where
    nobody sees it, so it travels with the records and ends in ``OUTPUT/errors`` as a ``warning:`` line."""

    message: str


class _Catch(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(" ".join(record.getMessage().split()))


def read_file(file_no: int, path: str) -> Iterator[tuple[int, Article | InputError | InputWarning]]:
    """(position, article, one-line error or warning) for every record of one input file; a warning takes the
    position of the record it is about, just before it."""
    from reportedly.ingest.batch import iter_articles

    caught: list[str] = []
    catch, logger = _Catch(caught), logging.getLogger("reportedly")
    logger.addHandler(catch)
    n = -1
    try:
        for n, item in enumerate(iter_articles([path])):
            yield from ((file_no * FILE_STRIDE + n, InputWarning(line)) for line in caught)
            caught.clear()
            yield file_no * FILE_STRIDE + n, item
        yield from ((file_no * FILE_STRIDE + n + 1, InputWarning(line)) for line in caught)
    finally:
        logger.removeHandler(catch)


def read_inputs(spark: Any, files: Sequence[str]) -> Any:
    """An RDD of (position, Article | InputError | InputWarning), one partition per input file."""
    sc = spark.sparkContext
    numbered = list(enumerate(files))
    return sc.parallelize(numbered, max(1, len(numbered))).flatMap(lambda fp: read_file(fp[0], fp[1]))
