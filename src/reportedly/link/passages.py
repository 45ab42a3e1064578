"""Near-duplicate paragraphs across the corpus (MinHash/LSH): which passages were recycled from an earlier
article.

Signatures are computed once per paragraph at ingest (in the worker processes) and stored, so relinking a
corpus costs one LSH pass and no re-hashing. The pass is "leader" clustering in publication order: a
paragraph is looked up among group representatives and joins the best verified match; only paragraphs
that are not near-copies of their group's representatives are indexed themselves. Exact copies (wire
copy, boilerplate) therefore never grow an LSH bucket, which keeps the pass close to linear in the number
of paragraphs instead of quadratic in the size of the largest duplicate group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 4  # words per shingle: long enough that shared phrases ("the White House said") do not match
MIN_WORDS = 12  # shorter paragraphs (datelines, "Read more here.") carry no evidence of recycling
THRESHOLD = 0.6  # estimated Jaccard of shingle sets above which two paragraphs count as the same passage
COPY = 0.9  # above this a paragraph is a copy of its group representative and is not indexed itself
MAX_PARAGRAPHS = 400  # per article: bounds the work a hostile 1 MB "article" can cause

_WORD = re.compile(r"\w+", re.UNICODE)
_PARA = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")  # runs of non-blank lines; one newline does not split
_SEED = 1
_SCHEME = "affine32"  # datasketch 2's 32-bit hash scheme: signatures are stored, so it is fixed explicitly


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank-line separated blocks, or lines when the text has no blank
    lines (many corpora put one paragraph per line)."""
    if "\n\n" in text:
        spans = [(m.start(), m.end()) for m in _PARA.finditer(text)]
    else:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out[:MAX_PARAGRAPHS]


def shingles(text: str) -> list[bytes]:
    """Word k-shingles of a paragraph, case- and punctuation-insensitive."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return [" ".join(words).encode()] if words else []
    return list({" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)})


_PERMS: tuple[np.ndarray, np.ndarray] | None = None


def _template() -> MinHash:
    global _PERMS
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_PERMS, scheme=_SCHEME)
    _PERMS = m.permutations
    return m


def signatures(text: str) -> list[tuple[int, int, int, bytes]]:
    """(idx, start, end, minhash bytes) for each paragraph long enough to link."""
    out = []
    for idx, (s, e) in enumerate(paragraphs(text)):
        piece = text[s:e]
        if len(_WORD.findall(piece)) < MIN_WORDS:
            continue
        m = _template()
        m.update_batch(shingles(piece))
        out.append((idx, s, e, np.asarray(m.hashvalues, dtype=np.uint32).tobytes()))
    return out


def _lean(sig: bytes) -> LeanMinHash:
    return LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(sig, dtype=np.uint32), scheme=_SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two paragraph signatures."""
    x = np.frombuffer(a, dtype=np.uint32)
    y = np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(x == y)) / len(x)


@dataclass(frozen=True)
class Para:
    article: str
    order: tuple[str, int]  # (published or "9999", ingest seq): chronological order, ties by ingest order
    published: str | None
    idx: int
    start: int
    end: int
    sig: bytes


@dataclass(frozen=True)
class Recycled:
    """Paragraph ``idx`` of ``article`` repeats paragraph ``source_idx`` of the earlier ``source``."""

    article: str
    idx: int
    start: int
    end: int
    source: str
    source_idx: int
    similarity: float
    earlier: bool  # the source was published on an earlier date (not only ingested earlier)


def group_paragraphs(paras: Sequence[Para]) -> list[list[int]]:
    """Groups (indices into ``paras``, chronological) of near-duplicate paragraphs. A paragraph as close to
    two representatives joins the earlier one's group: LSH candidates come back as a set, whose order varies
    with the process's string hashing, so ties must not be left to it (the same corpus, the same groups)."""
    order = sorted(range(len(paras)), key=lambda i: (paras[i].order, paras[i].idx))
    rank = {i: n for n, i in enumerate(order)}
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    group_of: dict[int, int] = {}  # indexed representative -> group number
    exact: dict[bytes, int] = {}  # signature -> group number: identical copies skip the LSH query
    groups: list[list[int]] = []
    for i in order:
        p = paras[i]
        if p.sig in exact:
            groups[exact[p.sig]].append(i)
            continue
        best, best_key = -1, (0.0, 0)
        for key in lsh.query(_lean(p.sig)):
            rep = int(key)
            sim = similarity(p.sig, paras[rep].sig)
            if sim >= THRESHOLD and (sim, -rank[rep]) > best_key:
                best, best_key = rep, (sim, -rank[rep])
        best_sim = best_key[0]
        if best < 0:
            group_of[i] = exact[p.sig] = len(groups)
            groups.append([i])
            lsh.insert(str(i), _lean(p.sig))
            continue
        g = exact[p.sig] = group_of[best]
        groups[g].append(i)
        if best_sim < COPY:  # a variant: index it too, so later variants of it are found
            group_of[i] = g
            lsh.insert(str(i), _lean(p.sig))
    return groups


BOILERPLATE_MIN_ARTICLES = 5
BOILERPLATE_SHARE = 0.5


def is_boilerplate(articles_with_it: int, corpus_articles: int) -> bool:
    """A paragraph found in most articles of the corpus (a site footer, a disclaimer, a newsletter box)
    says nothing about one article borrowing from another; recycled copy is in a few articles, not most."""
    return articles_with_it >= BOILERPLATE_MIN_ARTICLES and articles_with_it >= BOILERPLATE_SHARE * corpus_articles


def recycled_passages(paras: Sequence[Para]) -> list[Recycled]:
    """For each paragraph that repeats one from another article published (or ingested) before it: a note
    naming the earliest such article."""
    notes = []
    n_articles = len({p.article for p in paras})
    for members in group_paragraphs(paras):
        if len(members) < 2 or is_boilerplate(len({paras[i].article for i in members}), n_articles):
            continue
        first = paras[members[0]]
        for i in members[1:]:
            p = paras[i]
            if p.article == first.article:  # a paragraph repeated inside one article is not recycling
                continue
            earlier = bool(first.published and p.published and first.published < p.published)
            notes.append(Recycled(p.article, p.idx, p.start, p.end, first.article, first.idx,
                                  round(similarity(p.sig, first.sig), 3), earlier))
    return notes


def paras_of(articles: Iterable[tuple[str, str | None, int, Sequence[tuple[int, int, int, bytes]]]]) -> list[Para]:
    """Flatten (article id, published, seq, signatures) into Para records."""
    out = []
    for aid, published, seq, sigs in articles:
        for idx, s, e, sig in sigs:
            out.append(Para(aid, (published or "9999", seq), published, idx, s, e, sig))
    return out
