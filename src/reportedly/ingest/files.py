"""Reading article files from disk or stdin, with the checks that turn bad input into one-line errors.

Inputs are untrusted: size is bounded before reading, bytes must be valid UTF-8 text (no NUL bytes,
not mostly control characters), and an empty article is refused. A UTF-8 byte-order mark is dropped while
decoding and line ends (LF or CRLF) are kept: offsets count the characters of the text after the mark.
Each failure raises ``InputError`` whose message names the input, so a batch can record it and go on.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportedly.ingest.text import InputError, article_from_text
from reportedly.model import Article

MAX_BYTES = 5 * 1024 * 1024  # a long news article is ~50 KB; 5 MB leaves room for HTML pages
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of ``data`` or a one-line InputError naming ``name``."""
    if not data.strip():
        raise InputError(f"{name}: empty input")
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: binary data (NUL bytes), not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: invalid UTF-8 at byte {exc.start}") from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark says how to decode; it is not part of the article
        if not text.strip():
            raise InputError(f"{name}: empty input")
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(sample) * 0.05:
        raise InputError(f"{name}: binary data (control characters), not a text article")
    return text


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing anything over MAX_BYTES before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > MAX_BYTES:
        raise InputError(f"{path}: too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def article_from_bytes(data: bytes, name: str, id: str, published: str | None = None) -> Article:
    """An Article from raw bytes; HTML (by suffix or sniffed) goes through trafilatura."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: too large ({len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    text = decode(data, name)
    if Path(name).suffix.lower() in HTML_SUFFIXES or _looks_like_html(text):
        from reportedly.ingest.html import article_from_html

        return article_from_html(text, name=name, id=id, published=published)
    if not text.strip():
        raise InputError(f"{name}: empty input")
    return article_from_text(text, id=id, published=published)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def read_article(path: Path, published: str | None = None) -> Article:
    """The article stored at ``path`` (id = file stem)."""
    return article_from_bytes(read_bytes(path), str(path), id=path.stem, published=published)


def read_stdin(published: str | None = None) -> Article:
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    return article_from_bytes(data, "<stdin>", id="stdin", published=published)
