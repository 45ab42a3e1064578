"""Quantities: numbers and vague quantifiers normalized to ranges with the noun they count.

"several hundred" soldiers -> 200..900; "more than 1,000" protesters -> low 1000 (exclusive), no high;
"dozens" -> 24..99; "at least 12" -> 12..None; "nearly half" -> 40..50 percent (high exclusive).
A small rule set over the raw text (regexes give exact offsets) checked against spaCy's entities so that
years, times, dates and names ("Air Force One", "G-20") are not counted.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from reportedly.model import Quantity
from reportedly.resolve.lexicon import doc_text

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_VAGUE = {  # word -> (low, high) as counts
    "several": (2, 9), "a few": (2, 5), "a couple of": (2, 3), "a couple": (2, 3), "a handful of": (2, 6),
    "a handful": (2, 6), "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999),
    "thousands": (2_000, 9_999), "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999), "millions": (2_000_000, 9_999_999),
    "tens of millions": (20_000_000, 99_999_999), "hundreds of millions": (200_000_000, 999_999_999),
    "billions": (2_000_000_000, 9_999_999_999), "a dozen": (12, 12), "a hundred": (100, 100),
    "a thousand": (1_000, 1_000), "a million": (1_000_000, 1_000_000), "a billion": (1_000_000_000, 1_000_000_000),
}
_FRACTIONS = {"half": 50.0, "a half": 50.0, "one-half": 50.0, "a third": 100 / 3, "one-third": 100 / 3,
              "one third": 100 / 3, "two-thirds": 200 / 3, "two thirds": 200 / 3, "a quarter": 25.0,
              "one-quarter": 25.0, "one quarter": 25.0, "three-quarters": 75.0, "three quarters": 75.0,
              "a fifth": 20.0, "one-fifth": 20.0, "a majority": None, "the majority": None}
_CURRENCY = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}

_NUMWORD = (r"(?:(?:" + "|".join(_TENS) + r")(?:-(?:" + "|".join(k for k in _UNITS if _UNITS[k] < 10) + r"))?|"
            + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:dozen|hundred|thousand|million|billion|trillion)"
_MOD = (r"(?:more than|over|well over|just over|upwards of|at least|no fewer than|no less than|nearly|almost|"
        r"just under|close to|about|around|roughly|approximately|some|an estimated|estimated|up to|as many as|"
        r"as much as|no more than|at most|fewer than|less than|under|just|only|exactly|a total of|between)")
_VAGUE_RE = "|".join(re.escape(k) for k in sorted(_VAGUE, key=len, reverse=True) if not k.startswith("a "))
_A_RE = "|".join(re.escape(k) for k in sorted(_VAGUE, key=len, reverse=True) if k.startswith("a "))
_FRAC_RE = "|".join(re.escape(k) for k in sorted(_FRACTIONS, key=len, reverse=True))

_NUMBER = rf"(?:[$£€¥]\s?)?(?:{_DIGITS}|{_NUMWORD})(?:[\s-]{_SCALE})*(?:\s?(?:%|percent|per cent))?"
_PATTERN = re.compile(
    rf"(?<![\w$£€¥.,-])(?:(?P<mod>{_MOD})\s+)?(?:"
    rf"(?P<range>{_NUMBER}\s+(?:and|to)\s+{_NUMBER}|{_DIGITS}-{_DIGITS}(?:\s?(?:%|percent))?)"
    rf"|(?P<vs>(?:several|a few)\s+{_SCALE}s?)"
    rf"|(?P<vague>{_VAGUE_RE}|{_A_RE})"
    rf"|(?P<frac>{_FRAC_RE})"
    rf"|(?P<num>{_NUMBER}))(?P<post>\s+or\s+(?:more|fewer|less|so)|\+)?(?![\w-])",
    re.I,
)

_SKIP_LABELS = {"DATE", "TIME", "ORDINAL", "ORG", "PERSON", "GPE", "LAW", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART",
                "LOC", "NORP", "LANGUAGE"}


@dataclass(frozen=True)
class Range:
    low: float | None
    high: float | None
    low_exclusive: bool = False
    high_exclusive: bool = False
    unit: str | None = None  # "percent", "USD", ... (from the expression itself)


def _word_number(raw: str) -> float | None:
    raw = raw.lower().strip()
    if raw in _UNITS:
        return float(_UNITS[raw])
    if raw in _TENS:
        return float(_TENS[raw])
    if "-" in raw:
        a, _, b = raw.partition("-")
        if a in _TENS and b in _UNITS:
            return float(_TENS[a] + _UNITS[b])
    return None


def parse_number(raw: str) -> tuple[float, str | None] | None:
    """A number expression ("1,000", "$5 million", "12 percent", "forty-two") -> (value, unit or None)."""
    s = raw.strip()
    unit = None
    if s and s[0] in _CURRENCY:
        unit = _CURRENCY[s[0]]
        s = s[1:].strip()
    low = s.lower()
    for pct in ("%", " percent", "percent", " per cent"):
        if low.endswith(pct):
            unit = "percent"
            s = s[: len(s) - len(pct)].strip()
            low = s.lower()
            break
    parts = re.split(r"[\s-]+", low) if not re.fullmatch(_DIGITS, low) else [low]
    value: float | None = None
    i = 0
    head = parts[0] if parts else ""
    if re.fullmatch(_DIGITS, head):
        value = float(head.replace(",", ""))
        i = 1
    else:
        # "forty-two", "forty two", "twenty"
        if len(parts) >= 2 and parts[0] in _TENS and parts[1] in _UNITS and _UNITS[parts[1]] < 10:
            value = float(_TENS[parts[0]] + _UNITS[parts[1]])
            i = 2
        else:
            value = _word_number(head)
            i = 1
    if value is None:
        return None
    for p in parts[i:]:
        if p.rstrip("s") in _SCALES:
            value *= _SCALES[p.rstrip("s")]
        elif p:
            return None
    return value, unit


def normalize(text: str) -> Range | None:
    """The range meant by a quantity expression, or None when it is not one."""
    m = _PATTERN.fullmatch(text.strip())
    if not m:
        return None
    return _from_match(m)


def _apply_mod(mod: str | None, lo: float, hi: float, unit: str | None) -> Range:
    mod = (mod or "").lower()
    if mod in ("more than", "over", "well over", "just over", "upwards of"):
        return Range(hi, None, low_exclusive=True, unit=unit)
    if mod in ("at least", "no fewer than", "no less than"):
        return Range(lo, None, unit=unit)
    if mod in ("nearly", "almost", "just under", "close to"):
        return Range(round(lo * 0.9, 6), hi, high_exclusive=True, unit=unit)
    if mod in ("about", "around", "roughly", "approximately", "some", "an estimated", "estimated"):
        return Range(round(lo * 0.9, 6), round(hi * 1.1, 6), unit=unit)
    if mod in ("up to", "as many as", "as much as", "no more than", "at most"):
        return Range(None, hi, unit=unit)
    if mod in ("fewer than", "less than", "under"):
        return Range(None, lo, high_exclusive=True, unit=unit)
    return Range(lo, hi, unit=unit)


def _from_match(m: re.Match[str]) -> Range | None:
    mod = m.group("mod")
    if m.group("range"):
        raw = m.group("range")
        if mod and mod.lower() != "between":
            return None
        a, b = re.split(r"\s+(?:and|to)\s+|(?<=\d)-(?=\d)", raw, maxsplit=1, flags=re.I)
        pb = parse_number(b)
        pa = parse_number(a)
        if not pa or not pb:
            return None
        unit = pb[1] or pa[1]
        av = pa[0]
        if pb[0] >= 1000 and av < 1000 and not re.search(_SCALE, a, re.I) and re.search(_SCALE, b, re.I):
            av *= pb[0] / float(re.sub(r"[^\d.]", "", b.split()[0]) or 1)  # "2 to 3 million"
        return Range(min(av, pb[0]), max(av, pb[0]), unit=unit)
    if mod and mod.lower() == "between":
        return None
    if m.group("vs"):
        words = m.group("vs").lower().split()  # "several hundred", "a few thousand"
        scale = words[-1]
        lo, hi = _VAGUE["several" if words[0] == "several" else "a few"]
        f = _SCALES[scale.rstrip("s")]
        return _apply_mod(mod, lo * f, hi * f, None)
    if m.group("vague"):
        lo, hi = _VAGUE[m.group("vague").lower()]
        return _apply_mod(mod, lo, hi, None)
    if m.group("frac"):
        v = _FRACTIONS[m.group("frac").lower()]
        if v is None:  # "a majority": more than half
            return Range(50.0, 100.0, low_exclusive=True, unit="percent")
        return _apply_mod(mod, round(v, 2), round(v, 2), "percent")
    num = parse_number(m.group("num"))
    if num is None:
        return None
    post = (m.group("post") or "").strip().lower()
    if post in ("or more", "+"):
        return Range(num[0], None, unit=num[1])
    if post in ("or fewer", "or less"):
        return Range(None, num[0], unit=num[1])
    if post == "or so" and (mod or "").lower() in ("", "only", "just"):
        mod = "about"
    return _apply_mod(mod, num[0], num[0], num[1])


def _unit_token(doc: Doc, start: int, end: int) -> Token | None:
    """The noun a quantity counts: its syntactic head noun, the object of "of", or the next noun."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    last = span[-1]
    if last.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod") and last.head.i > last.i \
            and last.head.pos_ in ("NOUN", "PROPN") and last.head.i - last.i <= 5:
        return last.head
    for t in span:
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs and objs[0].pos_ in ("NOUN", "PROPN"):
                    return objs[0]
    after_of = False
    for t in doc[span.end: span.end + 4]:
        if t.pos_ == "NOUN" or t.tag_ == "NNPS":
            return t
        if t.lower_ == "of":
            after_of = True
            continue
        if t.pos_ == "DET" and after_of:
            continue
        if t.pos_ not in ("ADJ", "PUNCT", "PROPN", "NUM", "PART") or t.is_sent_start:
            break
    return None


def _ent_labels(ents: list[tuple[int, int, str]], ent_ends: list[int], core_s: int, e: int) -> set[str]:
    """Labels of the entities overlapping the number, found by bisection (not a scan per match)."""
    labels = set()
    for es, _, lab in ents[bisect.bisect_right(ent_ends, core_s):]:
        if es >= e:
            break
        labels.add(lab)
    return labels


# numbers that are no quantity, as (why, test on (doc, text, raw number, match start, end, has a modifier))
NOT_A_COUNT: list[tuple[str, Callable[[Doc, str, str, int, int, bool], bool]]] = [
    ("“one of them”: a pronoun far more often than a count", lambda d, t, raw, s, e, mod: raw == "one" and not mod),
    ("a year", lambda d, t, raw, s, e, mod: bool(re.fullmatch(r"(1[89]|20)\d\d", raw)) and not mod),
    ("clock times, fractions of dates, hashtags, markup, “COVID-19”",
     lambda d, t, raw, s, e, mod: t[e:e + 1] in (":", "/") or t[max(0, s - 1):s] in ("#", "/", ":", "@", "=", "-")),
    ("identifiers and phone numbers", lambda d, t, raw, s, e, mod: bool(re.fullmatch(r"\d{10,}", raw))),
    ("'60 Minutes', \"Catch 22\": a title",
     lambda d, t, raw, s, e, mod: t[max(0, s - 1):s] in ("'", '"', "‘", "“") and bool(
         re.match(r"\s+[A-Z][a-z]", t[e:e + 3]))),
    ("“7 Eleven”, “Fox 5”: part of a name", lambda d, t, raw, s, e, mod: _part_of_name(d, t, e, mod)),
]


def _part_of_name(doc: Doc, text: str, e: int, mod: bool) -> bool:
    if not re.match(r"\s+[A-Z]", text[e:e + 2]) or mod:
        return False
    nxt = doc.char_span(e + 1, e + 2, alignment_mode="expand")
    return nxt is not None and len(nxt) > 0 and nxt[0].ent_type_ in ("ORG", "WORK_OF_ART", "EVENT", "FAC",
                                                                     "PRODUCT", "LAW")


def _unit_of(doc: Doc, text: str, unit: str | None, s: int, e: int) -> str | None:
    """The unit: the pattern's, "percent of X", else the noun counted."""
    tok = _unit_token(doc, s, e)
    noun = tok.text if tok is not None else None
    if unit == "percent" and noun:
        return f"percent of {noun}" if text[e:tok.idx if tok is not None else e].strip().lower().startswith(
            "of") else "percent"
    return noun if unit is None else unit


def extract_quantities(doc: Doc, start: int = 0) -> list[Quantity]:
    """Quantities in ``doc_text(doc)[start:]`` (``start`` skips the title/byline block when given)."""
    text = doc_text(doc)
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]  # in text order, not overlapping
    ent_ends = [ee for _, ee, _ in ents]
    out: list[Quantity] = []
    for m in _PATTERN.finditer(text, start):
        s, e = m.span()
        labels = _ent_labels(ents, ent_ends, m.start("num") if m.group("num") else s, e)
        if labels & _SKIP_LABELS and not labels & {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}:
            continue
        if m.group("num"):
            raw, mod = m.group("num").lower(), bool(m.group("mod"))
            if any(test(doc, text, raw, s, e, mod) for _why, test in NOT_A_COUNT):
                continue
        rng = _from_match(m)
        if rng is None:
            continue
        unit = _unit_of(doc, text, rng.unit, s, e)
        out.append(Quantity(text[s:e], [(s, e)], rng.low, rng.high, unit, rng.low_exclusive, rng.high_exclusive))
    return out
