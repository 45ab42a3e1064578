"""WARC web archives (warcio): every HTML ``response`` record becomes an article through the same HTML
extraction as single pages (trafilatura, in ingest/html.py).

Records are streamed, bodies read with a byte bound; a record that is not usable (not HTML, not a 200
response) is passed over silently, one whose page has no article text is an InputError naming the file,
the record number and its URL. The record's target URI is the article id and URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from reportedly.ingest.files import MAX_BYTES
from reportedly.ingest.jsonl import MAX_ID_CHARS
from reportedly.ingest.text import InputError
from reportedly.model import Article

_CHARSET = re.compile(r"charset=([\w\-]+)", re.I)


def looks_like_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b")


def read_warc(path: Path) -> Iterator[Article | InputError]:
    """Articles of the HTML responses in a WARC (or gzipped WARC) file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from reportedly.ingest.html import article_from_html

    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with-block below
    except OSError as exc:
        yield InputError(f"{path}: cannot read ({exc.strerror or exc})")
        return
    with fh:
        n = pages = 0
        try:
            for rec in ArchiveIterator(fh):
                n += 1
                if rec.rec_type != "response" or rec.http_headers is None:
                    continue
                ctype = rec.http_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower() or rec.http_headers.get_statuscode() != "200":
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI") or None
                where = f"{path}: record {n}" + (f" ({url[:200]})" if url else "")
                body = rec.content_stream().read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    yield InputError(f"{where}: page too large (over {MAX_BYTES / 1e6:.0f} MB)")
                    continue
                m = _CHARSET.search(ctype)
                charset = m.group(1) if m else "utf-8"
                try:
                    html = body.decode(charset)
                except (LookupError, UnicodeDecodeError):
                    try:
                        html = body.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        yield InputError(f"{where}: invalid {charset} text at byte {exc.start}")
                        continue
                pages += 1
                aid = (url or f"{path.stem}-{n}")[:MAX_ID_CHARS]
                try:
                    yield article_from_html(html, name=where, id=aid, url=url)
                except InputError as exc:
                    yield exc
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
            msg = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            yield InputError(f"{path}: not a readable WARC file after record {n} ({msg})")
            return
        if not pages:  # an empty or foreign file must not pass as an archive with nothing to say
            yield InputError(f"{path}: no HTML response records in {n} WARC record(s)")
