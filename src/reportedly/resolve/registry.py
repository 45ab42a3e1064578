"""The entity registry that source resolution and coreference share: the entities found so far, in text
order, with their mentions, titles and gender, and the small lexicon helpers both read (names, places, kinds).

Pure data and functions of the Doc; no resolution rules live here (see ``sources.py`` and ``coref.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from reportedly.model import Offsets
from reportedly.resolve.contents import SpanSet
from reportedly.resolve.lexicon import (
    Outlet,
    doc_text,
    ents_between,
    words,
)

PERSON_KINDS = frozenset({"person", "official", "journalist"})


_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f", "it": "n", "its": "n",
             "they": "p", "them": "p", "their": "p", "we": "w", "our": "w", "i": "i", "my": "i", "you": "y"}


_PLATFORMS = re.compile(r"\s+(?:Telegram|Twitter|Facebook|Instagram|YouTube|TikTok|X)(?:\s+(?:channel|account|"
                        r"page|feed|post|posts))?$")


_PERSON_NOUNS = frozenset({"source", "official", "aide", "minister", "spokesman", "spokeswoman", "spokesperson",
                           "adviser", "advisor", "insider", "witness", "resident", "lawmaker", "senator", "diplomat",
                           "officer", "person", "man", "woman", "mother", "father", "mom", "dad", "nominee",
                           "candidate", "president", "governor", "mayor", "reporter", "correspondent", "friend",
                           "lawyer", "attorney", "expert", "analyst", "critic", "member", "leader", "director",
                           "republican", "democrat", "voter", "student", "doctor", "soldier", "worker", "employee"})


def _lex(key: str) -> frozenset[str]:
    return words("source_kinds", key)


@dataclass
class _Ent:
    id: str
    name: str
    kind: str
    mentions: Offsets = field(default_factory=list)
    surname: str | None = None
    titles: set[str] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)  # lower-case head nouns it was referred to by
    plural: bool = False
    affiliation: str | None = None  # entity id of the outlet a journalist works for
    outlet: Outlet | None = None
    named: bool = True
    gender: str | None = None  # "m"/"f" from honorifics (Mr./Mrs./Ms.) and first names

    def last(self) -> int:
        return max(s for s, _ in self.mentions) if self.mentions else -1


def _clean_name(raw: str) -> str:
    raw = re.sub(r"^(?:the|The)\s+", "", re.sub(r"^[-–—•*]+\s*", "", raw.strip()))  # "-Philip Bump" (a bullet)
    raw = re.sub(r"(?:'s|’s|'|’)$", "", raw).strip()
    raw = _PLATFORMS.sub("", raw)
    return re.sub(r"\s+", " ", raw).strip(" ,.\"“”")


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'-]*", name) if w not in {"Of", "The", "And"})


def _span_head(span: Span) -> Token:
    first = None
    for t in span:
        if t.head.i < span.start or t.head.i >= span.end or t.head is t:
            if first is None:
                first = t
                if t.pos_ != "VERB":
                    return t
            elif t.pos_ in ("NOUN", "PROPN"):
                return t  # "fundraising documents show": the parser hung "fundraising" elsewhere
    return first if first is not None else span[-1]


@lru_cache(maxsize=1)
def _states() -> dict[str, str]:
    """US state names and their AP/postal abbreviations -> the state's name."""
    out: dict[str, str] = {}
    for row in _lex("us_states"):
        forms = row.split(";")
        for f in forms:
            out[f] = forms[0]
    return out


def _places(doc: Doc, start: int, end: int) -> set[str]:
    """"@texas" for each US state named (tagged as a place) between two offsets: the state a title goes with
    ("Texas Sen. Ted Cruz", "the Vermont senator")."""
    return {"@" + _states()[x.text.lower()] for x in ents_between(doc, start, end)
            if x.label_ == "GPE" and x.text.lower() in _states()}


def _place_clash(e: _Ent, places: set[str]) -> bool:
    """Does a description's state contradict the states the entity is known by?"""
    known = {t for t in e.titles if t.startswith("@")}
    return bool(places and known and not places & known)


class _Registry:
    """Entities built up in text order; lookups for coreference."""

    def __init__(self, doc: Doc, article_outlet: str | None) -> None:
        self.doc = doc
        self.ents: list[_Ent] = []
        self.article_outlet = article_outlet
        self.contents: list[tuple[int, int]] = []  # content spans of all attributions
        self.strong: set[int] = set()  # mention starts in subject or speaker position
        self.spoken: list[tuple[int, int, _Ent]] = []  # resolved source spans, in text order
        self.start = 0  # where the body begins (the title comes before)
        self.deictic: set[int] = set()  # mentions by "I"/"you": they give no antecedent to "he"/"she"
        self.quotes: list[tuple[int, int]] = []  # content spans of direct quotes
        self.byline: str | None = None  # the article's author, if known
        self.place_votes: dict[str, int] | None = None  # name -> GPE minus ORG tags in the document
        self._sets: dict[str, tuple[list[tuple[int, int]], int, SpanSet]] = {}

    def quote_set(self) -> SpanSet:
        """``quotes`` by position (built on first use; the resolver sets ``quotes`` once per document)."""
        return self._span_set("quotes")

    def content_set(self) -> SpanSet:
        """``contents`` by position (built on first use; the resolver sets ``contents`` once per document)."""
        return self._span_set("contents")

    def _span_set(self, name: str) -> SpanSet:
        spans = getattr(self, name)
        cached = self._sets.get(name)
        if cached is None or cached[0] is not spans or cached[1] != len(spans):
            cached = (spans, len(spans), SpanSet(spans))
            self._sets[name] = cached
        return cached[2]

    def new(self, name: str, kind: str, span: tuple[int, int], **kw: object) -> _Ent:
        e = _Ent(id=f"e{len(self.ents) + 1}", name=name, kind=kind, mentions=[span])
        for k, v in kw.items():
            setattr(e, k, v)
        self.ents.append(e)
        return e

    @staticmethod
    def add_mention(e: _Ent, span: tuple[int, int]) -> None:
        if span not in e.mentions:
            e.mentions.append(span)

    def before(self, pos: int) -> list[_Ent]:
        """Entities mentioned before ``pos``, most recently mentioned first."""
        cands = [(max((s for s, _ in e.mentions if s < pos), default=-1), e) for e in self.ents]
        return [e for last, e in sorted(cands, key=lambda x: -x[0]) if last >= 0]

    def find_outlet(self, outlet: Outlet) -> _Ent | None:
        return next((e for e in self.ents if e.outlet is not None and e.outlet.name == outlet.name), None)

    def find_person(self, surname: str, first: str | None, gender: str | None = None) -> _Ent | None:
        """The person of that surname mentioned most recently ("Johnson" after "Jeh Johnson", not the
        "Gary Johnson" of three sections earlier); a different first name is a different person."""
        found = []
        for e in self.ents:
            if e.kind in PERSON_KINDS and e.surname == surname and e.named:
                if first and e.name.split()[0].lower() not in (first, surname) and len(e.name.split()) > 1:
                    continue
                if gender and e.gender and e.gender != gender:
                    continue
                found.append(e)
        if not found:
            return None

        def last_strong(e: _Ent) -> int:
            return max((ms for ms, _ in e.mentions if ms in self.strong), default=-1)

        # the one last seen as a subject or speaker ("Jeh Johnson says ... Johnson tells"; not "his wife,
        # Heidi Cruz" for the next "Cruz said"), then the one last mentioned at all
        return max(found, key=lambda e: (last_strong(e), e.last()))

    def find_org(self, name: str) -> _Ent | None:
        low = name.lower()
        acro = _acronym(name)
        for e in self.ents:
            if e.kind in PERSON_KINDS or not e.named:
                continue
            el = e.name.lower()
            if el == low or (len(low) > 3 and (el.startswith(low + " ") or low.startswith(el + " "))):
                return e
            if e.outlet is not None and name in (e.outlet.name, *e.outlet.aliases):
                return e
            if (name.isupper() and len(name) >= 2 and _acronym(e.name) == name) or (
                    e.name.isupper() and len(e.name) >= 2 and acro == e.name):
                return e
        return None


def _gender(e: _Ent, doc: Doc) -> str | None:
    """"m", "f" or None, from honorifics and first names in the entity's mentions."""
    if e.gender:
        return e.gender
    female, male = _lex("female_names"), _lex("male_names")
    for s, t in e.mentions:
        words = doc_text(doc)[max(0, s - 5):t].replace(".", " ").split()
        for w in words:
            if w in ("Mrs", "Ms", "Miss", "Madam", "congresswoman", "spokeswoman", "chairwoman", "businesswoman"):
                return "f"
            if w in ("Mr", "Sir", "congressman", "spokesman", "chairman", "businessman"):
                return "m"
    first = e.name.split()[0] if e.name else ""
    if first in female:
        return "f"
    if first in male:
        return "m"
    return None
