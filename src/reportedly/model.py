"""Domain dataclasses of a report and their JSON form (schema ``reportedly/report@1``).

Every span is a list of ``(start, end)`` Python ``str`` offsets into the article text exactly as read,
so that a discontinuous span (a quote broken by "he said") stays one field. The JSON shape is the one
in DESIGN.md; ``to_dict``/``from_dict`` are the single place that knows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "reportedly/report@1"

Offsets = list[tuple[int, int]]


def _spans_out(spans: Offsets) -> list[list[int]]:
    return [[int(s), int(e)] for s, e in spans]


def _spans_in(raw: Any) -> Offsets:
    return [(int(s), int(e)) for s, e in (raw or [])]


def inside(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Does character ``pos`` fall within one of ``spans``?"""
    return any(s <= pos < e for s, e in spans)


def char_set(spans: Iterable[tuple[int, int]] | None) -> set[int]:
    """The character positions covered by ``spans`` (none for an absent span)."""
    out: set[int] = set()
    for s, e in spans or ():
        out.update(range(s, e))
    return out


def span_text(text: str, spans: Offsets, sep: str = " … ") -> str:
    """Text of a possibly discontinuous span, pieces joined by an ellipsis."""
    return sep.join(text[s:e] for s, e in spans)


@dataclass
class Article:
    """One input article; ``text`` is kept exactly as read so offsets stay valid."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None

    def meta(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "byline": self.byline,
            "published": self.published,
            "chars": len(self.text),
        }


@dataclass
class Field:
    """A piece of text with its offsets (source, cue or content of an attribution)."""

    text: str
    spans: Offsets

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": _spans_out(self.spans)}

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


@dataclass
class Source(Field):
    entity: str | None = None
    # which resolver decided the entity and on what evidence ({"resolver", "evidence"}); in the JSON only
    # when asked (``to_dict(explain=True)``), so default reports stay as they were
    explanation: dict[str, str] | None = None

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        out = {**super().to_dict(), "entity": self.entity}
        if explain and self.explanation is not None:
            out["explanation"] = dict(self.explanation)
        return out


@dataclass
class Cue(Field):
    lemma: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "lemma": self.lemma}


@dataclass
class Hedge:
    text: str
    spans: Offsets
    strength: float  # how much the hedge weakens the claim, 0 (none) .. 1 (pure speculation)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": _spans_out(self.spans), "strength": self.strength}


@dataclass
class Channel:
    text: str
    type: str  # social_post | statement | press_conference | interview | broadcast | text_message | ...
    spans: Offsets = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "type": self.type, "spans": _spans_out(self.spans)}


@dataclass
class DateRef:
    text: str
    value: str | None  # ISO date or None when it cannot be resolved

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value}


@dataclass
class Attribution:
    id: str
    cue: Cue
    content: Field
    kind: str  # direct | indirect | mixed | according_to
    source: Source | None = None
    channel: Channel | None = None
    date: DateRef | None = None
    hedges: list[Hedge] = field(default_factory=list)
    parent: str | None = None  # the attribution that relays this one
    recipient: Field | None = None  # "told NBC News": to whom it was said

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.to_dict(explain) if self.source else None,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
            "kind": self.kind,
            "channel": self.channel.to_dict() if self.channel else None,
            "date": self.date.to_dict() if self.date else None,
            "hedges": [h.to_dict() for h in self.hedges],
            "parent": self.parent,
            "recipient": self.recipient.to_dict() if self.recipient else None,
        }


@dataclass
class Entity:
    id: str
    name: str
    kind: str  # outlet | government | official | journalist | person | organisation | anonymous | ...
    mentions: Offsets = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "mentions": _spans_out(self.mentions)}


@dataclass
class Hop:
    entity: str | None = None
    channel: str | None = None
    date: str | None = None
    article: bool = False

    def to_dict(self) -> dict[str, Any]:
        if self.article:
            return {"article": True, "date": self.date} if self.date else {"article": True}
        out: dict[str, Any] = {"entity": self.entity}
        if self.channel:
            out["channel"] = self.channel
        if self.date:
            out["date"] = self.date
        return out


@dataclass
class Chain:
    claim: str
    hops: list[Hop]
    first_hand: bool | None = None  # did this article get the claim from its origin directly (no relay)?

    @property
    def length(self) -> int:
        """Hand-overs between the origin and the reader (origin -> article is 1)."""
        return max(0, len(self.hops) - 1)

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "hops": [h.to_dict() for h in self.hops], "length": self.length,
                "first_hand": self.first_hand}


@dataclass
class Quantity:
    text: str
    spans: Offsets
    low: float | None
    high: float | None
    unit: str | None = None
    low_exclusive: bool = False  # "more than 1,000": low 1000, not included
    high_exclusive: bool = False  # "nearly half": high 50 percent, not included

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": _spans_out(self.spans), "low": self.low, "high": self.high,
                "unit": self.unit, "low_exclusive": self.low_exclusive, "high_exclusive": self.high_exclusive}


@dataclass
class TimeExpr:
    text: str
    spans: Offsets
    value: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": _spans_out(self.spans), "value": self.value}


@dataclass
class Unattributed:
    text: str
    spans: Offsets
    hedges: list[Hedge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": _spans_out(self.spans), "hedges": [h.to_dict() for h in self.hedges]}


@dataclass
class Headline:
    support: str  # overstated | supported | unknown
    why: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    article: Article
    attributions: list[Attribution] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    unattributed: list[Unattributed] = field(default_factory=list)
    headline: Headline | None = None

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        """The JSON report; ``explain`` adds each source's ``explanation`` (resolver and evidence)."""
        return {
            "schema": SCHEMA,
            "article": self.article.meta(),
            "attributions": [a.to_dict(explain) for a in self.attributions],
            "entities": [e.to_dict() for e in self.entities],
            "chains": [c.to_dict() for c in self.chains],
            "quantities": [q.to_dict() for q in self.quantities],
            "times": [t.to_dict() for t in self.times],
            "unattributed": [u.to_dict() for u in self.unattributed],
            "headline": self.headline.to_dict() if self.headline else None,
        }


def report_from_dict(data: dict[str, Any], text: str = "") -> Report:
    """Rebuild a Report from its JSON form (the article text is not part of the JSON)."""

    def fld(d: dict[str, Any] | None) -> Field | None:
        return Field(d["text"], _spans_in(d["spans"])) if d else None

    def hedges(raw: list[dict[str, Any]]) -> list[Hedge]:
        return [Hedge(h["text"], _spans_in(h["spans"]), float(h["strength"])) for h in raw or []]

    meta = data["article"]
    art = Article(id=meta["id"], text=text, title=meta.get("title"), url=meta.get("url"),
                  outlet=meta.get("outlet"), byline=meta.get("byline"), published=meta.get("published"))
    attrs = []
    for a in data.get("attributions", []):
        src = a.get("source")
        ch = a.get("channel")
        dt = a.get("date")
        content = fld(a["content"])
        assert content is not None
        attrs.append(Attribution(
            id=a["id"],
            cue=Cue(a["cue"]["text"], _spans_in(a["cue"]["spans"]), a["cue"].get("lemma", "")),
            content=content,
            kind=a["kind"],
            source=Source(src["text"], _spans_in(src["spans"]), src.get("entity"), src.get("explanation"))
            if src else None,
            channel=Channel(ch["text"], ch["type"], _spans_in(ch.get("spans"))) if ch else None,
            date=DateRef(dt["text"], dt.get("value")) if dt else None,
            hedges=hedges(a.get("hedges", [])),
            parent=a.get("parent"),
            recipient=fld(a.get("recipient")),
        ))
    hl = data.get("headline")
    return Report(
        article=art,
        attributions=attrs,
        entities=[Entity(e["id"], e["name"], e["kind"], _spans_in(e.get("mentions"))) for e in
                  data.get("entities", [])],
        chains=[Chain(c["claim"], [Hop(entity=h.get("entity"), channel=h.get("channel"), date=h.get("date"),
                                       article=bool(h.get("article"))) for h in c["hops"]],
                     first_hand=c.get("first_hand"))
                for c in data.get("chains", [])],
        quantities=[Quantity(q["text"], _spans_in(q["spans"]), q.get("low"), q.get("high"), q.get("unit"),
                             bool(q.get("low_exclusive")), bool(q.get("high_exclusive")))
                    for q in data.get("quantities", [])],
        times=[TimeExpr(t["text"], _spans_in(t["spans"]), t.get("value")) for t in data.get("times", [])],
        unattributed=[Unattributed(u["text"], _spans_in(u["spans"]), hedges(u.get("hedges", [])))
                      for u in data.get("unattributed", [])],
        headline=Headline(hl["support"], hl["why"]) if hl else None,
    )
