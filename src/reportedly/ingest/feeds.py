"""RSS and Atom feeds (feedparser): each entry's content, or else its summary, becomes an article.

Entry HTML is a fragment, not a page, so it is turned into text with the standard library's HTML parser
(block elements become paragraph breaks, scripts and styles dropped, entities decoded) rather than a
boilerplate remover that expects a full page. The feed is parsed from bytes already read (bounded), so
feedparser never fetches anything. A bad entry (no text, unparseable date, oversized) is one InputError
naming the file and the entry number; the others are read.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from reportedly.ingest.jsonl import MAX_ID_CHARS, MAX_TEXT_CHARS
from reportedly.ingest.text import InputError, article_from_text
from reportedly.model import Article

MAX_FEED_BYTES = 50 * 1024 * 1024
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
           "article", "header", "footer", "tr", "table", "figure", "figcaption", "pre", "hr"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip:
            self.skip -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block element, whitespace tidied."""
    p = _TextParser()
    p.feed(html)
    p.close()
    paras = [re.sub(r"[ \t\r\f\v\n]+", " ", chunk).strip() for chunk in "".join(p.parts).split("\n\n")]
    return "\n\n".join(x for x in paras if x)


def _entry_date(entry: Any, where: str) -> str | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        parsed = entry.get(f"{key}_parsed")
        if not parsed:
            raise InputError(f"{where}: bad date {str(raw)[:60]!r}")
        return time.strftime("%Y-%m-%d", time.gmtime(calendar.timegm(parsed)))
    return None


def _entry_html(entry: Any) -> str:
    for c in entry.get("content") or []:
        if c.get("value"):
            return str(c["value"])
    return str(entry.get("summary") or entry.get("description") or "")


def looks_like_feed(head: bytes) -> bool:
    low = head.lstrip()[:1024].lower()
    return low.startswith(b"<?xml") and (b"<rss" in low or b"<feed" in low or b"<rdf" in low) or \
        low.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def read_feed(path: Path) -> Iterator[Article | InputError]:
    """Articles of an RSS/Atom file; a bad entry yields an InputError ("FILE: entry N: problem")."""
    import feedparser

    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            yield InputError(f"{path}: too large ({size / 1e6:.1f} MB; the limit is {MAX_FEED_BYTES / 1e6:.0f} MB)")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(f"{path}: cannot read ({exc.strerror or exc})")
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = f" ({type(parsed.bozo_exception).__name__})" if parsed.get("bozo") else ""
        yield InputError(f"{path}: no entries in RSS/Atom feed{why}")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, 1):
        where = f"{path}: entry {n}"
        try:
            body = html_to_text(_entry_html(entry))
            if not body.strip():
                raise InputError(f"{where}: missing text")
            if len(body) > MAX_TEXT_CHARS:
                raise InputError(f"{where}: text too large ({len(body):,} characters; the limit is "
                                 f"{MAX_TEXT_CHARS:,})")
            published = _entry_date(entry, where)
            title = re.sub(r"\s+", " ", html_to_text(str(entry.get("title") or ""))).strip() or None
            link = str(entry.get("link") or "") or None
            aid = str(entry.get("id") or link or f"{path.stem}-{n}")[:MAX_ID_CHARS]
            text = f"{title}\n\n{body}\n" if title else body + "\n"
            yield article_from_text(text, id=aid, published=published, title=title, url=link, outlet=outlet)
        except InputError as exc:
            yield exc
