"""Plain-text articles: metadata from the first lines (title, byline, date), text kept as read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from reportedly.model import Article

_BYLINE = re.compile(r"^\s*By\s+(?P<name>[A-Z][\w.'\- ]{1,80}?)\s*$")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%Y-%m-%d", "%d %B %Y", "%A, %B %d, %Y")


# A dateline opens the first paragraph: a place in capitals ("ROTTERDAM", "NEW YORK") or any place followed
# by a credit in parentheses, optional ", region" or ", date" parts, then a dash (a colon would be a
# transcript's speaker label):
# "ROTTERDAM, Netherlands (Reuters) -", "WASHINGTON, June 24 (UPI) —", "DALLAS (AP) —", "DRESK, Veloria —"
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}|[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3})"
    r"(?:, [A-Z][\w.'’\- ]{0,30}?){0,2}"
    r"(?: ?\((?P<credit>[A-Z][\w.&'’ ]{0,40})\))?"
    r" ?[-—–]{1,2} +(?=\S)")


@dataclass(frozen=True)
class Dateline:
    """Where a dateline is ([start, end) includes the dash and the space after it) and whom it credits."""

    start: int
    end: int
    credit: str | None


def find_dateline(text: str, start: int = 0) -> Dateline | None:
    """The dateline at the start of the first paragraph at or after ``start``: a wire's credit names the
    outlet, and the dateline itself is nobody's claim, not the article's own voice either."""
    m = re.compile(r"\S").search(text, start)
    if m is None:
        return None
    d = _DATELINE.match(text, m.start())
    if d is None or "\n" in d.group(0):
        return None
    place = d.group("place")
    if d.group("credit") is None and not (place.isupper() and len(place) > 1):
        return None  # "Authorities — in a statement": only capitals or a credit make a dateline
    return Dateline(d.start(), d.end(), d.group("credit"))


def credited_outlet(credit: str) -> str:
    """The outlet a dateline credits, by its full name when the outlet lexicon knows the form ("AP")."""
    from reportedly.lexicon import outlet_forms

    names = {o.name for o in outlet_forms().get(credit.strip(), [])}
    return names.pop() if len(names) == 1 else credit.strip()


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
    return _one_way_numeric(raw)


_NUMERIC_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def _one_way_numeric(raw: str) -> str | None:
    """An all-number date ("6/15/17", "10/10/2018") when it reads one way only: month first and day first
    give the same date, or only one of them is a date. Feeds write these in either order, so "4/1/2022"
    (two dates) stays unread rather than guessed; a two-digit year reads as strptime's %y does."""
    m = _NUMERIC_DATE.fullmatch(raw)
    if m is None:
        return None
    year = m[3] if len(m[3]) == 4 else str(datetime.strptime(m[3], "%y").year)
    readings = set()
    for month, day in ((m[1], m[2]), (m[2], m[1])):
        try:
            readings.add(datetime(int(year), int(month), int(day)).date().isoformat())
        except ValueError:
            continue
    return readings.pop() if len(readings) == 1 else None


def check_date(value: str | None, where: str) -> str | None:
    """Validate a user-given publication date; one-line error otherwise. Accepted: what reads one way only,
    YYYY-MM-DD (also unpadded, 2022-4-1), the dateline forms ("April 1, 2022", "Apr. 1, 2022",
    "1 April 2022") and all-number forms with one reading (6/15/2017); refused: an empty value and
    all-number forms with two (4/1/2022 is two dates)."""
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
            continue
        dl = find_dateline(ln)
        if outlet is None and dl is not None and dl.credit:
            outlet = credited_outlet(dl.credit)  # "DALLAS (AP) —": the wire that wrote it
        break
    return Article(id=id, text=text, title=title, url=url, outlet=outlet, byline=byline,
                   published=published or found_date)
