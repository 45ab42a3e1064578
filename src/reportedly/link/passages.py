"""Near-duplicate paragraphs across the corpus (MinHash/LSH): which passages were recycled from an earlier
article.

Signatures are computed once per paragraph at ingest (in the worker processes) and stored, so relinking a
corpus costs one LSH pass and no re-hashing. The pass is "leader" clustering in publication order over the
distinct signatures ("texts", each at its first occurrence): a text is looked up among group
representatives (those sharing one of datasketch's LSH bands at THRESHOLD) and joins the best verified
match; only texts that are not near-copies of their group's representatives are indexed themselves. Exact
copies (wire copy, boilerplate) are one text and never grow an LSH bucket, which keeps the pass close to
linear in the number of paragraphs instead of quadratic in the size of the largest duplicate group. A
text's outcome depends only on the indexed texts before it in its bands, which is what lets
link.incremental_passages place a batch without rerunning the pass.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

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


Rank = tuple[str, int, int]  # (published or "9999", ingest seq, paragraph idx): the pass's order


def rank_of(p: Para) -> Rank:
    """Where a paragraph comes in the pass (chronological, ties by ingest order, then paragraph order)."""
    return (*p.order, p.idx)


def sig_key(sig: bytes) -> str:
    """The key of a distinct signature (the pass treats identical signatures as one text)."""
    return hashlib.blake2b(sig, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def _bands() -> tuple[tuple[int, int], ...]:
    return tuple(MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges)


def band_keys(sig: bytes) -> list[bytes]:
    """The LSH band keys of a signature, as datasketch's MinHashLSH at THRESHOLD buckets it: two
    signatures are candidates exactly when one band's hash values are equal."""
    return [bytes([b]) + sig[4 * s:4 * e] for b, (s, e) in enumerate(_bands())]


_MIX = np.uint64(0x9E3779B97F4A7C15)
_LOW56 = np.uint64((1 << 56) - 1)
_CHUNK = 50_000  # signatures hashed at once


def band_matrix(sigs: Sequence[bytes]) -> np.ndarray:
    """Per signature, every band's key as a 64-bit integer for the stored band index: the band's number in
    the top byte (so a relink from scratch writes them in order, one band at a time) and a 56-bit mix of
    the band's hash values below (a collision only adds a candidate, which ``shares_band`` then drops).
    Vectorised: a relink from scratch keys every distinct paragraph of the corpus."""
    out = np.zeros((len(sigs), len(_bands())), dtype=np.uint64)
    for i in range(0, len(sigs), _CHUNK):
        h = np.frombuffer(b"".join(sigs[i:i + _CHUNK]), dtype=np.uint32).reshape(-1, NUM_PERM).astype(np.uint64)
        for b, (s, e) in enumerate(_bands()):
            x = np.zeros(len(h), dtype=np.uint64)
            for j in range(s, e):
                x = (x ^ h[:, j]) * _MIX
                x ^= x >> np.uint64(29)
            out[i:i + len(h), b] = (x & _LOW56) | np.uint64(b << 56)
    return out


def band_ints(sig: bytes) -> list[int]:
    """Every band key of one signature (``band_matrix``)."""
    return [int(v) for v in band_matrix([sig])[0]]


def shares_band(a: bytes, b: bytes) -> bool:
    """Whether the LSH index returns one signature as a candidate for the other."""
    x = np.frombuffer(a, dtype=np.uint32)
    y = np.frombuffer(b, dtype=np.uint32)
    return any(np.array_equal(x[s:e], y[s:e]) for s, e in _bands())


@dataclass(slots=True)
class Text:
    """One distinct paragraph signature in the leader clustering: its first occurrence (``rank``), the
    group it joined (named by the key of the text that founded it) and whether it is indexed (a
    representative later texts are matched against)."""

    key: str
    sig: bytes
    rank: Rank
    leader: str = ""
    indexed: bool = False


def decide(text: Text, candidates: Iterable[Text]) -> tuple[str, bool]:
    """(group, indexed) of ``text`` given the indexed texts before it that share an LSH band with it: the
    best verified match's group, ties to the earlier one (so the outcome never depends on set order), and
    indexed unless it is a copy of that match; a new group of its own when nothing matches."""
    best: Text | None = None
    best_sim = 0.0
    for c in candidates:
        sim = similarity(text.sig, c.sig)
        if sim >= THRESHOLD and (sim > best_sim or (sim == best_sim and best is not None and c.rank < best.rank)):
            best, best_sim = c, sim
    if best is None:
        return text.key, True
    return best.leader, best_sim < COPY


def place_texts(texts: Sequence[Text]) -> None:
    """The whole pass over ``texts`` (sorted by rank): each text's group and indexed flag, set in place."""
    index: dict[bytes, list[Text]] = defaultdict(list)
    for t in texts:
        keys = band_keys(t.sig)
        seen: dict[str, Text] = {}
        for k in keys:
            for c in index.get(k, ()):
                seen[c.key] = c
        t.leader, t.indexed = decide(t, seen.values())
        if t.indexed:
            for k in keys:
                index[k].append(t)


def texts_of(paras: Sequence[Para]) -> tuple[list[Text], list[str]]:
    """The distinct signatures of ``paras`` in pass order, and each paragraph's text key."""
    keys = [sig_key(p.sig) for p in paras]
    texts: dict[str, Text] = {}
    for p, k in zip(paras, keys, strict=True):
        r = rank_of(p)
        if k not in texts or r < texts[k].rank:
            texts[k] = Text(k, p.sig, r)
    return sorted(texts.values(), key=lambda t: t.rank), keys


@dataclass
class Placement:
    """The leader clustering of a corpus as the incremental pass keeps it (link.incremental_passages)."""

    texts: list[Text]  # pass order
    first: dict[str, tuple[str, int]]  # text key -> (article, idx) of its first occurrence
    paras: list[tuple[str, int, str]]  # (article, idx, text key) per paragraph
    group_articles: dict[str, int]  # founder's key -> articles its group spans
    corpus_articles: int

    def text_rows(self) -> list[tuple[str, str, int, str, int, int]]:
        """link_passages rows: (key, first article, first idx, group, indexed, articles if a founder), in key
        order (an index is appended to, not inserted all over)."""
        return sorted((t.key, *self.first[t.key], t.leader, int(t.indexed), self.group_articles.get(t.key, 0))
                      for t in self.texts)

    def band_rows(self) -> Iterator[tuple[int, str]]:
        """(band, text key) of every text, band by band and sorted within a band, so they are written in
        index order and only one band's rows are in memory at once."""
        keys = band_matrix([t.sig for t in self.texts])
        for b in range(keys.shape[1]):
            for i in np.argsort(keys[:, b], kind="stable"):
                yield int(keys[i, b]), self.texts[i].key


def cluster(paras: Sequence[Para]) -> tuple[list[list[int]], Placement]:
    """Groups (indices into ``paras``, chronological) of near-duplicate paragraphs, and the placement they
    came from. The pass runs over distinct signatures: a paragraph identical to an earlier one joins that
    one's group without a lookup. A paragraph as close to two representatives joins the earlier one's
    group: LSH candidates come back as a set, whose order varies with the process's string hashing, so ties
    must not be left to it (the same corpus, the same groups). Groups come in the order they were founded."""
    texts, keys = texts_of(paras)
    place_texts(texts)
    by_key = {t.key: t for t in texts}
    founded = {k: n for n, k in enumerate(t.key for t in texts if t.leader == t.key)}
    groups: list[list[int]] = [[] for _ in founded]
    first: dict[str, tuple[str, int]] = {}
    for i in sorted(range(len(paras)), key=lambda i: rank_of(paras[i])):
        groups[founded[by_key[keys[i]].leader]].append(i)
        first.setdefault(keys[i], (paras[i].article, paras[i].idx))
    spans = {k: len({paras[i].article for i in groups[n]}) for k, n in founded.items()}
    para_rows = [(p.article, p.idx, k) for p, k in zip(paras, keys, strict=True)]
    return groups, Placement(texts, first, para_rows, spans, len({p.article for p in paras}))


BOILERPLATE_MIN_ARTICLES = 5
BOILERPLATE_SHARE = 0.5


def is_boilerplate(articles_with_it: int, corpus_articles: int) -> bool:
    """A paragraph found in most articles of the corpus (a site footer, a disclaimer, a newsletter box)
    says nothing about one article borrowing from another; recycled copy is in a few articles, not most."""
    return articles_with_it >= BOILERPLATE_MIN_ARTICLES and articles_with_it >= BOILERPLATE_SHARE * corpus_articles


def group_notes(members: Sequence[Para], corpus_articles: int) -> list[Recycled]:
    """The notes of one group (its paragraphs in pass order): each paragraph of another article than the
    group's first names that first one, unless the group is boilerplate."""
    if len(members) < 2 or is_boilerplate(len({p.article for p in members}), corpus_articles):
        return []
    first = members[0]
    notes = []
    for p in members[1:]:
        if p.article == first.article:  # a paragraph repeated inside one article is not recycling
            continue
        earlier = bool(first.published and p.published and first.published < p.published)
        notes.append(Recycled(p.article, p.idx, p.start, p.end, first.article, first.idx,
                              round(similarity(p.sig, first.sig), 3), earlier))
    return notes


def recycled_passages(paras: Sequence[Para]) -> list[Recycled]:
    """For each paragraph that repeats one from another article published (or ingested) before it: a note
    naming the earliest such article."""
    return passage_pass(paras)[0]


def passage_pass(paras: Sequence[Para]) -> tuple[list[Recycled], Placement]:
    """The notes of a corpus and the placement an incremental pass continues from."""
    groups, placed = cluster(paras)
    n_articles = placed.corpus_articles
    return [n for members in groups for n in group_notes([paras[i] for i in members], n_articles)], placed


def paras_of(articles: Iterable[tuple[str, str | None, int, Sequence[tuple[int, int, int, bytes]]]]) -> list[Para]:
    """Flatten (article id, published, seq, signatures) into Para records."""
    out = []
    for aid, published, seq, sigs in articles:
        for idx, s, e, sig in sigs:
            out.append(Para(aid, (published or "9999", seq), published, idx, s, e, sig))
    return out
