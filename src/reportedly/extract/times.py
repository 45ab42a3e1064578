"""Time expressions resolved against the publication date.

"Wednesday (March 30)" -> 2022-03-30; "February 24" -> 2022-02-24 when published 2022-04-01 (the year
closest to publication); "last week" -> ISO week 2022-W12; "6:00 a.m. local time" -> T06:00.
Values follow TIMEX3 habits: YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www, YYYY-SU (seasons), Thh:mm.
A small rule set: news prose uses few forms, and a general parser (dateparser) would misread "May".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Doc

from reportedly.extract.marks import quote_marks
from reportedly.lexicon import doc_text, words
from reportedly.model import TimeExpr

_MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
           "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
           "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
             r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)")
_WD_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!s\b)"
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:1[89]\d\d|20\d\d)"
_CLOCK_RE = (r"(?:\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)|noon|midnight)"
             r"(?:\s(?:local time|ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|GMT|UTC|Eastern|Pacific|Moscow time|Kyiv time))?")
_REL_UNIT = r"(?:week|month|year|weekend|spring|summer|fall|autumn|winter)"

_PATTERN = re.compile(
    rf"(?P<wdmd>{_WD_RE}\s*(?:\(|,\s*)(?P<m1>{_MONTH_RE})\s+(?P<d1>{_DAY_RE})\)?(?:,\s*(?P<y1>{_YEAR_RE}))?)"
    rf"|(?P<md>(?P<m2>{_MONTH_RE})\s+(?P<d2>{_DAY_RE})(?![\d:])(?:,?\s+(?P<y2>{_YEAR_RE}))?)"
    rf"|(?P<dm>(?P<d3>{_DAY_RE})\s+(?P<m3>{_MONTH_RE})(?:,?\s+(?P<y3>{_YEAR_RE}))?)"
    rf"|(?P<my>(?P<m4>{_MONTH_RE})(?:\s+of)?,?\s+(?P<y4>{_YEAR_RE}))"
    rf"|(?P<relwd>(?P<rel1>(?i:last|next|this|this past|this coming))\s+(?P<wd1>{_WD_RE}))"
    rf"|(?P<wd>{_WD_RE})(?:\s+(?P<part>morning|afternoon|evening|night))?"
    rf"|(?P<relu>(?P<rel2>(?i:last|next|this|earlier this|later this|past|this past|the past|coming|the coming))\s+"
    rf"(?P<unit2>{_REL_UNIT}|(?P<m5>{_MONTH_RE})))"
    rf"|(?P<ago>(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    rf"(?P<unit3>day|week|month|year)s?\s+ago)"
    rf"|(?P<deictic>(?i:yesterday|today|tonight|tomorrow|last night|this morning|this afternoon|this evening))"
    rf"|(?P<clock>{_CLOCK_RE})"
    rf"|(?P<inmonth>\b(?:in|In|since|until|by|early|late|mid-|mid)\s?(?P<m6>{_MONTH_RE})(?![\w])"
    rf"(?!,?\s+(?:of\s+)?(?:\d|{_YEAR_RE})))"
    rf"|(?P<year>\b(?:in|In|since|until|by|of|from|before|after|during)\s(?P<y5>{_YEAR_RE})(?![\d]))",
)


def _closest_year(month: int, day: int, pub: date) -> int:
    """The year that puts month/day closest to the publication date."""
    best = pub.year
    best_gap = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            gap = abs((date(y, month, day) - pub).days)
        except ValueError:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = y, gap
    return best


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _month_shift(d: date, k: int) -> str:
    m = d.month - 1 + k
    return f"{d.year + m // 12:04d}-{m % 12 + 1:02d}"


def _month(raw: str) -> int:
    return _MONTHS[raw.lower().rstrip(".")]


def _day(raw: str) -> int:
    return int(re.sub(r"\D", "", raw))


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _year_by_tense(month: int, day: int, pub: date, tense: str | None) -> int:
    """Past tense: the latest such date on or before publication; future: the next; else the closest."""
    if tense is None:
        return _closest_year(month, day, pub)
    for y in ((pub.year, pub.year - 1) if tense == "past" else (pub.year, pub.year + 1)):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if (tense == "past" and d <= pub) or (tense == "future" and d >= pub):
            return y
    return _closest_year(month, day, pub)


def _calendar_date(g: Groups, pub: date | None, future: bool, tense: str | None) -> str | None:
    """"March 3", "3 March 2016", "Tuesday, March 3": the year from the text, else from the tense."""
    mo = _month(g("m1") or g("m2") or g("m3"))
    dy = _day(g("d1") or g("d2") or g("d3"))
    yr = g("y1") or g("y2") or g("y3")
    if yr:
        return _iso(int(yr), mo, dy)
    return _iso(_year_by_tense(mo, dy, pub, tense), mo, dy) if pub else None


def _clock(g: Groups, pub: date | None, future: bool, tense: str | None) -> str | None:
    """"3 p.m.", "10:30 am", "noon", "midnight"."""
    raw = g("clock").lower()
    if raw.startswith("noon"):
        return "T12:00"
    if raw.startswith("midnight"):
        return "T00:00"
    hm = re.match(r"(\d{1,2})(?::(\d{2}))?", raw)
    if not hm:
        return None
    h, mi = int(hm.group(1)), int(hm.group(2) or 0)
    if "p" in raw.split()[0][len(hm.group(0)):] + (raw.split()[1] if len(raw.split()) > 1 else "")[:1] \
            and h < 12:
        h += 12
    elif re.search(r"a\.?m", raw) and h == 12:
        h = 0
    return f"T{h:02d}:{mi:02d}" if 0 <= h < 24 and mi < 60 else None


def _weekday(g: Groups, pub: date, future: bool, tense: str | None) -> str | None:
    """"Monday", "last Friday", "next Tuesday": the nearest such day before publication (after, for
    "next" or a future verb)."""
    wd = _WEEKDAYS[(g("wd") or g("wd1")).lower()]
    rel = (g("rel1") or "").lower()
    back = (pub.weekday() - wd) % 7
    if rel == "next" or (future and rel != "last"):
        ahead = (wd - pub.weekday()) % 7 or 7
        return (pub + timedelta(days=ahead)).isoformat()
    if rel in ("last", "this past") and back == 0:
        back = 7
    return (pub - timedelta(days=back)).isoformat()


def _unit_value(unit: str, ref: date, shift: int) -> str:
    """A week, month, year or season ``shift`` units from ``ref``."""
    if unit in ("week", "weekend"):
        return _week(ref + timedelta(weeks=shift))
    if unit == "month":
        return _month_shift(ref, shift)
    if unit == "year":
        return f"{ref.year + shift:04d}"
    return f"{ref.year + shift:04d}-{_SEASONS[unit]}"


def _relative_unit(g: Groups, pub: date, future: bool, tense: str | None) -> str | None:
    """"last week", "next month", "this summer", "last March", "the past year"."""
    rel = g("rel2").lower()
    unit = g("unit2").lower()
    if rel in ("past", "this past", "the past") and not g("m5"):
        # "the past week": the days just before publication, not the calendar week before
        back = {"week": 3, "weekend": 3, "month": 15, "year": 182}.get(unit, 90)
        return _unit_value(unit, pub - timedelta(days=back), 0)
    shift = -1 if rel == "last" else (1 if rel in ("next", "coming", "the coming") else 0)
    if unit == "week" and rel == "last" and pub.weekday() >= 5:
        shift = 0  # on a weekend, "last week" is the week just ending
    if g("m5"):
        mo = _month(g("m5"))
        y = pub.year + (-1 if shift < 0 and mo >= pub.month else 1 if shift > 0 and mo <= pub.month else 0)
        return f"{y:04d}-{mo:02d}"
    return _unit_value(unit, pub, shift)


def _ago(g: Groups, pub: date, future: bool, tense: str | None) -> str | None:
    """"three days ago", "two years ago"."""
    n = _NUM.get(g("n").lower()) or int(g("n")) if g("n").isdigit() or g("n").lower() in _NUM else None
    if n is None:
        return None
    unit = g("unit3").lower()
    if unit == "day":
        return (pub - timedelta(days=n)).isoformat()
    if unit == "week":
        return (pub - timedelta(weeks=n)).isoformat()
    if unit == "month":
        return _month_shift(pub, -n)
    return f"{pub.year - n:04d}"


def _deictic(g: Groups, pub: date, future: bool, tense: str | None) -> str | None:
    """"yesterday", "today", "tomorrow", "last night"."""
    off = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(g("deictic").lower(), 0)
    return (pub + timedelta(days=off)).isoformat()


def _in_month(g: Groups, pub: date, future: bool, tense: str | None) -> str | None:
    """"in March": the closest such month (not the verb "may")."""
    mo = _month(g("m6"))
    if mo == 5 and not g("m6").startswith("May"):
        return None
    return f"{_closest_year(mo, 15, pub):04d}-{mo:02d}"


Groups = Callable[[str], Any]
# (name, the pattern groups that select it, resolver, needs the publication date); the first match decides
TIME_RULES: list[tuple[str, tuple[str, ...], Callable[..., str | None], bool]] = [
    ("calendar date", ("wdmd", "md", "dm"), _calendar_date, False),
    ("month and year", ("my",), lambda g, *_: f"{int(g('y4')):04d}-{_month(g('m4')):02d}", False),
    ("year", ("year",), lambda g, *_: g("y5"), False),
    ("clock time", ("clock",), _clock, False),
    ("weekday", ("wd", "relwd"), _weekday, True),
    ("relative unit", ("relu",), _relative_unit, True),
    ("ago", ("ago",), _ago, True),
    ("deictic day", ("deictic",), _deictic, True),
    ("month alone", ("inmonth",), _in_month, True),
]


def resolve(m: re.Match[str], pub: date | None, future: bool = False, tense: str | None = None) -> str | None:
    """The TIMEX-style value of one matched expression, given the publication date: the first rule of
    ``TIME_RULES`` whose groups matched (rules after the first that needs the date give None without it)."""
    g = m.group
    for _name, groups, rule, needs_pub in TIME_RULES:
        if needs_pub and pub is None:
            return None
        if any(g(x) for x in groups):
            return rule(g, pub, future, tense)
    return None


# present-tense verbs that report what already happened ("X says Monday")
_PAST_SENSE = words("word_lists", "past_sense_verbs")  # data/word_lists.json


def _in_quote(text: str, pos: int) -> bool:
    """Is ``pos`` inside a quotation on its line? Relative dates there belong to the speaker's day."""
    marks = quote_marks(text)  # counts from the line's start by bisection: linear on one-line articles
    return (marks.before('"', pos) % 2 == 1) or marks.before("\u201c", pos) > marks.before("\u201d", pos) or (
        marks.before("''", pos) + marks.before("``", pos)) % 2 == 1


def _tense(doc: Doc, start: int) -> str | None:
    """"past" when the clause around ``start`` is in the past tense, "future" for will/going to, else None."""
    if _is_future(doc, start, scheduled=False):
        return "future"
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return None
    tok = span[0]
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX"):
            aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
            if tok.tag_ == "VBD" or aux & {"was", "were", "had", "did"}:
                return "past"
            break
        if tok.head is tok:
            break
        tok = tok.head
    return None


# modals that look forward from the time of speaking ("would meet on Tuesday" in reported speech is the
# past's future; "could vote Tuesday"); with a perfect "have" they look back ("would have met Tuesday")
_FORWARD_MODALS = frozenset({"will", "'ll", "shall", "would", "'d", "could", "might", "may", "should", "must"})


def _looks_forward(kids: list[str]) -> bool:
    """Auxiliaries of one verb that put it after the time of speaking: a forward modal without "have",
    or "going to"."""
    return "going" in kids or (any(k in _FORWARD_MODALS for k in kids) and not {"have", "'ve"} & set(kids))


def _is_future(doc: Doc, start: int, scheduled: bool = True) -> bool:
    """Is the clause around the character ``start`` in the future tense ("will meet Tuesday", and in
    reported speech "would meet Tuesday")?"""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    tok = span[0]
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX"):
            kids = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
            if _looks_forward(kids):
                return True
            if scheduled and tok.tag_ in ("VBZ", "VBP") and tok.lemma_ not in _PAST_SENSE and tok.pos_ == "VERB":
                return True  # "Wisconsin holds its primary on Tuesday": a scheduled event
            if tok.dep_ not in ("conj", "xcomp"):
                break
        if tok.head is tok:
            break
        tok = tok.head
    return False


def _sentence_year(doc: Doc, text: str, pos: int) -> int | None:
    """"In 2008, ... in mid-September": a year stated earlier in the same sentence anchors a bare month."""
    span = doc.char_span(pos, pos + 1, alignment_mode="expand")
    if span is None:
        return None
    start = span[0].sent.start_char
    years = re.findall(rf"\b(?:in|In|of|since|By|by)\s+({_YEAR_RE})\b", text[start:pos])
    return int(years[-1]) if years else None


def normalize_time(text: str, published: str | None) -> str | None:
    """The value of one expression on its own (no sentence context), for tests and callers."""
    m = _PATTERN.fullmatch(text.strip())
    if not m:
        m = _PATTERN.fullmatch("in " + text.strip())
    if not m:
        return None
    return resolve(m, date.fromisoformat(published) if published else None)


def _not_a_time(doc: Doc, text: str, m: re.Match[str], s: int, e: int) -> bool:
    """Matches that are no time: the verb "may", a word run into the match, "USA Today"."""
    if m.group("inmonth") and m.group("m6") == "May" and text[e:e + 1].isalpha():
        return True
    if m.group("md") and m.group("m2").lower().startswith("may") and m.group("m2") != "May":
        return True
    if m.start() > 0 and text[m.start() - 1].isalnum():
        return True
    if m.group("deictic") and text[s].isupper() and re.search(r"[A-Za-z0-9,]\s*$", text[max(0, s - 3):s]):
        return True  # "USA Today", "NBC's Today show": a name, not a date
    may = (s, e) if m.group("inmonth") and m.group("m6") == "May" else (
        (s, s + 3) if m.group("md") and m.group("m2") == "May" else None)
    if may is not None:
        span = doc.char_span(*may, alignment_mode="expand")
        return span is not None and span[0].tag_ == "MD"
    return False


def _time_value(doc: Doc, text: str, m: re.Match[str], s: int, pub: date | None) -> str | None:
    """The value of one match: none for a relative time inside a quote (its speaker's "yesterday" is not the
    article's), the year a sentence names for a bare month, else ``resolve`` against the publication date."""
    explicit = bool(m.group("wdmd") or m.group("md") or m.group("dm") or m.group("my") or m.group("year")
                    or m.group("clock") or m.group("inmonth"))
    if not explicit and _in_quote(text, s):
        return None
    ctx_year = _sentence_year(doc, text, s) if (m.group("inmonth") or (m.group("md") and not m.group("y2"))) \
        else None
    if ctx_year is not None:
        value = resolve(m, date(ctx_year, 7, 1))
        if value and m.group("inmonth"):
            value = f"{ctx_year:04d}-{_month(m.group('m6')):02d}"
        elif value and m.group("md"):
            value = _iso(ctx_year, _month(m.group("m2")), _day(m.group("d2")))
        return value
    return resolve(m, pub, future=_is_future(doc, s) if (m.group("wd") or m.group("relwd")) else False,
                   tense=_tense(doc, s) if (m.group("md") or m.group("wdmd") or m.group("dm")) else None)


def _bare_years(doc: Doc, text: str, start: int, taken: list[tuple[int, int]]) -> list[TimeExpr]:
    """Bare years the parser calls dates ("her 2008 campaign", "in 2003 and 2005")."""
    out: list[TimeExpr] = []
    for ent in doc.ents:
        if ent.label_ != "DATE" or ent.start_char < start:
            continue
        for ym in re.finditer(rf"(?<![\w$.,/-]){_YEAR_RE}(?![\w/-])", ent.text):
            ys, ye = ent.start_char + ym.start(), ent.start_char + ym.end()
            if any(a < ye and ys < b for a, b in taken) or text[max(0, ys - 1):ys] == "$":
                continue
            out.append(TimeExpr(text[ys:ye], [(ys, ye)], ym.group(0)))
    return out


def extract_times(doc: Doc, published: str | None, start: int = 0) -> list[TimeExpr]:
    """Time expressions in ``doc_text(doc)[start:]`` with their values resolved against ``published``."""
    pub = date.fromisoformat(published) if published else None
    out: list[TimeExpr] = []
    text = doc_text(doc)
    for m in _PATTERN.finditer(text, start):
        s, e = m.span("m6") if m.group("inmonth") else m.span("y5") if m.group("year") else m.span()
        if _not_a_time(doc, text, m, s, e):
            continue
        out.append(TimeExpr(text[s:e], [(s, e)], _time_value(doc, text, m, s, pub)))
    out += _bare_years(doc, text, start, [t.spans[0] for t in out])
    return sorted(out, key=lambda t: t.spans[0])
