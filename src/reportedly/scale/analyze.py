"""The per-chunk analysis: every article through the CLI's own path (``ingest.batch.analyze_chunk``,
i.e. ``reportedly.analysis.analyze_one`` within the per-article bounds, plus the paragraph signatures the
linker needs), and each article's attribution facts with their claim embeddings. The spaCy pipeline is
loaded once, in the Python worker daemon (``scale/daemon.py``), before it forks the workers.

The embeddings are computed here rather than in the linking because they are what linking costs (tens of
ms a claim): here they run in every core's tasks and are kept in the chunk's output, so a killed run does
not compute them again, and the linking only reads them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from reportedly.analysis import Limits
from reportedly.ingest.text import InputError
from reportedly.link.outlets import HEAD_CHARS, TAIL_CHARS, wire_agency
from reportedly.model import Article
from reportedly.scale.inputs import InputWarning
from reportedly.scale.schemas import FACT_FIELDS
from reportedly.store.base import ArticleRecord

CHUNK = 8  # articles per analyze_chunk call (as ingest's default batch)


def error_row(pos: int, message: str) -> dict[str, Any]:
    """One bad record: its position and the one-line reason (which names the file and line, or the id)."""
    return {"kind": "error", "pos": pos, "message": " ".join(message.split())[:2000]}


def warning_row(pos: int, message: str) -> dict[str, Any]:
    """A record kept with a caveat: its line goes to ``errors`` too (it starts ``warning:``) but fails nothing."""
    return {"kind": "warning", "pos": pos, "message": " ".join(message.split())[:2000]}


def fact_rows(pos: int, article_id: str, published: str | None, outlet: str | None, wire: str | None,
              report: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``facts`` rows of one article (``link.origins.attribution_facts``, as the store keeps them), each
    with the embedding of its content when the claim matcher wants one (``link.claims.needs_vector``)."""
    from reportedly.link.claims import needs_vector
    from reportedly.link.embed import embed
    from reportedly.link.origins import attribution_facts

    rows = []
    for i, f in enumerate(attribution_facts(report)):
        row = {"pos": pos, "fact_idx": i, "article_id": article_id, "published": published, "outlet": outlet,
               "wire": wire, **{name: getattr(f, name) for name, _ in FACT_FIELDS}}
        row["via"] = list(f.via)
        row["hedge_max"] = None if f.hedge_max is None else float(f.hedge_max)
        row["vector"] = embed(f.content).tobytes() if f.content.strip() and needs_vector(f.content) else None
        rows.append(row)
    return rows


def article_row(pos: int, rec: ArticleRecord) -> dict[str, Any]:
    """One analyzed article as a row of the ``reports`` output, its facts rows under ``facts``."""
    meta = rec.report.get("article") or {}
    tail = rec.text[-TAIL_CHARS:] if len(rec.text) > TAIL_CHARS else rec.text
    wire = wire_agency(meta.get("byline"), rec.text[:HEAD_CHARS], tail)
    return {"kind": "article", "pos": pos, "id": rec.id, "content_hash": rec.content_hash,
            "url": meta.get("url"), "outlet": meta.get("outlet"), "title": meta.get("title"),
            "byline": meta.get("byline"), "published": meta.get("published"), "wire": wire,
            "report": json.dumps(rec.report, ensure_ascii=False), "text": rec.text,
            "paragraphs": [{"idx": i, "start": s, "end": e, "sig": sig} for i, s, e, sig in rec.paragraphs],
            "facts": fact_rows(pos, rec.id, meta.get("published"), meta.get("outlet"), wire, rec.report)}


def _flush(chunk: list[tuple[int, Article]], limits: Limits) -> Iterator[dict[str, Any]]:
    from reportedly.ingest.batch import analyze_chunk

    done = analyze_chunk([a for _, a in chunk], limits)
    for (pos, _), item in zip(chunk, done.items, strict=True):
        yield article_row(pos, item) if isinstance(item, ArticleRecord) else error_row(pos, item)


def analyze_partition(records: Iterable[tuple[int, Article | InputError | InputWarning]],
                      limits: Limits) -> Iterator[dict[str, Any]]:
    """Rows (articles, errors and warnings) for one partition of (position, record)."""
    chunk: list[tuple[int, Article]] = []
    for pos, item in records:
        if isinstance(item, InputError):
            yield error_row(pos, str(item))
            continue
        if isinstance(item, InputWarning):
            yield warning_row(pos, item.message)
            continue
        chunk.append((pos, item))
        if len(chunk) >= CHUNK:
            yield from _flush(chunk, limits)
            chunk = []
    if chunk:
        yield from _flush(chunk, limits)
