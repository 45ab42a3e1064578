"""Plain-text articles: metadata from the first lines (title, byline, date), text kept as read."""

from __future__ import annotations

import re
from datetime import datetime

from reportedly.model import Article

_BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w.'\- ]{1,80}?)\s*$")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%Y-%m-%d", "%d %B %Y", "%A, %B %d, %Y")


class InputError(ValueError):
    """An input that cannot be analyzed; its message is one line naming the input and the problem."""


def parse_date(raw: str) -> str | None:
    """An ISO date from a dateline such as "April 1, 2022" or "2022-04-01", else None."""
    raw = raw.strip().rstrip(".")
    raw = re.sub(r"\s+", " ", raw)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def check_date(value: str | None, where: str) -> str | None:
    """Validate a user-given publication date; one-line error otherwise. Accepted: what reads one way only,
    YYYY-MM-DD (also unpadded, 2022-4-1) and the dateline forms ("April 1, 2022", "Apr. 1, 2022",
    "1 April 2022"); refused: an empty value and all-number forms other than ISO (4/1/2022 is two dates)."""
    if value is None:
        return None
    iso = parse_date(value)
    if iso is None:
        raise InputError(f"{where}: bad publication date {value!r} (expected YYYY-MM-DD or a date such as "
                         "'April 1, 2022')")
    return iso


def article_from_text(text: str, id: str, published: str | None = None, title: str | None = None,
                      url: str | None = None, outlet: str | None = None) -> Article:
    """Build an Article from raw text: the first non-empty line is the title unless one is given;
    a "By Name" line and a dateline among the next lines fill byline and (if not given) published."""
    lines = text.splitlines()
    nonempty = [ln for ln in lines if ln.strip()]
    byline = None
    found_date = None
    if title is None and nonempty:
        title = nonempty[0].strip()
    for ln in nonempty[1:4]:
        m = _BYLINE.match(ln)
        if m and byline is None:
            byline = m.group("name").strip()
            continue
        d = parse_date(ln)
        if d and found_date is None:
            found_date = d
    return Article(id=id, text=text, title=title, url=url, outlet=outlet, byline=byline,
                   published=published or found_date)
