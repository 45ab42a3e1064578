"""Bounded analysis for the server: one article at a time, size-capped, with a deadline.

A web request must not be able to occupy the machine: the text is capped (``MAX_CHARS``), analyses run one
at a time on a single worker thread (the parse is CPU-bound; two cores are shared with everything else) and
a caller that waits longer than the deadline gets a clear error instead of a hung request. Storing is the
same path as ``reportedly ingest`` (``analyze_chunk`` then ``put_articles`` then relink), so an article added
from the web is indistinguishable from one ingested by the CLI.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from reportedly.ingest.text import InputError, article_from_text, check_date
from reportedly.model import Article

MAX_CHARS = 100_000
DEFAULT_DEADLINE = 30.0
_ID = re.compile(r"[^A-Za-z0-9._-]+")


class AnalysisError(ValueError):
    """Input that cannot be analyzed, or an analysis that overran its deadline; ``status`` is the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class AnalysisRequest:
    text: str
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    id: str | None = None


def make_article(req: AnalysisRequest) -> Article:
    """The Article for a pasted or uploaded text, after the size, date and id checks."""
    text = req.text.replace("\x00", "")
    if not text.strip():
        raise AnalysisError("text: empty")
    if len(text) > MAX_CHARS:
        raise AnalysisError(f"text: {len(text)} characters, more than the {MAX_CHARS} allowed", 413)
    try:
        published = check_date(req.published or None, "published")
    except InputError as exc:
        raise AnalysisError(str(exc)) from None
    art_id = _ID.sub("-", (req.id or "").strip())[:120].strip("-") or "pasted"
    return article_from_text(text, id=art_id, published=published, title=_field(req.title),
                             outlet=_field(req.outlet))


def _field(value: str | None) -> str | None:
    """A short metadata field: NULs dropped, trimmed, at most 300 characters, None when empty."""
    return (value or "").replace("\x00", "").strip()[:300] or None


class Analyzer:
    """Runs analyses on one worker thread with a deadline per request."""

    def __init__(self, deadline: float = DEFAULT_DEADLINE) -> None:
        self.deadline = deadline
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportedly-analyze")

    def analyze(self, req: AnalysisRequest) -> dict[str, Any]:
        """The report@1 dict of the article in ``req``."""
        article = make_article(req)
        return self._run(_report_of, article)

    def analyze_and_store(self, req: AnalysisRequest, db_url: str) -> dict[str, Any]:
        """Analyze, store in the ledger at ``db_url`` and relink; returns the report."""
        article = make_article(req)
        return self._run(_store, article, db_url)

    def _run(self, fn: Any, *args: Any) -> dict[str, Any]:
        future = self._pool.submit(fn, *args)
        try:
            result: dict[str, Any] = future.result(timeout=self.deadline)
        except FutureTimeout:
            future.cancel()
            raise AnalysisError(f"analysis: took longer than {self.deadline:g} s (server busy or text too long)",
                                503) from None
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _report_of(article: Article) -> dict[str, Any]:
    from reportedly.ingest.batch import analyze_chunk

    item = analyze_chunk([article]).items[0]
    if isinstance(item, str):
        raise AnalysisError(item, 400)
    return item.report


def _store(article: Article, db_url: str) -> dict[str, Any]:
    from reportedly.ingest.batch import analyze_chunk
    from reportedly.link.incremental import relink
    from reportedly.store import open_store

    item = analyze_chunk([article]).items[0]
    if isinstance(item, str):
        raise AnalysisError(item, 400)
    with open_store(db_url) as store:
        store.put_articles([item])
        relink(store)
    return item.report
