"""Coreference for source mentions: which entity already in the registry a pronoun ("he", "its"), a definite
description ("the senator", "the bank"), a headline's role ("Judge blocks ...") or a late surname points to.

Rules read the parse (subjects, clauses, sentences, paragraphs) and the registry; each is a pure function of
the Doc and the entities seen so far. Mentions that need a new entity are resolved in ``sources.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from reportedly.extract.marks import quote_marks
from reportedly.lexicon import doc_text, words
from reportedly.model import Attribution
from reportedly.resolve.kinds import untitled
from reportedly.resolve.registry import (
    NAME_PARTICLES,
    PERSON_KINDS,
    PERSON_NOUNS,
    PRONOUNS,
    Ent,
    Registry,
    clean_name,
    gender_of,
    lex,
    place_clash,
    span_head,
    title_places,
)

_PRONOUN_REACH = 2500  # characters: a he/she looks no further back for its antecedent


def pronoun_target(reg: Registry, word: str, pos: int, sources_before: list[Ent]) -> Ent | None:
    g = PRONOUNS.get(word.lower())
    if g is None:
        return None
    if g in ("m", "f"):
        def fits(e: Ent) -> bool:
            if e.kind in PERSON_KINDS:
                return gender_of(e, reg.doc) in (None, g) and not e.plural  # "she" is not a group
            return e.kind == "anonymous" and not e.plural and bool(e.heads & PERSON_NOUNS) and e.gender in (None, g)

        # Only mentions within _PRONOUN_REACH before the pronoun can be its antecedent, so only those (and the
        # contents around them) are looked at: a scan of every mention and every content per pronoun made long
        # articles quadratic (cubic in the worst case) for the same answer.
        lo = pos - _PRONOUN_REACH
        quoted = [(cs, ce) for cs, ce in reg.content_set().overlapping(lo, pos) if not cs <= pos < ce]

        near: dict[int, tuple[Ent, list[int]]] = {}  # entity -> its mentions in reach, from the position index
        for ms, _, e in reg.mentions_in(lo + 1, pos):
            if ms not in reg.deictic:
                near.setdefault(id(e), (e, []))[1].append(ms)

        # the most recent speaker or narrative mention; people talked about inside quotes do not count
        def last_free(ms_list: list[int]) -> int:
            return max((ms for ms in ms_list if not any(cs <= ms < ce for cs, ce in quoted)), default=-1)

        def last_strong(ms_list: list[int]) -> int:
            return last_free([ms for ms in ms_list if ms in reg.strong])

        # subjects and speakers first ("X told reporters ... down the river. She said"), then any mention
        def last_any(ms_list: list[int]) -> int:
            return max(ms_list, default=-1)

        cands = [(ms_list, e) for e, ms_list in sorted(near.values(), key=lambda x: reg.rank(x[0])) if fits(e)]
        for score in (last_strong, last_free, last_any):
            ranked = sorted(((score(ms_list), e) for ms_list, e in cands), key=lambda x: -x[0])
            ranked = [(p, e) for p, e in ranked if p >= 0]
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


@dataclass(frozen=True)
class _Description:
    """A definite description ("the senator", "the ministry") being resolved, and what every step reads."""
    reg: Registry
    head: Token
    span: Span
    pos: int
    lemma: str
    low: str
    before: list[Ent]  # the entities it may point back to, most recently mentioned first

    def titled(self, e: Ent) -> bool:
        """Does ``e`` hold the description's head as a title?"""
        return self.lemma in e.titles or self.low in e.titles


def nominal_target(reg: Registry, head: Token, span: Span, pos: int, skip: Ent | None = None) -> Ent | None:
    """"the ministry" -> the Ministry of Defence; "the Post" -> the New York Post; "the senator" -> Sen. X.
    The steps of ``NOMINAL_STEPS`` are asked in order; the first that finds an entity decides."""
    places = title_places(reg.doc, span.start_char, span.end_char)  # "the Texas senator" is not Sen. X (I-Vt.)
    before = [e for e in reg.before(pos) if e is not skip and not place_clash(e, places)
              and any(ms not in reg.deictic for ms, _ in e.mentions)]  # not the author, known only as "I"
    d = _Description(reg, head, span, pos, head.lemma_.lower(), head.lower_, before)
    for step in NOMINAL_STEPS:
        found = step(d)
        if found is not None:
            return found
    return None


def _fresh_subject(d: _Description) -> Ent | None:
    """"X sought to lift the mood ... the senator said": a bare role right after a sentence whose subject is a
    person the article gave no title yet is that person, not an older holder of the title."""
    head, reg = d.head, d.reg
    bare = [t for t in d.span if t.lower_ != "the"] == [head] and head.i > 0 and reg.doc[head.i - 1].lower_ == "the"
    if d.lemma not in lex("official_titles") - lex("weak_titles") or head.tag_ != "NN" or not bare \
            or head.sent.start == 0:
        return None
    lo = reg.doc[head.sent.start - 1].sent.start_char
    para = doc_text(reg.doc).rfind("\n", 0, d.pos) + 1
    lo = para if d.pos - 500 <= para < lo else lo  # 'chants of "X! X!," the senator': the paragraph
    holders = [e for e in d.before if d.titled(e) and any(lo <= ms < d.pos for ms, _ in e.mentions)]
    fresh = [e for e in d.before if e.kind == "person" and e.named and not e.plural and untitled(e)
             and any(lo <= ms < d.pos and ms in reg.strong and in_same_quote(reg, ms, d.pos) for ms, _ in e.mentions)]
    if not fresh or holders or _introduced_since(d, lo):
        return None
    return fresh[0]


def _introduced_since(d: _Description, lo: int) -> bool:
    """Was the role introduced with "a"/"an" between ``lo`` and the description? ("He implied a federal judge
    ... the judge": the judge is the one just introduced, not the sentence's subject)"""
    span = d.reg.doc.char_span(lo, d.head.idx, alignment_mode="expand")
    return span is not None and any(t.lemma_.lower() == d.lemma and t.i < d.head.i and any(
        c.lower_ in ("a", "an") and c.dep_ == "det" for c in t.children) for t in span)


def _earlier_mention(d: _Description) -> Ent | None:
    """The latest entity the description repeats: an unnamed one with that head, a named body with that word in
    its name ("the bank" -> "First National Bank"), or a person with that title mentioned lately."""
    for e in d.before:
        if not e.named:
            if d.lemma in e.heads or d.low in e.heads:
                return e
            continue
        name_words = {w.lower().strip(",.") for w in e.name.split()}
        if e.kind not in PERSON_KINDS and (d.low in name_words or d.lemma in name_words) and d.head.pos_ in (
                "NOUN", "PROPN"):
            return e
        if e.kind in PERSON_KINDS and d.titled(e) and e.last() >= d.pos - 1200:
            return e  # not a senator named in passing sections ago ("Recall Sen. X ...")
    return None


def _is_past(d: _Description) -> bool:
    """"the former secretary": a past office, found only by title."""
    return any(t.lower_ in lex("former_markers") for t in d.span)


def _role_holder(d: _Description) -> Ent | None:
    """"the candidate", "the senator": the person last seen as a subject or speaker ("X met the mayor ... The
    candidate said"), else the latest person named nearby. "the attorney general of the state of New York" names
    an office, it does not point back; a journalist is not the candidate ("hosts X and Y, the presidential
    candidate"), nor the candidate a journalist."""
    if d.lemma not in lex("official_titles") | lex("person_roles") or d.head.tag_ == "NNS" \
            or of_a_named(d.head) or _is_past(d):
        return None
    recent = [e for e in d.before if e.kind in PERSON_KINDS and e.named and e.last() >= d.pos - 600
              and (e.kind == "journalist") == (d.lemma in lex("journalist_titles"))]
    return _last_speaker(d.reg, recent, d.pos) or (recent[0] if recent else None)


def _past_office_holder(d: _Description) -> Ent | None:
    """"The former secretary of state mocked the president": a past office points back to the person (no office
    now) last seen as a subject or speaker, never to a sitting office holder; not "the former top aide to
    President X", who is somebody else's aide."""
    if not _is_past(d) or d.lemma not in lex("official_titles") or d.head.tag_ == "NNS" or of_a_named(d.head) \
            or any(c.dep_ == "prep" and c.lower_ in ("to", "for", "with") for c in d.head.children):
        return None
    recent = [e for e in d.before if e.kind == "person" and e.named and not e.plural and e.last() >= d.pos - 600]
    return _last_speaker(d.reg, recent, d.pos)


_GENERIC_HEADS = {"outlet": "generic_outlet_heads", "government": "generic_government_heads",
                  "organisation": "generic_organisation_heads"}  # kind -> its word list in data/word_lists.json


@cache
def generic_kinds() -> dict[str, str]:
    """Generic head word -> the kind of entity it stands for ("the newspaper" an outlet, "the bank" an
    organisation), from the word lists (kept as data so a head word can be added without touching the rules)."""
    return {w: kind for kind, key in _GENERIC_HEADS.items() for w in words("word_lists", key)}


def _generic_head(d: _Description) -> Ent | None:
    """"the company", "the ministry": the latest named entity of the kind the head word stands for."""
    want = generic_kinds().get(d.lemma)
    return next((e for e in d.before if e.kind == want and e.named), None) if want else None


NOMINAL_STEPS: tuple[Callable[[_Description], Ent | None], ...] = (
    _fresh_subject, _earlier_mention, _role_holder, _past_office_holder, _generic_head)


def _last_speaker(reg: Registry, people: list[Ent], pos: int) -> Ent | None:
    """Of ``people``, the one last seen as a subject or speaker within 600 characters before ``pos``."""
    strong = [(max((m for m, _ in e.mentions if m < pos and m in reg.strong), default=-1), e) for e in people]
    strong = [(m, e) for m, e in strong if m >= pos - 600]
    return max(strong, key=lambda x: x[0])[1] if strong else None


def subject_above(e: Ent, tok: Token) -> bool:
    """Is ``e`` the subject of a verb that governs ``tok``? "the candidate implied the judge ... was biased":
    the judge in the candidate's own clause is somebody else."""
    for rel in tok.children:  # "The federal judge X was referring to": X is not the judge
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


def of_a_named(head: Token) -> bool:
    """Does the noun name its institution ("the attorney general of the state of New York", "the secretary
    general of the United Nations"), not "the former secretary of state"?"""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        g.dep_ == "pobj" and (g.ent_type_ in ("GPE", "ORG") or any(d.dep_ == "det" for d in g.children))
        for g in c.children) for c in head.children)


def _relink(reg: Registry, a: Attribution, old: Ent, new: Ent, source_of: dict[str, str],
            recipient_of: dict[str, str]) -> None:
    """Move an attribution's source from ``old`` to ``new`` (the span becomes a mention of ``new``), and drop
    ``old`` when nothing else refers to it: the late coreference passes share this step."""
    assert a.source is not None
    reg.add_mention(new, (a.source.start, a.source.end))
    source_of[a.id] = new.id
    if len(old.mentions) <= 1 and old.id not in source_of.values() and old.id not in recipient_of.values():
        reg.drop(old)


def late_surnames(reg: Registry, attributions: list[Attribution], source_of: dict[str, str],
                   recipient_of: dict[str, str], start: int) -> None:
    """A bare surname that speaks before the person is named ("X: FBI director ..." in a headline,
    an unknown word in the body) is the person of that surname named later in the article."""
    by_id = {e.id: e for e in reg.ents}
    for a in attributions:
        ent = by_id.get(source_of.get(a.id, ""))
        if a.source is None or ent is None or ent.kind in PERSON_KINDS or ent.outlet is not None:
            continue
        if not (a.source.start < start or (ent.kind == "anonymous" and not ent.named)):
            continue
        word = clean_name(a.source.text)
        parts = word.split()
        if len(parts) == 2 and parts[0].lower() in NAME_PARTICLES:
            word = parts[1]  # "De X: Trust the chief ..." before "Mayor Y de X"
        if not re.fullmatch(r"[A-Z][a-z][\w'’-]*", word) or word.lower() in PRONOUNS:
            continue
        person = reg.find_person(word.lower(), None)
        if person is None:
            continue
        _relink(reg, a, ent, person, source_of, recipient_of)


def _lead_people(reg: Registry, start: int, subjects: bool) -> list[Ent]:
    """Named people of the body's first three sentences, in text order (with ``subjects``, only those that
    are a sentence's subject): whom a headline's role or pronoun stands for."""
    doc = reg.doc
    first = next((t for t in doc if t.idx >= start), None)
    if first is None:
        return []
    sents = [first.sent]
    while len(sents) < 3 and sents[-1].end < len(doc):
        sents.append(doc[sents[-1].end].sent)
    out: list[Ent] = []
    for t in (t for sent in sents for t in sent):
        if t.idx < start or (subjects and t.dep_ not in ("nsubj", "nsubjpass")):
            continue
        for e in reg.ents:
            if e.kind in PERSON_KINDS and e.named and not e.plural and e not in out and any(
                    ms <= t.idx < me for ms, me in e.mentions):
                out.append(e)
    return out


def headline_roles(reg: Registry, attributions: list[Attribution], source_of: dict[str, str],
                    recipient_of: dict[str, str], start: int) -> None:
    """"Judge blocks state law" ... "U.S. District Judge X": a headline's unnamed
    singular role is the person of the lead who holds that title; a headline's "he"/"she" is the lead's
    subject. Nothing is guessed when the lead names nobody with that title ("Union chief says X can win")."""
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
        head = span_head(sp)
        word, lemma = head.lower_, head.lemma_.lower()
        g = PRONOUNS.get(word)
        if g in ("m", "f"):
            cands = [e for e in _lead_people(reg, start, subjects=True)[:1] if gender_of(e, reg.doc) in (None, g)]
        elif head.tag_ in ("NNS", "NNPS"):
            continue  # "Republicans", "Millennials": a group, nobody in particular
        else:
            cands = [e for e in _lead_people(reg, start, subjects=False) if word in e.titles or lemma in e.titles]
        if not cands:
            continue
        lead = cands[0]
        _relink(reg, a, ent, lead, source_of, recipient_of)


def in_same_quote(reg: Registry, a: int, b: int) -> bool:
    """Are two character offsets both outside every quote, or inside the same one? A pronoun inside a quote
    does not point at the speaker's name outside it ("'He is a liar,' X said")."""
    return reg.quote_set().holding(a) == reg.quote_set().holding(b)


def person_at(reg: Registry, head: Token, g: str) -> Ent | None:
    """The person entity with a mention over ``head`` (not a modifier: "The X family's outlets") whose gender does
    not clash with ``g``."""
    for e in reg.ents:
        if e.kind in PERSON_KINDS and not e.plural and any(ms <= head.idx < me for ms, me in e.mentions) \
                and gender_of(e, reg.doc) in (None, g):
            return e
    return None


def in_quotes(text: str, pos: int) -> bool:
    """Is ``pos`` inside a quotation (an odd number of quote marks between the paragraph's start and it)?"""
    marks = quote_marks(text)  # counts from the line's start by bisection: linear on one-line articles
    return sum(marks.before(m, pos) for m in ('"', "''", "“", "”")) % 2 == 1


def previous_sentence_person(reg: Registry, pron: Token) -> Ent | None:
    """"But the race seemed to be X's to lose. At his stops Monday, he did not ...": when the sentence
    before names exactly one person of the pronoun's gender as a subject or possessor, outside quotes, and
    nobody else could be meant, the pronoun continues that person rather than the paragraph's earlier
    speaker. Any doubt (another candidate in this sentence, an earlier "she" that carries the topic, a subject
    nobody registered) leaves the pronoun to the recency rule."""
    g = PRONOUNS[pron.lower_]
    sent = pron.sent
    if sent.start == 0:
        return None
    doc = reg.doc
    prev = doc[sent.start - 1].sent
    text = doc_text(doc)
    # only mentions around the previous sentence and this one matter: found by position, not by a full scan
    people = [(ms, me, e) for ms, me, e in reg.mentions_over(prev.start_char, pron.idx) if e.kind in PERSON_KINDS]
    starts = {ms for ms, _, _ in reg.mentions_in(prev.start_char, prev.end_char)}
    if any(t.lower_ in PRONOUNS and PRONOUNS[t.lower_] == g and t.idx not in starts for t in prev):
        return None  # "... she joined the X administration": an earlier "she" carries the topic on
    for t in doc[prev.start:pron.i]:
        if t.dep_ in ("nsubj", "nsubjpass") and (t.pos_ == "PROPN" or t.lemma_.lower() in PERSON_NOUNS) and not any(
                ms <= t.idx < me for ms, me, _ in people):
            return None  # "X was among ...", "the Kentucky Republican": someone nobody registered

    def fits(e: Ent) -> bool:
        return not e.plural and e.named and gender_of(e, doc) in (None, g)

    if any(sent.start_char <= ms < pron.idx and fits(e) for ms, _, e in people):
        return None  # "..., X would have a path ..., which he declared": two candidates

    def counts(ms: int, me: int) -> bool:
        sp = doc.char_span(ms, me, alignment_mode="expand")
        if sp is None or not len(sp) or sp.root.dep_ not in ("nsubj", "nsubjpass", "poss", "attr"):
            return False  # its subjects and possessors, not "Like X, ..." nor "the X administration"
        end = text.find("\n", me)
        line = text[text.rfind("\n", 0, ms) + 1:end if end >= 0 else len(text)]
        return (ms not in reg.deictic and not in_quotes(text, ms)
                and line.strip(" .,") != text[ms:me])  # "Jane Doe." signs the letter before this one

    found = {e.id: e for e in {id(e): e for _, _, e in reg.mentions_in(prev.start_char, sent.start_char)}.values()
             if e.kind in PERSON_KINDS and fits(e)
             and any(prev.start_char <= ms < sent.start_char and counts(ms, me) for ms, me in e.mentions)}
    return next(iter(found.values())) if len(found) == 1 else None


_ROLE_ALIASES = {"doctor": {"dr.", "dr", "physician"}, "physician": {"dr.", "dr", "doctor"},
                 "attorney": {"lawyer"}, "lawyer": {"attorney"}}


def _introduced(doc: Doc, e: Ent, lo: int, hi: int, quals: set[str]) -> bool:
    """Is ``e`` first mentioned between ``lo`` and ``hi``, in a sentence that repeats one of ``quals``?"""
    first = min(ms for ms, _ in e.mentions)
    if not lo <= first < hi:
        return False
    tok = doc.char_span(first, first + 1, alignment_mode="expand")
    where = tok.sent.text.lower() if tok is not None and len(tok) else ""
    return not quals or any(q in where for q in quals)


def named_later(reg: Registry, attributions: list[Attribution], source_of: dict[str, str],
                recipient_of: dict[str, str]) -> None:
    """"The move took place despite warnings from his attorney ... An attorney for X, Y Z, stressed
    ...": an unnamed single role that speaks is the person the next two sentences introduce with that
    role, when exactly one such person is introduced there (somebody named before is not a new introduction)."""
    doc = reg.doc
    by_id = {e.id: e for e in reg.ents}
    for a in attributions:
        ent = by_id.get(source_of.get(a.id, ""))
        if a.source is None or ent is None or ent.named or ent.plural or ent.kind != "anonymous":
            continue
        sp = doc.char_span(a.source.start, a.source.end, alignment_mode="expand")
        if sp is None or not len(sp):
            continue
        head = span_head(sp)
        role = head.lemma_.lower()
        if head.tag_ != "NN" or role not in PERSON_NOUNS | lex("official_titles") | lex("person_roles") \
                | lex("journalist_titles") or role in ("source", "person", "man", "woman"):
            continue
        sent = head.sent
        end = sent.end
        for _ in range(2):
            if end < len(doc):
                end = doc[end].sent.end
        hi = doc[end - 1].idx + len(doc[end - 1]) if end > 0 else 0
        if any(t.dep_ == "cc" or t.ent_type_ == "PERSON" for t in sp):
            continue  # a group ("the president and ministers"), or a name already there
        names = {role} | _ROLE_ALIASES.get(role, set())
        # "a spokesperson for the Parks Department" is not "X spokesperson Y": the names that
        # qualify the role must come back where the person is introduced
        quals = {t.lower_ for t in sp if t.pos_ == "PROPN" and t.i != head.i}
        found = [e for e in reg.ents if e.kind in PERSON_KINDS and e.named and not e.plural and e.titles & names
                 and _introduced(doc, e, a.source.end, hi, quals)]
        if len(found) != 1:
            continue
        person = found[0]
        _relink(reg, a, ent, person, source_of, recipient_of)


_KEY_STOP = frozenset({"the", "a", "an", "of", "for", "at", "from", "'s", "’s", "its", "their", "this", "that"})


def _description_key(e: Ent) -> frozenset[str]:
    """The words of an unnamed description, order and function words aside: "a spokesperson for the ministry"
    and "a ministry spokesperson" give the same key."""
    return frozenset(w for w in re.findall(r"[\w'’]+", e.name.lower()) if w not in _KEY_STOP)


def _merge(reg: Registry, old: Ent, new: Ent, source_of: dict[str, str], recipient_of: dict[str, str]) -> None:
    """Make ``old`` a set of mentions of ``new``: one entity, one source row."""
    for s, e in old.mentions:
        reg.add_mention(new, (s, e))
    for table in (source_of, recipient_of):
        for k, v in table.items():
            if v == old.id:
                table[k] = new.id
    for x in reg.ents:
        if x.affiliation == old.id:
            x.affiliation = new.id
    reg.ents.remove(old)


def merge_descriptions(reg: Registry, source_of: dict[str, str], recipient_of: dict[str, str]) -> None:
    """Canonical names within one article. A definite description of a government body ("the ministry", "the
    country's water ministry") is the one named government body whose name has its head word ("Ministry of
    Water Resources"), even when the name comes later; two unnamed descriptions with the same words ("a spokesperson
    for the ministry", "a ministry spokesperson") are one source."""
    text = doc_text(reg.doc)
    for e in list(reg.ents):
        head = e.name.split()[-1].lower() if e.name.split() else ""
        if e.named or e.plural or e.kind != "government" or head not in lex("government_heads"):
            continue  # a singular government body ("the ministry"), not "companies" nor "her group"
        if not all(re.match(r"(?i)the\b", text[s:t]) for s, t in e.mentions):
            continue  # only definite descriptions: "a ministry" or "his department" may be another one
        named = [x for x in reg.ents if x.named and x.kind == e.kind and head.capitalize() in x.name.split()]
        if len(named) == 1:  # the head is part of a proper name ("Ministry of ..."), not "Mr. X company"
            _merge(reg, e, named[0], source_of, recipient_of)
    first: dict[tuple[str, frozenset[str]], Ent] = {}
    for e in list(reg.ents):
        key = _description_key(e)
        if e.named or len(key) < 2:
            continue
        keep = first.setdefault((e.kind, key), e)
        if keep is not e:
            _merge(reg, e, keep, source_of, recipient_of)
