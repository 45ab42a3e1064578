"""HTML pages: main text and metadata through trafilatura (boilerplate, nav and ads dropped).

The report's offsets point into the *extracted* text, which becomes the article text; the title goes
on its first line so plain-text and HTML articles share one layout.
"""

from __future__ import annotations

import trafilatura

from reportedly.ingest.text import InputError, article_from_text, parse_date
from reportedly.model import Article


def article_from_html(html: str, name: str, id: str, published: str | None = None,
                      url: str | None = None) -> Article:
    """An Article from an HTML page; one-line InputError when no article text can be found."""
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except Exception as exc:  # trafilatura/lxml raise many types on malformed markup
        raise InputError(f"{name}: cannot parse HTML ({type(exc).__name__})") from None
    if doc is None:
        raise InputError(f"{name}: no article text found in HTML")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = (data.get("text") or "").strip()
    if not body:
        raise InputError(f"{name}: no article text found in HTML")
    title = (data.get("title") or "").strip() or None
    # trafilatura's text often starts with the page's <h1>; the title line must not appear twice
    text = f"{title}\n{body}\n" if title and body.splitlines()[0].strip() != title else body + "\n"
    pub = published or (parse_date(str(data["date"])) if data.get("date") else None)
    art = article_from_text(text, id=id, published=pub, title=title, url=url or data.get("url"),
                            outlet=data.get("sitename"))
    if data.get("author") and not art.byline:
        art.byline = str(data["author"])
    return art
