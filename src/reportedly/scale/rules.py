"""The adapter between Spark and the project's linking rules: per-item features, deterministic candidate
keys and pure pair predicates, all taken from ``reportedly.link`` so the Spark job never keeps its own copy
of a rule.

Claims use ``link.claims``' own four steps (per-claim features, deterministic candidate keys, the bucket
pair rule, the symmetric ``same_claim`` predicate), so the Spark clusters are the single-machine ones by
construction. Paragraphs use the LSH band keys of the single-machine pass (``datasketch.MinHashLSH`` with
the same threshold and number of permutations) and its similarity threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHashLSH

from reportedly.link import claims as claim_rules
from reportedly.link import passages as passage_rules

MAX_CANDIDATES = 64  # paragraphs: pairs per item within one key bucket (bounds a pathological bucket)


@lru_cache(maxsize=4)
def _bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def _band_keys(hashvalues: np.ndarray, threshold: float, num_perm: int) -> list[str]:
    return [f"{b}:{hashvalues[s:e].astype(np.uint64).tobytes().hex()}"
            for b, (s, e) in enumerate(_bands(threshold, num_perm))]


# --- claims: link.claims' four steps (features, candidate keys, pair predicate, components) -------------

def claim_item(article_id: str, attr_id: str, content: str, sources: Iterable[str] = (),
               published: str | None = None, vector: bytes | None = None) -> claim_rules.ClaimItem:
    """Step 1, the project's per-claim features (terms, anchors, embedding, sources, day); ``vector``: the
    content's embedding when the analysis computed it already."""
    return claim_rules.item(article_id, attr_id, content, sources, published, vector)


def claim_sources(member: Any) -> list[str]:
    """The named sources a claim is matched on, as ``link.origins.link_articles`` gives them."""
    from reportedly.link.origins import claim_sources as sources

    return sources(member)


def linkable_content(member: Any, formulaic: bool) -> str:
    """The content a claim is matched on, as ``link.origins.link_articles`` gives it ('' = joins nothing)."""
    from reportedly.link.origins import linkable_content as content

    return content(member, formulaic)


def claim_quoting(member: Any) -> bool:
    """Whether a claim quotes a long passage, as the formula verdict of ``link.origins.link_articles`` reads it."""
    from reportedly.link.origins import quoting

    return quoting(member)


def claim_eligible(it: claim_rules.ClaimItem) -> bool:
    """Whether a claim can join a cluster at all (too few content words, or formulaic, never do)."""
    return claim_rules.eligible(it)


def claim_node(it: claim_rules.ClaimItem) -> str:
    """The graph node of a claim: its feature digest (claims with equal features are one claim)."""
    return claim_rules.digest(it)


def claim_keys(it: claim_rules.ClaimItem) -> tuple[str, ...]:
    """Step 2, the claim's deterministic candidate keys (LSH bands with a fixed seed)."""
    return claim_rules.candidate_keys(it)


def claim_slots(it: claim_rules.ClaimItem) -> tuple[int, ...]:
    """The time slots whose band buckets hold the claim (``link.claims.slot_numbers``); none if ineligible."""
    return claim_rules.slot_numbers(it) if claim_rules.eligible(it) else ()


def claim_quote_keys(it: claim_rules.ClaimItem) -> tuple[str, ...]:
    """The claim's quotation buckets: its candidate keys that are not band keys of a time slot."""
    return claim_rules.quote_keys(it)


def claim_slot_edges(items: list[claim_rules.ClaimItem], slot: int) -> list[tuple[int, int]]:
    """The verified pairs of every band bucket of one time slot, given the slot's claims in digest order (as
    indexes into ``items``): ``link.claims.edges`` on that slot, each pair kept only when it joins two parts
    not yet joined, so a slot sends a spanning forest of its matches, whose components are the same."""
    uf = claim_rules.UnionFind()
    out = []
    for i, j in claim_rules.edges(items, lambda i, j: bool(uf.find(i) == uf.find(j)), slot):
        uf.union(i, j)
        out.append((i, j))
    claim_rules.forget_codes()  # an executor's worker runs many slots: its codes (and embeddings) end with each
    return out


def claim_bucket_pairs(digests: list[str]) -> list[tuple[str, str]]:
    """The pairs to verify in one bucket (a function of the bucket's set of digests only)."""
    return claim_rules.bucket_pairs(sorted(digests))


def claims_verified(pairs: Iterable[tuple[str, str]],
                    items: dict[str, claim_rules.ClaimItem]) -> list[tuple[str, str]]:
    """Step 3 on one bucket's pairs (digests): those the project's symmetric predicate accepts, through the
    single-machine checker (``link.claims.verified``: cosines in numpy first, the exact predicate on the few
    close enough), so both paths share one checker."""
    return claim_rules.verified(pairs, items)


# --- paragraphs ------------------------------------------------------------------------------------------

def passage_keys(sig: bytes) -> list[str]:
    """The LSH band keys of a stored paragraph signature, as ``link.passages.cluster`` indexes it."""
    return _band_keys(np.frombuffer(sig, dtype=np.uint32), passage_rules.THRESHOLD, passage_rules.NUM_PERM)


def passages_match(a: bytes, b: bytes) -> bool:
    """Two paragraph signatures are the same passage."""
    return passage_rules.similarity(a, b) >= passage_rules.THRESHOLD


def group_notes(paras: list[passage_rules.Para], corpus_articles: int) -> list[passage_rules.Recycled]:
    """The recycled-passage notes of one group of near-duplicate paragraphs (chronological): the single
    machine's ``link.passages.group_notes``, so both paths note a group alike."""
    return passage_rules.group_notes(paras, corpus_articles)


def cluster_rows(cid: int, ms: list[Any], recycled_from: dict[str, set[str]],
                 copies: dict[str, list[Any]]) -> dict[str, list[tuple[Any, ...]]]:
    """The link-table rows of one claim cluster (its independent origins by ``link.origins.resolve_cluster``),
    as ``link.origins.link_articles`` writes them."""
    from reportedly.link.origins import resolve_cluster

    origins, keys = resolve_cluster(ms, recycled_from, copies)
    first = min(ms, key=lambda x: (x.order, x.attr_id))
    out: dict[str, list[tuple[Any, ...]]] = {"clusters": [], "members": [], "origins": [], "relays": []}
    out["clusters"].append((cid, first.facts.content[:300], len(ms), len({x.article for x in ms}), len(origins),
                            first.published, first.article))
    out["members"] = [(x.article, x.attr_id, cid, keys[(x.article, x.attr_id)]) for x in ms]
    for o in origins:
        out["origins"].append((cid, o.key, o.name[:300], o.kind, o.channel, o.origin_date, o.first_published,
                               o.first_article, len(o.relays)))
        out["relays"].extend((cid, o.key, pos, s.article, s.outlet, s.published, s.via, s.relayed_from)
                             for pos, s in enumerate(o.relays))
    return out
