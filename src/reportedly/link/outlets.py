"""One canonical name per outlet, and which agency's wire copy an article carries.

Outlet labels arrive in many spellings ("CNN (Web News)", "Fox Online News", "Thomson Reuters"); the linker
compares outlets (an article's own, a relay's, a source that is an outlet), so every label goes through
``canonical_outlet``: section markers listed in ``data/outlets.json`` are stripped, then the rest is looked up
among the outlets' names, aliases and domains there. A label no entry knows keeps its own (trimmed) name.

A wire story carried under another outlet's name is the agency's copy: ``wire_agency`` reads the byline and
the credit lines at the top and bottom of the text ("(AP) —", "By REUTERS", "The Associated Press contributed
to this report") and returns the agency's canonical name, so the linker counts the carrier as a relay of
that agency rather than as an independent origin.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportedly.lexicon import load, outlets

CARRIER = "~"  # marks a carrier (a relay, the outlet) among a claim's sources: link.origins.claim_sources

HEAD_CHARS = 300  # a dateline credit sits in the first lines
TAIL_CHARS = 400  # "... contributed to this report" sits in the last ones
_SPACE = re.compile(r"\s+")


def _fold(label: str) -> str:
    low = _SPACE.sub(" ", label.replace("’", "'")).strip().lower()
    return low[4:] if low.startswith("the ") else low


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Folded name, alias or domain -> canonical outlet name (the first entry wins on a shared alias)."""
    out: dict[str, str] = {}
    for o in outlets():
        for form in (o.name, *o.aliases, o.domain):
            if form:
                out.setdefault(_fold(form), o.name)
    return out


@lru_cache(maxsize=1)
def _sections() -> tuple[str, ...]:
    return tuple(sorted((s.lower() for s in load("outlets").get("label_sections", [])), key=len, reverse=True))


@lru_cache(maxsize=4096)
def canonical_outlet(label: str | None) -> str | None:
    """The canonical name of an outlet label: "CNN (Web News)" -> "CNN", "Fox Online News" -> "Fox News",
    "Thomson Reuters" -> "Reuters"; an unknown label comes back trimmed; empty -> None."""
    if not label or not label.strip():
        return None
    folded = _fold(label)
    index = _index()
    if folded in index:
        return index[folded]
    for sec in _sections():
        if folded.endswith(sec) and len(folded) > len(sec):
            base = folded[: -len(sec)].strip()
            if base in index:
                return index[base]
    return _SPACE.sub(" ", label).strip()


@lru_cache(maxsize=1)
def _wire_patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """Per wire agency: a credit pattern for the top of the text/byline and one for the closing credit."""
    out = []
    for o in outlets():
        if o.type != "wire":
            continue
        forms = sorted({o.name, *o.aliases} - {"the AP"}, key=len, reverse=True)
        alt = "|".join(re.escape(f) for f in forms)
        # "(AP) —", "(Reuters) -", "WASHINGTON (AP)", "By The Associated Press", "Associated Press" as byline
        head = re.compile(rf"\((?:{alt})\)|\bBy (?:the )?(?:{alt})\b|^\s*(?:the )?(?:{alt})\s*$",
                          re.IGNORECASE | re.MULTILINE)
        # "The Associated Press contributed to this report", "Reporting by Reuters", "(c) Reuters"
        tail = re.compile(rf"\b(?:{alt})\b[^.\n]{{0,60}}\bcontributed\b|\b(?:reporting|writing) by (?:{alt})\b"
                          rf"|(?:©|\(c\)|copyright)\s*\d{{0,4}}\s*(?:the )?(?:{alt})\b", re.IGNORECASE)
        out.append((o.name, head, tail))
    return tuple(out)


@lru_cache(maxsize=1)
def _any_wire() -> re.Pattern[str]:
    """A necessary condition of every credit pattern in one search: some agency's name as a whole word, or a
    copyright mark (after which digits may run into the name: "(c)2019Reuters"). Most articles name no
    agency near their edges, and testing each agency's two patterns on them was most of reading a corpus
    for linking."""
    forms = sorted({f for o in outlets() if o.type == "wire" for f in {o.name, *o.aliases} - {"the AP"}},
                   key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(re.escape(f) for f in forms)})\b|©|\(c\)|copyright", re.IGNORECASE)


def wire_agency(byline: str | None, head: str | None, tail: str | None) -> str | None:
    """The wire agency whose copy an article carries, from its byline and the first/last characters of its
    text, else None. Only credit lines count: an agency merely quoted in the body is a source, not a carrier."""
    top = "\n".join(x for x in (byline or "", (head or "")[:HEAD_CHARS]) if x)
    end = (tail or "")[-TAIL_CHARS:]
    if not (_any_wire().search(top) or _any_wire().search(end)):
        return None
    for name, head_re, tail_re in _wire_patterns():
        if (top and head_re.search(top)) or (end and tail_re.search(end)):
            return name
    return None
