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

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from reportedly.lexicon import (
    doc_ents,
)
from reportedly.model import Attribution, Entity
from reportedly.resolve.contents import SpanSet
from reportedly.resolve.coref import (
    headline_roles,
    late_surnames,
    merge_descriptions,
    named_later,
    nominal_target,
    subject_above,
)
from reportedly.resolve.engine import Context
from reportedly.resolve.kinds import (
    add_titles,
    outlet_for,
    reporting_context,
    title_words,
    titled_kind,
)
from reportedly.resolve.names import outlet_spans, register_name
from reportedly.resolve.registry import (
    PERSON_KINDS,
    Ent,
    Registry,
    lex,
    span_head,
    title_places,
)
from reportedly.resolve.resolvers import resolve_verdict


@dataclass
class Resolution:
    """Result of resolving the sources of one document."""

    entities: list[Entity]
    source_of: dict[str, str]  # attribution id -> entity id
    recipient_of: dict[str, str]  # attribution id -> entity id of the recipient ("told NBC News")
    affiliation: dict[str, str]  # journalist entity id -> outlet entity id
    outlet_ids: set[str]
    explanations: dict[str, dict[str, str]] = field(default_factory=dict)  # attribution id -> resolver, evidence


_ORDER = {"outlet": 0, "ent": 1, "desc": 2, "source": 3, "recipient": 4}  # at one position, outlets first


@dataclass
class _Pass:
    """The state of one left-to-right pass over a document's mentions."""

    reg: Registry
    attributions: list[Attribution]
    source_of: dict[str, str] = field(default_factory=dict)
    recipient_of: dict[str, str] = field(default_factory=dict)
    explanations: dict[str, dict[str, str]] = field(default_factory=dict)
    sources_seen: list[Ent] = field(default_factory=list)
    covered: SpanSet = field(default_factory=lambda: SpanSet([]))  # the outlet names taken so far


def _items(doc: Doc, attributions: list[Attribution], start: int) -> tuple[list[tuple[int, str, object]], list[Token]]:
    """Everything to resolve, in text order (so coreference sees what came before): named entities, outlet
    names, titled descriptions as subjects, sources and recipients; and the "former" titles seen."""
    items: list[tuple[int, str, object]] = []
    for x in doc_ents(doc):
        if x.start_char >= start and x.label_ in ("PERSON", "ORG"):
            items.append((x.start_char, "ent", x))
    for s, e, form in outlet_spans(doc, start):
        items.append((s, "outlet", (s, e, form)))
    # "The Vermont senator has a simple message": a titled description as a subject names the role of
    # the person it refers to, even when it is not itself a source
    strong_titles = lex("official_titles") - lex("weak_titles")
    official, former = lex("official_titles"), lex("former_markers")
    past: list[Token] = []  # "the former secretary of state", wherever it stands
    for t in doc:
        if t.pos_ != "NOUN" or t.tag_ != "NN" or t.left_edge.lower_ != "the" or t.idx < start:
            continue
        if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in strong_titles:
            items.append((t.left_edge.idx, "desc", doc[t.left_edge.i:t.i + 1]))
        elif t.lower_ in official and t.left_edge.i + 1 < t.i and doc[t.left_edge.i + 1].lower_ in former:
            past.append(t)
    for a in sorted(attributions, key=lambda a: a.source.start if a.source else a.cue.start):
        if a.source is not None:
            items.append((a.source.start, "source", a))
        if a.recipient is not None:
            items.append((a.recipient.start, "recipient", a))
    items.sort(key=lambda x: (x[0], _ORDER[x[1]]))
    return items, past


def _take_outlet(st: _Pass, obj: object) -> None:
    """An outlet's name (``data/outlets.json``), ambiguous forms only in a reporting context."""
    reg = st.reg
    assert isinstance(obj, tuple)
    s, e, form = obj
    if any(cs <= s and e <= ce for cs, ce in st.covered.overlapping(s, e)):
        return
    sp = reg.doc.char_span(s, e, alignment_mode="expand")
    head = span_head(sp) if sp is not None and len(sp) else None
    o = outlet_for(form, reg, head is not None and reporting_context(head))
    if o is None:
        return
    ent = reg.find_outlet(o)
    if ent is None:
        reg.new(o.name, "outlet", (s, e), outlet=o, heads={w.lower() for w in o.name.split()})
    else:
        reg.add_mention(ent, (s, e))
    st.covered.add((s, e))


def _desc_target(reg: Registry, desc: Span) -> Ent | None:
    """The named person a titled subject description refers to, if any."""
    tgt = nominal_target(reg, desc[-1], desc, desc.start_char)
    if tgt is not None and subject_above(tgt, desc[-1]):
        # "Hale continued to question Diaz's temperament, saying the Texas senator could not ...": not
        # the speaker himself, the next candidate
        tgt = nominal_target(reg, desc[-1], desc, desc.start_char, skip=tgt)
        sent = desc.sent
        if tgt is not None and not any(sent.start_char <= ms < desc.start_char for ms, _ in tgt.mentions):
            tgt = None  # only someone named in the same sentence ("Diaz's temperament")
    if tgt is not None and tgt.named and tgt.kind in PERSON_KINDS and not subject_above(tgt, desc[-1]):
        return tgt
    return None


def _take_desc(st: _Pass, obj: object) -> None:
    """"The Vermont senator has ...": the title joins the person it refers to."""
    reg, desc = st.reg, obj
    assert isinstance(desc, Span)
    if any(a.source is not None and a.source.start <= desc.start_char < a.source.end for a in st.attributions):
        return  # a source span: resolved with its attribution
    if reg.quote_set().holding(desc.start_char):
        return  # "the prosecutor" inside somebody's quote is somebody else
    tgt = _desc_target(reg, desc)
    if tgt is not None:
        reg.add_mention(tgt, (desc.start_char, desc.end_char))
        reg.strong.add(desc.start_char)
        add_titles(tgt, title_words(desc))
        tgt.titles |= title_places(reg.doc, desc.start_char, desc.end_char)
        tgt.kind = titled_kind(tgt) or tgt.kind


def _take_ent(st: _Pass, obj: object) -> None:
    """A PERSON/ORG name the tagger found, unless an outlet's name already covers it."""
    sp_ent = obj
    assert isinstance(sp_ent, Span)
    near = st.covered.overlapping(sp_ent.start_char, sp_ent.end_char)
    if any(cs <= sp_ent.start_char and sp_ent.end_char <= ce for cs, ce in near):
        return
    if near and sp_ent.label_ == "ORG":
        return  # "NBC News translation" already taken as an outlet
    if sp_ent.root.dep_ in ("nsubj", "nsubjpass"):
        st.reg.strong.add(sp_ent.start_char)
    register_name(st.reg, sp_ent, sp_ent.label_, (sp_ent.start_char, sp_ent.end_char))


def _take_mention(st: _Pass, att: Attribution, recipient: bool) -> None:
    """A source or recipient span, through the resolver table (``resolve/resolvers.py``)."""
    fld = att.recipient if recipient else att.source
    assert fld is not None
    verdict = resolve_verdict(Context(st.reg, st.sources_seen, att, recipient), fld.start, fld.end)
    ent = verdict.entity if verdict is not None else None
    if ent is None:
        return
    if recipient:
        st.recipient_of[att.id] = ent.id
        return
    assert verdict is not None
    st.reg.strong.add(fld.start)
    st.reg.spoken.append((fld.start, fld.end, ent))
    st.source_of[att.id] = ent.id
    st.explanations[att.id] = verdict.explanation()
    if ent in st.sources_seen:
        st.sources_seen.remove(ent)
    st.sources_seen.insert(0, ent)


def _take(st: _Pass, what: str, obj: object) -> None:
    if what == "outlet":
        _take_outlet(st, obj)
    elif what == "desc":
        _take_desc(st, obj)
    elif what == "ent":
        _take_ent(st, obj)
    else:
        assert isinstance(obj, Attribution)
        _take_mention(st, obj, what == "recipient")


# whole-document passes after the left-to-right one, in order; a source they re-point is explained by them
LatePass = Callable[[Registry, list[Attribution], dict[str, str], dict[str, str], int], None]
LATE_PASSES: list[tuple[str, str, LatePass]] = [
    ("late_surnames", "a surname named later in the article", late_surnames),
    ("headline_roles", "the headline's role words and the body's names", headline_roles),
    ("named_later", "an unnamed source named later in the article",
     lambda reg, atts, so, ro, _start: named_later(reg, atts, so, ro)),
    ("merge_descriptions", "one description merged with the body it names",
     lambda reg, _atts, so, ro, _start: merge_descriptions(reg, so, ro)),
]


def _late_passes(st: _Pass, attributions: list[Attribution], start: int) -> None:
    for name, why, late in LATE_PASSES:
        before = dict(st.source_of)
        late(st.reg, attributions, st.source_of, st.recipient_of, start)
        _explain_changes(st, before, name, why)


def _explain_changes(st: _Pass, before: dict[str, str], name: str, why: str) -> None:
    for aid, eid in st.source_of.items():
        if before.get(aid) != eid:
            prior = st.explanations.get(aid)
            was = f" (first {prior['resolver']}: {prior['evidence']})" if prior else ""
            st.explanations[aid] = {"resolver": name, "evidence": why + was}


def _past_offices(reg: Registry, past: list[Token]) -> None:
    """"They ask the former secretary of state ...": when one person in the article holds that title, the
    article says the office is past ("While Secretary Hale ..." in a quote is a courtesy)."""
    for t in past:
        holders = [e for e in reg.ents if e.kind == "official" and e.named and t.lower_ in e.titles]
        if len(holders) == 1:
            holders[0].titles.add("former")
            holders[0].kind = "person"


def resolve_sources(doc: Doc, attributions: list[Attribution], article_outlet: str | None = None,
                    start: int = 0, byline: str | None = None) -> Resolution:
    """Canonical entities of a document and the entity behind each attribution's source.

    ``start`` is where the body begins (title and byline lines are not scanned for names); ``byline`` names
    the article's author, the "I" of the article's own voice (an opinion piece).
    """
    reg = Registry(doc, article_outlet)
    reg.start = start
    reg.byline = byline
    reg.contents = [sp for a in attributions for sp in a.content.spans]
    reg.quotes = [sp for a in attributions if a.kind == "direct" for sp in a.content.spans]
    items, past = _items(doc, attributions, start)
    st = _Pass(reg, attributions)
    for _pos, what, obj in items:
        _take(st, what, obj)
    _late_passes(st, attributions, start)
    _past_offices(reg, past)
    entities = [Entity(e.id, e.name, e.kind, sorted(e.mentions)) for e in reg.ents]
    return Resolution(entities=entities, source_of=st.source_of, recipient_of=st.recipient_of,
                      affiliation={e.id: e.affiliation for e in reg.ents if e.affiliation},
                      outlet_ids={e.id for e in reg.ents if e.kind == "outlet"}, explanations=st.explanations)
