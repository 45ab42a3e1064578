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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from reportedly.model import Attribution, Entity
from reportedly.resolve.contents import SpanSet
from reportedly.resolve.coref import (
    _headline_roles,
    _in_same_quote,
    _late_surnames,
    _nominal_target,
    _of_named,
    _person_at,
    _previous_sentence_person,
    _pronoun_target,
    _quoted,
    _subject_above,
    merge_descriptions,
    named_later,
)
from reportedly.resolve.kinds import (
    _ABBREV,
    _OUTLET_SUFFIX,
    _REPORT_LEMMAS,
    _ent_span,
    _government_context_regex,
    _govt_name,
    _headline_case,
    _kind_from_titles,
    _name_kind,
    _outlet_for,
    _reporting_context,
    _title_words,
)
from reportedly.resolve.lexicon import (
    context_only,
    doc_ents,
    doc_text,
    ents_between,
    outlet_forms,
    outlet_matches,
)
from reportedly.resolve.registry import (
    _PERSON_NOUNS,
    _PRONOUNS,
    NAME_PARTICLES,
    PERSON_KINDS,
    _clean_name,
    _Ent,
    _gender,
    _lex,
    _places,
    _Registry,
    _span_head,
    _states,
)
from reportedly.resolve.voices import (
    _author,
    _interviewer,
    _transcript_speaker,
)

_DETS = {"the", "a", "an", "this", "that", "these", "those", "another", "one", "some", "two", "three", "several",
         "many", "most", "other", "others", "both", "all", "any", "each"}
_FINDING_CUES = {"find", "show", "conclude", "suggest", "estimate", "demonstrate", "indicate", "argue"}
_OUTLET_CUES = {"report", "publish", "broadcast", "air", "learn", "according to"}
_CHANNEL_NOUNS = {"post", "statement", "tweet", "release", "report", "letter", "memo", "email", "message",
                  "spokesman", "spokeswoman", "spokesperson", "account", "channel", "page", "website", "video",
                  "announcement", "filing", "document", "study", "survey", "poll", "transcript", "note",
                  "update", "bulletin", "briefing", "readout"}


_HEADLINE_VERBS = frozenset({"tells", "says", "warns", "claims", "slams", "calls", "urges", "admits", "reveals",
                            "blasts", "explains", "accuses", "denies", "rips", "insists", "sees", "vows"})
_RELATIVE = {"who", "which", "that", "whom", "whose"}


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


def _name_places(doc: Doc, span: Span) -> set[str]:
    """The state after a name: "Sen. Ted Cruz (R-Texas)", "Sen. Bernie Sanders (I-Vt.)", "Warren of
    Massachusetts"."""
    tail = doc_text(doc)[span.end_char:span.end_char + 30]
    m = re.match(r"\s*\((?:R|D|I)-([A-Z][\w.]*(?: [A-Z][\w.]*)?)\)|\s+of\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)", tail)
    if m is None:
        return set()
    name = _states().get((m.group(1) or m.group(2) or "").lower())
    return {"@" + name} if name else set()


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
    return _titled_name(toks, titles)


def _titled_name(toks: list[Token], titles: frozenset[str] | set[str]) -> Span | None:
    """"Fire Chief Nadia Orlov", "Health Minister Ana Diaz": a title word, then one to three capitalised
    words (family-name particles allowed) that are no title and no organisation's head word, is a person's
    name, whatever the first name."""
    heads = _lex("organisation_heads") | _lex("government_heads") | _lex("outlet_heads")
    if not toks or not toks[0].text[:1].isupper():
        return None  # "the King James Bible": a determiner makes it a thing, not a titled person
    for k in range(len(toks) - 1, 0, -1):
        if toks[k - 1].lower_.rstrip(".") not in titles and toks[k - 1].lower_ not in titles:
            continue
        rest = toks[k:]
        words = [r for r in rest if r.lower_ not in NAME_PARTICLES]
        if not 1 <= len(words) <= 3 or rest[0].lower_ in NAME_PARTICLES:
            return None
        if all(r.is_alpha and r.text[:1].isupper() and r.lower_ not in titles | heads for r in words):
            return toks[0].doc[rest[0].i:rest[-1].i + 1]
        return None
    return None


# prepositions that put a name on the map: "near Izmail", "along the Danube", "in Oskar Vale"
_LOCATIVE = frozenset({"in", "near", "outside", "inside", "across", "along", "around", "throughout", "off",
                       "toward", "towards", "downstream", "upstream"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _place_votes(doc: Doc, name: str) -> int:
    """How often the tagger calls this name a place minus how often it calls it a person, in the document
    (counted once per document)."""
    votes: dict[str, int] | None = doc.user_data.get("reportedly_place_votes")
    if votes is None:
        votes = {}
        for x in doc_ents(doc):
            if x.label_ in _PLACE_LABELS | {"PERSON"}:
                key = _clean_name(x.text)
                votes[key] = votes.get(key, 0) + (1 if x.label_ in _PLACE_LABELS else -1)
        doc.user_data["reportedly_place_votes"] = votes
    return votes.get(name, 0)


def _a_persons_name(doc: Doc, name: str) -> bool:
    """Is the name, or its last word, a person's name in this document: a known first name in it, or a
    longer name the tagger calls a person ending in it ("Obama" after "Barack Obama")?"""
    words = name.split()
    if any(w in _lex("male_names") | _lex("female_names") for w in words):
        return True
    longest: dict[str, int] | None = doc.user_data.get("reportedly_person_surnames")
    if longest is None:  # last word -> most words of a person's name ending in it, once per document
        longest = {}
        for x in doc_ents(doc):
            parts = _clean_name(x.text).split() if x.label_ == "PERSON" else []
            if parts:
                longest[parts[-1]] = max(longest.get(parts[-1], 0), len(parts))
        doc.user_data["reportedly_person_surnames"] = longest
    return longest.get(words[-1], 0) > len(words)


def _used_as_place(span: Span) -> bool:
    """Is a name the tagger calls a person used as a place? Tagged a place more often than a person in the
    document, or not a person's name elsewhere and either "the Danube" (no person takes a definite article),
    the object of a locative preposition ("in Oskar Vale", "near Izmail"; "faith in Sanders" after "Bernie
    Sanders" stays a person) or right before an office ("Marlow Falls Mayor ...")."""
    root, doc = span.root, span.doc
    name = _clean_name(span.text)
    if not name or _place_votes(doc, name) > 0:
        return bool(name)
    if root.tag_ == "NNPS" or _a_persons_name(doc, name):
        return False
    if root.dep_ == "compound" and root.head.lower_ in _lex("official_titles") and root.head.i == span.end:
        return True  # "Marlow Falls Mayor Denise Arkwright": the office's jurisdiction, like "Texas Sen."
    if root.dep_ in ("compound", "poss"):
        return False
    if span.start > 0 and doc[span.start - 1].lower_ == "the" and not name.endswith("s"):
        return True
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


def _register_name(reg: _Registry, span: Span, label: str, mention: tuple[int, int]) -> _Ent | None:
    """Find or create the named entity for a name span (PERSON/ORG/GPE/outlet)."""
    if label == "PERSON" and span.root.ent_type_ == "PERSON" and _used_as_place(span):  # the tagger's person
        label = "GPE"
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
        # "De Blasio" after "Bill de Blasio": a family-name particle is no first name
        first = toks[0].lower() if len(toks) > 1 and toks[0].lower() not in NAME_PARTICLES else None
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
        if (reg.quote_set().holding(span.start_char) or _quoted(doc_text(reg.doc), span.start_char)) \
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
    particle = name.split()[0].lower() in NAME_PARTICLES  # "de Vries said", after "Anna de Vries"
    if len(name.split()) <= 2 and (name[:1].isupper() or particle) and (label != "GPE" or len(span) == 1):
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
    covered = SpanSet([])  # the outlet names taken so far, by position
    for _pos, what, obj in items:
        if what == "outlet":
            s, e, form = obj  # type: ignore[misc]
            if any(cs <= s and e <= ce for cs, ce in covered.overlapping(s, e)):
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
            covered.add((s, e))
        elif what == "desc":
            desc: Span = obj  # type: ignore[assignment]
            if any(a.source is not None and a.source.start <= desc.start_char < a.source.end for a in attributions):
                continue  # a source span: resolved with its attribution
            if reg.quote_set().holding(desc.start_char):
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
            near = covered.overlapping(sp_ent.start_char, sp_ent.end_char)
            if any(cs <= sp_ent.start_char and sp_ent.end_char <= ce for cs, ce in near):
                continue
            if near and sp_ent.label_ == "ORG":
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
    named_later(reg, attributions, source_of, recipient_of)
    merge_descriptions(reg, source_of, recipient_of)
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
