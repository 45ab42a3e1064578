"""Naming helpers of source resolution: registering a name as an entity (person, organisation, outlet,
place), titles and affiliations around a name, groups of named people, and the authors of documents.

Pure functions of the Doc and the registry; the resolvers (``resolve/resolvers.py``) decide when each applies.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from reportedly.lexicon import (
    context_only,
    doc_ents,
    doc_text,
    ents_between,
    first_name_gender,
    is_first_name,
    outlet_forms,
    outlet_matches,
    words,
)
from reportedly.resolve.coref import (
    in_quotes,
)
from reportedly.resolve.kinds import (
    ABBREV,
    Titles,
    add_titles,
    government_context_regex,
    govt_name,
    headline_case,
    kind_from_titles,
    name_kind,
    outlet_for,
    title_words,
    titled_kind,
    untitled,
)
from reportedly.resolve.registry import (
    NAME_PARTICLES,
    PERSON_KINDS,
    PERSON_NOUNS,
    Ent,
    Registry,
    clean_name,
    lex,
    span_head,
    state_names,
    title_places,
)

_DETS = {"the", "a", "an", "this", "that", "these", "those", "another", "one", "some", "two", "three", "several",
         "many", "most", "other", "others", "both", "all", "any", "each"}
FINDING_CUES = words("word_lists", "finding_cues")  # data/word_lists.json
OUTLET_CUES = words("word_lists", "outlet_cues")  # data/word_lists.json
CHANNEL_NOUNS = words("word_lists", "channel_nouns")  # data/word_lists.json


HEADLINE_VERBS = words("word_lists", "headline_verbs")  # data/word_lists.json
RELATIVE = {"who", "which", "that", "whom", "whose"}


def strip_det(span: Span) -> Span:
    i, j = span.start, span.end
    while i < j and (span.doc[i].lower_ in _DETS or span.doc[i].is_punct or span.doc[i].is_space):
        i += 1
    while j > i and (span.doc[j - 1].is_punct or span.doc[j - 1].is_space or span.doc[j - 1].tag_ == "POS"):
        j -= 1
    return span.doc[i:j]


def _name_places(doc: Doc, span: Span) -> set[str]:
    """The state after a name: "Sen. Ana Diaz (R-Texas)", "Sen. Tom Keller (I-Vt.)", "Hale of
    Massachusetts"."""
    tail = doc_text(doc)[span.end_char:span.end_char + 30]
    m = re.match(r"\s*\((?:R|D|I)-([A-Z][\w.]*(?: [A-Z][\w.]*)?)\)|\s+of\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)", tail)
    if m is None:
        return set()
    name = state_names().get((m.group(1) or m.group(2) or "").lower())
    return {"@" + name} if name else set()


def ents_in(doc: Doc, s: int, e: int, labels: set[str]) -> list[Span]:
    return [x for x in ents_between(doc, s, e) if x.label_ in labels]


def outlet_spans(doc: Doc, start: int) -> list[tuple[int, int, str]]:
    """Outlet-name matches that start at or after ``start`` (the whole-text scan is done once per Doc)."""
    matches = outlet_matches(doc)
    return matches[bisect.bisect_left(matches, (start, -1, "")):]


def _person_name(span: Span) -> Span | None:
    """The person's name in a span the tagger called an organisation: "Howard Keller" in a headline,
    "CLEVELAND - Mary Hale" after a dateline. A known first name followed by one or two capitalised
    words is a person's name, unless its last word makes it a body ("Emerson College", "Keller Foundation")
    or a plural ("Carolina Panthers", "Brooks Brothers"): many first names are also places and surnames."""
    toks = [t for t in span if not t.is_space]
    titles = lex("person_roles") | lex("official_titles") | set(ABBREV)
    if toks and (toks[-1].lower_ in _body_heads() or toks[-1].tag_ == "NNPS"):
        return _titled_name(toks, titles)
    for k, t in enumerate(toks[:3]):
        rest = toks[k:]
        if is_first_name(t.text.lstrip("-–—•*")) and 2 <= len(rest) <= 3 and all(
                r.text[:1].isupper() and r.is_alpha or r.text in ("-",) for r in rest[1:]) and (
                k == 0 or toks[k - 1].text in ("-", "—", "–", ":")
                or all(x.lower_ in titles for x in toks[:k])):  # "Pastor Tom Keller": a title, then the name
            return span.doc[rest[0].i:rest[-1].i + 1]
    return _titled_name(toks, titles)


@lru_cache(maxsize=1)
def _body_heads() -> frozenset[str]:
    return lex("organisation_heads") | lex("government_heads") | lex("outlet_heads")


def _titled_name(toks: list[Token], titles: frozenset[str] | set[str]) -> Span | None:
    """"Fire Chief Nadia Orlov", "Health Minister Ana Diaz": a title word, then one to three capitalised
    words (family-name particles allowed) that are no title and no organisation's head word, is a person's
    name, whatever the first name."""
    heads = lex("organisation_heads") | lex("government_heads") | lex("outlet_heads")
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
                key = clean_name(x.text)
                votes[key] = votes.get(key, 0) + (1 if x.label_ in _PLACE_LABELS else -1)
        doc.user_data["reportedly_place_votes"] = votes
    return votes.get(name, 0)


def _a_persons_name(doc: Doc, name: str) -> bool:
    """Is the name, or its last word, a person's name in this document: a known first name in it, or a
    longer name the tagger calls a person ending in it ("Hale" after "Mary Hale")?"""
    words = name.split()
    if any(is_first_name(w) for w in words):
        return True
    longest: dict[str, int] | None = doc.user_data.get("reportedly_person_surnames")
    if longest is None:  # last word -> most words of a person's name ending in it, once per document
        longest = {}
        for x in doc_ents(doc):
            parts = clean_name(x.text).split() if x.label_ == "PERSON" else []
            if parts:
                longest[parts[-1]] = max(longest.get(parts[-1], 0), len(parts))
        doc.user_data["reportedly_person_surnames"] = longest
    return longest.get(words[-1], 0) > len(words)


def _used_as_place(span: Span) -> bool:
    """Is a name the tagger calls a person used as a place? Tagged a place more often than a person in the
    document, or not a person's name elsewhere and either "the Danube" (no person takes a definite article),
    the object of a locative preposition ("in Oskar Vale", "near Izmail"; "faith in Keller" after "Tom
    Keller" stays a person) or right before an office ("Lakeside Mayor ...")."""
    root, doc = span.root, span.doc
    name = clean_name(span.text)
    if not name or _place_votes(doc, name) > 0:
        return bool(name)
    if root.tag_ == "NNPS" or _a_persons_name(doc, name):
        return False
    if root.dep_ == "compound" and root.head.lower_ in lex("official_titles") and root.head.i == span.end:
        return True  # "Lakeside Mayor Ana Diaz": the office's jurisdiction, like "Texas Sen."
    if root.dep_ in ("compound", "poss"):
        return False
    if span.start > 0 and doc[span.start - 1].lower_ == "the" and not name.endswith("s"):
        return True
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


def _person_tag_slip(reg: Registry, span: Span) -> tuple[Span, str]:
    """A span the tagger called a person, corrected: a place used as one, an outlet's or a platform's name,
    a headline verb run into the name ("Howard Keller Tells"), an organisation ("Our Principles PAC")."""
    if span.root.ent_type_ == "PERSON" and _used_as_place(span):  # the tagger's person
        return span, "GPE"
    if len(span) <= 3 and outlet_for(clean_name(span.text), reg, False) is not None:
        return span, "ORG"  # "Politico reported", "Gawker": an outlet's name the tagger took for a person
    if clean_name(span.text).lower() in lex("company_names"):
        return span, "ORG"  # "Twitter said": a platform, not a person
    while len(span) > 1 and (span[-1].tag_.startswith("VB") or span[-1].lower_ in HEADLINE_VERBS) and \
            headline_case(span[-1]):
        span = span[:-1]
    if span[-1].lower_ in lex("organisation_heads") | lex("government_heads") | {"pac", "inc", "llc"}:
        return span, "ORG"
    return span, "PERSON"


def _retag(reg: Registry, span: Span, label: str, mention: tuple[int, int]) -> tuple[Span, str, tuple[int, int]]:
    """The name span, its label and the mention after correcting the tagger (see ``_person_tag_slip``;
    an organisation that is a person's name, "CLEVELAND - Mary Hale", becomes that person)."""
    if label == "PERSON":
        span, label = _person_tag_slip(reg, span)
    if label in ("ORG", ""):
        pn = _person_name(span)
        if pn is not None and outlet_for(clean_name(span.text), reg, True) is None \
                and not govt_name(clean_name(span.text)):
            if mention == (span.start_char, span.end_char):  # the name itself, not a longer source span
                mention = (pn.start_char, pn.end_char)
            span, label = pn, "PERSON"
    return span, label, mention


def register_name(reg: Registry, span: Span, label: str, mention: tuple[int, int]) -> Ent | None:
    """Find or create the named entity for a name span (PERSON/ORG/GPE/outlet)."""
    span, label, mention = _retag(reg, span, label, mention)
    name = clean_name(span.text)
    if not name or not any(c.isalpha() for c in name):
        return None
    if label == "PERSON":
        return _register_person(reg, span, name, mention)
    return _family(reg, name, label, mention) or _known_surname(reg, span, name, label, mention) or _register_body(
        reg, span, name, label, mention)


@dataclass
class _PersonName:
    """The parts of a person's name as written: its words (without honorifics and suffixes), the full
    form, the surname, the first name, the gender an honorific or first name gives, and the honorific."""

    toks: list[str]
    full: list[str]
    surname: str
    first: str | None
    gender: str | None
    honor: bool


def _person_parts(reg: Registry, span: Span, name: str) -> _PersonName | None:
    toks = [t for t in name.split() if t[:1].isupper()]
    if not toks:
        return None
    before = doc_text(reg.doc)[max(0, span.start_char - 6):span.start_char] + " " + " ".join(toks[:1])
    honor = re.search(r"\b(Mr|Mrs|Ms|Miss)\b\.?", before)
    gender = None if honor is None else ("m" if honor.group(1) == "Mr" else "f")
    toks = [t for t in toks if t.rstrip(".") not in ("Mr", "Mrs", "Ms", "Miss", "Dr")] or toks
    full = toks
    while len(toks) > 1 and toks[-1].rstrip(".,") in ("Jr", "Sr", "II", "III", "IV"):
        toks = toks[:-1]  # "Paul R. Brandt Jr." is "Mr. Brandt"
    if gender is None and toks and len(toks) > 1:
        gender = first_name_gender(toks[0])
    surname = re.sub(r"(?:'s|’s)$", "", toks[-1]).lower()
    # "De Vries" after "Anna de Vries": a family-name particle is no first name
    first = toks[0].lower() if len(toks) > 1 and toks[0].lower() not in NAME_PARTICLES else None
    return _PersonName(toks, full, surname, first, gender, honor is not None)


def _known_person(reg: Registry, span: Span, pn: _PersonName) -> Ent | None:
    """The person already registered under this name: by surname (and first name), "Mr. Cho" after "Cho
    Min-seo", "Tom" after "Tom Keller", or "Adler" after an organisation "Ruth Adler"."""
    toks, surname = pn.toks, pn.surname
    ent = reg.find_person(surname, pn.first, pn.gender)
    if ent is None and len(toks) == 1 and re.search(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s*$",
                                                    doc_text(reg.doc)[max(0, span.start_char - 5):span.start_char]):
        # "Mr. Cho" after "Cho Min-seo": family name first
        ent = next((e for e in reg.ents if e.kind in PERSON_KINDS and e.named and len(e.name.split()) > 1
                    and e.name.split()[0].lower() == surname), None)
    if ent is None and len(toks) == 1 and is_first_name(toks[0]):
        # "Tom has a particular critique" after "Tom Keller": a first name alone
        firsts = [e for e in reg.ents if e.kind in PERSON_KINDS and e.named and len(e.name.split()) > 1
                  and e.name.split()[0] == toks[0]]
        ent = max(firsts, key=lambda e: e.last()) if firsts else None
    if ent is None and len(toks) == 1:
        # "An email from Ruth Adler" (tagged an organisation) ... "Adler, head of ...": one person
        ent = next((e for e in reg.ents if e.kind == "organisation" and e.named and e.outlet is None
                    and 2 <= len(e.name.split()) <= 3 and e.name.split()[-1].lower() == surname
                    and all(w[:1].isupper() for w in e.name.split()) and not e.heads & (
                        lex("organisation_heads") | lex("government_heads"))), None)
        if ent is not None:
            ent.kind, ent.surname, ent.heads = "person", surname, set()
    return ent


def _person_titles(reg: Registry, span: Span, pre: Span) -> Titles:
    """The titles this mention gives a person: the run before the name, an appositive, the state after it
    ("(R-Texas)"); none inside a quote (a courtesy), and government context from an agency's initials."""
    titles = title_words(pre)
    if len(pre) and pre.start > 0 and reg.doc[pre.start - 1].lower_ in (
            "a", "an") and pre[0].text[:1].isupper():
        titles = titles.no_office()  # "the prospects of a President Mary Hale"
    titles |= appositive_titles(span)
    titles.words |= title_places(reg.doc, pre.start_char, pre.end_char) | _name_places(reg.doc, span)
    if (reg.quote_set().holding(span.start_char) or in_quotes(doc_text(reg.doc), span.start_char)) \
            and not government_context_regex().search(pre.text.lower()):
        # "Secretary Hale called them out" in a rival's quote may be a courtesy for a past office ("FBI
        # Director Paul Brandt" names the office and counts); "Then-Sen. Hale" in a quote still counts
        titles = Titles(titles.words & {"former"})
    if any(t.text.isupper() and len(t.text) >= 2 and (body := reg.find_org(t.text)) is not None
           and body.kind == "government" for t in pre):
        titles.gov_context = True  # "GSA spokeswoman Lena Novak-Hahn" after "the General Services Administration"
    return titles


def _register_person(reg: Registry, span: Span, name: str, mention: tuple[int, int]) -> Ent | None:
    """A person's name: the person already named or a new one, with the titles and outlet this mention gives."""
    pn = _person_parts(reg, span, name)
    if pn is None:
        return None
    ent = _known_person(reg, span, pn)
    pre = _prefix(span)
    titles = _person_titles(reg, span, pre)
    if ent is None:
        kind = kind_from_titles(titles.words, titles.gov_context) or "person"
        ent = reg.new(" ".join(pn.full) if pn.honor else name, kind, mention, surname=pn.surname,
                      titles=titles.words, gov_context=titles.gov_context, gender=pn.gender)
    else:
        reg.add_mention(ent, mention)
        ent.gender = ent.gender or pn.gender
        if len(name) > len(ent.name) and len(name.split()) <= 4 and not pn.honor:
            ent.name = name
        add_titles(ent, titles)
        ent.kind = titled_kind(ent) or ent.kind
    _journalist_outlet(reg, ent, span, pre)
    return ent


_WRITES_AT = re.compile(r"\s*(?:,\s*)?(?:(wrote|writes|writing|has\s+written)\s+(?:in|for|at)|at|of|for|with)"
                        r"\s+(?:the\s+)?", re.I)


def _journalist_outlet(reg: Registry, ent: Ent, span: Span, pre: Span) -> None:
    """A journalist's outlet, and a person made a journalist by one: "CNN's Tom Keller", "X at the
    National Review agreed", "X wrote in The Washington Times"."""
    if ent.kind == "journalist" and ent.affiliation is None:
        ent.affiliation = affiliation_in(reg, pre) or appositive_affiliation(reg, span)
    if ent.kind == "person" and untitled(ent) and len(pre) and pre[-1].lower_ in ("'s", "’s", "'", "’"):
        outlet_id = affiliation_in(reg, pre)
        if outlet_id is not None:  # "CNN's Tom Keller", "the Post's Ana Diaz": the outlet's journalist
            ent.kind, ent.affiliation = "journalist", ent.affiliation or outlet_id
    after = doc_text(reg.doc)[span.end_char:span.end_char + 60]
    am = _WRITES_AT.match(after)
    if not (am and ent.kind == "person" and untitled(ent)):
        return
    rest = after[am.end():]
    # "at the National Review agreed"; "wrote in The Washington Times last week"
    end_ok = re.compile(r"\s*(?:[,.;:)]|$|\s+[a-z]+ed\b" + (r"|\s+[a-z]" if am.group(1) else "") + ")")
    o = next((o for f, os in outlet_forms().items() if rest.startswith(f) for o in os
              if f not in context_only() and end_ok.match(rest[len(f):])), None)
    if o is not None:
        ent.kind = "journalist"
        oe = reg.find_outlet(o)
        ent.affiliation = ent.affiliation or (oe.id if oe else None)


def _family(reg: Registry, name: str, label: str, mention: tuple[int, int]) -> Ent | None:
    """"The Novaks said" after "Lena Novak": her family, people."""
    if not re.fullmatch(r"[A-Z][a-z]+s", name) or label == "GPE":
        return None
    if reg.find_person(name[:-1].lower(), None) is None:
        return None
    prev = next((e for e in reg.ents if e.name == name and e.plural and e.kind == "person"), None)
    if prev is not None:
        reg.add_mention(prev, mention)
        return prev
    return reg.new(name, "person", mention, plural=True, heads={name.lower()})


def _known_surname(reg: Registry, span: Span, name: str, label: str, mention: tuple[int, int]) -> Ent | None:
    """"Adler wrote", "de Vries said": the tagger's place or organisation is the person of that surname
    named before."""
    particle = name.split()[0].lower() in NAME_PARTICLES  # "de Vries said", after "Anna de Vries"
    if not (len(name.split()) <= 2 and (name[:1].isupper() or particle) and (label != "GPE" or len(span) == 1)):
        return None
    person = reg.find_person(name.split()[-1].lower(), None)
    if person is not None and not outlet_for(name, reg, True):
        reg.add_mention(person, mention)
        return person
    return None


def _register_body(reg: Registry, span: Span, name: str, label: str, mention: tuple[int, int]) -> Ent:
    """An organisation, government body, place or outlet: the one already named, else a new one."""
    kind, outlet = name_kind(name, label, span_head(span), reg)
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
        if t.ent_type_ == "PERSON":  # "Sen. Tom Keller and Mary Hale": Keller's title is not Hale's
            break
        if t.pos_ in ("PROPN", "NOUN", "ADJ") or t.tag_ == "POS" or t.lower_ in (".", "-", "'s", "’s", "and"):
            i -= 1
            continue
        if i < span.start and (t.lower_ in ("then", "ex") and doc[i].text == "-" or (  # "then-Sen. Hale"
                t.lower_ == "of" and i - 2 >= sent_start and doc[i - 2].pos_ == "PROPN" and doc[i].pos_ == "PROPN")):
            i -= 1  # "then-Secretary of State Mary Hale"
            continue
        break
    if i < span.start:
        # the word before the name must hang on the name (or the name on it): not "The federal judge Hale
        # was referring to", where "judge" heads a clause whose subject is Hale
        # (or the run as a whole hangs on it: "by Secretary of State Paul Brandt", where "State" hangs on "of")
        t = doc[span.start - 1]
        tops = [u for u in doc[i:span.start] if not i <= u.head.i < span.start]
        if not (span.start <= t.head.i < span.end or span.root.head.i == t.i or t.is_punct or (
                tops and all(span.start <= u.head.i < span.end for u in tops)
                and not any(u.pos_ == "CCONJ" for u in doc[i:span.start]))):
            return doc[span.start:span.start]
    return doc[i:span.start]


def appositive_affiliation(reg: Registry, span: Span) -> str | None:
    """"Tom Keller, House editor for the Cook Political Report": the outlet in the appositive."""
    head = span_head(span)
    for c in head.children:
        if c.dep_ == "appos" and c.i >= span.end:
            sub = list(c.subtree)
            return affiliation_in(reg, span.doc[sub[0].i:sub[-1].i + 1])
    return None


def appositive_titles(span: Span) -> Titles:
    """The role a name's appositive gives ("Cho Min-seo, the secretary general of the United Nations")."""
    head = span_head(span)
    out = Titles()
    if headline_case(span[0]):  # "Dr. Paul Brandt: Mary Hale 'Not Fit To Serve As President'"
        return out
    doc = span.doc
    found = False
    for c in head.children:
        # "X, the foreign minister": right after a comma (or bracket), and not another person's name
        if c.dep_ == "appos" and c.i > head.i and c.ent_type_ != "PERSON" and span.end < len(doc) and \
                doc[span.end].text in (",", "(", "-", "—", "–") and c.i - span.end <= 8:
            sub = [t for t in c.subtree if t.i - c.i < 12]
            # up to another person's name or a clause ("... who previously worked for Sen. Ana Diaz")
            cut = next((k for k, t in enumerate(sub) if t.i > c.i and (
                t.ent_type_ == "PERSON" or t.tag_ in ("WDT", "WP", "WP$") or t.pos_ in ("VERB", "AUX"))), len(sub))
            while cut < len(sub) and cut > 1 and (sub[cut - 1].pos_ == "PROPN" or sub[cut - 1].lower_ in lex(
                    "former_markers")):
                cut -= 1  # "a staffer for Sen. Ana Diaz": the senator is Diaz
            out |= _role_words(sub[:cut])
            found = True
    if not found and span.end + 2 < len(doc) and doc[span.end].text == "," and (
            doc[span.end + 1].lower_ in ("the", "a", "an") or doc[span.end + 1].lower_ in role_lexicon()):
        # the parser missed the apposition ("Cho Min-seo, the secretary general of the United Nations, vowed"):
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
    # "Sen. Ana Diaz (R-Texas)"
    tail = doc_text(span.doc)[span.end_char:span.end_char + 12]
    if re.match(r"\s*\((?:R|D|I)-[A-Z]", tail):
        out.words.add("representative")
    return out


@lru_cache(maxsize=1)
def role_lexicon() -> frozenset[str]:
    return lex("official_titles") | lex("person_roles") | lex("journalist_titles")


def _role_words(toks: list[Token]) -> Titles:
    """Titles in an appositive ("the president's deputy national security adviser", "one of the president's
    closest aides"): a possessor's title is the possessor's, not the person's, but an official possessor
    is government context; plural roles count as singular ("one of ... aides")."""
    owned = {x.i for t in toks if t.dep_ == "poss" for x in t.subtree}
    own = [t for t in toks if t.i not in owned]
    out = title_words(own)
    out.words -= {"mr.", "mrs.", "ms.", "dr."}  # "a group set up to attack Mr. X"
    plural = [t for t in own if t.tag_ == "NNS" and t.lemma_.lower() in lex("official_titles")]
    out.words |= {t.lemma_.lower() for t in plural}
    if any(t.i in owned and t.lower_ in lex("official_titles") for t in toks) or (
            plural and government_context_regex().search(" ".join(t.lower_ for t in toks))):
        out.gov_context = True
    return out


def affiliation_in(reg: Registry, toks: Span) -> str | None:
    for m in outlet_spans(reg.doc, toks.start_char):
        if m[1] > toks.end_char:
            break
        o = outlet_for(m[2], reg, False)
        if o is not None:
            e = reg.find_outlet(o) or reg.new(o.name, "outlet", (m[0], m[1]), outlet=o)
            return e.id
    return None


def source_parts(doc: Doc, s: int, e: int) -> Span | None:
    return doc.char_span(s, e, alignment_mode="expand")


_QA_LINE = re.compile(r"^(Q|A)(?:\s*[:.]|(?=[A-Z“\"]))", re.M)  # "Q: ...", "QThere's ..."


def interviewee(reg: Registry, word: str, pos: int) -> Ent | None:
    """In a question-and-answer transcript ("Q: ... A: ..."), "I" in an answer and "you" in a question are
    the person interviewed: the one named in the title ("Q&A with Vice President Paul Brandt")."""
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
    return register_name(reg, named[0], "PERSON", (named[0].start_char, named[0].end_char))


def cue_speaker(core: Span) -> Token | None:
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


_COLLECTIVES = frozenset({"group", "coalition", "handful", "band", "bunch", "collection"})


def group_of_people(head: Token) -> bool:
    """"a group of liberal Rabbis", "A group of 67 Latin American artists, writers ...": an unnamed set of
    people is no organisation (unlike "a coalition of nearly 40 groups")."""
    if head.lemma_.lower() not in _COLLECTIVES:
        return False
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if noun is None or noun.tag_ not in ("NNS", "NNPS"):
        return False
    people = PERSON_NOUNS | role_lexicon() | lex("anonymous_heads") | lex("journalist_titles") | {
        "rabbi", "artist", "writer", "actor", "scientist", "politician", "parent", "contributor", "donor"}
    return noun.lemma_.lower() in people or noun.lower_.rstrip("s") in people


def along_with(reg: Registry, doc: Doc, span: Span, head: Token) -> Ent | None:
    """"Fields, along with Washington Post reporter Tom Keller, say": a known person (a surname the tagger
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
        first = register_name(reg, p, "PERSON", (p.start_char, p.end_char)) if p is not None else None
    companion = _person_in(doc, span, withs[0])
    second = None if companion is None else register_name(
        reg, companion, "PERSON", (companion.start_char, companion.end_char))
    if first is None or companion is None or second is None or first is second:
        return None
    add_titles(second, title_words(_prefix(companion)))
    second.kind = titled_kind(second) or second.kind
    return group_entity(reg, [first, second], span)


def _companions(tok: Token, span: Span) -> list[Token]:
    """The people named in "along with X" / "together with X" hanging on ``tok``, inside ``span``."""
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("along", "together")
            for w in c.children if w.lower_ == "with" for g in w.children
            if g.dep_ == "pobj" and g.ent_type_ == "PERSON" and span.start <= g.i < span.end]


def _person_in(doc: Doc, span: Span, tok: Token) -> Span | None:
    """The PERSON entity inside ``span`` that covers ``tok``."""
    return next((p for p in ents_in(doc, span.start_char, span.end_char, {"PERSON"}) if p.start <= tok.i < p.end),
                None)


def included_kind(reg: Registry, doc: Doc, head: Token, span: Span) -> str | None:
    """The kind shared by the named people an unnamed group is said to include ("others, including Sen. X
    and Rep. Y"), when they share an official or journalist kind."""
    inc = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("including", "like")]
    if not inc:
        return None
    kinds = set()
    for p in ents_in(doc, inc[0].idx, span.end_char, {"PERSON"}):
        m = register_name(reg, p, "PERSON", (p.start_char, p.end_char))
        if m is not None:
            kinds.add(m.kind)
    return kinds.pop() if len(kinds) == 1 and kinds <= {"official", "journalist"} else None


def subject_group(reg: Registry, doc: Doc, pron: Token) -> Ent | None:
    """"Mary Hale and Senator Ana Diaz held ... as they sought": "they" after a subject of
    named people joined by "and" is that group."""
    subj = last_subject(doc, pron)
    if subj is None or subj.ent_type_ != "PERSON":
        return None
    conj = [c for c in subj.subtree if c.dep_ == "conj" and c.ent_type_ == "PERSON" and c.i < pron.i]
    if not conj:
        return None
    return person_group(reg, doc, doc[subj.left_edge.i:conj[-1].i + 1], subj)


def title_run(p: Span, span: Span) -> bool:
    """"Former Secretary of State and Democratic presidential frontrunner Mary Hale": a name that ends
    the span after nothing but title words (the parser's tree for such runs is often wrong)."""
    doc = span.doc
    rest = [t for t in doc[p.end:span.end] if not (t.is_punct or t.is_space)]
    if rest and not re.match(r"\s*\((?:R|D|I)-", doc_text(doc)[p.end_char:p.end_char + 6]):
        return False
    pre = [t for t in doc[span.start:p.start] if not t.is_space]
    return bool(pre) and all(t.pos_ in ("PROPN", "ADJ", "NOUN", "CCONJ") or t.lower_ in ("of", "-", ".")
                             or (k == 0 and t.lower_ == "the") for k, t in enumerate(pre)) and any(
        t.lower_ in role_lexicon() for t in pre)


def titled_conj(p: Span, head: Token, span: Span) -> bool:
    """"Former prosecutor and New York City Mayor Paul Brandt": titles joined by "and" before one name
    (the parser makes the name a conjunct of the first title); not "the lawyer for Smith and Jones"."""
    return p.root.dep_ == "conj" and p.root.head.i == head.i and head.lemma_.lower() in (
        lex("official_titles") | lex("person_roles") | lex("journalist_titles")) and not any(
        t.pos_ in ("DET", "ADP", "PRON") or t.ent_type_ == "PERSON" for t in span.doc[span.start:p.start])


def person_group(reg: Registry, doc: Doc, span: Span, head: Token) -> Ent | None:
    """"Hale and Brandt", "Mr. Keller and Mr. Diaz": named people joined by "and" speak as one
    plural source, named after its members, of the members' kind when they share one (else person)."""
    persons = ents_in(doc, span.start_char, span.end_char, {"PERSON"})
    if len(persons) < 2:
        return None
    text = doc_text(doc)
    joint = re.compile(r"\s*(?:,|,?\s*and|&)\s*(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Senator|Representative)\.?\s*)?$")
    along = re.compile(r"\s*,?\s*(?:along|together)\s+with\s+")

    def joined(between: str) -> bool:
        if joint.match(between):
            return True
        m = along.match(between)  # "Fields, along with Washington Post reporter Tom Keller"
        return m is not None and all(w[:1].isupper() or w.lower() in role_lexicon()
                                     for w in between[m.end():].split())

    if not all(joined(text[p.end_char:q.start_char]) for p, q in zip(persons, persons[1:], strict=False)):
        return None
    # the group is the whole source, not a name inside it ("the lawyer for Smith and Jones")
    lead = text[span.start_char:persons[0].start_char].strip()
    if span.end_char - persons[-1].end_char > 2 and not re.match(r"\s*\(", text[persons[-1].end_char:]):
        return None
    if lead and not re.fullmatch(r"(?:[A-Z][\w.]*\.?\s*|the\s+|[Ss]ens?\.\s*|[Rr]eps?\.\s*)+", lead + " ") and not (
            # "Democratic presidential candidates Mary Hale and Tom Keller": a plural role before them
            all(t.text[:1].isupper() or t.lower_ == "the" or t.pos_ == "ADJ" or t.lemma_.lower() in role_lexicon()
                for t in doc[span.start:persons[0].start]) and doc[persons[0].start - 1].tag_ == "NNS") and not (
            # "Two objectors, Paul Brandt and Lena Novak,", "the two leading Republicans, Mary J. Hale and
            # Senator Ana Diaz,": a plural noun phrase, then the names in apposition
            _plural_lead(doc[span.start:persons[0].start])):
        return None
    members: list[Ent] = []
    for p in persons:
        m = register_name(reg, p, "PERSON", (p.start_char, p.end_char))
        if m is None or m in members:
            return None
        add_titles(m, title_words(_prefix(p)))
        m.kind = titled_kind(m) or m.kind
        members.append(m)
    return group_entity(reg, members, span)


def _plural_lead(lead: Span) -> bool:
    """Is ``lead`` a bare plural noun phrase ending in a comma ("Two objectors,", "the two leading Republicans,"),
    with no verb, preposition or clause that would make the names something else than its members?"""
    toks = [t for t in lead if not t.is_space]
    if len(toks) < 2 or toks[-1].text != "," or toks[-2].tag_ not in ("NNS", "NNPS"):
        return False
    return all(t.pos_ in ("DET", "NUM", "ADJ", "NOUN", "PROPN") or t.tag_ in ("POS", "VBG", "VBN") for t in toks[:-1])


def group_entity(reg: Registry, members: list[Ent], span: Span) -> Ent:
    """The plural entity of named members, of their shared kind (else person), found again when it exists."""
    name = " and ".join(m.name for m in members)
    kinds = {m.kind for m in members}
    kind = kinds.pop() if len(kinds) == 1 else "person"
    shared = Titles(set.intersection(*(m.titles for m in members)) if members else set(),
                    bool(members) and all(m.gov_context for m in members))
    prev = next((e for e in reg.ents if e.name == name and e.plural), None)
    if prev is not None:
        prev.kind = kind
        add_titles(prev, shared)
        return prev
    return reg.new(name, kind, (span.start_char, span.end_char), plural=True,
                   heads={m.surname or "" for m in members} - {""}, titles=shared.words,
                   gov_context=shared.gov_context)


_WHEN = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL"})
_ABOUT_DOCS = frozenset({"record", "records", "return", "returns", "file", "files", "dossier", "profile",
                         "biography", "obituary", "résumé", "resume"})


def author_of(head: Token, span: Span) -> tuple[int, int] | None:
    """Who wrote or published a document: its possessor, a name compound, or "by"/"from" X."""
    for c in head.children:
        if not (span.start <= c.i < span.end):
            continue
        if c.dep_ == "poss" and c.ent_type_ not in _WHEN:  # not "Last year's FBI statistics"
            if head.lemma_.lower() in _ABOUT_DOCS or head.lower_ in _ABOUT_DOCS:
                return None  # "her medical records", "Hale's tax returns": about the owner, not by the owner
            return c.left_edge.idx, c.idx + len(c)
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs and (c.lower_ == "by" or objs[0].pos_ in ("PROPN", "PRON") or objs[0].ent_type_ in (
                    "ORG", "PERSON", "GPE") or objs[0].lemma_.lower() in role_lexicon() | PERSON_NOUNS | lex(
                    "organisation_heads") | lex("government_heads")):
                o = objs[0]  # "records from the 2008 presidential election cycle" name no author
                return o.left_edge.idx, o.right_edge.idx + len(o.right_edge)
    names = [c for c in head.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"
             and span.start <= c.i < span.end]
    if names:
        lo = min(t.left_edge.i for t in names)
        hi = max(t.i for t in names)
        return span.doc[lo].idx, span.doc[hi].idx + len(span.doc[hi])
    return None


def implicit_author(head: Token) -> tuple[int, int] | None:
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


def last_subject(doc: Doc, pron: Token) -> Token | None:
    """The nearest subject noun before a pronoun, in its sentence or the one before."""
    sent = pron.sent
    toks = list(doc[sent.start - 1].sent) + list(sent) if sent.start > 0 else list(sent)
    cands = [t for t in toks if t.i < pron.i and t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN")]
    return cands[-1] if cands else None
