"""The adapter between Spark and the project's linking rules: per-item features, deterministic candidate
keys and pure pair predicates, all taken from ``reportedly.link`` so the Spark job never keeps its own copy
of a rule.

Candidate keys are the LSH band keys the single-machine pass uses (``datasketch.MinHashLSH`` with the same
threshold and number of permutations): two items that share a key are exactly the pairs its LSH index would
offer each other, so a join on keys finds the same candidates without an index on one machine. The
predicates are the single-machine ones (``link.claims.matches``, ``link.passages.similarity``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from reportedly.link import claims as claim_rules
from reportedly.link import passages as passage_rules

MAX_CANDIDATES = claim_rules.MAX_CANDIDATES  # pairs per item within one key bucket: bounds a pathological bucket


@lru_cache(maxsize=4)
def _bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def _band_keys(hashvalues: np.ndarray, threshold: float, num_perm: int) -> list[str]:
    return [f"{b}:{hashvalues[s:e].astype(np.uint64).tobytes().hex()}"
            for b, (s, e) in enumerate(_bands(threshold, num_perm))]


# --- claims ----------------------------------------------------------------------------------------------

def claim_item(article_id: str, attr_id: str, content: str) -> claim_rules.ClaimItem:
    """The project's per-claim features (terms and anchors)."""
    return claim_rules.item(article_id, attr_id, content)


def claim_eligible(it: claim_rules.ClaimItem) -> bool:
    """Whether a claim can match anything at all (too few content words never do)."""
    return len(it.terms) >= claim_rules.MIN_TERMS


def claim_exact_key(it: claim_rules.ClaimItem) -> str:
    """Claims with the same words and names are one cluster without a pair check (wire copy, verbatim quotes)."""
    return "\x1f".join(sorted(it.terms)) + "\x1e" + "\x1f".join(sorted(it.anchors))


_CLAIM_PERMS: list[np.ndarray] = []


def claim_keys(it: claim_rules.ClaimItem) -> list[str]:
    """The LSH band keys of a claim's terms, as ``link.claims.cluster_claims`` hashes them."""
    m = MinHash(num_perm=claim_rules.NUM_PERM, permutations=_CLAIM_PERMS[0] if _CLAIM_PERMS else None,
                scheme="affine32")  # datasketch 2's default, what MinHash.bulk in link.claims uses
    if not _CLAIM_PERMS:
        _CLAIM_PERMS.append(m.permutations)
    m.update_batch([t.encode() for t in sorted(it.terms)])
    return _band_keys(np.asarray(m.hashvalues), claim_rules.LSH_THRESHOLD, claim_rules.NUM_PERM)


def claims_match(a: claim_rules.ClaimItem, b: claim_rules.ClaimItem) -> bool:
    """The project's symmetric pair predicate: ``a`` and ``b`` state the same claim."""
    return claim_rules.matches(a, b) > 0


# --- paragraphs ------------------------------------------------------------------------------------------

def passage_keys(sig: bytes) -> list[str]:
    """The LSH band keys of a stored paragraph signature, as ``link.passages.group_paragraphs`` indexes it."""
    return _band_keys(np.frombuffer(sig, dtype=np.uint32), passage_rules.THRESHOLD, passage_rules.NUM_PERM)


def passages_match(a: bytes, b: bytes) -> bool:
    """Two paragraph signatures are the same passage."""
    return passage_rules.similarity(a, b) >= passage_rules.THRESHOLD


def group_notes(paras: list[passage_rules.Para], corpus_articles: int) -> list[passage_rules.Recycled]:
    """The recycled-passage notes of one group of near-duplicate paragraphs (chronological), as
    ``link.passages.recycled_passages`` makes them for each of its groups."""
    if len(paras) < 2 or passage_rules.is_boilerplate(len({p.article for p in paras}), corpus_articles):
        return []
    first = paras[0]
    notes = []
    for p in paras[1:]:
        if p.article == first.article:
            continue
        earlier = bool(first.published and p.published and first.published < p.published)
        notes.append(passage_rules.Recycled(p.article, p.idx, p.start, p.end, first.article, first.idx,
                                            round(passage_rules.similarity(p.sig, first.sig), 3), earlier))
    return notes


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
