"""Provenance chains: who first said a claim, who passed it on, and how it reached this article.

Nesting gives the relays: an attribution whose cue lies inside another's content is relayed by it
("the ministry said ..., Newsweek reported": parent of the ministry's claim is Newsweek's report).
Recipients that are outlets or journalists ("confirmed to NBC News"), outlets named in the channel
("during an NBC News translation of a speech") and a journalist's own outlet ("NBC News correspondent
Lena Novak") are relays too. A chain runs origin -> relays -> this article; ``first_hand`` says
whether the article got the claim straight from its origin.
"""

from __future__ import annotations

import re

from reportedly.lexicon import words
from reportedly.model import Attribution, Chain, Entity, Hop, inside
from reportedly.resolve.contents import ContentIndex, MentionIndex

# channels through which a reader can check the origin directly
_PUBLIC = {"statement", "press_conference", "speech", "social_post", "broadcast", "document"}
_TO_PRESS = {"reporters", "journalists", "the press", "the media", "us", "news outlets"}




def _content_len(a: Attribution) -> int:
    return sum(e - s for s, e in a.content.spans)


def assign_parents(attributions: list[Attribution], entity_of: dict[str, str] | None = None) -> dict[str, str]:
    """attribution id -> id of the attribution that relays it (innermost enclosing content).

    ``entity_of`` (attribution id -> source entity) keeps a speaker from relaying itself: "the ministry
    said ..., following up with a post claiming ..." is the ministry twice, not a relay."""
    out: dict[str, str] = {}
    ents = entity_of or {}
    index = ContentIndex(attributions)  # candidates hold the cue: found by position, not by scanning all claims
    for a in attributions:
        best: Attribution | None = None
        for p in index.holding(a.cue.start):
            if p.id == a.id:
                continue
            if ents.get(a.id) is not None and ents.get(a.id) == ents.get(p.id):
                continue
            # "X said Y told him": Y's source must be inside X's content as well, unless Y has none
            if a.source is not None and not inside(a.source.start, p.content.spans) \
                    and not inside(a.source.end - 1, p.content.spans):
                continue
            if _content_len(p) <= _content_len(a):
                continue
            if best is None or _content_len(p) < _content_len(best):
                best = p
        if best is not None:
            out[a.id] = best.id
    # no cycles: a parent must strictly contain its child, so the relation is already acyclic
    return out


def _outlet_in(spans: list[tuple[int, int]], entities: list[Entity],
              mentions: MentionIndex | None = None) -> str | None:
    """The outlet entity mentioned inside a channel phrase ("an NBC News translation")."""
    index = mentions or MentionIndex(entities)
    hits = [k for s, t in spans for ms, me, k in index.overlapping(s, t)
            if s <= ms and me <= t and entities[k].kind == "outlet"]
    return entities[min(hits)].id if hits else None


def _hop_of(a: Attribution) -> Hop:
    return Hop(entity=a.source.entity if a.source else None, channel=a.channel.type if a.channel else None,
               date=a.date.value if a.date and a.date.value and re.match(r"\d{4}-\d\d-\d\d$", a.date.value)
               else None)


def build_chains(attributions: list[Attribution], entities: list[Entity], affiliation: dict[str, str],
                 published: str | None, own_outlet: str | None = None,
                 outlet_types: dict[str, str] | None = None) -> list[Chain]:
    """One chain per claim that relays nothing itself (the innermost claims), origin first.

    ``own_outlet`` is the entity id of the article's own outlet: "The Post has learned" in the Post
    is first-hand; "The New York Post reports" in another paper is second-hand, even with one hop."""
    kinds = {e.id: e.kind for e in entities}
    mentions = MentionIndex(entities)  # entities found by position in recipients and channels
    by_id = {a.id: a for a in attributions}
    has_child = {a.parent for a in attributions if a.parent}
    chains: list[Chain] = []
    for a in attributions:
        if a.id in has_child:
            continue
        hops: list[Hop] = []
        cur: Attribution | None = a
        seen: set[str] = set()
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            hop = _hop_of(cur)
            if not hops or hops[-1].entity != hop.entity or hop.entity is None:
                hops.append(hop)
            relays: list[str] = []
            src = hop.entity
            if src and src in affiliation and _speaks_for_outlet(cur, affiliation[src], outlet_types or {}):
                relays.append(affiliation[src])
            if cur.recipient is not None and cur.recipient.spans:
                rid = _entity_at(cur.recipient.spans, entities, mentions)
                if rid and kinds.get(rid) in ("outlet", "journalist"):
                    relays.append(rid)
            if cur.channel is not None and cur.channel.spans:
                oid = _outlet_in(cur.channel.spans, entities, mentions)
                if oid:
                    relays.append(oid)
            for r in relays:
                if r != hops[-1].entity and all(h.entity != r for h in hops):
                    hops.append(Hop(entity=r))
            cur = by_id.get(cur.parent) if cur.parent else None
        # the article's own outlet as a relay is the article itself
        hops = [h for h in hops if h.entity is None or h.entity != own_outlet or h is hops[0]]
        hops.append(Hop(article=True, date=published))
        origin = hops[0].entity
        via_other_outlet = (origin is not None and origin != own_outlet and kinds.get(origin) == "outlet"
                            and _reporting(a))
        relayed = len(hops) > 2 or via_other_outlet
        first_hand: bool | None
        if relayed:
            first_hand = False
        elif origin is not None and origin == own_outlet:
            first_hand = True  # "The Post has learned" in the Post
        elif (a.channel is not None and a.channel.type in _PUBLIC) or (
                a.recipient is not None and a.recipient.text.lower() in _TO_PRESS):
            first_hand = True  # a public medium, or said to the press in person
        else:
            first_hand = None  # the text does not say how the article got it
        chains.append(Chain(claim=a.id, hops=hops, first_hand=first_hand))
    return chains


_REPORTING_CUES = words("word_lists", "reporting_cues")  # data/word_lists.json
_SELF = re.compile(r"^(?:that\s+)?(?:it|its|we|our|the network|the newspaper|the paper|the company)\b", re.I)


def _reporting(a: Attribution) -> bool:
    """Is an outlet here reporting news (a relay), not speaking for itself as a company?"""
    return a.cue.lemma in _REPORTING_CUES and not _SELF.match(a.content.text.lstrip("\"“ "))


def _speaks_for_outlet(a: Attribution, outlet: str, outlet_types: dict[str, str]) -> bool:
    """A journalist's words reach us through their outlet when they broadcast or publish them there;
    quoted as an expert in this article they are first-hand."""
    del outlet_types
    # on air or in print; a journalist's own social posts, or words with no medium named, are not the outlet's
    return a.channel is not None and a.channel.type in ("broadcast", "document")


def _entity_at(spans: list[tuple[int, int]], entities: list[Entity],
               mentions: MentionIndex | None = None) -> str | None:
    """The first of ``entities`` with a mention overlapping ``spans`` (``mentions``: theirs by position)."""
    index = mentions or MentionIndex(entities)
    hits = [k for s, t in spans for ms, me, k in index.overlapping(s, t) if ms < t and s < me]
    return entities[min(hits)].id if hits else None
