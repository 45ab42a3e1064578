"""Canonical sources: who is speaking, merged across mentions, with a kind.

Kinds: outlet, government, official, journalist, person, organisation, anonymous (unnamed people), document,
other (a thing, event or idea cited as saying something: "the euro crisis", "history"). A source mention is
resolved in this order: a pronoun ("he", "its") or a definite description ("the ministry", "the Post",
"the senator") links back to an entity already mentioned; a proper name (spaCy PERSON/ORG/GPE, or a
name from ``data/outlets.json``) becomes or joins a named entity; an unnamed role ("a source",
"officials", "a Ukraine interior minister") is an anonymous entity. Kinds come from lexicons in
``data/source_kinds.json`` and from context ("X reported", "told X" make X an outlet).

Everything here is a pure function of the Doc, the attributions and the article's own outlet.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from reportedly.model import Attribution, Entity, Offsets
from reportedly.resolve.lexicon import (
    Outlet,
    context_only,
    doc_ents,
    doc_text,
    ent_at,
    ents_between,
    load,
    outlet_forms,
    outlet_matches,
    words,
)

PERSON_KINDS = frozenset({"person", "official", "journalist"})
_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f", "it": "n", "its": "n",
             "they": "p", "them": "p", "their": "p", "we": "w", "our": "w", "i": "i", "my": "i", "you": "y"}
_DETS = {"the", "a", "an", "this", "that", "these", "those", "another", "one", "some", "two", "three", "several",
         "many", "most", "other", "others", "both", "all", "any", "each"}
_OUTLET_SUFFIX = re.compile(
    r"\b(?:News|Times|Post|Journal|Herald|Tribune|Gazette|Daily|Magazine|Radio|TV|Television|Press|Chronicle|"
    r"Inquirer|Observer|Examiner|Courier|Dispatch|Register|Bulletin|Sentinel|Star|Review|Monitor|Wire|"
    r"Broadcasting|Telegraph|Standard|Express|Mirror|Independent|Report|Newswire|Insider)$")
_FINDING_CUES = {"find", "show", "conclude", "suggest", "estimate", "demonstrate", "indicate", "argue"}
_REPORT_LEMMAS = {"report", "write", "publish", "broadcast", "air", "reveal", "learn", "obtain", "quote", "cite"}
_OUTLET_CUES = {"report", "publish", "broadcast", "air", "learn", "according to"}
_PLATFORMS = re.compile(r"\s+(?:Telegram|Twitter|Facebook|Instagram|YouTube|TikTok|X)(?:\s+(?:channel|account|"
                        r"page|feed|post|posts))?$")
_CHANNEL_NOUNS = {"post", "statement", "tweet", "release", "report", "letter", "memo", "email", "message",
                  "spokesman", "spokeswoman", "spokesperson", "account", "channel", "page", "website", "video",
                  "announcement", "filing", "document", "study", "survey", "poll", "transcript", "note",
                  "update", "bulletin", "briefing", "readout"}


_PERSON_NOUNS = frozenset({"source", "official", "aide", "minister", "spokesman", "spokeswoman", "spokesperson",
                           "adviser", "advisor", "insider", "witness", "resident", "lawmaker", "senator", "diplomat",
                           "officer", "person", "man", "woman", "mother", "father", "mom", "dad", "nominee",
                           "candidate", "president", "governor", "mayor", "reporter", "correspondent", "friend",
                           "lawyer", "attorney", "expert", "analyst", "critic", "member", "leader", "director",
                           "republican", "democrat", "voter", "student", "doctor", "soldier", "worker", "employee"})
_HEADLINE_VERBS = frozenset({"tells", "says", "warns", "claims", "slams", "calls", "urges", "admits", "reveals",
                            "blasts", "explains", "accuses", "denies", "rips", "insists", "sees", "vows"})
_RELATIVE = {"who", "which", "that", "whom", "whose"}


_ACADEMIC = frozenset({"university", "college", "school", "institute", "hospital", "company", "corporation"})
_ABBREV = {"gov.": "governor", "sen.": "senator", "sen": "senator", "rep.": "representative", "rep": "representative",
           "gen.": "general", "adm.": "admiral", "lt.": "lieutenant", "col.": "colonel"}


def _lex(key: str) -> frozenset[str]:
    return words("source_kinds", key)


@lru_cache(maxsize=1)
def _government_context_regex() -> re.Pattern[str]:
    """Any government-context word as a whole word ("ministry", "white house"), compiled once."""
    alts = "|".join(re.escape(w) for w in sorted(_lex("government_context"), key=len, reverse=True))
    return re.compile(r"(?<![\w.])(?:" + alts + r")(?![\w])")


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


@dataclass
class Resolution:
    """Result of resolving the sources of one document."""

    entities: list[Entity]
    source_of: dict[str, str]  # attribution id -> entity id
    recipient_of: dict[str, str]  # attribution id -> entity id of the recipient ("told NBC News")
    affiliation: dict[str, str]  # journalist entity id -> outlet entity id
    outlet_ids: set[str]


def _strip_det(span: Span) -> Span:
    i, j = span.start, span.end
    while i < j and (span.doc[i].lower_ in _DETS or span.doc[i].is_punct or span.doc[i].is_space):
        i += 1
    while j > i and (span.doc[j - 1].is_punct or span.doc[j - 1].is_space or span.doc[j - 1].tag_ == "POS"):
        j -= 1
    return span.doc[i:j]


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


_ORG_CONTEXT = frozenset({"campaign", "party", "committee", "company", "pac", "group", "foundation", "club",
                          "network", "firm", "corporation", "coalition", "union", "league", "movement", "caucus"})


def _headline_case(tok: Token) -> bool:
    """Is the token on a Title Case line (a headline: "Obama Sees ... As President Of The United States"),
    where a capital letter says nothing about a title or a name? Lines, not parser sentences: the parser
    often runs a headline into the first paragraph."""
    text = doc_text(tok.doc)
    lo = text.rfind("\n", 0, tok.idx) + 1
    seen: dict[int, bool] = tok.doc.user_data.setdefault("reportedly_headline_lines", {})
    if lo not in seen:  # one verdict per line, not per token asked about
        hi = text.find("\n", tok.idx)
        line = text[lo:hi if hi >= 0 else len(text)]
        words_ = re.findall(r"[^\W\d_]{4,}", line[:400])
        seen[lo] = len(words_) >= 3 and sum(w[:1].isupper() for w in words_) >= 0.8 * len(words_)
    return seen[lo]


def _ent_span(tok: Token) -> Span | None:
    """The named entity a token is part of, if any."""
    return ent_at(tok.doc, tok.i) if tok.ent_type_ else None


def _gov_org(name: str) -> bool:
    """Is a named organisation a government body ("House", "White House", "the State Department")?"""
    low = name.lower()
    return _govt_name(name) or (bool(_government_context_regex().search(low)) and not any(
        w in _lex("organisation_heads") | {"pac", "inc", "llc"} for w in low.split()))


def _private_org_tok(tok: Token) -> bool:
    """Is the token part of a named organisation that is no government body ("American Bridge", "RNC",
    "the House Majority PAC", "Committee for a Responsible Federal Budget")?"""
    x = _ent_span(tok)
    return x is not None and x.label_ == "ORG" and not _gov_org(_clean_name(x.text)) and not any(
        w.lower() in _states() for w in _clean_name(x.text).split())  # "Alabama Securities Commissioner"


def _org_pp(toks: list[Token], k: int) -> bool:
    """Does a title end right before "of/with/at/for/to" + a private organisation ("a minister with the Living
    Church of God", "executive director of the House Majority PAC", "director of state campaigns")?"""
    if not toks:
        return False
    doc = toks[0].doc
    j = toks[k - 1].i + 1 if k else toks[0].i
    if j >= len(doc) or doc[j].lower_ not in ("of", "with", "at", "for", "to"):
        return False
    pobj = next((c for c in doc[j].children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.ent_type_ == "GPE":
        return False
    lem = pobj.lemma_.lower()
    private = _lex("organisation_heads") - _lex("government_heads") | {"pac"}
    if lem in private or any(c.dep_ == "compound" and c.lemma_.lower() in private and c.i == pobj.i - 1
                             for c in pobj.children):
        return True  # the head decides: "the House Majority PAC", "state campaigns"
    name = _clean_name(doc[pobj.left_edge.i:pobj.i + 1].text)
    if _govt_name(name) or _government_context_regex().search(name.lower()) and pobj.ent_type_ != "ORG":
        return False
    if lem in _lex("government_heads") and lem not in _lex("organisation_heads"):
        return False
    return (
        pobj.pos_ == "PROPN" and (lem == "committee" or pobj.ent_type_ == "ORG") and not _gov_org(name))


_RELIGIONS = frozenset({"christian", "muslim", "jewish", "catholic", "evangelical", "protestant", "hindu",
                        "buddhist", "mormon", "sikh", "islamic", "orthodox", "baptist", "methodist", "lutheran"})


def _title_words(tokens: Iterable[Token]) -> set[str]:
    """Role words in a run of tokens ("Russian President", "NBC News correspondent", "former Sen.").

    A weak title ("director", "spokesman", "president of ...") makes an official only with a government
    word near it or when written as a capitalised title before the name ("President Obama"); the
    pseudo-title "govctx" records that, and only in a phrase that has a weak title (so that one mention's
    context does not make another mention's "president" an office). A title owned by a private
    organisation ("American Bridge President", "a minister with the Living Church of God") is no office,
    nor is a hypothetical one ("the next Commander in Chief").
    """
    toks = [t for t in tokens if not t.is_space]
    lows = [t.lower_ for t in toks]
    out: set[str] = set()
    weak = _lex("weak_titles")
    headline = bool(toks) and _headline_case(toks[0])
    gov = has_weak = private = False
    for n in (3, 2, 1):
        for i in range(len(lows) - n + 1):
            phrase = " ".join(lows[i:i + n])
            for key in ("official_titles", "journalist_titles", "person_roles"):
                if phrase in _lex(key):
                    out.add(phrase)
                    if key == "official_titles" and (
                            (i > 0 and phrase in weak and toks[i].text[:1].isupper() and _private_org_tok(toks[i - 1])
                             and (len(_ent_span(toks[i - 1]) or ()) > 1 or toks[i - 1].text.isupper()))
                            or _org_pp(toks, i + n)):
                        private = True  # "RNC Chief of Staff", "director of the Sunlight Foundation"
                    if phrase in weak and key == "official_titles":
                        has_weak = True
                        near = toks[max(0, i - 2):i]  # "Mexican secretary", "U.S. ambassador"
                        after = toks[i + n:i + n + 3]  # "president of France"
                        capital = toks[i].text[:1].isupper() and toks[i].pos_ == "PROPN" and not headline and not (
                            {t.lower_ for t in toks[max(0, i - 3):i]} & _ORG_CONTEXT)  # "campaign Chairman"
                        # the place must qualify the title, not a noun before it ("San Diego chapter president")
                        placed = any(t.ent_type_ in ("NORP", "GPE") and t.lower_ not in _RELIGIONS and all(
                            u.ent_type_ in ("NORP", "GPE") or u.pos_ == "ADJ" for u in t.doc[t.i + 1:toks[i].i])
                            for t in near)  # not "Christian speaker", "New Hampshire GOP leader"
                        if capital or placed or (
                                after and after[0].lower_ == "of" and any(
                                    t.ent_type_ == "GPE" for t in after[1:])):
                            gov = True
    out |= {_ABBREV[w] for w in out if w in _ABBREV}  # "Gov. Jeb Bush" is "the former Florida governor"
    text = " ".join(t.lower_ for t in toks if not _private_org_tok(t))  # not "Committee for ... Federal Budget"
    if _government_context_regex().search(text) and not any(w in _ACADEMIC for w in lows):
        gov = True  # not "chairman of the computer science department at Dartmouth College"
    if private:
        gov = False
        if out & _lex("official_titles"):  # an organisation's officer: a person with a role, no office
            out = out - _lex("official_titles") | {"executive"}
    if gov and has_weak:
        out.add("govctx")
    if any(w in _lex("former_markers") or w.startswith(("ex-", "then-")) for w in lows) or any(
            w in ("then", "ex") and nxt == "-" for w, nxt in zip(lows, lows[1:], strict=False)) or (
            "during" in lows and out & _lex("official_titles")):  # "an official during George W. Bush's administration"
        out.add("former")
    if any(w in _HYPOTHETICAL for w in lows):
        out -= _lex("official_titles") | {"govctx"}  # "the next Commander in Chief": no office now
    return out


_HYPOTHETICAL = frozenset({"next", "future", "would-be", "prospective", "potential"})


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


def _name_places(doc: Doc, span: Span) -> set[str]:
    """The state after a name: "Sen. Ted Cruz (R-Texas)", "Sen. Bernie Sanders (I-Vt.)", "Warren of
    Massachusetts"."""
    tail = doc_text(doc)[span.end_char:span.end_char + 30]
    m = re.match(r"\s*\((?:R|D|I)-([A-Z][\w.]*(?: [A-Z][\w.]*)?)\)|\s+of\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)", tail)
    if m is None:
        return set()
    name = _states().get((m.group(1) or m.group(2) or "").lower())
    return {"@" + name} if name else set()


def _place_clash(e: _Ent, places: set[str]) -> bool:
    """Does a description's state contradict the states the entity is known by?"""
    known = {t for t in e.titles if t.startswith("@")}
    return bool(places and known and not places & known)


_CLERGY = frozenset({"pastor", "rev.", "reverend", "bishop", "rabbi", "imam", "priest", "chaplain"})


def _kind_from_titles(titles: set[str]) -> str | None:
    if titles & _lex("journalist_titles"):
        return "journalist"
    if "former" in titles:
        return "person"  # "former Sen.", "then-Sen.": no office now, whatever the entity was called before
    official = titles & _lex("official_titles")
    if titles & _CLERGY:
        official -= {"minister"}  # "Pastor Darrell Scott, a Cleveland minister": a church's minister
    if official - _lex("weak_titles") or (official and "govctx" in titles):
        return "official"
    return None


def _govt_name(name: str) -> bool:
    low = name.lower()
    if low in _lex("government_names") or low.replace(".", "") in _lex("government_names"):
        return True  # "the S.E.C." is the SEC
    toks = low.split()
    if not toks:
        return False
    heads = _lex("government_heads")
    if any(t in {"committee", "subcommittee"} for t in toks):
        # congressional committees are government; party committees (RNC, DNC, the Democratic Congressional
        # Campaign Committee) are organisations
        if any(t in {"democratic", "republican", "campaign", "party", "action", "political"} for t in toks):
            return False
        return any(t in {"house", "senate", "congressional", "parliamentary", "oversight", "judiciary",
                         "intelligence", "appropriations", "armed"} for t in toks)
    if any(t in {"bureau", "agency", "department", "ministry", "commission"} for t in toks):
        return True
    return toks[0] in heads or toks[-1] in heads or " ".join(toks[-2:]) in heads or (
        len(toks) > 2 and toks[0] in {"ministry", "department", "office", "bureau", "house"}) or any(
        t in {"ministry", "pentagon", "kremlin", "parliament", "senate", "congress", "police"} for t in toks)


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


def _outlet_for(text: str, reg: _Registry, in_context: bool) -> Outlet | None:
    """The outlet a surface form names, if any (ambiguous short forms need a reporting context)."""
    forms = outlet_forms()
    key = _clean_name(text) if text not in forms else text
    cands = forms.get(text) or forms.get(key) or forms.get("The " + key) or []
    if not cands:
        return None
    if text.lower().startswith("the ") and len(text.split()) == 2:
        # "the Times" after "the Tampa Bay Times": the outlet of that name mentioned most recently
        last_word = text.split()[1]
        named = [e for e in reg.ents if e.outlet is not None and e.name.split()[-1] == last_word]
        if named:
            return max(named, key=lambda e: e.last()).outlet
        # still fine when the same outlet was already named in full in this article
        mentioned = [o for o in cands if reg.find_outlet(o) is not None]
        if not mentioned:
            if reg.article_outlet and any(reg.article_outlet in (o.name, *o.aliases) for o in cands):
                return next(o for o in cands if reg.article_outlet in (o.name, *o.aliases))
            return None
        return mentioned[0]
    if len(cands) > 1:
        mentioned = [o for o in cands if reg.find_outlet(o) is not None]
        if mentioned:
            return mentioned[0]
        if reg.article_outlet:
            own = [o for o in cands if reg.article_outlet in (o.name, *o.aliases)]
            if own:
                return own[0]
    return cands[0]


def _reporting_context(tok: Token) -> bool:
    """Is this token (head of a name) the subject of "reported", the object of "told", "interview with"?"""
    h = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and h.lemma_ in _REPORT_LEMMAS:
        return True
    if tok.dep_ in ("dative", "dobj") and h.lemma_ in {"tell", "say"}:
        return True
    if tok.dep_ == "pobj" and h.lower_ in ("to", "with", "on", "by") and (
            h.head.lemma_ in {"tell", "say", "confirm", "interview", "speak", "talk", "appearance", "comment"}
            or h.head.lower_ in {"interview", "appearance", "statement"}):
        return True
    if tok.dep_ == "poss" and h.lemma_ in {"report", "interview", "story", "article", "reporting", "translation",
                                            "broadcast", "correspondent", "reporter", "anchor", "host"}:
        return True
    return tok.dep_ == "compound" and h.lemma_ in {"reporter", "correspondent", "anchor", "host", "translation",
                                                  "report", "interview", "columnist", "editor"}


def _name_kind(name: str, label: str, head: Token | None, reg: _Registry) -> tuple[str, Outlet | None]:
    ctx = head is not None and _reporting_context(head)
    outlet = _outlet_for(name, reg, ctx)
    if outlet is not None:
        return "outlet", outlet
    if name.lower() in _lex("company_names"):
        return "organisation", None  # "Twitter said": the tagger often calls a platform a person
    if label == "PERSON":
        return "person", None
    if name.split()[-1].lower() in ("poll", "survey") or name.split()[0].lower() in ("poll", "survey"):
        return "document", None  # "the latest Washington Post-ABC News Poll"
    if label == "GPE" or (label == "ORG" and _mostly_place(reg, name)):
        return "government", None  # "the United States" tagged ORG here is the country tagged GPE elsewhere
    if _govt_name(name):
        return "government", None
    if ctx and label in ("ORG", "WORK_OF_ART", "") and _OUTLET_SUFFIX.search(name):
        return "outlet", None
    words_low = {w.lower() for w in name.split()}
    if ctx and label == "ORG" and head is not None and head.dep_ == "nsubj" and head.head.lemma_ in {
            "report", "publish", "broadcast", "air"} and not words_low & (
            _lex("organisation_heads") | _lex("government_heads") | {"committee"}):
        return "outlet", None  # "Ukrainska Zorya reported": an outlet nobody listed; not "the Committee for ..."
    return "organisation", None


def _mostly_place(reg: _Registry, name: str) -> bool:
    """Does the tagger call this name a place (GPE) more often than an organisation in the document?"""
    if reg.place_votes is None:  # counted once per document
        votes: dict[str, int] = {}
        for x in doc_ents(reg.doc):
            if x.label_ in ("GPE", "ORG"):
                key = _clean_name(x.text)
                votes[key] = votes.get(key, 0) + (1 if x.label_ == "GPE" else -1)
        reg.place_votes = votes
    return reg.place_votes.get(name, 0) > 0


def _ents_in(doc: Doc, s: int, e: int, labels: set[str]) -> list[Span]:
    return [x for x in ents_between(doc, s, e) if x.label_ in labels]


def _outlet_spans(doc: Doc, start: int) -> list[tuple[int, int, str]]:
    """Outlet-name matches that start at or after ``start`` (the whole-text scan is done once per Doc)."""
    matches = outlet_matches(doc)
    return matches[bisect.bisect_left(matches, (start, -1, "")):]


def _person_name(span: Span) -> Span | None:
    """The person's name in a span the tagger called an organisation: "Howard Dean" in a headline,
    "CLEVELAND - Donald Trump" after a dateline. A known first name followed by one or two capitalised
    words is a person's name."""
    toks = [t for t in span if not t.is_space]
    titles = _lex("person_roles") | _lex("official_titles") | set(_ABBREV)
    for k, t in enumerate(toks[:3]):
        rest = toks[k:]
        if t.text.lstrip("-–—•*") in _lex("male_names") | _lex("female_names") and 2 <= len(rest) <= 3 and all(
                r.text[:1].isupper() and r.is_alpha or r.text in ("-",) for r in rest[1:]) and (
                k == 0 or toks[k - 1].text in ("-", "—", "–", ":")
                or all(x.lower_ in titles for x in toks[:k])):  # "Pastor Darrell Scott": a title, then the name
            return span.doc[rest[0].i:rest[-1].i + 1]
    return None


def _register_name(reg: _Registry, span: Span, label: str, mention: tuple[int, int]) -> _Ent | None:
    """Find or create the named entity for a name span (PERSON/ORG/GPE/outlet)."""
    if label == "PERSON" and len(span) <= 3 and _outlet_for(_clean_name(span.text), reg, False) is not None:
        label = "ORG"  # "Politico reported", "Gawker": an outlet's name the tagger took for a person
    if label == "PERSON" and _clean_name(span.text).lower() in _lex("company_names"):
        label = "ORG"  # "Twitter said": a platform, not a person
    if label == "PERSON":
        # tagger slips: "Howard Dean Tells" in a headline; "Our Principles PAC" is no person
        while len(span) > 1 and (span[-1].tag_.startswith("VB") or span[-1].lower_ in _HEADLINE_VERBS) and \
                _headline_case(span[-1]):
            span = span[:-1]
        if span[-1].lower_ in _lex("organisation_heads") | _lex("government_heads") | {"pac", "inc", "llc"}:
            label = "ORG"
    if label in ("ORG", ""):
        pn = _person_name(span)
        if pn is not None and _outlet_for(_clean_name(span.text), reg, True) is None \
                and not _govt_name(_clean_name(span.text)):
            if mention == (span.start_char, span.end_char):  # the name itself, not a longer source span
                mention = (pn.start_char, pn.end_char)
            span, label = pn, "PERSON"
    name = _clean_name(span.text)
    if not name or not any(c.isalpha() for c in name):
        return None
    head = _span_head(span)
    if label == "PERSON":
        toks = [t for t in name.split() if t[:1].isupper()]
        if not toks:
            return None
        before = doc_text(reg.doc)[max(0, span.start_char - 6):span.start_char] + " " + " ".join(toks[:1])
        honor = re.search(r"\b(Mr|Mrs|Ms|Miss)\b\.?", before)
        gender = None if honor is None else ("m" if honor.group(1) == "Mr" else "f")
        toks = [t for t in toks if t.rstrip(".") not in ("Mr", "Mrs", "Ms", "Miss", "Dr")] or toks
        full = toks
        while len(toks) > 1 and toks[-1].rstrip(".,") in ("Jr", "Sr", "II", "III", "IV"):
            toks = toks[:-1]  # "Joseph R. Biden Jr." is "Mr. Biden"
        if gender is None and toks and len(toks) > 1:
            gender = "f" if toks[0] in _lex("female_names") else "m" if toks[0] in _lex("male_names") else None
        surname = re.sub(r"(?:'s|’s)$", "", toks[-1]).lower()
        first = toks[0].lower() if len(toks) > 1 else None
        ent = reg.find_person(surname, first, gender)
        if ent is None and len(toks) == 1 and re.search(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s*$",
                                                        doc_text(reg.doc)[max(0, span.start_char - 5):span.start_char]):
            # "Mr. Ban" after "Ban Ki-moon": family name first
            ent = next((e for e in reg.ents if e.kind in PERSON_KINDS and e.named and len(e.name.split()) > 1
                        and e.name.split()[0].lower() == surname), None)
        if ent is None and len(toks) == 1 and toks[0] in _lex("male_names") | _lex("female_names"):
            # "Bernie has a particular critique" after "Bernie Sanders": a first name alone
            firsts = [e for e in reg.ents if e.kind in PERSON_KINDS and e.named and len(e.name.split()) > 1
                      and e.name.split()[0] == toks[0]]
            ent = max(firsts, key=lambda e: e.last()) if firsts else None
        if ent is None and len(toks) == 1:
            # "An email from Neera Tanden" (tagged an organisation) ... "Tanden, head of ...": one person
            ent = next((e for e in reg.ents if e.kind == "organisation" and e.named and e.outlet is None
                        and 2 <= len(e.name.split()) <= 3 and e.name.split()[-1].lower() == surname
                        and all(w[:1].isupper() for w in e.name.split()) and not e.heads & (
                            _lex("organisation_heads") | _lex("government_heads"))), None)
            if ent is not None:
                ent.kind, ent.surname, ent.heads = "person", surname, set()
        pre = _prefix(span)
        titles = _title_words(pre)
        if len(pre) and pre.start > 0 and reg.doc[pre.start - 1].lower_ in (
                "a", "an") and pre[0].text[:1].isupper():
            titles -= _lex("official_titles") | {"govctx"}  # "the prospects of a President Donald Trump"
        titles |= _appositive_titles(span)
        titles |= _places(reg.doc, pre.start_char, pre.end_char) | _name_places(reg.doc, span)
        if (any(qs <= span.start_char < qe for qs, qe in reg.quotes) or _quoted(doc_text(reg.doc), span.start_char)) \
                and not _government_context_regex().search(pre.text.lower()):
            # "Secretary Clinton called them out" in a rival's quote may be a courtesy for a past office ("FBI
            # Director James Comey" names the office and counts); "Then-Sen. Clinton" in a quote still counts
            titles &= {"former"}
        if any(t.text.isupper() and len(t.text) >= 2 and (body := reg.find_org(t.text)) is not None
               and body.kind == "government" for t in pre):
            titles.add("govctx")  # "GSA spokeswoman Ashley Nash-Hahn" after "the General Services Administration"
        if ent is None:
            kind = _kind_from_titles(titles) or "person"
            ent = reg.new(" ".join(full) if honor else name, kind, mention, surname=surname, titles=titles,
                          gender=gender)
        else:
            reg.add_mention(ent, mention)
            ent.gender = ent.gender or gender
            if len(name) > len(ent.name) and len(name.split()) <= 4 and not honor:
                ent.name = name
            ent.titles |= titles
            ent.kind = _kind_from_titles(ent.titles) or ent.kind
        if ent.kind == "journalist" and ent.affiliation is None:
            ent.affiliation = _affiliation(reg, pre) or _appositive_affiliation(reg, span)
        if ent.kind == "person" and not ent.titles and len(pre) and pre[-1].lower_ in ("'s", "’s", "'", "’"):
            outlet_id = _affiliation(reg, pre)
            if outlet_id is not None:  # "CNN's Jake Tapper", "the Post's Robert Costa": the outlet's journalist
                ent.kind, ent.affiliation = "journalist", ent.affiliation or outlet_id
        after = doc_text(reg.doc)[span.end_char:span.end_char + 60]
        am = re.match(r"\s*(?:,\s*)?(?:(wrote|writes|writing|has\s+written)\s+(?:in|for|at)|at|of|for|with)"
                      r"\s+(?:the\s+)?", after, re.I)
        if am and ent.kind == "person" and not ent.titles:
            rest = after[am.end():]
            # "at the National Review agreed"; "wrote in The Washington Times last week"
            end_ok = re.compile(r"\s*(?:[,.;:)]|$|\s+[a-z]+ed\b" + (r"|\s+[a-z]" if am.group(1) else "") + ")")
            o = next((o for f, os in outlet_forms().items() if rest.startswith(f) for o in os
                      if f not in context_only() and end_ok.match(rest[len(f):])), None)
            if o is not None:
                ent.kind = "journalist"
                oe = reg.find_outlet(o)
                ent.affiliation = ent.affiliation or (oe.id if oe else None)
        return ent
    if re.fullmatch(r"[A-Z][a-z]+s", name) and label != "GPE":
        family = reg.find_person(name[:-1].lower(), None)
        if family is not None:  # "The Ebelings said" after "Betsy Ebeling": her family, people
            prev = next((e for e in reg.ents if e.name == name and e.plural and e.kind == "person"), None)
            if prev is not None:
                reg.add_mention(prev, mention)
                return prev
            return reg.new(name, "person", mention, plural=True, heads={name.lower()})
    if len(name.split()) <= 2 and name[:1].isupper() and (label != "GPE" or len(span) == 1):
        # "Tanden wrote": the tagger's place or organisation is the person of that surname named before
        person = reg.find_person(name.split()[-1].lower(), None)
        if person is not None and not _outlet_for(name, reg, True):
            reg.add_mention(person, mention)
            return person
    kind, outlet = _name_kind(name, label, head, reg)
    existing = reg.find_outlet(outlet) if outlet is not None else reg.find_org(name)
    if existing is None and outlet is None and label != "GPE":
        existing = next((e for e in reg.ents if e.named and e.kind not in PERSON_KINDS
                         and e.name.lower() == name.lower()), None)
    if existing is not None:
        reg.add_mention(existing, mention)
        if kind == "outlet" and existing.kind == "organisation":
            existing.kind = "outlet"
        return existing
    return reg.new(outlet.name if outlet else name, kind, mention, outlet=outlet,
                   heads={w.lower() for w in name.split()})


def _prefix(span: Span) -> Span:
    """The title run right before a name in the same sentence ("NBC News correspondent", "former Sen.")."""
    doc = span.doc
    i = span.start
    sent_start = span.sent.start
    while i > sent_start and span.start - i < 6:
        t = doc[i - 1]
        if t.ent_type_ == "PERSON":  # "Sen. John McCain and Donald Trump": McCain's title is not Trump's
            break
        if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.tag_ == "POS" or t.lower_ in (".", "-", "'s", "’s", "and"):
            i -= 1
            continue
        if i < span.start and (t.lower_ in ("then", "ex") and doc[i].text == "-" or (  # "then-Sen. Clinton"
                t.lower_ == "of" and i - 2 >= sent_start and doc[i - 2].pos_ == "PROPN" and doc[i].pos_ == "PROPN")):
            i -= 1  # "then-Secretary of State Hillary Clinton"
            continue
        break
    if i < span.start:
        # the word before the name must hang on the name (or the name on it): not "The federal judge Trump
        # was referring to", where "judge" heads a clause whose subject is Trump
        # (or the run as a whole hangs on it: "by Secretary of State John Kerry", where "State" hangs on "of")
        t = doc[span.start - 1]
        tops = [u for u in doc[i:span.start] if not i <= u.head.i < span.start]
        if not (span.start <= t.head.i < span.end or span.root.head.i == t.i or t.is_punct or (
                tops and all(span.start <= u.head.i < span.end for u in tops)
                and not any(u.pos_ == "CCONJ" for u in doc[i:span.start]))):
            return doc[span.start:span.start]
    return doc[i:span.start]


def _appositive_affiliation(reg: _Registry, span: Span) -> str | None:
    """"David Wasserman, House editor for the Cook Political Report": the outlet in the appositive."""
    head = _span_head(span)
    for c in head.children:
        if c.dep_ == "appos" and c.i >= span.end:
            sub = list(c.subtree)
            return _affiliation(reg, span.doc[sub[0].i:sub[-1].i + 1])
    return None


def _appositive_titles(span: Span) -> set[str]:
    head = _span_head(span)
    out: set[str] = set()
    if _headline_case(span[0]):  # "Dr. Ben Carson: Hillary Clinton 'Not Fit To Serve As President'"
        return out
    doc = span.doc
    found = False
    for c in head.children:
        # "X, the foreign minister": right after a comma (or bracket), and not another person's name
        if c.dep_ == "appos" and c.i > head.i and c.ent_type_ != "PERSON" and span.end < len(doc) and \
                doc[span.end].text in (",", "(", "-", "—", "–") and c.i - span.end <= 8:
            sub = [t for t in c.subtree if t.i - c.i < 12]
            # up to another person's name or a clause ("... who previously worked for Sen. Lamar Alexander")
            cut = next((k for k, t in enumerate(sub) if t.i > c.i and (
                t.ent_type_ == "PERSON" or t.tag_ in ("WDT", "WP", "WP$") or t.pos_ in ("VERB", "AUX"))), len(sub))
            while cut < len(sub) and cut > 1 and (sub[cut - 1].pos_ == "PROPN" or sub[cut - 1].lower_ in _lex(
                    "former_markers")):
                cut -= 1  # "a staffer for Sen. Kirsten Gillibrand": the senator is Gillibrand
            out |= _role_words(sub[:cut])
            found = True
    if not found and span.end + 2 < len(doc) and doc[span.end].text == "," and (
            doc[span.end + 1].lower_ in ("the", "a", "an") or doc[span.end + 1].lower_ in _role_lexicon()):
        # the parser missed the apposition ("Ban Ki-moon, the secretary general of the United Nations, vowed"):
        # a verbless noun phrase between commas right after the name
        seg = []
        for t in doc[span.end + 1:min(len(doc), span.end + 12)]:
            if t.text in (",", ";", "(", ")") or t.is_sent_start:
                break
            seg.append(t)
        nxt = span.end + 1 + len(seg)
        if seg and (nxt >= len(doc) or doc[nxt].text in (",", ";", ")") or doc[nxt].is_sent_start) and not any(
                t.pos_ in ("VERB", "AUX", "PRON") or t.ent_type_ == "PERSON" for t in seg):
            out |= _role_words(seg)
    # "Sen. Ted Cruz (R-Texas)"
    tail = doc_text(span.doc)[span.end_char:span.end_char + 12]
    if re.match(r"\s*\((?:R|D|I)-[A-Z]", tail):
        out.add("representative")
    return out


@lru_cache(maxsize=1)
def _role_lexicon() -> frozenset[str]:
    return _lex("official_titles") | _lex("person_roles") | _lex("journalist_titles")


def _role_words(toks: list[Token]) -> set[str]:
    """Titles in an appositive ("the president's deputy national security adviser", "one of the president's
    closest aides"): a possessor's title is the possessor's, not the person's, but an official possessor
    is government context; plural roles count as singular ("one of ... aides")."""
    owned = {x.i for t in toks if t.dep_ == "poss" for x in t.subtree}
    own = [t for t in toks if t.i not in owned]
    out = _title_words(own) - {"mr.", "mrs.", "ms.", "dr."}  # "a group set up to attack Mr. X"
    plural = [t for t in own if t.tag_ == "NNS" and t.lemma_.lower() in _lex("official_titles")]
    out |= {t.lemma_.lower() for t in plural}
    if any(t.i in owned and t.lower_ in _lex("official_titles") for t in toks) or (
            plural and _government_context_regex().search(" ".join(t.lower_ for t in toks))):
        out.add("govctx")
    return out


def _affiliation(reg: _Registry, toks: Span) -> str | None:
    for m in _outlet_spans(reg.doc, toks.start_char):
        if m[1] > toks.end_char:
            break
        o = _outlet_for(m[2], reg, False)
        if o is not None:
            e = reg.find_outlet(o) or reg.new(o.name, "outlet", (m[0], m[1]), outlet=o)
            return e.id
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


def _pronoun_target(reg: _Registry, word: str, pos: int, sources_before: list[_Ent]) -> _Ent | None:
    g = _PRONOUNS.get(word.lower())
    if g is None:
        return None
    if g in ("m", "f"):
        def fits(e: _Ent) -> bool:
            if e.kind in PERSON_KINDS:
                return _gender(e, reg.doc) in (None, g) and not e.plural  # "she" is not a group
            return e.kind == "anonymous" and not e.plural and bool(e.heads & _PERSON_NOUNS) and e.gender in (None, g)

        # the most recent speaker or narrative mention; people talked about inside quotes do not count
        def last_free(e: _Ent) -> int:
            return max((ms for ms, _ in e.mentions if ms < pos and ms not in reg.deictic and not any(
                cs <= ms < ce and not (cs <= pos < ce) for cs, ce in reg.contents)), default=-1)

        def last_strong(e: _Ent) -> int:
            return max((ms for ms, _ in e.mentions if ms < pos and ms in reg.strong and ms not in reg.deictic
                        and not any(cs <= ms < ce and not (cs <= pos < ce) for cs, ce in reg.contents)),
                       default=-1)

        # subjects and speakers first ("Merkel told reporters ... down the Danube. She said"), then any mention
        def last_any(e: _Ent) -> int:
            return max((ms for ms, _ in e.mentions if ms < pos and ms not in reg.deictic), default=-1)

        for score in (last_strong, last_free, last_any):
            ranked = sorted(((score(e), e) for e in reg.ents if fits(e)), key=lambda x: -x[0])
            ranked = [(p, e) for p, e in ranked if p >= 0 and pos - p < 2500]
            if ranked:
                return ranked[0][1]
        pool = [e for e in sources_before if fits(e)]
        return pool[0] if pool else None
    if g == "n":
        pool = [e for e in sources_before if e.kind not in PERSON_KINDS and e.kind != "anonymous"]
        pool += [e for e in reg.before(pos) if e.kind not in PERSON_KINDS and e.kind != "anonymous"
                 and e not in pool]
        return pool[0] if pool else None
    if g == "p":
        pool = [e for e in sources_before if e.plural or e.kind in ("government", "organisation", "outlet")]
        return pool[0] if pool else None
    return None


def _nominal_target(reg: _Registry, head: Token, span: Span, pos: int, skip: _Ent | None = None) -> _Ent | None:
    """"the ministry" -> the Ministry of Defence; "the Post" -> the New York Post; "the senator" -> Sen. X."""
    lemma = head.lemma_.lower()
    low = head.lower_
    places = _places(reg.doc, span.start_char, span.end_char)  # "the Texas senator" is not Sen. Sanders (I-Vt.)
    before = [e for e in reg.before(pos) if e is not skip and not _place_clash(e, places)
              and any(ms not in reg.deictic for ms, _ in e.mentions)]  # not the author, known only as "I"
    bare = [t for t in span if t.lower_ != "the"] == [head] and head.i > 0 and reg.doc[head.i - 1].lower_ == "the"
    if lemma in _lex("official_titles") - _lex("weak_titles") and head.tag_ == "NN" and bare \
            and head.sent.start > 0:
        # "Rubio sought to stoke positive energy ... the senator said": a bare role right after a sentence whose
        # subject is a person the article gave no title yet is that person, not an older holder of the title
        lo = reg.doc[head.sent.start - 1].sent.start_char
        para = doc_text(reg.doc).rfind("\n", 0, pos) + 1
        lo = para if pos - 500 <= para < lo else lo  # 'chants of "Marco! Marco!," the senator': the paragraph
        holders = [e for e in before if (lemma in e.titles or low in e.titles)
                   and any(lo <= ms < pos for ms, _ in e.mentions)]
        fresh = [e for e in before if e.kind == "person" and e.named and not e.plural and not e.titles
                 and any(lo <= ms < pos and ms in reg.strong and _in_same_quote(reg, ms, pos) for ms, _ in e.mentions)]
        introduced = any(t.lemma_.lower() == lemma and t.i < head.i and any(
            d.lower_ in ("a", "an") and d.dep_ == "det" for d in t.children) for t in reg.doc.char_span(
                lo, head.idx, alignment_mode="expand") or [])  # "He implied a federal judge ... the judge"
        if fresh and not holders and not introduced:
            return fresh[0]
    for e in before:
        if not e.named:
            if lemma in e.heads or low in e.heads:
                return e
            continue
        name_words = {w.lower().strip(",.") for w in e.name.split()}
        if e.kind not in PERSON_KINDS and (low in name_words or lemma in name_words) and head.pos_ in (
                "NOUN", "PROPN"):
            return e
        if e.kind in PERSON_KINDS and (lemma in e.titles or low in e.titles) and e.last() >= pos - 1200:
            return e  # not a senator named in passing sections ago ("Recall Sen. John McCain ...")
    # "the attorney general of the state of New York" names an office, it does not point back
    of_named = _of_named(head)
    past = any(t.lower_ in _lex("former_markers") for t in span)  # "the former secretary": only by title
    if lemma in _lex("official_titles") | _lex("person_roles") and head.tag_ != "NNS" and not of_named \
            and not past:
        # "hosts Joe Scarborough and Mika Brzezinski, the Democratic presidential candidate": a journalist is
        # not the candidate (nor the senator)
        recent = [e for e in before if e.kind in PERSON_KINDS and e.named and e.last() >= pos - 600
                  and (e.kind == "journalist") == (lemma in _lex("journalist_titles"))]
        # the person last seen as a subject or speaker ("Sanders met the pope ... The candidate said")
        holder = _last_speaker(reg, recent, pos) or (recent[0] if recent else None)
        if holder is not None:
            return holder
    elif past and lemma in _lex("official_titles") and head.tag_ != "NNS" and not of_named and not any(
            c.dep_ == "prep" and c.lower_ in ("to", "for", "with") for c in head.children):
        # "The former secretary of state mocked Trump": a past office points back to the person (no office now)
        # last seen as a subject or speaker, never to a sitting office holder; not "the former top aide to
        # President George W. Bush", who is somebody else's aide
        recent = [e for e in before if e.kind == "person" and e.named and not e.plural and e.last() >= pos - 600]
        past_holder = _last_speaker(reg, recent, pos)
        if past_holder is not None:
            return past_holder
    generic = {"newspaper": "outlet", "paper": "outlet", "network": "outlet", "outlet": "outlet",
               "magazine": "outlet", "agency": "government", "ministry": "government",
               "department": "government", "administration": "government",
               "company": "organisation", "group": "organisation", "organization": "organisation",
               "foundation": "organisation", "federation": "organisation", "association": "organisation",
               "institute": "organisation", "nonprofit": "organisation", "charity": "organisation",
               "school": "organisation", "college": "organisation", "university": "organisation",
               "campaign": "organisation", "firm": "organisation", "committee": "organisation",
               "bank": "organisation", "lender": "organisation", "insurer": "organisation", "airline": "organisation",
               "automaker": "organisation", "retailer": "organisation", "manufacturer": "organisation",
               "union": "organisation", "platform": "organisation"}
    want = generic.get(lemma)
    if want:
        for e in before:
            if e.kind == want and e.named:
                return e
    return None


def _last_speaker(reg: _Registry, people: list[_Ent], pos: int) -> _Ent | None:
    """Of ``people``, the one last seen as a subject or speaker within 600 characters before ``pos``."""
    strong = [(max((m for m, _ in e.mentions if m < pos and m in reg.strong), default=-1), e) for e in people]
    strong = [(m, e) for m, e in strong if m >= pos - 600]
    return max(strong, key=lambda x: x[0])[1] if strong else None


def _subject_above(e: _Ent, tok: Token) -> bool:
    """Is ``e`` the subject of a verb that governs ``tok``? "the candidate implied the judge ... was biased":
    the judge in the candidate's own clause is somebody else."""
    for rel in tok.children:  # "The federal judge Trump was referring to": Trump is not the judge
        if rel.dep_ in ("relcl", "acl") and any(
                c.dep_ in ("nsubj", "nsubjpass") and (any(ms <= c.idx < me for ms, me in e.mentions) or (
                    c.ent_type_ == "PERSON" and c.lower_ == e.surname)) for c in rel.children):
            return True
    cur = tok
    for _ in range(8):
        if cur.head is cur:
            return False
        cur = cur.head
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i:
                lo, hi = c.left_edge.idx, c.idx + len(c)
                if any(lo <= ms < hi or ms <= lo < me for ms, me in e.mentions):
                    return True
    return False


def _of_named(head: Token) -> bool:
    """Does the noun name its institution ("the attorney general of the state of New York", "the secretary
    general of the United Nations"), not "the former secretary of state"?"""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        g.dep_ == "pobj" and (g.ent_type_ in ("GPE", "ORG") or any(d.dep_ == "det" for d in g.children))
        for g in c.children) for c in head.children)


def _source_parts(doc: Doc, s: int, e: int) -> Span | None:
    return doc.char_span(s, e, alignment_mode="expand")


def resolve_sources(doc: Doc, attributions: list[Attribution], article_outlet: str | None = None,
                    start: int = 0, byline: str | None = None) -> Resolution:
    """Canonical entities of a document and the entity behind each attribution's source.

    ``start`` is where the body begins (title and byline lines are not scanned for names); ``byline`` names
    the article's author, the "I" of the article's own voice (an opinion piece).
    """
    reg = _Registry(doc, article_outlet)
    reg.start = start
    reg.byline = byline
    reg.contents = [sp for a in attributions for sp in a.content.spans]
    reg.quotes = [sp for a in attributions if a.kind == "direct" for sp in a.content.spans]
    by_start = sorted(attributions, key=lambda a: a.source.start if a.source else a.cue.start)
    src_spans = {a.id: (a.source.start, a.source.end) for a in attributions if a.source}
    # 1. named mentions in text order, so coreference sees what came before
    items: list[tuple[int, str, object]] = []
    for x in doc_ents(doc):
        if x.start_char >= start and x.label_ in ("PERSON", "ORG"):
            items.append((x.start_char, "ent", x))
    for s, e, form in _outlet_spans(doc, start):
        items.append((s, "outlet", (s, e, form)))
    # "The Vermont senator has a simple message": a titled description as a subject names the role of
    # the person it refers to, even when it is not itself a source
    strong_titles = _lex("official_titles") - _lex("weak_titles")
    official, former = _lex("official_titles"), _lex("former_markers")
    past: list[Token] = []  # "the former secretary of state", wherever it stands
    for t in doc:
        if t.pos_ != "NOUN" or t.tag_ != "NN" or t.left_edge.lower_ != "the" or t.idx < start:
            continue
        if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in strong_titles:
            items.append((t.left_edge.idx, "desc", doc[t.left_edge.i:t.i + 1]))
        elif t.lower_ in official and t.left_edge.i + 1 < t.i and doc[t.left_edge.i + 1].lower_ in former:
            past.append(t)
    for a in by_start:
        if a.source is not None:
            items.append((a.source.start, "source", a))
        if a.recipient is not None:
            items.append((a.recipient.start, "recipient", a))
    items.sort(key=lambda x: (x[0], {"outlet": 0, "ent": 1, "desc": 2, "source": 3, "recipient": 4}[x[1]]))
    source_of: dict[str, str] = {}
    recipient_of: dict[str, str] = {}
    sources_seen: list[_Ent] = []
    covered: list[tuple[int, int]] = []
    for _pos, what, obj in items:
        if what == "outlet":
            s, e, form = obj  # type: ignore[misc]
            if any(cs <= s and e <= ce for cs, ce in covered):
                continue
            sp = doc.char_span(s, e, alignment_mode="expand")
            head = _span_head(sp) if sp is not None and len(sp) else None
            o = _outlet_for(form, reg, head is not None and _reporting_context(head))
            if o is None:
                continue
            ent = reg.find_outlet(o)
            if ent is None:
                ent = reg.new(o.name, "outlet", (s, e), outlet=o, heads={w.lower() for w in o.name.split()})
            else:
                reg.add_mention(ent, (s, e))
            covered.append((s, e))
        elif what == "desc":
            desc: Span = obj  # type: ignore[assignment]
            if any(a.source is not None and a.source.start <= desc.start_char < a.source.end for a in attributions):
                continue  # a source span: resolved with its attribution
            if any(cs <= desc.start_char < ce for cs, ce in reg.quotes):
                continue  # "the prosecutor" inside somebody's quote is somebody else
            tgt = _nominal_target(reg, desc[-1], desc, desc.start_char)
            if tgt is not None and _subject_above(tgt, desc[-1]):
                # "Trump continued to question Cruz's temperament, saying the Texas senator could not ...": not
                # the speaker himself, the next candidate
                tgt = _nominal_target(reg, desc[-1], desc, desc.start_char, skip=tgt)
                sent = desc.sent
                if tgt is not None and not any(sent.start_char <= ms < desc.start_char for ms, _ in tgt.mentions):
                    tgt = None  # only someone named in the same sentence ("Cruz's temperament")
            if tgt is not None and tgt.named and tgt.kind in PERSON_KINDS and not _subject_above(tgt, desc[-1]):
                reg.add_mention(tgt, (desc.start_char, desc.end_char))
                reg.strong.add(desc.start_char)
                tgt.titles |= _title_words(desc) | _places(doc, desc.start_char, desc.end_char)
                tgt.kind = _kind_from_titles(tgt.titles) or tgt.kind
        elif what == "ent":
            sp_ent: Span = obj  # type: ignore[assignment]
            if any(cs <= sp_ent.start_char and sp_ent.end_char <= ce for cs, ce in covered):
                continue
            if any(sp_ent.start_char < ce and cs < sp_ent.end_char for cs, ce in covered) and sp_ent.label_ == "ORG":
                continue  # "NBC News translation" already taken as an outlet
            if sp_ent.root.dep_ in ("nsubj", "nsubjpass"):
                reg.strong.add(sp_ent.start_char)
            _register_name(reg, sp_ent, sp_ent.label_, (sp_ent.start_char, sp_ent.end_char))
        else:
            att: Attribution = obj  # type: ignore[assignment]
            fld = att.source if what == "source" else att.recipient
            assert fld is not None
            ent = _resolve_mention(reg, doc, fld.start, fld.end, sources_seen, att, what == "recipient")
            if ent is None:
                continue
            if what == "source":
                reg.strong.add(fld.start)
                reg.spoken.append((fld.start, fld.end, ent))
                source_of[att.id] = ent.id
                if ent in sources_seen:
                    sources_seen.remove(ent)
                sources_seen.insert(0, ent)
            else:
                recipient_of[att.id] = ent.id
    del src_spans
    _late_surnames(reg, attributions, source_of, recipient_of, start)
    _headline_roles(reg, attributions, source_of, recipient_of, start)
    for t in past:
        # "They ask the former secretary of state ...": when one person in the article holds that title, the
        # article says the office is past ("While Secretary Clinton ..." in a quote is a courtesy)
        holders = [e for e in reg.ents if e.kind == "official" and e.named and t.lower_ in e.titles]
        if len(holders) == 1:
            holders[0].titles.add("former")
            holders[0].kind = "person"
    entities = [Entity(e.id, e.name, e.kind, sorted(e.mentions)) for e in reg.ents]
    return Resolution(entities=entities, source_of=source_of, recipient_of=recipient_of,
                      affiliation={e.id: e.affiliation for e in reg.ents if e.affiliation},
                      outlet_ids={e.id for e in reg.ents if e.kind == "outlet"})


_QA_LINE = re.compile(r"^(Q|A)(?:\s*[:.]|(?=[A-Z“\"]))", re.M)  # "Q: ...", "QThere's ..."


_TURN = re.compile(r"^([A-Z][A-Z.'’ -]{0,40}[A-Z]):(.*)$", re.M)


def _transcript_speaker(reg: _Registry, core: Span, mention: tuple[int, int]) -> _Ent | None:
    """"TAPPER: Do you think ...": a capitalised label at the start of a line in a broadcast transcript is the
    person of that surname ("JAKE TAPPER" first, "TAPPER" after). An untitled one who opens the transcript and
    asks questions, or whose turns are mostly questions, is the interviewer: a journalist."""
    text = doc_text(reg.doc)
    label = core.text.strip()
    words = label.replace(".", " ").split()
    if not (label.isupper() and 1 <= len(words) <= 3 and all(w.isalpha() for w in words)) \
            or text[core.end_char:core.end_char + 1] != ":" or text[text.rfind("\n", 0, core.start_char) + 1:
                                                                  core.start_char].strip():
        return None
    if label in ("Q", "A") or label.lower() in _PRONOUNS:
        return None
    names = [w.capitalize() for w in words]
    surname = names[-1].lower()
    turns = list(_TURN.finditer(text))
    mine = [m for m in turns if m.group(1).split()[-1].lower() == surname]
    if len(turns) < 2 or not mine:
        return None  # one "CORRECTION:" or "UPDATE:" line is no transcript
    ent = reg.find_person(surname, names[0].lower() if len(names) > 1 else None)
    if ent is None:
        ent = reg.new(" ".join(names), "person", mention, surname=surname)
    else:
        reg.add_mention(ent, mention)
    asks = sum("?" in m.group(2) for m in mine)
    if ent.kind == "person" and not ent.titles and asks and (asks * 2 >= len(mine) or turns[0] in mine):
        ent.kind = "journalist"
    return ent


def _interviewee(reg: _Registry, word: str, pos: int) -> _Ent | None:
    """In a question-and-answer transcript ("Q: ... A: ..."), "I" in an answer and "you" in a question are
    the person interviewed: the one named in the title ("Q&A with Vice President Joe Biden")."""
    doc = reg.doc
    marks = doc.user_data.get("reportedly_qa")
    if marks is None:
        found = [(m.start(), m.group(1)) for m in _QA_LINE.finditer(doc_text(doc))]
        marks = found if sum(k == "Q" for _, k in found) >= 2 and sum(k == "A" for _, k in found) >= 2 else []
        doc.user_data["reportedly_qa"] = marks
    if not marks or pos < reg.start:
        return None
    k = bisect.bisect_right([m for m, _ in marks], pos) - 1
    if k < 0 or marks[k][1] != ("A" if word in ("i", "my") else "Q"):
        return None
    named = [x for x in doc_ents(doc) if x.label_ == "PERSON" and x.end_char <= reg.start]
    if not named:
        return None
    return _register_name(reg, named[0], "PERSON", (named[0].start_char, named[0].end_char))


def _author(reg: _Registry, pos: int) -> _Ent | None:
    """"I" in the article's own voice (an opinion piece: "I learned that the hard way"), outside every
    quote and attributed content, is the article's author: the person of the byline's name when the article
    names them, else the byline's writer (a journalist), else an unnamed "the author"."""
    if pos < reg.start or any(cs <= pos < ce for cs, ce in reg.contents):
        return None
    text = doc_text(reg.doc)
    para = text[text.rfind("\n", 0, pos) + 1:pos]
    if para.count("“") > para.count("”") or para.count('"') % 2:
        return None  # inside a quotation
    name = _byline(reg)
    if not name:
        prev = next((e for e in reg.ents if e.name == "the author" and not e.named), None)
        return prev or reg.new("the author", "person", (pos, pos + 1), named=False, heads={"author"})
    if not _one_writer(reg, name):
        return None  # a wire service ("AP") or no single name
    return _writer(reg, name, pos, people=True)


def _byline(reg: _Registry) -> str:
    """The byline's name without "By" ("" when there is none)."""
    name = re.sub(r"^\s*[Bb]y\s+", "", reg.byline or "").strip()
    return "" if name.lower() == "none" else name


def _one_writer(reg: _Registry, name: str) -> bool:
    """Does a byline name one writer (not a wire service such as "AP", nor a list of names)?"""
    return len(name.split()) <= 4 and _outlet_for(name, reg, True) is None


def _writer(reg: _Registry, name: str, pos: int, people: bool = False) -> _Ent:
    """The entity of the byline's writer: the one of that name (with ``people``, also the person of that
    surname the article names), else a new journalist: a byline the article never names otherwise is its
    writer's (a guest writer is usually introduced in the text, "Cindy Godwin is a mother of ...")."""
    prev = next((e for e in reg.ents if e.named and e.name.lower() == name.lower()), None)
    if prev is None and people:
        toks = name.split()
        prev = reg.find_person(toks[-1].lower(), toks[0].lower() if len(toks) > 1 else None)
    if prev is not None:
        return prev
    return reg.new(name, _bio_kind(reg, name), (pos, pos + 1), surname=name.split()[-1].lower())


def _bio_kind(reg: _Registry, name: str) -> str:
    """The kind of a byline's writer from the article's own line about them ("Charlotte Meehan is a playwright",
    "Jane Doe, a columnist for ..."): a guest writer is a person unless the line says journalist or office;
    without such a line the byline is the outlet's journalist."""
    text = doc_text(reg.doc)
    m = re.search(re.escape(name) + r"(?:\s+(?:is|was)|,)\s+(?:a|an|the)\s+([^.\n]{0,120})", text)
    if m is None:
        return "journalist"
    words = {w.lower().strip(",;:()") for w in m.group(1).split()}
    words |= {w[:-1] for w in words if w.endswith("s")}  # "a member of USA TODAY's Board of Contributors"
    low = m.group(1).lower().split()
    words |= {" ".join(p) for p in zip(low, low[1:], strict=False)}  # "staff writer", "bureau chief"
    return _kind_from_titles(words) or "person"


def _interviewer(reg: _Registry, pos: int) -> _Ent | None:
    """Who asks the questions of a Q&A transcript: the byline's journalist, else the article's outlet."""
    name = _byline(reg)
    if name and _one_writer(reg, name):
        return _writer(reg, name, pos)
    o = _outlet_for(reg.article_outlet, reg, True) if reg.article_outlet else None
    if o is None:
        return None
    return reg.find_outlet(o) or reg.new(o.name, "outlet", (pos, pos + 1), outlet=o)


def _late_surnames(reg: _Registry, attributions: list[Attribution], source_of: dict[str, str],
                   recipient_of: dict[str, str], start: int) -> None:
    """A bare surname that speaks before the person is named ("Lewandowski: FBI director ..." in a headline,
    an unknown word in the body) is the person of that surname named later in the article."""
    by_id = {e.id: e for e in reg.ents}
    for a in attributions:
        ent = by_id.get(source_of.get(a.id, ""))
        if a.source is None or ent is None or ent.kind in PERSON_KINDS or ent.outlet is not None:
            continue
        if not (a.source.start < start or (ent.kind == "anonymous" and not ent.named)):
            continue
        word = _clean_name(a.source.text)
        if not re.fullmatch(r"[A-Z][a-z][\w'’-]*", word) or word.lower() in _PRONOUNS:
            continue
        person = reg.find_person(word.lower(), None)
        if person is None:
            continue
        reg.add_mention(person, (a.source.start, a.source.end))
        source_of[a.id] = person.id
        if len(ent.mentions) <= 1 and ent.id not in source_of.values() and ent.id not in recipient_of.values():
            reg.ents.remove(ent)


def _lead_people(reg: _Registry, start: int, subjects: bool) -> list[_Ent]:
    """Named people of the body's first three sentences, in text order (with ``subjects``, only those that
    are a sentence's subject): whom a headline's role or pronoun stands for."""
    doc = reg.doc
    first = next((t for t in doc if t.idx >= start), None)
    if first is None:
        return []
    sents = [first.sent]
    while len(sents) < 3 and sents[-1].end < len(doc):
        sents.append(doc[sents[-1].end].sent)
    out: list[_Ent] = []
    for t in (t for sent in sents for t in sent):
        if t.idx < start or (subjects and t.dep_ not in ("nsubj", "nsubjpass")):
            continue
        for e in reg.ents:
            if e.kind in PERSON_KINDS and e.named and not e.plural and e not in out and any(
                    ms <= t.idx < me for ms, me in e.mentions):
                out.append(e)
    return out


def _headline_roles(reg: _Registry, attributions: list[Attribution], source_of: dict[str, str],
                    recipient_of: dict[str, str], start: int) -> None:
    """"Judge blocks Mississippi's law" ... "U.S. District Judge Carlton W. Reeves": a headline's unnamed
    singular role is the person of the lead who holds that title; a headline's "he"/"she" is the lead's
    subject. Nothing is guessed when the lead names nobody with that title ("SEIU chief says Trump can win")."""
    if start <= 0:
        return
    by_id = {e.id: e for e in reg.ents}
    for a in attributions:
        ent = by_id.get(source_of.get(a.id, ""))
        if a.source is None or a.source.start >= start or ent is None or ent.named or ent.plural \
                or ent.kind != "anonymous":
            continue
        sp = reg.doc.char_span(a.source.start, a.source.end, alignment_mode="expand")
        if sp is None or not len(sp):
            continue
        head = _span_head(sp)
        word, lemma = head.lower_, head.lemma_.lower()
        g = _PRONOUNS.get(word)
        if g in ("m", "f"):
            cands = [e for e in _lead_people(reg, start, subjects=True)[:1] if _gender(e, reg.doc) in (None, g)]
        elif head.tag_ in ("NNS", "NNPS"):
            continue  # "Republicans", "Millennials": a group, nobody in particular
        else:
            cands = [e for e in _lead_people(reg, start, subjects=False) if word in e.titles or lemma in e.titles]
        if not cands:
            continue
        lead = cands[0]
        reg.add_mention(lead, (a.source.start, a.source.end))
        source_of[a.id] = lead.id
        if len(ent.mentions) <= 1 and ent.id not in source_of.values() and ent.id not in recipient_of.values():
            reg.ents.remove(ent)


def _cue_speaker(core: Span) -> Token | None:
    """When a source span holds only the cue ("said", "According to"), the word naming the speaker: the
    subject of the verb ("said Mulgrew") or the object of "according to"."""
    if any(t.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X") for t in core):
        return None
    for t in core:
        if t.lower_ == "according":
            to = next((c for c in t.children if c.lower_ == "to"), None)
            if to is None and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                to = t.doc[t.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON"):
                return obj
        if t.pos_ in ("VERB", "AUX"):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ in ("PROPN", "NOUN", "PRON") and not (core.start <= subj.i < core.end):
                return subj
    return None


def _resolve_mention(reg: _Registry, doc: Doc, s: int, e: int, sources_seen: list[_Ent], a: Attribution,
                     recipient: bool, depth: int = 0) -> _Ent | None:
    """The entity one source (or recipient) span refers to; creates it when it is new."""
    span = _source_parts(doc, s, e)
    if span is None or not len(span):
        return None
    core = _strip_det(span) if len(_strip_det(span)) else span
    mention = (s, e)
    speaker = _cue_speaker(core) if depth < 3 else None
    if speaker is not None:
        # the span is the cue itself ("said" in "said Mulgrew", "According to" in "According to Woodward"):
        # the speaker is the one the cue names
        sp_name = _ent_span(speaker)
        lo, hi = (sp_name.start, sp_name.end) if sp_name is not None else (speaker.left_edge.i, speaker.i + 1)
        ent = _resolve_mention(reg, doc, doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]), sources_seen, a,
                               recipient, depth + 1)
        if ent is not None:
            reg.add_mention(ent, mention)
            return ent
    # "Q:" / "A:" in a question-and-answer transcript: the interviewer (the article's author or outlet) and the
    # person interviewed
    if len(core) == 1 and core[0].text in ("Q", "A"):
        qa = _interviewee(reg, "i" if core[0].text == "A" else "you", s)
        if qa is not None and core[0].text == "Q":
            qa = _interviewer(reg, s)
        if qa is not None:
            reg.add_mention(qa, mention)
            return qa
    label = _transcript_speaker(reg, core, mention)
    if label is not None:
        return label
    # a pronoun (possessive included: "its post")
    if len(core) == 1 and core[0].lower_ in _PRONOUNS:
        t = None
        if core[0].lower_ in ("it", "its") and depth < 3:
            # "The video ... It shows": a document or medium that is the last subject speaks, not an agency
            subj = _last_subject(doc, core[0])
            if subj is not None and subj.pos_ == "NOUN" and subj.tag_ == "NN" and (
                    subj.lemma_.lower() in _lex("document_heads") or subj.lemma_.lower() in _CHANNEL_NOUNS
                    or subj.lemma_.lower() in _lex("government_heads") | _lex("organisation_heads")):
                # "The Kazakh government is building ... in what it hopes": the body that is the subject
                t = _resolve_mention(reg, doc, subj.left_edge.idx, subj.idx + len(subj), sources_seen, a,
                                     recipient, depth + 1)
        if core[0].lower_ in ("they", "their", "them") and depth < 3:
            t = _subject_group(reg, doc, core[0])
        if core[0].lower_ in ("i", "my", "you", "your"):
            reg.deictic.add(s)
            t = _interviewee(reg, core[0].lower_, s)
            if t is None and core[0].lower_ in ("i", "my"):
                t = _author(reg, s)
        if t is None and _PRONOUNS[core[0].lower_] in ("m", "f"):
            t = _bound_subject(reg, doc, core[0], sources_seen, a, recipient, depth) or _previous_sentence_person(
                reg, core[0])
        t = t or _pronoun_target(reg, core[0].lower_, s, sources_seen)
        if t is None and core[0].lower_ in ("it", "its", "they", "their"):
            t = _antecedent_np(reg, doc, core[0], sources_seen, a, recipient, depth)
        if t is not None:
            reg.add_mention(t, mention)
            pg = _PRONOUNS[core[0].lower_]
            if pg in ("m", "f") and (t.kind in PERSON_KINDS or t.kind == "anonymous") and _gender(t, doc) is None:
                t.gender = pg  # "the host said ... he wanted to know": the host is a man, no antecedent for "she"
            return t
        return reg.new(core.text, "anonymous", mention, named=False, heads={core[0].lower_},
                       plural=core[0].lower_ in ("they", "them", "we"))
    # a relative pronoun speaks for the noun its clause hangs on ("Reuters, which reported ...")
    if len(core) == 1 and core[0].lower_ in _RELATIVE and depth < 3:
        verb = core[0].head
        noun = verb.head if verb.dep_ in ("relcl", "acl") else None
        if noun is not None and noun.i < core[0].i and noun.pos_ in ("NOUN", "PROPN"):
            last = noun
            while noun.dep_ == "conj" and noun.pos_ == "PROPN" and noun.head.pos_ == "PROPN" and noun.head.i < noun.i \
                    and not any(c.dep_ in ("relcl", "acl") for c in noun.head.children):
                # "Fox News and the Drudge Report, which": the clause hangs on the last name but speaks for both
                # (not "Sanders, who ..., and Trump, who ...": each has his own)
                noun = noun.head
            lo = noun.left_edge.i
            conjs = [c for c in noun.children if c.dep_ == "conj" and c.i < core[0].i]
            conjs += [d for c in conjs for d in c.children if d.dep_ == "conj" and d.i < core[0].i]
            if conjs and noun.pos_ == "PROPN" and all(c.pos_ == "PROPN" for c in conjs):
                last = max([last, *conjs], key=lambda c: c.i)  # "China and the United States, which": both
            ns, ne = doc[lo].idx, last.idx + len(last)
            ent = _resolve_mention(reg, doc, ns, ne, sources_seen, a, recipient, depth + 1)
            if ent is not None:
                reg.add_mention(ent, mention)
                return ent
        return reg.new(core.text, "anonymous", mention, named=False, heads={core[0].lower_})
    head = _span_head(core)
    hlemma = head.lemma_.lower()
    low_head = head.lower_ if hlemma != "figure" else hlemma  # "FEC records" (lemma "record"); not "party figures"
    # "Our Principles PAC, a Super PAC aimed at ...", "the Foundation for Defense of Democracies, a policy
    # institute": an indefinite description right after a name and a comma is that name
    if span[0].lower_ in ("a", "an") and span.start >= 2 and doc[span.start - 1].text == "," and depth < 3 and (
            hlemma in _PERSON_NOUNS | _role_lexicon() | _lex("organisation_heads") | _lex("outlet_heads")):
        last = doc[span.start - 2]
        if head.dep_ == "appos" and head.head.i == last.i and last.pos_ == "PROPN":
            ent = _resolve_mention(reg, doc, last.left_edge.idx, last.idx + len(last), sources_seen, a, recipient,
                                   depth + 1)
            if ent is not None and ent.named:
                reg.add_mention(ent, mention)
                return ent
        named = [(x, x.label_) for x in doc_ents(doc) if x.label_ in ("ORG", "PERSON") and x.end == last.i + 1]
        if not named and last.pos_ == "PROPN" and last.ent_type_ == "" and not _headline_case(last):
            lo = last.i  # a name the tagger missed: the capitalised words before the comma
            while lo > 0 and lo > last.i - 5 and doc[lo - 1].text[:1].isupper() and not doc[lo - 1].is_sent_start:
                lo -= 1
            named = [(doc[lo:last.i + 1], "ORG")]
        if named:
            nsp, label = named[0]
            ent = _register_name(reg, nsp, label, (nsp.start_char, nsp.end_char))
            if ent is not None:
                reg.add_mention(ent, mention)
                return ent
    # "Donald Trump's campaign", "the Obama administration": the organisation, not the person
    if head.pos_ == "NOUN" and (hlemma in _lex("organisation_heads") or hlemma in _lex("government_heads")) \
            and hlemma not in _lex("anonymous_heads") and hlemma not in _lex("document_heads"):
        owners = [c for c in head.children if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"
                  and span.start <= c.i < span.end and c.ent_type_ in ("PERSON", "")]
        whose = any(c.lower_ == "whose" for c in head.children) and head.head.dep_ == "relcl" and \
            head.head.head.pos_ == "PROPN" and head.head.head.ent_type_ in ("PERSON", "ORG")
        if whose:
            owners = [head.head.head]  # "Sanders, whose campaign has been locked in talks": his campaign
        owner_name = ""
        pron = [c for c in head.children if c.dep_ == "poss" and c.lower_ in ("his", "her") and c.i >= span.start]
        if not owners and pron and hlemma == "campaign":
            # "Her campaign also announced": the campaign of the person "her" is
            who = _pronoun_target(reg, pron[0].lower_, s, sources_seen)
            if who is not None and who.named and who.kind in PERSON_KINDS and not who.plural:
                owner_name = who.name.split()[-1]
        if owners and (whose or any(c.ent_type_ == "PERSON" for c in owners)) or owner_name:
            if not owner_name:
                ow = owners[0]
                owner_name = _clean_name(doc[ow.left_edge.i:ow.i + 1].text)
            name = f"{owner_name} {head.text.lower()}"
            kind = "government" if hlemma in ("administration", "government", "cabinet") else "organisation"
            prev = next((e for e in reg.ents if e.name.lower() == name.lower()
                         or (e.kind == kind and not e.named and hlemma in e.heads
                             and owner_name.split()[-1].lower() in e.name.lower())), None)
            if prev is not None:
                reg.add_mention(prev, mention)
                return prev
            return reg.new(name, kind, mention, heads={hlemma, head.lower_})
    # "Fox News' Megyn Kelly": a named person of an outlet
    if head.pos_ == "PROPN" and head.ent_type_ != "ORG":
        poss = [c for c in head.children if c.dep_ == "poss" and span.start <= c.i < head.i]
        if poss:
            pspan = doc[poss[0].left_edge.i:poss[0].i + 1]
            po = _outlet_for(_clean_name(pspan.text), reg, True)
            if po is not None:
                outlet_ent = reg.find_outlet(po) or reg.new(po.name, "outlet", (pspan.start_char, pspan.end_char),
                                                             outlet=po)
                name_span = doc[poss[0].i + 1:head.i + 1]
                while len(name_span) and (name_span[0].is_punct or name_span[0].tag_ == "POS"):
                    name_span = name_span[1:]
                ent = _register_name(reg, name_span, "PERSON", mention) if len(name_span) else None
                if ent is not None:
                    if ent.kind == "person":
                        ent.kind = "journalist"
                    ent.affiliation = ent.affiliation or outlet_ent.id
                    return ent
    # "Jean-Marc Ayrault, the foreign minister of France": a name with a role is a person
    if head.pos_ == "PROPN" and not _ents_in(doc, s, e, {"PERSON"}) and head.lower_ not in (
            _lex("organisation_heads") | _lex("government_heads") | {"pac", "inc", "llc"}):  # not "X PAC, a ..."
        app = _appositive_titles(core) | _appositive_titles(doc[max(head.left_edge.i, span.start):head.i + 1])
        if app & (_lex("official_titles") | _lex("journalist_titles") | _lex("person_roles")):
            hs = doc[head.left_edge.i if head.left_edge.i >= span.start else span.start:head.i + 1]
            ent = _register_name(reg, hs, "PERSON", mention)
            if ent is not None:
                ent.titles |= app
                ent.kind = _kind_from_titles(ent.titles) or "person"
                return ent
    # "the ministry's post", "a New York Times report", "a new report by Politico": the author speaks
    if (hlemma in _CHANNEL_NOUNS or hlemma in _lex("document_heads") or low_head in _lex("document_heads")) \
            and depth < 3 and head.text.islower():
        author = _author_of(head, span)
        if author is None and hlemma in _CHANNEL_NOUNS and span[0].lower_ in ("a", "an", "another"):
            # "the ministry said ..., following up with a separate post claiming": the speaker just before
            sent = head.sent
            prior = [ent for ps, pe, ent in reg.spoken if sent.start_char <= ps and pe <= s]
            if prior:
                reg.add_mention(prior[-1], mention)
                return prior[-1]
            author = _implicit_author(head)
        if author is not None:
            ent = _resolve_mention(reg, doc, author[0], author[1], sources_seen, a, recipient, depth + 1)
            if ent is not None:
                reg.add_mention(ent, mention)
                return ent
    # "Mr. Grassley and Mr. Leahy": a group of named people speaking together
    group = _person_group(reg, doc, span, head) or _along_with(reg, doc, span, head) or (
        _conj_group(reg, doc, span, head, sources_seen, a, recipient, depth) if depth < 3 else None)
    if group is not None:
        reg.add_mention(group, mention)
        return group
    # a name inside the span: a person wins over an organisation ("NBC News correspondent Erin McLaughlin")
    persons = [p for p in _ents_in(doc, s, e, {"PERSON"})
               if p.start <= head.i < p.end or (p.root.dep_ in ("appos", "compound", "flat")
                                                and p.root.head.i == head.i and not (
                                                    p.root.dep_ == "compound" and head.pos_ == "NOUN"
                                                    and (hlemma in _lex("government_heads") or (
                                                        (head.tag_ == "NNS" or span[0].lower_ in (
                                                            "a", "an", "one", "another"))
                                                        and hlemma in _PERSON_NOUNS | _role_lexicon()
                                                        | _lex("anonymous_heads")))))
               or _titled_conj(p, head, span) or _title_run(p, span)]  # "The Kazakh government", "Clinton aides"
    if not persons and head.pos_ == "NOUN" and head.tag_ == "NN" and hlemma not in (
            _CHANNEL_NOUNS | _lex("document_heads") | _lex("organisation_heads") | _lex("government_heads")):
        # "An environmental protester of the armed occupation, Kieran Suckling": one role, then its holder's name
        # after a comma at the end of the span (not "her opponents, Sen. X and Gov. Y": a group)
        end = core.end
        tail = [p for p in _ents_in(doc, s, e, {"PERSON"}) if p.start > head.i and p.end >= end
                and doc[p.start - 1].text == "," and p.start - 1 >= span.start]
        if tail and not any(t.lower_ in ("and", "or", "&") or t.ent_type_ == "PERSON"
                            for t in doc[head.i:tail[0].start]):
            persons = tail
    if persons:
        pe = persons[-1]
        ent = _register_name(reg, pe, "PERSON", (pe.start_char, pe.end_char))
        if ent is not None:
            pre = doc[span.start:pe.start]
            ent.titles |= _title_words(pre)
            ent.kind = _kind_from_titles(ent.titles) or ent.kind
            if ent.kind == "journalist" and ent.affiliation is None:
                ent.affiliation = _affiliation(reg, pre) or _appositive_affiliation(reg, pe)
            reg.add_mention(ent, mention)
            return ent
    for m in _outlet_spans(doc, s):
        if m[1] > e:
            break
        tok_span = doc.char_span(m[0], m[1], alignment_mode="expand")
        in_ctx = recipient or a.cue.lemma in _REPORT_LEMMAS or (
            tok_span is not None and len(tok_span) > 0 and _reporting_context(_span_head(tok_span)))
        o = _outlet_for(m[2], reg, in_ctx)
        if o is not None and (m[1] - m[0]) >= 0.4 * len(_clean_name(core.text)):
            ent = reg.find_outlet(o) or reg.new(o.name, "outlet", (m[0], m[1]), outlet=o,
                                                heads={w.lower() for w in o.name.split()})
            reg.add_mention(ent, mention)
            return ent
    orgs = [o for o in _ents_in(doc, s, e, {"ORG", "GPE"}) if not (
        o.root.dep_ == "pobj" and o.root.head.dep_ == "prep" and o.root.head.head.i == head.i
        and not (o.start <= head.i < o.end) and head.tag_ in ("NNS", "NNPS"))]  # "Republicans on Capitol Hill"
    named_head = head.pos_ == "PROPN" or head.ent_type_ in ("ORG", "GPE") or any(
        c.dep_ == "appos" and c.ent_type_ == "ORG" and span.start <= c.i < span.end for c in head.children)
    role_head = head.pos_ == "NOUN" and hlemma in _lex("official_titles") | _lex("person_roles") | _lex(
        "journalist_titles") and not any(  # "The Florida senator" is a person, not Florida; but "the State
        c.dep_ == "poss" for c in head.children)  # Department's inspector general" stays with the department
    if orgs and head.pos_ == "PROPN" and all(o.root.dep_ == "poss" and not (o.start <= head.i < o.end)
                                             for o in orgs):
        # "China's state-owned investment giant CITIC": the name the phrase ends on, not its owner
        lo = head.i
        while lo - 1 >= span.start and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ in ("compound", "flat"):
            lo -= 1
        ent = _register_name(reg, doc[lo:head.i + 1], "ORG", mention)
        if ent is not None:
            return ent
    if orgs and (named_head or len(orgs[-1]) >= len(core) * 0.5) and not role_head:
        org = max(orgs, key=lambda o: (o.root.dep_ != "poss", len(o)))  # CITIC, not China's
        ent = _register_name(reg, org, org.label_, (org.start_char, org.end_char))
        if ent is not None:
            if ent.kind == "organisation" and _OUTLET_SUFFIX.search(ent.name) and (
                    recipient or a.cue.lemma in _OUTLET_CUES):
                ent.kind = "outlet"
            reg.add_mention(ent, mention)
            return ent
    # "the two men", "both countries", "the senators": a group of names given just before
    plural = _plural_target(reg, doc, span, head, s, sources_seen, a, recipient, depth) if depth < 3 else None
    if plural is not None:
        reg.add_mention(plural, mention)
        return plural
    # definite description: "the ministry", "the Post", "the senator", "the source"
    first = span[0].lower_
    if first in ("the", "this", "that"):  # not "his attorney": that is somebody else
        t = _nominal_target(reg, head, core, s)
        if t is not None:
            reg.add_mention(t, mention)
            if t.named and t.kind in PERSON_KINDS:  # "the Vermont senator": what the article calls him
                t.titles |= _title_words(core)
                t.kind = _kind_from_titles(t.titles) or t.kind
            return t
    titles = _title_words(core)
    # an unknown proper name ("Kurier reported", "Retired General" in a headline is a role, not a name)
    if head.pos_ == "PROPN" and not persons and not (titles & (_lex("official_titles") | _lex("person_roles")
                                                              | _lex("journalist_titles"))) \
            and head.ent_type_ != "NORP":
        name = _clean_name(core.text)
        ent = _register_name(reg, core, "ORG", mention)
        if ent is not None and ent.kind == "organisation" and (recipient or a.cue.lemma in _OUTLET_CUES) \
                and _OUTLET_SUFFIX.search(name) and not _govt_name(name):
            ent.kind = "outlet"
        return ent
    # "Our Principles PAC, a group set up to ...": a description in apposition to a name is that name
    if head.dep_ == "appos" and head.head.i < span.start and depth < 3 and (
            head.head.ent_type_ in ("ORG", "PERSON", "GPE") or head.head.pos_ == "PROPN"):
        nh = head.head
        ent = _resolve_mention(reg, doc, nh.left_edge.idx, nh.idx + len(nh), sources_seen, a, recipient, depth + 1)
        if ent is not None and ent.named:
            reg.add_mention(ent, mention)
            return ent
    # a bare surname the tagger missed ("Trump blamed Clinton"): the person of that name
    if len(core) == 1 and core[0].is_title and core[0].pos_ in ("PROPN", "NOUN", "VERB", "ADJ") and \
            not core[0].is_sent_start:
        known = reg.find_person(core[0].lower_, None)
        if known is not None:
            reg.add_mention(known, mention)
            return known
    # unnamed: a role noun ("a source", "officials", "a Ukraine interior minister", "the campaign")
    low = head.lower_
    heads = {hlemma, low}
    # "his wife, Laura, ...": a role noun with a name in apposition is that named person
    names = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and span.start <= c.i < span.end]
    if names and head.lemma_.lower() in _PERSON_NOUNS | _lex("person_roles") | {"wife", "husband", "son",
                                                                               "daughter"}:
        nm = names[0]
        nspan = doc[nm.left_edge.i:nm.i + 1]
        ent = _register_name(reg, nspan, "PERSON", mention)
        if ent is not None:
            return ent
    if any(t.text.startswith("@") and len(t.text) > 1 for t in core):
        handle = next(t.text for t in core if t.text.startswith("@"))
        return reg.new(handle, "person", mention, heads={hlemma, low})
    if hlemma in _lex("organisation_heads") | {"panel", "subcommittee"} and depth < 3:
        of = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
              if g.dep_ == "pobj" and g.ent_type_ in ("ORG", "GPE")]
        if of:
            g = of[0]
            ent = _resolve_mention(reg, doc, g.left_edge.idx, g.right_edge.idx + len(g.right_edge), sources_seen,
                                   a, recipient, depth + 1)
            if ent is not None:
                reg.add_mention(ent, mention)
                return ent
    kind = "anonymous"
    if hlemma == "army" and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
        hlemma = low = "crowd"  # "an angry army of HP workers and retirees" is no military
    members = _included_kind(reg, doc, head, span) or _included_kind(reg, doc, _span_head(span), span)
    if members is not None:
        kind = members  # "others, including Sen. Jeff Merkley and Rep. Raúl Grijalva": a group of officials
    elif hlemma in _lex("government_group_heads") or low in _lex("government_group_heads"):
        kind = "government"
    elif first == "the" and head.tag_ == "NN" and titles & (_lex("official_titles") - _lex("weak_titles")) \
            and _of_named(head):
        kind = "official"  # one office holder, named by the office: "The attorney general of the state of New York"
    elif hlemma in ("paper", "papers") and (a.cue.lemma in _FINDING_CUES or any(
            c.like_num or c.ent_type_ == "DATE" for c in head.children)):
        kind = "document"  # "One influential 2009 paper found ...": a study, not a newspaper
    elif hlemma in _lex("outlet_heads") or " ".join(t.lower_ for t in core[-2:]) in _lex("outlet_heads"):
        kind = "outlet"
    elif first in ("the", "both") and head.tag_ == "NNS" and hlemma in _lex("person_roles"):
        kind = "person"  # "the candidates", "both presidential candidates": known people, not unnamed ones
    elif (hlemma in _lex("document_heads") or low in _lex("document_heads") and hlemma != "figure") \
            and hlemma not in ("statement",) \
            or hlemma in _CHANNEL_NOUNS and hlemma not in _PERSON_NOUNS:  # "a spokesperson" is a person
        kind = "document"  # "FEC records" (lemma "record"), "The legislation"
    elif (hlemma in _lex("thing_heads") or low in _lex("thing_heads")) and head.pos_ == "NOUN":
        kind = "other"  # "the euro crisis", "The talks", "history": a thing cited, not an anonymous person
    elif hlemma in _lex("organisation_heads") and hlemma not in _lex("anonymous_heads") \
            and not _group_of_people(head):
        kind = "organisation"
    elif (hlemma in _lex("government_heads") and hlemma not in _lex("anonymous_heads")) or low == "authorities":
        kind = "government"
    elif titles & _lex("journalist_titles") or hlemma in {"reporter", "correspondent", "journalist"}:
        kind = "journalist" if head.tag_ not in ("NNS",) else "anonymous"
    if first in ("the", "this", "that") and kind in ("anonymous", "document", "other"):
        # "the source", "the official", "the report": the same unnamed source as before
        for prev in reg.before(s):
            if not prev.named and (heads & prev.heads):
                reg.add_mention(prev, mention)
                return prev
    return reg.new(_clean_name(core.text) or core.text, kind, mention, named=False, heads=heads,
                   titles=titles, plural=head.tag_ in ("NNS", "NNPS"))


_COLLECTIVES = frozenset({"group", "coalition", "handful", "band", "bunch", "collection"})


def _group_of_people(head: Token) -> bool:
    """"a group of liberal Rabbis", "A group of 67 Latin American artists, writers ...": an unnamed set of
    people is no organisation (unlike "a coalition of nearly 40 groups")."""
    if head.lemma_.lower() not in _COLLECTIVES:
        return False
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if noun is None or noun.tag_ not in ("NNS", "NNPS"):
        return False
    people = _PERSON_NOUNS | _role_lexicon() | _lex("anonymous_heads") | _lex("journalist_titles") | {
        "rabbi", "artist", "writer", "actor", "scientist", "politician", "parent", "contributor", "donor"}
    return noun.lemma_.lower() in people or noun.lower_.rstrip("s") in people


def _along_with(reg: _Registry, doc: Doc, span: Span, head: Token) -> _Ent | None:
    """"Fields, along with Washington Post reporter Ben Terris, say": a known person (a surname the tagger
    may have missed) and a named companion speak as one group."""
    if not head.text[:1].isupper() or head.ent_type_ not in ("PERSON", ""):
        return None
    withs = _companions(head.head, span)
    if not withs and head.dep_ in ("nsubj", "nsubjpass"):
        return None
    withs = withs or _companions(head, span)
    if not withs:
        return None
    first = reg.find_person(head.lower_, None) if head.ent_type_ == "" else None
    if first is None and head.ent_type_ == "PERSON":
        p = _person_in(doc, span, head)
        first = _register_name(reg, p, "PERSON", (p.start_char, p.end_char)) if p is not None else None
    companion = _person_in(doc, span, withs[0])
    second = None if companion is None else _register_name(
        reg, companion, "PERSON", (companion.start_char, companion.end_char))
    if first is None or companion is None or second is None or first is second:
        return None
    second.titles |= _title_words(_prefix(companion))
    second.kind = _kind_from_titles(second.titles) or second.kind
    return _group_entity(reg, [first, second], span)


def _companions(tok: Token, span: Span) -> list[Token]:
    """The people named in "along with X" / "together with X" hanging on ``tok``, inside ``span``."""
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("along", "together")
            for w in c.children if w.lower_ == "with" for g in w.children
            if g.dep_ == "pobj" and g.ent_type_ == "PERSON" and span.start <= g.i < span.end]


def _person_in(doc: Doc, span: Span, tok: Token) -> Span | None:
    """The PERSON entity inside ``span`` that covers ``tok``."""
    return next((p for p in _ents_in(doc, span.start_char, span.end_char, {"PERSON"}) if p.start <= tok.i < p.end),
                None)


def _conj_group(reg: _Registry, doc: Doc, span: Span, head: Token, sources_seen: list[_Ent], a: Attribution,
                recipient: bool, depth: int) -> _Ent | None:
    """"Britain and France", "CNN and MSNBC", "Maine Sen. Susan Collins and Texas Rep. Louis Gohmert", "Both
    Justin Trudeau and Pena Nieto": names joined by "and" (the parser's conjuncts) speak as one plural source
    when each conjunct is a name of its own; of the members' shared kind, else person (all people) or
    organisation (all bodies). A person joined with a body is left alone."""
    if head.pos_ != "PROPN":
        return None
    conjs = [head]
    for c in head.subtree:
        if c.dep_ == "conj" and c.head in conjs and span.start <= c.i < span.end:
            conjs.append(c)
    if len(conjs) < 2 or not all(c.pos_ == "PROPN" for c in conjs):
        return None
    if any(t.dep_ == "cc" and t.lower_ not in ("and", "&") for t in head.subtree if span.start <= t.i < span.end):
        return None  # "Trump or Clinton"
    members: list[_Ent] = []
    for k, c in enumerate(conjs):
        if k == 0:
            lo = next((t.i for t in doc[span.start:head.i + 1] if t.lower_ not in ("both", "the", "and", ",")
                       and not t.is_punct), head.i)
        else:
            lo = c.left_edge.i
            while lo < c.i and (doc[lo].lower_ in ("and", "&", "the") or doc[lo].is_punct):
                lo += 1
        m = _resolve_mention(reg, doc, doc[lo].idx, c.idx + len(c), sources_seen, a, recipient, depth + 1)
        if m is None or not m.named or m.plural or m in members:
            return None
        members.append(m)
    people = [m.kind in PERSON_KINDS for m in members]
    if any(people) and not all(people):
        return None
    group = _group_entity(reg, members, span)
    if not all(people) and group.kind == "person":
        group.kind = "organisation"
    return group


_COUNTS = {"two": 2, "three": 3, "both": 2}


def _plural_target(reg: _Registry, doc: Doc, span: Span, head: Token, pos: int, sources_seen: list[_Ent],
                   a: Attribution, recipient: bool, depth: int) -> _Ent | None:
    """"Paradis and Bennett ... The two voters", "Mr. Grassley and Mr. Leahy ... the senators", "Britain and
    France ... both countries": a definite plural description with a count (or a strong title) is the group of
    names joined by "and" just before (a group already speaking, else one in this sentence or the one before)."""
    if head.tag_ != "NNS" or head.pos_ != "NOUN":
        return None
    first = span[0].lower_
    hl = head.lemma_.lower()
    n = next((_COUNTS[t.lower_] for t in span if t.i < head.i and t.lower_ in _COUNTS), None)
    titled = first == "the" and hl in _lex("official_titles") - _lex("weak_titles")
    if first not in ("the", "both") or not (n or titled):
        return None
    govish = hl in _lex("government_group_heads")
    personish = hl in (_role_lexicon() | _lex("anonymous_heads") | _PERSON_NOUNS | {
        "man", "woman", "friend", "parent", "couple", "brother", "sister"}) - _lex("document_heads")
    if not (govish or personish):
        return None

    def fits(e: _Ent) -> bool:
        size = len(e.name.split(" and "))
        if hl in _lex("person_roles") | _lex("journalist_titles") and hl not in e.titles:
            return False  # "both candidates" are not two voters named before
        if titled and n is None and e.kind != "official":
            return False  # "the senators": a group of officials
        return (n is None or size == n) and (
            e.kind == "government" if govish else e.kind in PERSON_KINDS)

    found = None
    for e in reg.before(pos):
        if e.last() < pos - 1500:
            break
        if e.named and e.plural and " and " in e.name and fits(e):
            found = e
            break
    sent = head.sent
    lo = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for t in reversed(doc[lo:span.start] if found is None else doc[0:0]):
        if t.pos_ != "PROPN" or t.dep_ == "conj":
            continue
        conjs = [c for c in t.children if c.dep_ == "conj" and c.pos_ == "PROPN" and c.i < span.start]
        if not conjs:
            continue
        last = max(conjs, key=lambda c: c.i)
        g = _conj_group(reg, doc, doc[t.left_edge.i:last.i + 1], t, sources_seen, a, recipient, depth)
        if found is None and g is not None and fits(g):
            found = g
        break
    if found is None and n == 2 and not any(t.dep_ == "cc" for t in span):  # not "both experts and investigators"
        roled = hl in _lex("person_roles") | _lex("journalist_titles") | _lex("official_titles")
        found = _two_named(reg, doc, span, doc[lo].idx, govish, sources_seen, a, recipient, depth,
                           lambda e: not roled or hl in e.titles or (titled and e.kind == "official"))
    if found is not None and hl in _lex("official_titles") - _lex("weak_titles"):
        found.kind = "official"  # "The two lawmakers": the article calls them lawmakers
    return found


def _two_named(reg: _Registry, doc: Doc, span: Span, lo: int, govish: bool, sources_seen: list[_Ent],
               a: Attribution, recipient: bool, depth: int, fits: Callable[[_Ent], bool]) -> _Ent | None:
    """"Cruz ... Trump ... The two men", "Mexico ... the United States ... the two countries": when this
    sentence (up to the description) and the one before name exactly two people (or two countries), the
    counted description is those two."""
    members: list[_Ent] = []
    if govish:
        for x in ents_between(doc, lo, span.start_char):
            if x.label_ == "GPE" and depth < 3 and not any(_clean_name(x.text) == m.name for m in members) \
                    and x.text.lower() not in set(_states()) | {"washington", "d.c."}:  # states are no countries
                e = _resolve_mention(reg, doc, x.start_char, x.end_char, sources_seen, a, recipient, depth + 1)
                if e is not None and e.kind == "government" and e not in members:
                    members.append(e)
    else:
        members = [e for e in reg.ents if e.kind in PERSON_KINDS and e.named and not e.plural
                   and any(lo <= ms < span.start_char for ms, _ in e.mentions)]
        members.sort(key=lambda e: min(ms for ms, _ in e.mentions if ms >= lo))
    return _group_entity(reg, members, span) if len(members) == 2 and all(fits(m) for m in members) else None


def _included_kind(reg: _Registry, doc: Doc, head: Token, span: Span) -> str | None:
    """The kind shared by the named people an unnamed group is said to include ("others, including Sen. X
    and Rep. Y"), when they share an official or journalist kind."""
    inc = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("including", "like")]
    if not inc:
        return None
    kinds = set()
    for p in _ents_in(doc, inc[0].idx, span.end_char, {"PERSON"}):
        m = _register_name(reg, p, "PERSON", (p.start_char, p.end_char))
        if m is not None:
            kinds.add(m.kind)
    return kinds.pop() if len(kinds) == 1 and kinds <= {"official", "journalist"} else None


def _subject_group(reg: _Registry, doc: Doc, pron: Token) -> _Ent | None:
    """"Hillary Clinton and Senator Elizabeth Warren held ... as they sought": "they" after a subject of
    named people joined by "and" is that group."""
    subj = _last_subject(doc, pron)
    if subj is None or subj.ent_type_ != "PERSON":
        return None
    conj = [c for c in subj.subtree if c.dep_ == "conj" and c.ent_type_ == "PERSON" and c.i < pron.i]
    if not conj:
        return None
    return _person_group(reg, doc, doc[subj.left_edge.i:conj[-1].i + 1], subj)


def _title_run(p: Span, span: Span) -> bool:
    """"Former Secretary of State and Democratic presidential frontrunner Hillary Clinton": a name that ends
    the span after nothing but title words (the parser's tree for such runs is often wrong)."""
    doc = span.doc
    rest = [t for t in doc[p.end:span.end] if not (t.is_punct or t.is_space)]
    if rest and not re.match(r"\s*\((?:R|D|I)-", doc_text(doc)[p.end_char:p.end_char + 6]):
        return False
    pre = [t for t in doc[span.start:p.start] if not t.is_space]
    return bool(pre) and all(t.pos_ in ("PROPN", "ADJ", "NOUN", "CCONJ") or t.lower_ in ("of", "-", ".")
                             or (k == 0 and t.lower_ == "the") for k, t in enumerate(pre)) and any(
        t.lower_ in _role_lexicon() for t in pre)


def _titled_conj(p: Span, head: Token, span: Span) -> bool:
    """"Former prosecutor and New York City Mayor Rudy Giuliani": titles joined by "and" before one name
    (the parser makes the name a conjunct of the first title); not "the lawyer for Smith and Jones"."""
    return p.root.dep_ == "conj" and p.root.head.i == head.i and head.lemma_.lower() in (
        _lex("official_titles") | _lex("person_roles") | _lex("journalist_titles")) and not any(
        t.pos_ in ("DET", "ADP", "PRON") or t.ent_type_ == "PERSON" for t in span.doc[span.start:p.start])


def _person_group(reg: _Registry, doc: Doc, span: Span, head: Token) -> _Ent | None:
    """"Trump and Lewandowski", "Mr. Grassley and Mr. Leahy": named people joined by "and" speak as one
    plural source, named after its members, of the members' kind when they share one (else person)."""
    persons = _ents_in(doc, span.start_char, span.end_char, {"PERSON"})
    if len(persons) < 2:
        return None
    text = doc_text(doc)
    joint = re.compile(r"\s*(?:,|,?\s*and|&)\s*(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Senator|Representative)\.?\s*)?$")
    along = re.compile(r"\s*,?\s*(?:along|together)\s+with\s+")

    def joined(between: str) -> bool:
        if joint.match(between):
            return True
        m = along.match(between)  # "Fields, along with Washington Post reporter Ben Terris"
        return m is not None and all(w[:1].isupper() or w.lower() in _role_lexicon()
                                     for w in between[m.end():].split())

    if not all(joined(text[p.end_char:q.start_char]) for p, q in zip(persons, persons[1:], strict=False)):
        return None
    # the group is the whole source, not a name inside it ("the lawyer for Smith and Jones")
    lead = text[span.start_char:persons[0].start_char].strip()
    if span.end_char - persons[-1].end_char > 2 and not re.match(r"\s*\(", text[persons[-1].end_char:]):
        return None
    if lead and not re.fullmatch(r"(?:[A-Z][\w.]*\.?\s*|the\s+|[Ss]ens?\.\s*|[Rr]eps?\.\s*)+", lead + " ") and not (
            # "Democratic presidential candidates Hillary Clinton and Bernie Sanders": a plural role before them
            all(t.text[:1].isupper() or t.lower_ == "the" or t.pos_ == "ADJ" or t.lemma_.lower() in _role_lexicon()
                for t in doc[span.start:persons[0].start]) and doc[persons[0].start - 1].tag_ == "NNS") and not (
            # "Two objectors, Lawrence Joyce and William Graham,", "the two leading Republicans, Donald J. Trump and
            # Senator Ted Cruz,": a plural noun phrase, then the names in apposition
            _plural_lead(doc[span.start:persons[0].start])):
        return None
    members: list[_Ent] = []
    for p in persons:
        m = _register_name(reg, p, "PERSON", (p.start_char, p.end_char))
        if m is None or m in members:
            return None
        m.titles |= _title_words(_prefix(p))
        m.kind = _kind_from_titles(m.titles) or m.kind
        members.append(m)
    return _group_entity(reg, members, span)


def _plural_lead(lead: Span) -> bool:
    """Is ``lead`` a bare plural noun phrase ending in a comma ("Two objectors,", "the two leading Republicans,"),
    with no verb, preposition or clause that would make the names something else than its members?"""
    toks = [t for t in lead if not t.is_space]
    if len(toks) < 2 or toks[-1].text != "," or toks[-2].tag_ not in ("NNS", "NNPS"):
        return False
    return all(t.pos_ in ("DET", "NUM", "ADJ", "NOUN", "PROPN") or t.tag_ in ("POS", "VBG", "VBN") for t in toks[:-1])


def _group_entity(reg: _Registry, members: list[_Ent], span: Span) -> _Ent:
    """The plural entity of named members, of their shared kind (else person), found again when it exists."""
    name = " and ".join(m.name for m in members)
    kinds = {m.kind for m in members}
    kind = kinds.pop() if len(kinds) == 1 else "person"
    shared = set.intersection(*(m.titles for m in members)) if members else set()
    prev = next((e for e in reg.ents if e.name == name and e.plural), None)
    if prev is not None:
        prev.kind = kind
        prev.titles |= shared
        return prev
    return reg.new(name, kind, (span.start_char, span.end_char), plural=True,
                   heads={m.surname or "" for m in members} - {""}, titles=shared)


_WHEN = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL"})
_ABOUT_DOCS = frozenset({"record", "records", "return", "returns", "file", "files", "dossier", "profile",
                         "biography", "obituary", "résumé", "resume"})


def _author_of(head: Token, span: Span) -> tuple[int, int] | None:
    """Who wrote or published a document: its possessor, a name compound, or "by"/"from" X."""
    for c in head.children:
        if not (span.start <= c.i < span.end):
            continue
        if c.dep_ == "poss" and c.ent_type_ not in _WHEN:  # not "Last year's FBI statistics"
            if head.lemma_.lower() in _ABOUT_DOCS or head.lower_ in _ABOUT_DOCS:
                return None  # "her medical records", "Trump's tax returns": about the owner, not by the owner
            return c.left_edge.idx, c.idx + len(c)
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs and (c.lower_ == "by" or objs[0].pos_ in ("PROPN", "PRON") or objs[0].ent_type_ in (
                    "ORG", "PERSON", "GPE") or objs[0].lemma_.lower() in _role_lexicon() | _PERSON_NOUNS | _lex(
                    "organisation_heads") | _lex("government_heads")):
                o = objs[0]  # "records from the 2008 presidential election cycle" name no author
                return o.left_edge.idx, o.right_edge.idx + len(o.right_edge)
    names = [c for c in head.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"
             and span.start <= c.i < span.end]
    if names:
        lo = min(t.left_edge.i for t in names)
        hi = max(t.i for t in names)
        return span.doc[lo].idx, span.doc[hi].idx + len(span.doc[hi])
    return None


def _implicit_author(head: Token) -> tuple[int, int] | None:
    """"the ministry said ..., following up with a separate post claiming": the post is the ministry's.

    From a medium noun, climb to the first verb; when that verb has no subject of its own (a participle
    hanging on another clause), the subject of the clause it hangs on is the author."""
    cur = head
    for _ in range(5):
        if cur.head is cur:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            break
    else:
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children) or cur.dep_ not in ("advcl", "xcomp", "conj"):
        return None
    gov = cur.head
    subj = [c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj:
        return None
    t = subj[0]
    return t.left_edge.idx, t.right_edge.idx + len(t.right_edge)


def _last_subject(doc: Doc, pron: Token) -> Token | None:
    """The nearest subject noun before a pronoun, in its sentence or the one before."""
    sent = pron.sent
    toks = list(doc[sent.start - 1].sent) + list(sent) if sent.start > 0 else list(sent)
    cands = [t for t in toks if t.i < pron.i and t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN")]
    return cands[-1] if cands else None


def _antecedent_np(reg: _Registry, doc: Doc, pron: Token, sources_seen: list[_Ent], a: Attribution,
                   recipient: bool, depth: int) -> _Ent | None:
    """"It shows ...": the nearest preceding subject noun phrase, when it is not a named entity."""
    sent = pron.sent
    prev_sents = [sent]
    if sent.start > 0:
        prev_sents.insert(0, doc[sent.start - 1].sent)
    cands = [t for ps in prev_sents for t in ps if t.i < pron.i and t.dep_ in ("nsubj", "nsubjpass")
             and t.pos_ in ("NOUN", "PROPN")]
    if not cands:
        return None
    t = cands[-1]
    s, e = t.left_edge.idx, t.idx + len(t)
    if depth >= 3:
        return None
    return _resolve_mention(reg, doc, s, e, sources_seen, a, recipient, depth + 1)


_GENDERED = {"woman": "f", "mother": "f", "mom": "f", "wife": "f", "daughter": "f", "sister": "f", "girl": "f",
             "spokeswoman": "f", "congresswoman": "f", "businesswoman": "f", "grandmother": "f", "widow": "f",
             "man": "m", "father": "m", "dad": "m", "husband": "m", "son": "m", "brother": "m", "boy": "m",
             "spokesman": "m", "congressman": "m", "businessman": "m", "grandfather": "m", "widower": "m"}


def _in_same_quote(reg: _Registry, a: int, b: int) -> bool:
    """Are two character offsets both outside every quote, or inside the same one? A pronoun inside a quote
    does not point at the speaker's name outside it ("'He is a liar,' Trump said")."""
    qa = [q for q in reg.quotes if q[0] <= a < q[1]]
    qb = [q for q in reg.quotes if q[0] <= b < q[1]]
    return qa == qb


def _person_at(reg: _Registry, head: Token, g: str) -> _Ent | None:
    """The person entity with a mention over ``head`` (not a modifier: "The Murdoch outlets") whose gender does
    not clash with ``g``."""
    for e in reg.ents:
        if e.kind in PERSON_KINDS and not e.plural and any(ms <= head.idx < me for ms, me in e.mentions) \
                and _gender(e, reg.doc) in (None, g):
            return e
    return None


def _bound_subject(reg: _Registry, doc: Doc, pron: Token, sources_seen: list[_Ent], a: Attribution,
                   recipient: bool, depth: int) -> _Ent | None:
    """"A 29-year-old Berlin woman received probation after she had posted ...": "he"/"she" inside a clause
    whose governing verb has a person as its subject, before the pronoun, is that subject (binding beats
    recency: the last speaker of the paragraph is somebody else). Unnamed subjects ("a woman", "the
    governor") are resolved as mentions of their own."""
    g = _PRONOUNS[pron.lower_]
    cur = pron
    for _ in range(8):
        if cur.head is cur or cur.dep_ in ("relcl", "acl"):
            return None  # "Trump would have a path to nomination, which he declared ...": not across a relative
        cur = cur.head
        for c in cur.children:
            if c.dep_ not in ("nsubj", "nsubjpass") or c.i >= pron.i or c.left_edge.i <= pron.i <= c.right_edge.i:
                continue
            if not _in_same_quote(reg, c.idx, pron.idx) or "\n" in doc_text(doc)[c.idx:pron.idx]:
                return None  # a quote's "he" is not its speaker; nor does a parse across paragraphs bind
            if c.lower_ in _PRONOUNS:
                continue  # "he said she ...": that pronoun is resolved on its own
            hit = _person_at(reg, c, g)
            if hit is not None:
                return hit
            lemma = c.lemma_.lower()
            if c.pos_ == "NOUN" and c.tag_ == "NN" and depth < 3 and _GENDERED.get(lemma, g) == g and not any(
                    k.dep_ == "poss" for k in c.children) and (  # "his father" is somebody else
                    lemma in _PERSON_NOUNS or lemma in _GENDERED or lemma in _lex("official_titles")):
                ent = _resolve_mention(reg, doc, c.left_edge.idx, c.idx + len(c), sources_seen, a, recipient,
                                       depth + 1)
                if ent is not None and (ent.kind in PERSON_KINDS or ent.kind == "anonymous") and not ent.plural:
                    return ent
    return None


def _quoted(text: str, pos: int) -> bool:
    """Is ``pos`` inside a quotation (an odd number of quote marks between the paragraph's start and it)?"""
    between = text[text.rfind("\n", 0, pos) + 1:pos]
    return (between.count("\"") + between.count("''") + between.count("“") + between.count("”")) % 2 == 1


def _previous_sentence_person(reg: _Registry, pron: Token) -> _Ent | None:
    """"But the race seemed to be Sanders's to lose. At his stops Monday, he did not ...": when the sentence
    before names exactly one person of the pronoun's gender as a subject or possessor, outside quotes, and
    nobody else could be meant, the pronoun continues that person rather than the paragraph's earlier
    speaker. Any doubt (another candidate in this sentence, an earlier "she" that carries the topic, a subject
    nobody registered) leaves the pronoun to the recency rule."""
    g = _PRONOUNS[pron.lower_]
    sent = pron.sent
    if sent.start == 0:
        return None
    doc = reg.doc
    prev = doc[sent.start - 1].sent
    text = doc_text(doc)
    person_at = {ms: e for e in reg.ents if e.kind in PERSON_KINDS for ms, _ in e.mentions}
    starts = {ms for e in reg.ents for ms, _ in e.mentions}
    if any(t.lower_ in _PRONOUNS and _PRONOUNS[t.lower_] == g and t.idx not in starts for t in prev):
        return None  # "... she joined the Obama administration": an earlier "she" carries the topic on
    for t in doc[prev.start:pron.i]:
        if t.dep_ in ("nsubj", "nsubjpass") and (t.pos_ == "PROPN" or t.lemma_.lower() in _PERSON_NOUNS) and not any(
                ms <= t.idx < me for e in reg.ents if e.kind in PERSON_KINDS for ms, me in e.mentions):
            return None  # "Wallnau was among ...", "the Kentucky Republican": someone nobody registered

    def fits(e: _Ent) -> bool:
        return not e.plural and e.named and _gender(e, doc) in (None, g)

    if any(sent.start_char <= ms < pron.idx and fits(e) for ms, e in person_at.items()):
        return None  # "..., Donald Trump would have a path ..., which he declared": two candidates

    def counts(ms: int, me: int) -> bool:
        sp = doc.char_span(ms, me, alignment_mode="expand")
        if sp is None or not len(sp) or sp.root.dep_ not in ("nsubj", "nsubjpass", "poss", "attr"):
            return False  # its subjects and possessors, not "Like Allen, ..." nor "the Obama administration"
        end = text.find("\n", me)
        line = text[text.rfind("\n", 0, ms) + 1:end if end >= 0 else len(text)]
        return (ms not in reg.deictic and not _quoted(text, ms)
                and line.strip(" .,") != text[ms:me])  # "David Groner." signs the letter before this one

    found = {e.id: e for e in reg.ents if e.kind in PERSON_KINDS and fits(e)
             and any(prev.start_char <= ms < sent.start_char and counts(ms, me) for ms, me in e.mentions)}
    return next(iter(found.values())) if len(found) == 1 else None


def kinds_lexicon() -> dict[str, list[str]]:
    """The raw kind lexicons (for documentation and the view)."""
    return {k: v for k, v in load("source_kinds").items() if not k.startswith("_")}
