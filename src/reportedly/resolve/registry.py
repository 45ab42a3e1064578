"""The entity registry that source resolution and coreference share: the entities found so far, in text
order, with their mentions, titles and gender, and the small lexicon helpers both read (names, places, kinds).

Pure data and functions of the Doc; no resolution rules live here (see ``sources.py`` and ``coref.py``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from reportedly.lexicon import (
    Outlet,
    doc_text,
    ents_between,
    first_name_gender,
    words,
)
from reportedly.model import Offsets
from reportedly.resolve.contents import SpanSet

PERSON_KINDS = frozenset({"person", "official", "journalist"})
# lower-case particles inside family names ("Anna de Vries", "Ludwig van Beethoven", "Omar al Bashir")
NAME_PARTICLES = frozenset({"de", "da", "di", "del", "della", "der", "den", "van", "von", "le", "la", "du", "dos",
                            "al", "bin", "ibn", "ter", "ten"})


PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f", "it": "n", "its": "n",
             "they": "p", "them": "p", "their": "p", "we": "w", "our": "w", "i": "i", "my": "i", "you": "y"}


_PLATFORMS = re.compile(r"\s+(?:Telegram|Twitter|Facebook|Instagram|YouTube|TikTok|X)(?:\s+(?:channel|account|"
                        r"page|feed|post|posts))?$")


PERSON_NOUNS = words("word_lists", "person_nouns")  # data/word_lists.json


def lex(key: str) -> frozenset[str]:
    return words("source_kinds", key)


@dataclass(eq=False)  # one entity is one object: compared by identity (a field-by-field == per lookup was slow)
class Ent:
    id: str
    name: str
    kind: str
    mentions: Offsets = field(default_factory=list)
    surname: str | None = None
    titles: set[str] = field(default_factory=set)  # role words, "former", "@texas" (kinds.Titles)
    gov_context: bool = False  # a weak title of this person stood in a government context (kinds.Titles)
    heads: set[str] = field(default_factory=set)  # lower-case head nouns it was referred to by
    plural: bool = False
    affiliation: str | None = None  # entity id of the outlet a journalist works for
    outlet: Outlet | None = None
    named: bool = True
    gender: str | None = None  # "m"/"f" from honorifics (Mr./Mrs./Ms.) and first names

    def last(self) -> int:
        return max(s for s, _ in self.mentions) if self.mentions else -1

    def __setattr__(self, key: str, value: object) -> None:
        object.__setattr__(self, key, value)
        registry = self.__dict__.get("_registry")
        if registry is not None and key in _KEYED:
            registry._rekey(self)  # the lookups by name, surname and outlet follow the change


BEFORE_REACH = 100_000  # characters a description or "it" looks back for its entity

_KEYED = frozenset({"name", "surname", "outlet"})  # the fields the registry's lookup keys are made of


def _keys(e: Ent) -> set[tuple[str, str]]:
    """What ``find_person`` and ``find_org`` can find ``e`` by: its surname, its name's first word (exact and
    prefix matches share it), its acronym, its all-caps name, its outlet's names."""
    keys = {("w", e.name.lower().split(" ")[0]), ("a", _acronym(e.name))}
    if e.surname:
        keys.add(("s", e.surname))
    if e.name.isupper():
        keys.add(("u", e.name))
    if e.outlet is not None:
        keys |= {("o", n) for n in (e.outlet.name, *e.outlet.aliases)}
    return keys


def clean_name(raw: str) -> str:
    raw = re.sub(r"^(?:the|The)\s+", "", re.sub(r"^[-–—•*]+\s*", "", raw.strip()))  # "-Paul Brandt" (a bullet)
    raw = re.sub(r"(?:'s|’s|'|’)$", "", raw).strip()
    raw = _PLATFORMS.sub("", raw)
    return re.sub(r"\s+", " ", raw).strip(" ,.\"“”")


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'-]*", name) if w not in {"Of", "The", "And"})


def span_head(span: Span) -> Token:
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
def state_names() -> dict[str, str]:
    """US state names and their AP/postal abbreviations -> the state's name."""
    out: dict[str, str] = {}
    for row in lex("us_states"):
        forms = row.split(";")
        for f in forms:
            out[f] = forms[0]
    return out


def title_places(doc: Doc, start: int, end: int) -> set[str]:
    """"@texas" for each US state named (tagged as a place) between two offsets: the state a title goes with
    ("Texas Sen. Ana Diaz", "the Vermont senator")."""
    return {"@" + state_names()[x.text.lower()] for x in ents_between(doc, start, end)
            if x.label_ == "GPE" and x.text.lower() in state_names()}


def place_clash(e: Ent, places: set[str]) -> bool:
    """Does a description's state contradict the states the entity is known by?"""
    known = {t for t in e.titles if t.startswith("@")}
    return bool(places and known and not places & known)


class Registry:
    """Entities built up in text order; lookups for coreference."""

    def __init__(self, doc: Doc, article_outlet: str | None) -> None:
        self.doc = doc
        self.ents: list[Ent] = []
        self.article_outlet = article_outlet
        self.contents: list[tuple[int, int]] = []  # content spans of all attributions
        self.strong: set[int] = set()  # mention starts in subject or speaker position
        self.spoken: list[tuple[int, int, Ent]] = []  # resolved source spans, in text order
        self.start = 0  # where the body begins (the title comes before)
        self.deictic: set[int] = set()  # mentions by "I"/"you": they give no antecedent to "he"/"she"
        self.quotes: list[tuple[int, int]] = []  # content spans of direct quotes
        self.byline: str | None = None  # the article's author, if known
        self.place_votes: dict[str, int] | None = None  # name -> GPE minus ORG tags in the document
        self._sets: dict[str, tuple[list[tuple[int, int]], int, SpanSet]] = {}
        # every mention of the live entities by position: (start, end, seq, entity), with each entity's creation
        # order; lookups near a position cost O(log n + k) instead of a scan of every mention of every entity
        self._mentions: list[tuple[int, int, int, Ent]] = []
        self._order: dict[int, int] = {}
        self._dropped: set[int] = set()
        self._reach = 0
        self._by_key: dict[tuple[str, str], dict[int, Ent]] = {}  # lookup key -> entities (see _keys)
        self._keys_of: dict[int, set[tuple[str, str]]] = {}

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

    def new(self, name: str, kind: str, span: tuple[int, int], **kw: object) -> Ent:
        e = Ent(id=f"e{len(self.ents) + 1}", name=name, kind=kind, mentions=[span])
        object.__setattr__(e, "_registry", self)
        for k, v in kw.items():
            setattr(e, k, v)
        self.ents.append(e)
        self._order[id(e)] = len(self._order)
        self._rekey(e)
        self._index(e, span)
        return e

    def _rekey(self, e: Ent) -> None:
        for k in self._keys_of.get(id(e), ()):
            self._by_key[k].pop(id(e), None)
        self._keys_of[id(e)] = _keys(e)
        for k in self._keys_of[id(e)]:
            self._by_key.setdefault(k, {})[id(e)] = e

    def _candidates(self, *keys: tuple[str, str]) -> list[Ent]:
        """The live entities under any of ``keys``, in the registry's order."""
        found = {i: e for k in keys for i, e in self._by_key.get(k, {}).items() if i not in self._dropped}
        return sorted(found.values(), key=lambda e: self._order[id(e)])

    def add_mention(self, e: Ent, span: tuple[int, int]) -> None:
        if span not in e.mentions:
            e.mentions.append(span)
            self._index(e, span)

    def _index(self, e: Ent, span: tuple[int, int]) -> None:
        bisect.insort(self._mentions, (span[0], span[1], len(self._mentions), e))
        self._reach = max(self._reach, span[1] - span[0])

    def rank(self, e: Ent) -> int:
        """``e``'s place in the registry's order (the order of ``ents``)."""
        return self._order[id(e)]

    def drop(self, e: Ent) -> None:
        """Remove an entity nothing refers to any more (its mentions leave the index too)."""
        self.ents.remove(e)
        self._dropped.add(id(e))

    def mentions_in(self, lo: int, hi: int) -> list[tuple[int, int, Ent]]:
        """(start, end, entity) for every mention of a live entity that starts in ``[lo, hi)``, by position."""
        i = bisect.bisect_left(self._mentions, (lo,))
        j = bisect.bisect_left(self._mentions, (hi,))
        return [(ms, me, e) for ms, me, _, e in self._mentions[i:j] if id(e) not in self._dropped]

    def mentions_over(self, lo: int, hi: int) -> list[tuple[int, int, Ent]]:
        """(start, end, entity) for every mention of a live entity that overlaps ``[lo, hi)``."""
        return [(ms, me, e) for ms, me, e in self.mentions_in(lo - self._reach, hi) if me > lo]

    def before(self, pos: int) -> list[Ent]:
        """Entities mentioned in the BEFORE_REACH characters before ``pos``, most recently mentioned first (ties
        in the registry's order). The reach is longer than nearly every news article, so there it is every entity
        mentioned before; on a book-length text it keeps each look-back (a description, "it") bounded."""
        out: list[Ent] = []
        seen: set[int] = set()
        k = bisect.bisect_left(self._mentions, (pos,))
        stop = bisect.bisect_left(self._mentions, (pos - BEFORE_REACH,))
        while k > stop:
            start = self._mentions[k - 1][0]
            group = []
            while k > stop and self._mentions[k - 1][0] == start:
                e = self._mentions[k - 1][3]
                if id(e) not in seen and id(e) not in self._dropped:
                    seen.add(id(e))
                    group.append(e)
                k -= 1
            out += sorted(group, key=lambda e: self._order[id(e)])
        return out

    def find_outlet(self, outlet: Outlet) -> Ent | None:
        return next((e for e in self.ents if e.outlet is not None and e.outlet.name == outlet.name), None)

    def find_person(self, surname: str, first: str | None, gender: str | None = None) -> Ent | None:
        """The person of that surname mentioned most recently ("Keller" after "Tom Keller", not the
        "Ruth Keller" of three sections earlier); a different first name is a different person."""
        found = []
        for e in self._candidates(("s", surname)):
            if e.kind in PERSON_KINDS and e.surname == surname and e.named:
                if first and e.name.split()[0].lower() not in (first, surname) and len(e.name.split()) > 1:
                    continue
                if gender and e.gender and e.gender != gender:
                    continue
                found.append(e)
        if not found:
            return None

        def last_strong(e: Ent) -> int:
            return max((ms for ms, _ in e.mentions if ms in self.strong), default=-1)

        # the one last seen as a subject or speaker ("Tom Keller says ... Keller tells"; not "his wife,
        # Ruth Keller" for the next "Keller said"), then the one last mentioned at all
        return max(found, key=lambda e: (last_strong(e), e.last()))

    def find_org(self, name: str) -> Ent | None:
        low = name.lower()
        acro = _acronym(name)
        keys = [("w", low.split(" ")[0]), ("o", name), ("u", acro)]
        if name.isupper() and len(name) >= 2:
            keys.append(("a", name))
        for e in self._candidates(*keys):
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


def gender_of(e: Ent, doc: Doc) -> str | None:
    """"m", "f" or None, from honorifics and first names in the entity's mentions."""
    if e.gender:
        return e.gender
    for s, t in e.mentions:
        words = doc_text(doc)[max(0, s - 5):t].replace(".", " ").split()
        for w in words:
            if w in ("Mrs", "Ms", "Miss", "Madam", "congresswoman", "spokeswoman", "chairwoman", "businesswoman"):
                return "f"
            if w in ("Mr", "Sir", "congressman", "spokesman", "chairman", "businessman"):
                return "m"
    return first_name_gender(e.name.split()[0]) if e.name else None
