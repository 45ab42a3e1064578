"""The batch runner behind ``reportedly ingest``: inputs of any supported kind -> analyzed -> ledger.

Throughput on a few cores: parsing (spaCy + reportedly's rules + building the report) happens in worker
processes, each returning the report as JSON plus the paragraph MinHash signatures; the main process only
writes. Workers are forked from a fork server that loaded the model once (``reportedly.ingest.warm``), so
they start ready and share its memory. spaCy's own ``n_process`` is not used because it ships every Doc back
to the parent (and cannot serialise the Attribution objects on ``doc._.attributions``), which would make the
parent deserialise and build reports on a core the workers need. Work is submitted in small chunks with a
bounded window, results are consumed in input order, and each chunk is written in ONE transaction: a killed
ingest leaves whole articles only, and the next run skips what is stored (same id and content hash) and does
the rest.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from reportedly.analysis import Limits
from reportedly.ingest.text import InputError
from reportedly.model import Article
from reportedly.store.base import ArticleRecord, Store

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines", ".jsonl.gz", ".ndjson.gz", ".jsonlines.gz")
FEED_SUFFIXES = (".rss", ".atom", ".xml", ".rdf")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
PAGE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(FEED_SUFFIXES):
        return "feed"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError:
        return "page"  # read_article reports the error
    from reportedly.ingest.feeds import looks_like_feed
    from reportedly.ingest.warc import looks_like_warc

    if looks_like_warc(head):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return "page"


def expand(inputs: Iterable[str]) -> Iterator[Path | InputError]:
    """Input files: named files as given, directories walked in name order (hidden entries and unknown
    suffixes skipped)."""
    known = JSONL_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES + PAGE_SUFFIXES
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p).parts
                if child.is_file() and not any(x.startswith(".") for x in rel) and child.name.lower().endswith(known):
                    yield child
        elif p.is_file():
            yield p
        else:
            yield InputError(f"{raw}: no such file or directory")


def iter_articles(inputs: Iterable[str]) -> Iterator[Article | InputError]:
    """Every article of every input, in order; problems are yielded as InputErrors, never raised."""
    from reportedly.ingest.feeds import read_feed
    from reportedly.ingest.files import read_article
    from reportedly.ingest.jsonl import read_jsonl
    from reportedly.ingest.warc import read_warc

    for item in expand(inputs):
        if isinstance(item, InputError):
            yield item
            continue
        kind = _kind(item)
        if kind == "jsonl":
            yield from read_jsonl(item)
        elif kind == "feed":
            yield from read_feed(item)
        elif kind == "warc":
            yield from read_warc(item)
        else:
            try:
                yield read_article(item)
            except InputError as exc:
                yield exc


def estimate_total(inputs: Iterable[str]) -> int | None:
    """How many articles the inputs hold, when that is cheap to know (pages and JSONL), else None."""
    from reportedly.ingest.jsonl import count_rows

    total = 0
    for item in expand(inputs):
        if isinstance(item, InputError):
            continue
        kind = _kind(item)
        if kind == "page":
            total += 1
        elif kind == "jsonl":
            total += count_rows(item)
        else:
            return None
    return total


def content_hash(article: Article) -> str:
    """What makes re-ingest idempotent: the text and the metadata that go into the report."""
    meta = [article.text, article.title, article.url, article.outlet, article.byline, article.published]
    return hashlib.sha256(json.dumps(meta, ensure_ascii=False).encode("utf-8")).hexdigest()


# --- worker side -----------------------------------------------------------------------------------------

def _worker_init(parent_pid: int, limits: Limits) -> None:
    """Die with the ingest (a killed ingest leaves no stray workers) and have the pipeline ready (a no-op
    when the fork server preloaded it).

    The worker watches the ingest process itself, not its own parent: under a fork server the parent is
    the server, which stays up as long as any worker does, so PR_SET_PDEATHSIG would never fire. A pidfd
    becomes readable when the process exits; where there is none, the worker polls once a second."""
    import select
    import threading

    try:
        pidfd: int | None = os.pidfd_open(parent_pid)
    except (AttributeError, OSError):  # no pidfd here, or the ingest is already gone
        pidfd = None

    def watch() -> None:
        if pidfd is not None:
            select.select([pidfd], [], [])
        else:
            while True:
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="reportedly-ingest-watch", daemon=True).start()
    from reportedly.nlp import get_nlp

    get_nlp(limits.extractor, limits.model_dir)


class Analyzed(NamedTuple):
    """What a worker sends back for a chunk: a record or an error line per article, and the CPU seconds
    the analysis took in the worker (the main process cannot see a fork server's workers' CPU time)."""

    items: list[ArticleRecord | str]
    cpu_seconds: float


def analyze_chunk(articles: list[Article], limits: Limits | None = None) -> Analyzed:
    """Analyze a chunk, one article at a time within ``limits``: a record per article, or an error line."""
    from reportedly.analysis import LimitExceeded, analyze_one
    from reportedly.link.passages import signatures

    cpu0 = time.process_time()
    out: list[ArticleRecord | str] = []
    for art in articles:
        try:
            report = analyze_one(art, limits or Limits()).to_dict()
            json.dumps(report)  # a report that cannot be stored is this article's failure, not the batch's
            out.append(ArticleRecord(report=report, text=art.text, content_hash=content_hash(art),
                                     paragraphs=signatures(art.text)))
        except (LimitExceeded, InputError) as exc:
            out.append(str(exc))
        except Exception as exc:  # one article's failure must not stop the batch
            out.append(f"{art.id}: analysis failed ({type(exc).__name__}: {exc})".splitlines()[0])
    return Analyzed(out, time.process_time() - cpu0)


def _worker_context() -> multiprocessing.context.BaseContext:
    """The fork server with the model preloaded, or spawn on platforms without one."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["reportedly.ingest.warm"])
    return ctx


# --- main side -------------------------------------------------------------------------------------------

@dataclass
class IngestStats:
    read: int = 0  # articles read from the inputs
    written: int = 0  # articles stored (new or changed)
    skipped: int = 0  # already stored with the same content hash
    failed: list[str] = field(default_factory=list)  # one line per bad row or failed article
    seconds: float = 0.0  # reading + analysis + writing
    analysis_cpu: float = 0.0  # CPU seconds spent analyzing, summed over workers (model loading excluded)
    link_seconds: float = 0.0


@dataclass
class _Feed:
    """The main side of one ingest: skips what is stored, cuts the rest into chunks, writes results."""

    store: Store
    stats: IngestStats
    chunk_size: int
    on_error: Callable[[str], None] | None
    on_progress: Callable[[int], None] | None
    known: dict[str, str] = field(default_factory=dict)
    queued: dict[str, str] = field(default_factory=dict)

    def progress(self, n: int) -> None:
        if self.on_progress:
            self.on_progress(n)

    def fail(self, msg: str) -> None:
        self.stats.failed.append(msg)
        if self.on_error:
            self.on_error(msg)

    def wanted(self, art: Article) -> bool:
        """False for an article stored (or queued) with the same content hash: it is counted as skipped."""
        self.stats.read += 1
        h = content_hash(art)
        if self.known.get(art.id) == h or self.queued.get(art.id) == h:
            self.stats.skipped += 1
            self.progress(1)
            return False
        self.queued[art.id] = h
        return True

    def chunks(self, articles: Iterable[Article | InputError]) -> Iterator[list[Article]]:
        chunk: list[Article] = []
        for art in articles:
            if isinstance(art, InputError):
                self.fail(str(art))
                self.progress(1)
            elif self.wanted(art):
                chunk.append(art)
                if len(chunk) >= self.chunk_size:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def consume(self, analyzed: Analyzed) -> None:
        self.stats.analysis_cpu += analyzed.cpu_seconds
        records = [r for r in analyzed.items if isinstance(r, ArticleRecord)]
        for r in analyzed.items:
            if isinstance(r, str):
                self.fail(r)
        if records:
            self.stats.written += self.store.put_articles(records)
        self.progress(len(analyzed.items))


def _pooled(feed: _Feed, articles: Iterable[Article | InputError], workers: int, limits: Limits) -> None:
    """Analyze in ``workers`` processes, results consumed in input order with a bounded window.

    Not a plain fork of this process: a forked child can deadlock on locks (BLAS, rich, sqlite) held by this
    process's threads. A fork server is a fresh single-threaded process that loads the model once
    (reportedly.ingest.warm) and forks ready workers sharing its pages; spawn where there is none. An
    executor, not a Pool: a worker that dies raises BrokenProcessPool instead of hanging the run."""
    ctx = _worker_context()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                             initargs=(os.getpid(), limits)) as pool:
        window: deque[Future[Analyzed]] = deque()
        for chunk in feed.chunks(articles):
            window.append(pool.submit(analyze_chunk, chunk, limits))
            while len(window) >= workers * 3:
                feed.consume(window.popleft().result())
        while window:
            feed.consume(window.popleft().result())


def ingest(store: Store, articles: Iterable[Article | InputError], workers: int = 1,
           chunk_size: int = 8, on_error: Callable[[str], None] | None = None,
           on_progress: Callable[[int], None] | None = None, link: bool = True,
           limits: Limits | None = None) -> IngestStats:
    """Ingest articles (e.g. ``iter_articles(paths)``) into ``store``; see the module doc for the model.

    ``on_progress(n)`` is called with the number of articles just handled (stored, skipped or failed);
    ``limits`` bounds each article and names the extractor (reportedly.analysis)."""
    limits = limits or Limits()
    stats = IngestStats()
    t0 = time.perf_counter()
    feed = _Feed(store, stats, chunk_size, on_error, on_progress, known=store.known_hashes())
    if workers <= 1:
        for chunk in feed.chunks(articles):
            feed.consume(analyze_chunk(chunk, limits))
    else:
        _pooled(feed, articles, workers, limits)
    stats.seconds = time.perf_counter() - t0
    if link:
        from reportedly.link.incremental import relink

        t1 = time.perf_counter()
        relink(store)
        stats.link_seconds = time.perf_counter() - t1
    return stats
