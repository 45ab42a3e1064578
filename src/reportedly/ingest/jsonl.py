"""JSON Lines corpora: one article per line, ``{id, url, outlet, title, published, text}``.

Each line is checked on its own (valid UTF-8, a JSON object, a non-empty ``text`` string within the size
limit); a bad line becomes one ``InputError`` naming the file and line number and the reader goes on, so
one broken row never costs the rest of the corpus. An unreadable ``published`` value ("9/20", "0001") is
not a broken row: real corpora carry them, and the article is still an article, so it is kept with the date
unknown and a one-line warning names the row. Lines are read with
a byte bound, so a runaway line cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from reportedly.ingest.text import InputError, article_from_text, parse_date
from reportedly.model import Article

MAX_TEXT_CHARS = 1_000_000  # what the spaCy pipeline accepts (nlp.MAX_CHARS)
MAX_LINE_BYTES = 16 * 1024 * 1024  # longer lines are skipped without being held in memory
MAX_ID_CHARS = 512

log = logging.getLogger("reportedly.ingest")


def _meta(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int | float):
        raise InputError(f"{where}: field {key!r} must be a string")
    return str(value)[:2000]


def _published(raw: str | None, where: str) -> str | None:
    """The ISO date of a row's ``published``, or None with a warning when it cannot be read."""
    if raw is None:
        return None
    iso = parse_date(raw)
    if iso is None:
        log.warning("warning: %s: unreadable publication date %r; the article is kept with the date unknown",
                    where, raw)
    return iso


def article_from_obj(obj: Any, where: str, default_id: str) -> Article:
    """An Article from one decoded JSON row; one-line InputError naming ``where`` otherwise."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: missing text")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"{where}: text too large ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})")
    published = _published(_meta(obj, "published", where), where)
    aid = _meta(obj, "id", where) or _meta(obj, "url", where) or default_id
    if len(aid) > MAX_ID_CHARS:
        raise InputError(f"{where}: id too long ({len(aid)} characters; the limit is {MAX_ID_CHARS})")
    art = article_from_text(text, id=aid, published=published, title=_meta(obj, "title", where),
                            url=_meta(obj, "url", where), outlet=_meta(obj, "outlet", where))
    byline = _meta(obj, "byline", where)
    if byline:
        art.byline = byline
    return art


def _open(path: Path) -> BinaryIO:
    """The file's bytes; a ``.gz`` corpus is read through gzip, as corpora are usually shipped."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]  # GzipFile reads bytes like a file
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def _stem(path: Path) -> str:
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return Path(name).stem


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Articles of a JSONL file in order; a bad row yields an InputError ("FILE:LINE: problem")."""
    try:
        fh = _open(path)  # closed below; a generator must not hold a with-block open on error
    except OSError as exc:
        yield InputError(f"{path}: cannot read ({exc.strerror or exc})")
        return
    with fh:
        row = 0
        while True:
            try:
                line = fh.readline(MAX_LINE_BYTES + 1)
            except (OSError, EOFError) as exc:  # a truncated or corrupt .gz: keep what was read
                yield InputError(f"{path}: unreadable after row {row} ({exc})".splitlines()[0])
                return
            if not line:
                break
            row += 1
            where = f"{path}:{row}"
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while True:  # drain the rest of the runaway line in bounded chunks
                    more = fh.readline(MAX_LINE_BYTES)
                    if not more or more.endswith(b"\n"):
                        break
                yield InputError(f"{where}: row too large (over {MAX_LINE_BYTES // (1024 * 1024)} MB)")
                continue
            if not line.strip():
                continue
            try:
                decoded = line.decode("utf-8-sig" if row == 1 else "utf-8")  # a byte-order mark is no text
            except UnicodeDecodeError as exc:
                yield InputError(f"{where}: invalid UTF-8 at byte {exc.start}")
                continue
            try:
                obj = json.loads(decoded)
            except json.JSONDecodeError as exc:
                yield InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield article_from_obj(obj, where, default_id=f"{_stem(path)}-{row}")
            except InputError as exc:
                yield exc


def count_rows(path: Path) -> int:
    """Non-empty lines of a JSONL file (for a progress total), without decoding them."""
    n = 0
    try:
        with _open(path) as fh:
            for line in iter(lambda: fh.readline(MAX_LINE_BYTES + 1), b""):
                if line.strip():
                    n += 1
    except (OSError, EOFError):
        pass  # read_jsonl reports it; the count is only a progress total
    return n
