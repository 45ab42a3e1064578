"""The per-partition analysis: every article through the CLI's own path (``ingest.batch.analyze_chunk``,
i.e. ``reportedly.analysis.analyze_one`` within the per-article bounds, plus the paragraph signatures the
linker needs). The spaCy pipeline is loaded once per Python worker process (``nlp.get_nlp`` keeps it), so
with Spark's worker reuse a partition pays nothing for it after the first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from reportedly.analysis import Limits
from reportedly.ingest.text import InputError
from reportedly.link.outlets import HEAD_CHARS, TAIL_CHARS, wire_agency
from reportedly.model import Article
from reportedly.store.base import ArticleRecord

CHUNK = 8  # articles per analyze_chunk call (as ingest's default batch)


def error_row(pos: int, message: str) -> dict[str, Any]:
    """One bad record: its position and the one-line reason (which names the file and line, or the id)."""
    return {"kind": "error", "pos": pos, "message": " ".join(message.split())[:2000]}


def article_row(pos: int, rec: ArticleRecord) -> dict[str, Any]:
    """One analyzed article as a row of the ``reports`` output."""
    meta = rec.report.get("article") or {}
    tail = rec.text[-TAIL_CHARS:] if len(rec.text) > TAIL_CHARS else rec.text
    return {"kind": "article", "pos": pos, "id": rec.id, "content_hash": rec.content_hash,
            "url": meta.get("url"), "outlet": meta.get("outlet"), "title": meta.get("title"),
            "byline": meta.get("byline"), "published": meta.get("published"),
            "wire": wire_agency(meta.get("byline"), rec.text[:HEAD_CHARS], tail),
            "report": json.dumps(rec.report, ensure_ascii=False), "text": rec.text,
            "paragraphs": [{"idx": i, "start": s, "end": e, "sig": sig} for i, s, e, sig in rec.paragraphs]}


def _flush(chunk: list[tuple[int, Article]], limits: Limits) -> Iterator[dict[str, Any]]:
    from reportedly.ingest.batch import analyze_chunk

    done = analyze_chunk([a for _, a in chunk], limits)
    for (pos, _), item in zip(chunk, done.items, strict=True):
        yield article_row(pos, item) if isinstance(item, ArticleRecord) else error_row(pos, item)


def analyze_partition(records: Iterable[tuple[int, Article | InputError]], limits: Limits) -> Iterator[dict[str, Any]]:
    """Rows (articles and errors) for one partition of (position, Article | InputError)."""
    chunk: list[tuple[int, Article]] = []
    for pos, item in records:
        if isinstance(item, InputError):
            yield error_row(pos, str(item))
            continue
        chunk.append((pos, item))
        if len(chunk) >= CHUNK:
            yield from _flush(chunk, limits)
            chunk = []
    if chunk:
        yield from _flush(chunk, limits)
