"""Kinds of sources from names and titles: which words are offices, journalist roles or government names,
which names are outlets, and the kind a name or a set of titles gives ("Sen." official, "the S.E.C."
government, "X reported" outlet, "former" person). The lexicons live in ``data/source_kinds.json`` and
``data/outlets.json``; everything here is a pure function of the text, the Doc and the registry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from reportedly.lexicon import (
    Outlet,
    doc_ents,
    doc_text,
    ent_at,
    outlet_forms,
    words,
)
from reportedly.resolve.registry import (
    Ent,
    Registry,
    clean_name,
    lex,
    state_names,
)

OUTLET_SUFFIX = re.compile(
    r"\b(?:News|Times|Post|Journal|Herald|Tribune|Gazette|Daily|Magazine|Radio|TV|Television|Press|Chronicle|"
    r"Inquirer|Observer|Examiner|Courier|Dispatch|Register|Bulletin|Sentinel|Star|Review|Monitor|Wire|"
    r"Broadcasting|Telegraph|Standard|Express|Mirror|Independent|Report|Newswire|Insider)$")


REPORT_LEMMAS = words("word_lists", "report_lemmas")  # data/word_lists.json


_ACADEMIC = frozenset({"university", "college", "school", "institute", "hospital", "company", "corporation"})


ABBREV = {"gov.": "governor", "sen.": "senator", "sen": "senator", "rep.": "representative", "rep": "representative",
           "gen.": "general", "adm.": "admiral", "lt.": "lieutenant", "col.": "colonel"}


@lru_cache(maxsize=1)
def government_context_regex() -> re.Pattern[str]:
    """Any government-context word as a whole word ("ministry", "white house"), compiled once."""
    alts = "|".join(re.escape(w) for w in sorted(lex("government_context"), key=len, reverse=True))
    return re.compile(r"(?<![\w.])(?:" + alts + r")(?![\w])")


_ORG_CONTEXT = words("word_lists", "organisation_context")  # data/word_lists.json


def headline_case(tok: Token) -> bool:
    """Is the token on a Title Case line (a headline: "Hale Sees ... As President Of The United States"),
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


def ent_span(tok: Token) -> Span | None:
    """The named entity a token is part of, if any."""
    return ent_at(tok.doc, tok.i) if tok.ent_type_ else None


def _gov_org(name: str) -> bool:
    """Is a named organisation a government body ("House", "White House", "the State Department")?"""
    low = name.lower()
    return govt_name(name) or (bool(government_context_regex().search(low)) and not any(
        w in lex("organisation_heads") | {"pac", "inc", "llc"} for w in low.split()))


def _private_org_tok(tok: Token) -> bool:
    """Is the token part of a named organisation that is no government body ("American Bridge", "RNC",
    "the House Majority PAC", "Committee for a Responsible Federal Budget")?"""
    x = ent_span(tok)
    return x is not None and x.label_ == "ORG" and not _gov_org(clean_name(x.text)) and not any(
        w.lower() in state_names() for w in clean_name(x.text).split())  # "Alabama Securities Commissioner"


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
    private = lex("organisation_heads") - lex("government_heads") | {"pac"}
    if lem in private or any(c.dep_ == "compound" and c.lemma_.lower() in private and c.i == pobj.i - 1
                             for c in pobj.children):
        return True  # the head decides: "the House Majority PAC", "state campaigns"
    name = clean_name(doc[pobj.left_edge.i:pobj.i + 1].text)
    if govt_name(name) or government_context_regex().search(name.lower()) and pobj.ent_type_ != "ORG":
        return False
    if lem in lex("government_heads") and lem not in lex("organisation_heads"):
        return False
    return (
        pobj.pos_ == "PROPN" and (lem == "committee" or pobj.ent_type_ == "ORG") and not _gov_org(name))


_RELIGIONS = words("word_lists", "religions")  # data/word_lists.json


@dataclass
class Titles:
    """What a run of words says about a person's role: the role words ("senator", "former", "@texas" for the
    state a title goes with) and, apart from them, the evidence that a weak title among them ("director",
    "spokesman") stood in a government context, which is what makes such a title an office."""

    words: set[str] = field(default_factory=set)
    gov_context: bool = False

    def __or__(self, other: Titles) -> Titles:
        return Titles(self.words | other.words, self.gov_context or other.gov_context)

    def no_office(self) -> Titles:
        """The same without offices: a hypothetical one ("a President Mary Hale") or a courtesy."""
        return Titles(self.words - lex("official_titles"), False)


def add_titles(e: Ent, t: Titles) -> None:
    """Give an entity what one mention says of its role (titles only ever accumulate)."""
    e.titles |= t.words
    e.gov_context = e.gov_context or t.gov_context


def titled_kind(e: Ent) -> str | None:
    """The kind an entity's accumulated titles give, if any (see ``kind_from_titles``)."""
    return kind_from_titles(e.titles, e.gov_context)


def untitled(e: Ent) -> bool:
    """No role words and no government-context evidence: nothing says what this person is."""
    return not e.titles and not e.gov_context


def title_words(tokens: Iterable[Token]) -> Titles:
    """Role words in a run of tokens ("Russian President", "NBC News correspondent", "former Sen.").

    A weak title ("director", "spokesman", "president of ...") makes an official only with a government
    word near it or when written as a capitalised title before the name ("President Hale"); ``gov_context``
    records that, and only for a phrase that has a weak title (so that one mention's
    context does not make another mention's "president" an office). A title owned by a private
    organisation ("American Bridge President", "a minister with the Living Church of God") is no office,
    nor is a hypothetical one ("the next Commander in Chief").
    """
    toks = [t for t in tokens if not t.is_space]
    lows = [t.lower_ for t in toks]
    out: set[str] = set()
    weak = lex("weak_titles")
    headline = bool(toks) and headline_case(toks[0])
    gov = has_weak = private = False
    for n in (3, 2, 1):
        for i in range(len(lows) - n + 1):
            phrase = " ".join(lows[i:i + n])
            for key in ("official_titles", "journalist_titles", "person_roles"):
                if phrase in lex(key):
                    out.add(phrase)
                    if key == "official_titles" and (
                            (i > 0 and phrase in weak and toks[i].text[:1].isupper() and _private_org_tok(toks[i - 1])
                             and (len(ent_span(toks[i - 1]) or ()) > 1 or toks[i - 1].text.isupper()))
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
    out |= {ABBREV[w] for w in out if w in ABBREV}  # "Gov. Tom Keller" is "the former Florida governor"
    text = " ".join(t.lower_ for t in toks if not _private_org_tok(t))  # not "Committee for ... Federal Budget"
    if government_context_regex().search(text) and not any(w in _ACADEMIC for w in lows):
        gov = True  # not "chairman of the computer science department at Dartmouth College"
    if private:
        gov = False
        if out & lex("official_titles"):  # an organisation's officer: a person with a role, no office
            out = out - lex("official_titles") | {"executive"}
    if any(w in lex("former_markers") or w.startswith(("ex-", "then-")) for w in lows) or any(
            w in ("then", "ex") and nxt == "-" for w, nxt in zip(lows, lows[1:], strict=False)) or (
            "during" in lows and out & lex("official_titles")):  # "an official during Paul W. Brandt's administration"
        out.add("former")
    found = Titles(out, gov and has_weak)
    if any(w in _HYPOTHETICAL for w in lows):
        return found.no_office()  # "the next Commander in Chief": no office now
    return found


_HYPOTHETICAL = frozenset({"next", "future", "would-be", "prospective", "potential"})


_CLERGY = words("word_lists", "clergy_titles")  # data/word_lists.json


def kind_from_titles(titles: set[str], gov_context: bool = False) -> str | None:
    """Journalist, person (a past office) or official from role words; a weak title ("director") is an
    office only with ``gov_context``, the evidence that it stood in a government context."""
    if titles & lex("journalist_titles"):
        return "journalist"
    if "former" in titles:
        return "person"  # "former Sen.", "then-Sen.": no office now, whatever the entity was called before
    official = titles & lex("official_titles")
    if titles & _CLERGY:
        official -= {"minister"}  # "Pastor X, a Cleveland minister": a church's minister
    if official - lex("weak_titles") or (official and gov_context):
        return "official"
    return None


def govt_name(name: str) -> bool:
    low = name.lower()
    if low in lex("government_names") or low.replace(".", "") in lex("government_names"):
        return True  # "the S.E.C." is the SEC
    toks = low.split()
    if not toks:
        return False
    heads = lex("government_heads")
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


def outlet_for(text: str, reg: Registry, in_context: bool) -> Outlet | None:
    """The outlet a surface form names, if any (ambiguous short forms need a reporting context)."""
    forms = outlet_forms()
    key = clean_name(text) if text not in forms else text
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


def reporting_context(tok: Token) -> bool:
    """Is this token (head of a name) the subject of "reported", the object of "told", "interview with"?"""
    h = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and h.lemma_ in REPORT_LEMMAS:
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


def name_kind(name: str, label: str, head: Token | None, reg: Registry) -> tuple[str, Outlet | None]:
    ctx = head is not None and reporting_context(head)
    outlet = outlet_for(name, reg, ctx)
    if outlet is not None:
        return "outlet", outlet
    if name.lower() in lex("company_names"):
        return "organisation", None  # "Twitter said": the tagger often calls a platform a person
    if label == "PERSON":
        return "person", None
    if name.split()[-1].lower() in ("poll", "survey") or name.split()[0].lower() in ("poll", "survey"):
        return "document", None  # "the latest Washington Post-ABC News Poll"
    if label == "GPE" or (label == "ORG" and _mostly_place(reg, name)):
        return "government", None  # "the United States" tagged ORG here is the country tagged GPE elsewhere
    if govt_name(name):
        return "government", None
    if ctx and label in ("ORG", "WORK_OF_ART", "") and OUTLET_SUFFIX.search(name):
        return "outlet", None
    words_low = {w.lower() for w in name.split()}
    if ctx and label == "ORG" and head is not None and head.dep_ == "nsubj" and head.head.lemma_ in {
            "report", "publish", "broadcast", "air"} and not words_low & (
            lex("organisation_heads") | lex("government_heads") | {"committee"}):
        return "outlet", None  # "Ukrainska Zorya reported": an outlet nobody listed; not "the Committee for ..."
    return "organisation", None


def _mostly_place(reg: Registry, name: str) -> bool:
    """Does the tagger call this name a place (GPE) more often than an organisation in the document?"""
    if reg.place_votes is None:  # counted once per document
        votes: dict[str, int] = {}
        for x in doc_ents(reg.doc):
            if x.label_ in ("GPE", "ORG"):
                key = clean_name(x.text)
                votes[key] = votes.get(key, 0) + (1 if x.label_ == "GPE" else -1)
        reg.place_votes = votes
    return reg.place_votes.get(name, 0) > 0
