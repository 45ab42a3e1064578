"""Assemble a Report from a processed Doc: extraction output plus the resolve layer.

Kept separate from the spaCy component so that resolution (which needs the publication date and
article metadata, not only the Doc) stays a pure function of (Doc, Article). Attributions from the
extractor are copied, never changed in place: the Doc can be reused.
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Doc

from reportedly.extract.hedges import HedgeIndex, find_hedges
from reportedly.extract.quantities import extract_quantities
from reportedly.extract.times import extract_times
from reportedly.ingest.text import Dateline, find_dateline
from reportedly.model import Article, Attribution, Field, Hedge, Report, Unattributed
from reportedly.resolve.chains import assign_parents, build_chains
from reportedly.resolve.channels import find_channel
from reportedly.resolve.contents import ContentIndex
from reportedly.resolve.dates import attribution_date
from reportedly.resolve.headline import judge
from reportedly.resolve.lexicon import doc_text, outlets
from reportedly.resolve.recipients import find_recipient
from reportedly.resolve.sources import resolve_sources

_MIN_UNATTRIBUTED = 0.2  # a sentence counts as the article's own when < 20% of it is inside attributions


def body_start(article: Article) -> int:
    """Offset where the body begins: after the title line and any byline/dateline lines right below it."""
    text = article.text
    pos = 0
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and not lines[i].strip():
        pos += len(lines[i])
        i += 1
    if article.title and i < len(lines) and lines[i].strip() == article.title.strip():
        pos += len(lines[i])
        i += 1
        for ln in lines[i:i + 3]:
            st = ln.strip()
            if not st or (article.byline and article.byline in st and len(st) < 100) or (
                    article.published and len(st) < 40 and any(c.isdigit() for c in st)):
                pos += len(ln)
            else:
                break
    return pos


def title_span(article: Article, start: int) -> tuple[int, int] | None:
    if not article.title:
        return None
    s = article.text.find(article.title.strip())
    if s < 0 or s >= max(start, 1):
        return None
    return s, s + len(article.title.strip())


def sentences(doc: Doc, start: int) -> list[tuple[int, int]]:
    """Sentence spans of the body, also split at line breaks (a paragraph never runs into the next)."""
    out: list[tuple[int, int]] = []
    text = doc_text(doc)
    for sent in doc.sents:
        s, e = max(sent.start_char, start), sent.end_char
        if e <= s:
            continue
        for piece_start, piece in _split_lines(text[s:e], s):
            stripped = piece.strip()
            if stripped:
                ls = piece_start + (len(piece) - len(piece.lstrip()))
                out.append((ls, ls + len(stripped)))
    return out


def _split_lines(chunk: str, offset: int) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in chunk.split("\n"):
        out.append((offset + pos, line))
        pos += len(line) + 1
    return out


def _attributed_mask(size: int, attributions: list[Attribution]) -> bytearray:
    """One byte per character of the text: 1 where some attribution's cue, source or content lies."""
    mask = bytearray(size)
    for a in attributions:
        for fld in (a.content, a.cue, a.source):
            if fld is None:
                continue
            for fs, fe in fld.spans:
                fs, fe = max(0, fs), min(size, fe)
                if fe > fs:
                    mask[fs:fe] = b"\x01" * (fe - fs)
    return mask


def _covered(span: tuple[int, int], mask: bytearray) -> float:
    """Share of the span's characters that belong to an attribution."""
    s, e = span
    return mask.count(1, s, e) / max(1, e - s)


def _same_outlet(name: str, outlet: str) -> bool:
    """Is the entity named ``name`` the article's own outlet (given by name or alias)?"""
    if name.lower() == outlet.lower():
        return True
    return any(o.name == name and outlet in (o.name, *o.aliases, o.domain) for o in outlets())


def _affiliation_types(entities_outlet: dict[str, str]) -> dict[str, str]:
    types = {o.name: o.type for o in outlets()}
    return {eid: types.get(name, "") for eid, name in entities_outlet.items()}


def _own_copy(a: Attribution) -> Attribution:
    """A copy of an extracted attribution that resolution may fill in without touching the Doc's: the
    resolve layer sets the attribution's own fields and ``source.entity``, nothing deeper."""
    return dataclasses.replace(a, source=dataclasses.replace(a.source) if a.source else None,
                               hedges=list(a.hedges))


def _cut_dateline(text: str, attributions: list[Attribution], dl: Dateline) -> None:
    """"DRESK, Veloria — Authorities have evacuated ..., the ministry said": the dateline is where the story
    was filed, not part of what the ministry said."""
    for a in attributions:
        spans = [(s, e) for s, e in ((max(s, dl.end), e) for s, e in a.content.spans) if e > s]
        if spans and spans != a.content.spans:
            a.content = Field(" … ".join(text[s:e] for s, e in spans), spans)


def build_report(doc: Doc, article: Article) -> Report:
    """The report of one article whose text was parsed into ``doc``."""
    attributions = [_own_copy(a) for a in (doc._.attributions or [])]
    start = body_start(article)
    tspan = title_span(article, start)
    published = article.published
    # extraction of the article-wide items
    hedges = find_hedges(doc)
    quantities = extract_quantities(doc, 0 if tspan is None else tspan[0])
    times = extract_times(doc, published, start)
    for a in attributions:
        if a.recipient is None:
            a.recipient = find_recipient(doc, a)
    # sources and entities
    res = resolve_sources(doc, attributions, article.outlet, start=start, byline=article.byline)
    kinds = {e.id: e.kind for e in res.entities}
    outlet_names = {e.id: e.name for e in res.entities if e.kind == "outlet"}
    aff_types = _affiliation_types(outlet_names)
    for a in attributions:
        if a.source is not None:
            a.source.entity = res.source_of.get(a.id)
            a.source.explanation = res.explanations.get(a.id)
    # nesting first: a claim's scope for channels and dates excludes what it relays
    parents = assign_parents(attributions, res.source_of)
    for a in attributions:
        a.parent = parents.get(a.id)
    contents, hedge_index = ContentIndex(attributions), HedgeIndex(hedges)  # per-claim lookups by position
    for a in attributions:
        src = a.source.entity if a.source else None
        rec = res.recipient_of.get(a.id)
        aff = res.affiliation.get(src or "")
        a.channel = find_channel(doc, a, attributions, source_kind=kinds.get(src or ""),
                                 recipient_kind=kinds.get(rec or ""), affiliation_type=aff_types.get(aff or ""),
                                 affiliation_name=outlet_names.get(aff or ""), contents=contents)
        a.date = attribution_date(doc, a, attributions, times, contents)
        own: list[Hedge] = hedge_index.inside(a.content.spans) + hedge_index.at_cue(a.cue.spans)
        seen: set[tuple[int, int]] = set()
        a.hedges = [h for h in own if not (h.spans[0] in seen or seen.add(h.spans[0]))]  # type: ignore[func-returns-value]
    own_outlet = next((e.id for e in res.entities if e.kind == "outlet" and article.outlet
                       and _same_outlet(e.name, article.outlet)), None)
    chains = build_chains(attributions, res.entities, res.affiliation, published, own_outlet=own_outlet,
                          outlet_types=aff_types)
    dateline = find_dateline(doc_text(doc), start)
    if dateline is not None:
        _cut_dateline(doc_text(doc), attributions, dateline)
    unattributed = []
    sents = [(max(s, dateline.end) if dateline and s < dateline.end <= e else s, e)
             for s, e in sentences(doc, start)]
    mask = _attributed_mask(len(doc_text(doc)), attributions)
    for s, e in sents:
        if _covered((s, e), mask) < _MIN_UNATTRIBUTED:
            unattributed.append(Unattributed(doc_text(doc)[s:e], [(s, e)], hedge_index.inside([(s, e)])))
    headline = judge(doc, tspan, attributions, chains, hedges, quantities, start, sents)
    body_quantities = [q for q in quantities if q.spans[0][0] >= start]
    return Report(article=article, attributions=attributions, entities=res.entities, chains=chains,
                  quantities=body_quantities, times=times, unattributed=unattributed, headline=headline)
