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

A claim is its content (a sentence embedding, link.embed), its names and numbers ("anchors": capitalised
words not opening the text, and digits), its sources (origin, speaker and the go-betweens that relayed it,
as entity keys) and its date. Two claims match when the contents say the same thing (cosine >= COSINE),
they share at least half of the names and numbers of the one that names fewer (paraphrase changes the
verbs and the order, rarely the names), their sources are compatible (the same speaker, one relays the
other, or one is unnamed) and they were published within MAX_DAYS of each other. Candidate keys are bands
of random-hyperplane signs of the embedding (fixed seed), so linking stays near-linear. Content words
(``claim_terms``) decide only whether a claim says enough to be matched at all (MIN_TERMS) and, in
link.formulaic, its shape.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from reportedly.lexicon import words
from reportedly.link.embed import DIM

BANDS, ROWS = 32, 12  # random-hyperplane LSH: a pair at cosine 0.85 shares a band with p ~ 0.97
SEED = 1  # fixed: keys must be the same in every process, every run
COSINE = 0.80  # embedding alone says "the same content" (see docs/design.md for how it was chosen)
COSINE_WITH_WORDS = 0.70  # ... or this, when one claim's content words are nearly all in the other
CONTAINMENT = 0.75
MAX_DAYS = 30  # publication dates further apart are different news, whatever the words
MIN_TERMS = 3
BUCKET_CAP = 64  # distinct claims compared all-pairs in one bucket; beyond it, each meets its WINDOW next
WINDOW = 16  # neighbours in the bucket's digest order (a function of the bucket's contents, not of input order)

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d|\d")
REPORTING = words("link_words", "claim_reporting_words")  # data/link_words.json
_STOP = frozenset(w.lower() for w in STOP_WORDS) | {"s", "'s", "’s"}


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A deliberately small English suffix stemmer: enough to equate "recaptured"/"recapture",
    "villages"/"village" in claim shapes (link.formulaic); pure, and cached (words recur in every claim)."""
    w = word.lower().strip("'’-.")
    for suf, rep in (("'s", ""), ("’s", ""), ("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""),
                     ("es", ""), ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3 and not (suf == "s" and w.endswith(("ss", "us", "is"))):
            w = w[: len(w) - len(suf)] + rep
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":  # "planned" -> "plann" -> "plan"
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):  # "recapture" and "recaptured" both -> "recaptur"
        w = w[:-1]
    return w


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
    vector: bytes = b""  # float32 unit embedding (link.embed); empty for claims too short to match
    sources: frozenset[str] = frozenset()  # entity keys of its speaker and relays; empty = unnamed
    day: int | None = None  # publication day (days since 1970-01-01), if known

    @property
    def features(self) -> tuple[Any, ...]:
        """Everything ``same_claim`` reads: claims with equal features are one claim."""
        return self.terms, self.anchors, self.vector, self.sources, self.day


@lru_cache(maxsize=100_000)
def _features(content: str) -> tuple[frozenset[str], frozenset[str]]:
    return claim_terms(content), claim_anchors(content)


def _day(published: str | None) -> int | None:
    try:
        return date.fromisoformat((published or "")[:10]).toordinal() - _EPOCH
    except ValueError:
        return None


_EPOCH = date(1970, 1, 1).toordinal()


def needs_vector(content: str) -> bool:
    """Whether a claim says enough to be matched, so that its embedding is wanted at all."""
    return len(_features(content)[0]) >= MIN_TERMS


def item(article_id: str, attr_id: str, content: str, sources: Iterable[str] = (),
         published: str | None = None, vector: bytes | None = None) -> ClaimItem:
    """Step 1, per-claim features (pure; text features and embeddings cached by text). ``vector``: the
    content's embedding when the caller has it already (link.vectors: stored in the ledger)."""
    from reportedly.link.embed import embed

    terms, anchors = _features(content)
    if len(terms) < MIN_TERMS:
        vector = b""
    elif vector is None:
        vector = embed(content).tobytes()
    return ClaimItem((article_id, attr_id), terms, anchors, vector, frozenset(s for s in sources if s),
                     _day(published))


def eligible(it: ClaimItem) -> bool:
    """Claims with too few content words (or formulaic ones, given empty content) join no cluster."""
    return len(it.terms) >= MIN_TERMS and bool(it.vector)


@lru_cache(maxsize=1)
def _planes() -> np.ndarray:
    return np.random.default_rng(SEED).standard_normal((BANDS * ROWS, DIM)).astype(np.float32)


@lru_cache(maxsize=4096)
def _band_keys(vector: bytes) -> tuple[str, ...]:
    bits = (_planes() @ np.frombuffer(vector, dtype=np.float32)) > 0
    packed = np.packbits(bits.reshape(BANDS, ROWS), axis=1)
    return tuple(f"e{b}:{packed[b].tobytes().hex()}" for b in range(BANDS))


def candidate_keys(it: ClaimItem) -> tuple[str, ...]:
    """Step 2, the LSH bucket keys of one claim: deterministic (fixed seed), empty for ineligible claims."""
    return _band_keys(it.vector) if eligible(it) else ()


def cosine(a: ClaimItem, b: ClaimItem) -> float:
    """Cosine of two claims' embeddings (0 when either has none)."""
    if not (a.vector and b.vector):
        return 0.0
    return float(np.dot(np.frombuffer(a.vector, dtype=np.float32), np.frombuffer(b.vector, dtype=np.float32)))


def names_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Half the names and numbers of the claim that names fewer recur in the other; numbers never conflict."""
    if not (a and b):
        return True
    na, nb = {t for t in a if t[0].isdigit()}, {t for t in b if t[0].isdigit()}
    if na and nb and not na & nb:
        return False  # "3 percent" vs "5 percent"
    return len(a & b) * 2 >= min(len(a), len(b))


def _key_subset(a: str, b: str) -> bool:
    ta, tb = set(a.split()), set(b.split())
    return bool(ta) and (ta <= tb or tb <= ta)


def sources_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same speaker, one relays the other (a shared key), or one source is unnamed (empty set);
    "Trump" and "Donald Trump" are one speaker."""
    return not (a and b) or any(_key_subset(x, y) for x in a for y in b)


def contents_agree(a: ClaimItem, b: ClaimItem) -> bool:
    """The embeddings are close, or fairly close while the shorter claim's content words are nearly all in
    the longer one ("its budget was cut by a third" / "the refinery's budget was cut by a third, according
    to people who saw the figures": an added clause pulls the cosine down, not the words)."""
    cos = cosine(a, b)
    if cos >= COSINE:
        return True
    small = min(len(a.terms), len(b.terms))
    return cos >= COSINE_WITH_WORDS and small >= MIN_TERMS and len(a.terms & b.terms) >= CONTAINMENT * small


def dates_close(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= MAX_DAYS


_RULES: tuple[tuple[str, Callable[[ClaimItem, ClaimItem], bool]], ...] = (
    ("both say enough", lambda a, b: eligible(a) and eligible(b)),
    ("dates close", lambda a, b: dates_close(a.day, b.day)),
    ("names and numbers agree", lambda a, b: names_agree(a.anchors, b.anchors)),
    ("sources compatible", lambda a, b: sources_compatible(a.sources, b.sources)),
    ("contents say the same", lambda a, b: contents_agree(a, b)),
)


def failed_rule(a: ClaimItem, b: ClaimItem) -> str | None:
    """The first rule of ``same_claim`` the pair fails, or None when it is one claim."""
    return next((name for name, rule in _RULES if not rule(a, b)), None)


def same_claim(a: ClaimItem, b: ClaimItem) -> bool:
    """Step 3, the pair predicate: pure and symmetric (every rule is), so a pair gets one verdict wherever
    it is checked."""
    return failed_rule(a, b) is None


def digest(it: ClaimItem) -> str:
    """A stable digest of a claim's features: the order of claims inside an oversized bucket."""
    h = hashlib.blake2b(digest_size=10)
    for part in (sorted(it.terms), sorted(it.anchors), sorted(it.sources)):
        h.update("\x1f".join(part).encode() + b"\x1e")
    h.update(it.vector + str(it.day).encode())
    return h.hexdigest()


def bucket_pairs(members: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs to verify in one bucket of distinct feature digests: all pairs up to BUCKET_CAP, else each
    digest with its WINDOW successors in sorted order. Depends only on the bucket's set of digests."""
    ds = sorted(set(members))
    reach = len(ds) if len(ds) <= BUCKET_CAP else WINDOW + 1
    return [(ds[i], ds[j]) for i in range(len(ds)) for j in range(i + 1, min(len(ds), i + reach))]


def candidate_pairs(by_digest: dict[str, ClaimItem]) -> set[tuple[str, str]]:
    """Pairs of distinct feature digests (claims keyed by ``digest``) that share a candidate key (each pair
    once, smaller digest first)."""
    buckets: dict[str, set[str]] = defaultdict(set)
    for d, it in by_digest.items():
        for k in candidate_keys(it):
            buckets[k].add(d)
    out: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) > 1:
            out.update(bucket_pairs(sorted(members)))
    return out


class UnionFind:
    """Disjoint sets of any hashable units, roots chosen by ``repr`` so a grouping never depends on the order
    the unions came in; shared by the full linker (claim indexes) and the incremental one (clusters, nodes)."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, u: Any) -> Any:
        self.parent.setdefault(u, u)
        while self.parent[u] != u:
            self.parent[u] = self.parent[self.parent[u]]
            u = self.parent[u]
        return u

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=repr)] = min(ra, rb, key=repr)


def components(items: Sequence[ClaimItem]) -> list[list[Key]]:
    """Step 4, connected components of the verified candidate pairs, as sorted member keys; claims with
    equal (eligible) features are one claim. Sorted by smallest member key: a function of the set only."""
    groups: dict[str, list[ClaimItem]] = defaultdict(list)
    for it in items:
        groups[digest(it) if eligible(it) else "\x00" + repr(it.key)].append(it)
    names = sorted(groups)
    index = {d: i for i, d in enumerate(names)}
    uf = UnionFind()
    for da, db in candidate_pairs({d: g[0] for d, g in groups.items() if eligible(g[0])}):
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
