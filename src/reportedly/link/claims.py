"""Claim clusters across articles: the same content about the same entities, worded differently.

This module is the one definition of "the same claim" that full relink (link.origins.link_articles),
incremental linking and the Spark job all use. Clustering is a deterministic function of the claim SET, in
four parts that each need only their own inputs, so they can run in any order, in any partition, on any
machine:

1. per-claim features (``item``: pure, cached by text);
2. per-claim candidate keys (``candidate_keys``: LSH band hashes with fixed seeds);
3. a pure, symmetric pair predicate (``same_claim``), applied to candidate pairs (``candidate_pairs``: pairs
   sharing a key, with a bucket-size cap that depends only on the bucket's contents);
4. clusters = connected components of the verified pairs (``cluster_claims``), named by their smallest
   member key (``cluster_key``).

A claim is reduced to its content words (lower-cased, stop words and reporting verbs dropped, a light
suffix stemmer) plus its "anchors" (names and numbers). Two claims match when their word sets overlap
enough (Jaccard, or containment for a short paraphrase of a longer claim) AND, when both name something,
they share at least half of the names and numbers of the one that names fewer: paraphrase changes the
verbs and the order, rarely the names.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from datasketch import MinHash
from spacy.lang.en.stop_words import STOP_WORDS

BANDS, ROWS = 21, 3  # MinHash LSH: candidates above Jaccard ~(1/21)^(1/3) = 0.36; verification decides
NUM_PERM = BANDS * ROWS
SEED = 1  # fixed: keys must be the same in every process, every run
JACCARD = 0.5
CONTAINMENT = 0.75
MIN_TERMS = 3
BUCKET_CAP = 64  # distinct claims compared all-pairs in one bucket; beyond it, each meets its WINDOW next
WINDOW = 16  # neighbours in the bucket's digest order (a function of the bucket's contents, not of input order)

def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d|\d")
REPORTING = _wordset("""say said says saying tell told tells report reported reports reporting claim claimed claims
    add added adds state stated states announce announced according accord note noted write wrote
    also just still would could may might will shall should""")
DEMONYMS = {
    "ukrainian": "ukraine", "russian": "russia", "american": "us", "u.s.": "us", "british": "uk",
    "u.k.": "uk", "chinese": "china", "french": "france", "german": "germany", "israeli": "israel",
    "iranian": "iran", "syrian": "syria", "mexican": "mexico", "canadian": "canada", "chechen": "chechnya",
    "european": "europe", "turkish": "turkey", "polish": "poland", "belarusian": "belarus",
}
# applied to stems: a few paraphrases news copy uses all the time
SYNONYMS = {"defens": "defenc", "troop": "soldier", "forc": "soldier", "retak": "recaptur", "retook": "recaptur",
            "retaken": "recaptur",
            "kill": "dead", "die": "dead", "di": "dead", "death": "dead"}
_STOP = frozenset(w.lower() for w in STOP_WORDS) | {"s", "'s", "’s"}


def stem(word: str) -> str:
    """A deliberately small English suffix stemmer: enough to equate "recaptured"/"recapture",
    "villages"/"village"; pure and fast (claims are short)."""
    w = word.lower().strip("'’-.")
    if w in DEMONYMS:
        return DEMONYMS[w]
    for suf, rep in (("'s", ""), ("’s", ""), ("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""),
                     ("es", ""), ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3 and not (suf == "s" and w.endswith(("ss", "us", "is"))):
            w = w[: len(w) - len(suf)] + rep
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":  # "planned" -> "plann" -> "plan"
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):  # "recapture" and "recaptured" both -> "recaptur"
        w = w[:-1]
    return SYNONYMS.get(w, w)


def claim_terms(text: str) -> frozenset[str]:
    """The content words of a claim, normalised so that paraphrases share them."""
    out = set()
    for tok in _TOKEN.findall(text):
        low = tok.lower()
        if low in _STOP or low in REPORTING:
            continue
        if tok[0].isdigit():
            out.add(tok.replace(",", ""))
        elif len(low) > 1:
            out.add(stem(low))
    return frozenset(out)


def claim_anchors(text: str) -> frozenset[str]:
    """Names and numbers of a claim (capitalised words not opening the text, and digits), stemmed."""
    out = set()
    for i, m in enumerate(_TOKEN.finditer(text)):
        tok = m.group()
        if tok[0].isdigit():
            out.add(tok.replace(",", ""))
        elif tok[0].isupper() and i > 0 and tok.lower() not in _STOP and not _opens_sentence(text, m.start()):
            out.add(stem(tok))
    return frozenset(out)


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?\n"



Key = tuple[str, str]  # (article id, attribution id)


@dataclass(frozen=True)
class ClaimItem:
    """One claim to cluster: its ``key`` (article id, attribution id) and its features."""

    key: Key
    terms: frozenset[str]
    anchors: frozenset[str]

    @property
    def features(self) -> tuple[frozenset[str], frozenset[str]]:
        """Everything ``same_claim`` reads: claims with equal features are one claim."""
        return self.terms, self.anchors


@lru_cache(maxsize=100_000)
def _features(content: str) -> tuple[frozenset[str], frozenset[str]]:
    return claim_terms(content), claim_anchors(content)


def item(article_id: str, attr_id: str, content: str) -> ClaimItem:
    """Step 1, per-claim features (pure; cached by text: syndicated copy repeats claims verbatim)."""
    terms, anchors = _features(content)
    return ClaimItem((article_id, attr_id), terms, anchors)


def eligible(it: ClaimItem) -> bool:
    """Claims with too few content words (or formulaic ones, given empty content) join no cluster."""
    return len(it.terms) >= MIN_TERMS


@lru_cache(maxsize=100_000)
def _band_keys(terms: frozenset[str]) -> tuple[str, ...]:
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch([t.encode() for t in sorted(terms)])
    hv = mh.hashvalues
    return tuple(f"m{b}:" + hashlib.blake2b(hv[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
                 for b in range(BANDS))


def candidate_keys(it: ClaimItem) -> tuple[str, ...]:
    """Step 2, the LSH bucket keys of one claim: deterministic (fixed seed), empty for ineligible claims."""
    return _band_keys(it.terms) if eligible(it) else ()


def matches(a: ClaimItem, b: ClaimItem) -> float:
    """Similarity in [0, 1] if ``a`` and ``b`` state the same claim, else 0 (symmetric)."""
    if not (eligible(a) and eligible(b)):
        return 0.0
    if a.anchors and b.anchors and len(a.anchors & b.anchors) * 2 < min(len(a.anchors), len(b.anchors)):
        return 0.0  # "Staryi Lyman ... Kharkiv" vs "Mala Rohan ... Kharkiv": most names differ
    inter = len(a.terms & b.terms)
    jac = inter / len(a.terms | b.terms)
    if jac >= JACCARD:
        return jac
    small = min(len(a.terms), len(b.terms))
    if small >= 4 and inter / small >= CONTAINMENT:
        return max(jac, 0.5)
    return 0.0


def same_claim(a: ClaimItem, b: ClaimItem) -> bool:
    """Step 3, the pair predicate: pure and symmetric, so a pair gets one verdict wherever it is checked."""
    return a.features == b.features and eligible(a) or matches(a, b) > 0


def digest(features: tuple[frozenset[str], frozenset[str]]) -> str:
    """A stable digest of a claim's features: the order of claims inside an oversized bucket."""
    text = "\x1f".join(sorted(features[0])) + "\x1e" + "\x1f".join(sorted(features[1]))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def bucket_pairs(members: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs to verify in one bucket of distinct feature digests: all pairs up to BUCKET_CAP, else each
    digest with its WINDOW successors in sorted order. Depends only on the bucket's set of digests."""
    ds = sorted(set(members))
    reach = len(ds) if len(ds) <= BUCKET_CAP else WINDOW + 1
    return [(ds[i], ds[j]) for i in range(len(ds)) for j in range(i + 1, min(len(ds), i + reach))]


def candidate_pairs(items: Sequence[ClaimItem]) -> set[tuple[str, str]]:
    """Pairs of distinct feature digests that share a candidate key (each pair once, smaller digest first)."""
    buckets: dict[str, set[str]] = defaultdict(set)
    for it in items:
        d = digest(it.features)
        for k in candidate_keys(it):
            buckets[k].add(d)
    out: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) > 1:
            out.update(bucket_pairs(sorted(members)))
    return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(items: Sequence[ClaimItem]) -> list[list[Key]]:
    """Step 4, connected components of the verified candidate pairs, as sorted member keys; claims with
    equal (eligible) features are one claim. Sorted by smallest member key: a function of the set only."""
    groups: dict[str, list[ClaimItem]] = defaultdict(list)
    for it in items:
        groups[digest(it.features) if eligible(it) else "\x00" + repr(it.key)].append(it)
    names = sorted(groups)
    index = {d: i for i, d in enumerate(names)}
    uf = _UnionFind(len(names))
    for da, db in candidate_pairs([g[0] for g in groups.values() if eligible(g[0])]):
        if same_claim(groups[da][0], groups[db][0]):
            uf.union(index[da], index[db])
    comps: dict[int, set[Key]] = defaultdict(set)
    for d in names:
        comps[uf.find(index[d])].update(it.key for it in groups[d])
    return sorted((sorted(c) for c in comps.values()), key=lambda c: c[0])


def cluster_key(members: Sequence[Key]) -> Key:
    """The name of a cluster: its smallest member key (the same whichever pass or partition built it)."""
    return min(members)


def cluster_claims(items: Sequence[ClaimItem]) -> list[int]:
    """A cluster number per item; numbers follow the clusters' smallest member keys, so the result depends
    on the set of claims, not on their order. Every item gets one (a lone claim is its own cluster)."""
    number = {k: n for n, comp in enumerate(components(items)) for k in comp}
    return [number[it.key] for it in items]
