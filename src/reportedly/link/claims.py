"""Claim clusters across articles: the same content about the same entities, worded differently.

A claim is reduced to its content words (lower-cased, stop words and reporting verbs dropped, a light
suffix stemmer, demonyms mapped to their country) plus its "anchors" (names and numbers). Two claims
match when their word sets overlap enough (Jaccard, or containment for a short paraphrase of a longer
claim) AND, when both name something, they share at least half of the names and numbers of the one that
names fewer: paraphrase changes the verbs and the order, rarely the names. Candidates come from
MinHash/LSH, so the pass is near-linear; identical claims are merged before LSH and near-copies are not
re-indexed (see passages.py), which keeps buckets small on syndicated copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from datasketch import MinHash, MinHashLSH
from spacy.lang.en.stop_words import STOP_WORDS

NUM_PERM = 64
LSH_THRESHOLD = 0.3  # candidate recall: verification below decides
JACCARD = 0.5
CONTAINMENT = 0.75
MIN_TERMS = 3
COPY = 0.9
MAX_CANDIDATES = 64  # verified per query: bounds a pathological bucket

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


@dataclass(frozen=True)
class ClaimItem:
    """One claim to cluster; ``key`` is whatever the caller uses to find it again."""

    key: tuple[str, str]  # (article id, attribution id)
    terms: frozenset[str]
    anchors: frozenset[str]


@lru_cache(maxsize=100_000)
def _features(content: str) -> tuple[frozenset[str], frozenset[str]]:
    return claim_terms(content), claim_anchors(content)


def item(article_id: str, attr_id: str, content: str) -> ClaimItem:
    """A ClaimItem; features are cached by text (syndicated copy repeats claims verbatim)."""
    terms, anchors = _features(content)
    return ClaimItem((article_id, attr_id), terms, anchors)


def matches(a: ClaimItem, b: ClaimItem) -> float:
    """Similarity in [0, 1] if ``a`` and ``b`` state the same claim, else 0."""
    if len(a.terms) < MIN_TERMS or len(b.terms) < MIN_TERMS:
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


def cluster_claims(items: Sequence[ClaimItem]) -> list[int]:
    """A cluster number per item (0, 1, ... in order of each cluster's first item); every item gets one."""
    uf = _UnionFind(len(items))
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    # the same words and names (wire copy, a quote repeated verbatim): one cluster, no LSH work
    first_with: dict[tuple[frozenset[str], frozenset[str]], int] = {}
    eligible = []
    for i, it in enumerate(items):
        if len(it.terms) < MIN_TERMS:
            continue
        j = first_with.setdefault((it.terms, it.anchors), i)
        if j != i:
            uf.union(i, j)
        else:
            eligible.append(i)
    hashes = MinHash.bulk([[t.encode() for t in sorted(items[i].terms)] for i in eligible], num_perm=NUM_PERM)
    for i, mh in zip(eligible, hashes, strict=True):
        best = 0.0
        for n, key in enumerate(lsh.query(mh)):
            if n >= MAX_CANDIDATES:
                break
            j = int(key)
            sim = matches(items[i], items[j])
            if sim > 0:
                uf.union(i, j)
                best = max(best, sim)
        if best < COPY:
            lsh.insert(str(i), mh)
    labels: dict[int, int] = {}
    out = []
    for i in range(len(items)):
        root = uf.find(i)
        out.append(labels.setdefault(root, len(labels)))
    return out
