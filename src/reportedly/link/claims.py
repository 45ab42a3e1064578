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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from reportedly.lexicon import words
from reportedly.link.embed import DIM
from reportedly.link.outlets import CARRIER

BANDS, ROWS = 32, 12  # random-hyperplane LSH: a pair at cosine 0.85 shares a band with p ~ 0.97
SEED = 1  # fixed: keys must be the same in every process, every run
COSINE = 0.80  # embedding alone says "the same content" (see docs/design.md for how it was chosen)
COSINE_WITH_WORDS = 0.70  # ... or this, when one claim's content words are nearly all in the other
COSINE_UNNAMED = 0.90  # either speaker unnamed: the sources vouch for nothing, the content alone must
CONTAINMENT = 0.75
CONTAINMENT_MIN_TERMS = 6  # ... and only when the shorter claim has this many content words (fewer: a topic)
NAMED_MIN_TERMS = 4  # a claim with fewer content words is matched only between two named speakers
MAX_DAYS = 7  # publication dates further apart are another statement, whatever the words (design.md)
QUOTE_DAYS = 30  # the same long quotation under two speakers who cannot be one: a stock phrase beyond this
MIN_TERMS = 3
SHORT_FORM = 3  # letters of a shortened word in a source key that still name one person (``_short_form``)
QUOTE_WORDS = 10  # a quotation this long, word for word in two claims, is one statement (``quoted_alike``)
MAX_QUOTE_KEYS = 8  # quote keys of one claim (one per quoted sentence start): bounds a claim's buckets
BUCKET_CAP = 512  # distinct claims compared all-pairs in one bucket; beyond it, each meets its WINDOW next
WINDOW = 64  # neighbours in the bucket's digest order (a function of the bucket's contents, not of input order)
UNDATED = "u"  # the time slot of claims without a publication date: a key space of their own
MARGIN = 1e-4  # the vectorised cosine pre-filter keeps pairs this far below COSINE_WITH_WORDS (float rounding)
SIGNS_APART = 140  # of the BANDS * ROWS hyperplane signs: a pair at COSINE_WITH_WORDS differs in 97 +- 8.5 (5 sd)
CHUNK = 16_384  # candidate pairs whose cosines are computed in one numpy call (bounds the gathered rows)

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d|\d")
_QUOTED = re.compile(r'[“"]([^”"]+)(?:[”"]|$)')
_SENTENCE = re.compile(r"(?:^|[.?!;:]\s+)(?=\S)")
_QWORD = re.compile(r"[a-z0-9]+")
_OPENING_MARKS = " \"'“‘("  # what may stand between a sentence start and its first word
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


def claim_quotes(text: str) -> frozenset[str]:
    """Keys of the quotations a claim carries word for word: for each quoted passage of at least QUOTE_WORDS
    words, a digest of the QUOTE_WORDS words from its start and from each sentence start inside it (another
    outlet may quote from the second sentence on). Two claims sharing a key quote the same words."""
    keys: list[str] = []
    for m in _QUOTED.finditer(text):
        quote = m.group(1)
        for start in _SENTENCE.finditer(quote):
            words = _QWORD.findall(quote[start.end():].lower())
            if len(words) >= QUOTE_WORDS:
                keys.append(hashlib.blake2b(" ".join(words[:QUOTE_WORDS]).encode(), digest_size=8).hexdigest())
    return frozenset(sorted(set(keys))[:MAX_QUOTE_KEYS])


def _opens_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(_OPENING_MARKS)
    return not before or before[-1] in ".!?\n"



Key = tuple[str, str]  # (article id, attribution id)


@dataclass(frozen=True)
class ClaimItem:
    """One claim to cluster: its ``key`` (article id, attribution id) and its features."""

    key: Key
    terms: frozenset[str]
    anchors: frozenset[str]
    vector: bytes = b""  # float32 unit embedding (link.embed); empty for claims too short to match
    sources: frozenset[str] = frozenset()  # speaker key, and CARRIER-marked relay/outlet keys; empty = unnamed
    day: int | None = None  # publication day (days since 1970-01-01), if known
    quotes: frozenset[str] = frozenset()  # keys of its long verbatim quotations (claim_quotes)

    @property
    def features(self) -> tuple[Any, ...]:
        """Everything ``same_claim`` reads: claims with equal features are one claim."""
        return self.terms, self.anchors, self.vector, self.sources, self.day, self.quotes


@lru_cache(maxsize=100_000)
def _features(content: str) -> tuple[frozenset[str], frozenset[str]]:
    return claim_terms(content), claim_anchors(content)


def day_number(published: str | None) -> int | None:
    """The day of an ISO date (its first 10 characters) as days since 1970-01-01; None when unreadable."""
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
                     day_number(published), claim_quotes(content) if vector else frozenset())


def eligible(it: ClaimItem) -> bool:
    """Claims with too few content words (or formulaic ones, given empty content) join no cluster."""
    return len(it.terms) >= MIN_TERMS and bool(it.vector)


@lru_cache(maxsize=1)
def _planes() -> np.ndarray:
    return np.random.default_rng(SEED).standard_normal((BANDS * ROWS, DIM)).astype(np.float32)


_CODES: dict[bytes, bytes] = {}  # embedding -> its band codes (uint16 bytes), see band_code_bytes
_CODES_KEPT = 1 << 20  # embeddings whose codes are remembered; a link pass forgets them all (forget_codes)


def band_code_bytes(vector: bytes) -> bytes:
    """The ROWS-bit hyperplane code of each band, as BANDS uint16 (one matrix-vector product per claim, so
    every process that keys a claim computes the same signs). Remembered per embedding: a relink computes
    them for the pair filter and again for the bucket rows, and an incremental pass reads them with the
    stored nodes (``remember_codes``) instead of recomputing them for half a million claims."""
    codes = _CODES.get(vector)
    if codes is None:
        bits = (_planes() @ np.frombuffer(vector, dtype=np.float32)) > 0
        weights = 1 << np.arange(ROWS - 1, -1, -1)
        codes = (bits.reshape(BANDS, ROWS).astype(np.int64) @ weights).astype(np.uint16).tobytes()
        remember_codes(vector, codes)
    return codes


def remember_codes(vector: bytes, codes: bytes) -> None:
    """Keep the codes ``band_code_bytes`` computed for ``vector`` (in this or an earlier pass)."""
    if len(_CODES) >= _CODES_KEPT:
        _CODES.clear()
    _CODES[vector] = codes


def forget_codes() -> None:
    """Drop the remembered codes (and the embeddings they are keyed by) once a pass no longer needs them."""
    _CODES.clear()


def _band_codes(vector: bytes) -> tuple[int, ...]:
    return tuple(np.frombuffer(band_code_bytes(vector), dtype=np.uint16).tolist())


def time_slots(day: int | None) -> tuple[str, ...]:
    """The time windows a claim is keyed in: windows of 2 * MAX_DAYS days starting every MAX_DAYS days, the
    two that hold the claim's day, so any two claims at most MAX_DAYS apart share one (the earlier one's
    second). Undated claims have one slot of their own (``dates_close`` matches them only to each other)."""
    if day is None:
        return (UNDATED,)
    s = day // MAX_DAYS
    return (str(s - 1), str(s))


def home_slot(day: int | None) -> str:
    """The one time slot a claim is stored under (the later of its ``time_slots``): a stored bucket holds
    the claims whose own slot it is, and the candidate bucket of slot t is the stored buckets t and t + 1
    together (``home_buckets``). Half the stored rows of keying each claim in both its slots, the same pairs."""
    return UNDATED if day is None else str(day // MAX_DAYS)


def home_keys(it: ClaimItem) -> tuple[str, ...]:
    """The stored bucket keys of one claim: each band code in its ``home_slot``, then its quotation keys;
    empty for ineligible claims."""
    return _keys_in(it, (home_slot(it.day),))


def home_buckets(key: str) -> tuple[str, ...]:
    """The stored buckets one candidate key (``candidate_keys``) is made of: a band key of time slot t holds
    the claims stored under t and t + 1 (``home_slot``); an undated or quotation key is stored as it is."""
    if key.startswith("q:"):
        return (key,)
    head, slot = key.rsplit("@", 1)
    return (key,) if slot == UNDATED else (key, f"{head}@{int(slot) + 1}")


def candidate_keys(it: ClaimItem) -> tuple[str, ...]:
    """Step 2, the bucket keys of one claim: each LSH band code in each of its time slots. Deterministic (fixed
    seed) and a function of the claim alone; empty for ineligible claims. The time slot keeps buckets the size
    of one news period, whatever span the corpus covers. A long quotation's key has no time slot: the same
    words quoted years later are still that statement (``quoted_alike``)."""
    return _keys_in(it, time_slots(it.day))


def _keys_in(it: ClaimItem, slots: tuple[str, ...]) -> tuple[str, ...]:
    """Each band code of the claim in each of these time slots, then its quotation keys; empty for ineligible
    claims (``candidate_keys`` and ``home_keys`` differ only in the slots)."""
    if not eligible(it):
        return ()
    return tuple(_bucket_key(b, code, slot) for b, code in enumerate(_band_codes(it.vector))
                 for slot in slots) + quote_keys(it)


def quote_keys(it: ClaimItem) -> tuple[str, ...]:
    """The claim's quotation bucket keys (the last of its ``candidate_keys``, no time slot), in sorted order;
    empty for ineligible claims."""
    if not eligible(it):
        return ()
    return tuple(_quote_key(q) for q in sorted(it.quotes))


def _quote_key(quote: str) -> str:
    """The store's name of a quotation's bucket (after every band's keys in sorted order)."""
    return f"q:{quote}"


def _bucket_key(band: int, code: int, slot: str) -> str:
    """The store's name of one bucket: band, its ROWS-bit code in hex, time slot."""
    return f"e{band}:{code:0{(ROWS + 3) // 4}x}@{slot}"


def bucket_rows(items: Mapping[str, ClaimItem]) -> Iterator[tuple[str, str]]:
    """Every (stored bucket key, node) of ``home_keys`` for the eligible ``items`` (by node), in sorted order,
    built one band at a time: a store inserting them appends to its bucket index instead of writing all over
    it (tens of millions of rows for a large corpus), and only one band's rows are held at once. The order is
    found on integers (code, the slot's rank among the slot strings, the node's rank: a key's band prefix is
    fixed and its hex code fixed-width) and the key strings are built only in that order: sorting tens of
    millions of string tuples was half the time of writing a relink from scratch. A node has one stored slot,
    so its row number is its rank."""
    nodes = sorted(n for n, it in items.items() if eligible(it))
    if not nodes:
        return
    codes = _codes([items[n] for n in nodes]).astype(np.int64)
    slot = np.array([home_slot(items[n].day) for n in nodes])
    rank, slot_rank = np.arange(len(nodes)), np.unique(slot, return_inverse=True)[1]
    tail, node = np.char.add("@", slot), np.array(nodes)
    for band in sorted(range(BANDS), key=lambda b: _bucket_key(b, 0, "")):  # the order of the keys' band prefixes
        code = codes[:, band]
        order = np.lexsort((rank, slot_rank, code))
        keys = np.char.add(np.char.add(f"e{band}:", _hex_codes()[code[order]]), tail[order])
        yield from zip(keys.tolist(), node[order].tolist(), strict=True)
    yield from sorted((_quote_key(q), n) for n in nodes for q in items[n].quotes)


@lru_cache(maxsize=1)
def _hex_codes() -> np.ndarray:
    """Every ROWS-bit band code as ``_bucket_key`` writes it."""
    return np.array([_bucket_key(0, c, "").split(":")[1].rstrip("@") for c in range(1 << ROWS)])


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


@lru_cache(maxsize=1 << 18)
def _key_subset(a: str, b: str) -> bool:
    ta, tb = set(a.split()), set(b.split())
    return bool(ta) and (ta <= tb or tb <= ta or _short_form(ta, tb))


def _short_form(ta: set[str], tb: set[str]) -> bool:
    """Two keys of one name, one word shortened ("jon" / "jonathan", "sen" / "senator"): the other words the
    same (at least one of them), and of the one word left on each side one begins the other with at least
    SHORT_FORM letters (in the seventh judged draw, one relay was missed for a first name written both ways)."""
    left, right = ta - tb, tb - ta
    if len(left) != 1 or len(right) != 1 or not ta & tb:
        return False
    short, full = sorted((next(iter(left)), next(iter(right))), key=len)
    return len(short) >= SHORT_FORM and full.startswith(short)


def sources_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """One speaker ("Halden" and "Mira Halden" are one), one claim relaying the other (a speaker of one is a
    carrier of the other, keys marked ``CARRIER`` by link.origins.claim_sources), or one speaker unnamed (no
    speaker key). Sharing only a carrier is not enough: one outlet quotes many people."""
    sa, sb = _speakers(a), _speakers(b)
    if not (sa and sb):
        return True
    return (any(_key_subset(x, y) for x in sa for y in sb | _carriers(b))
            or any(_key_subset(x, y) for x in sb for y in _carriers(a)))


@lru_cache(maxsize=1 << 16)
def _speakers(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(k for k in keys if not k.startswith(CARRIER))


@lru_cache(maxsize=1 << 16)
def _carriers(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(k[len(CARRIER):] for k in keys if k.startswith(CARRIER))


def contents_agree(a: ClaimItem, b: ClaimItem) -> bool:
    """The embeddings are close, or fairly close while the shorter claim's content words (at least
    CONTAINMENT_MIN_TERMS) are nearly all in the longer one ("the refinery's maintenance budget was cut by a
    third last year" / the same, "according to people who saw the figures": an added clause pulls the cosine
    down, not the words). Fewer words in common than that are a shared topic ("sanctions against North
    Korea"), not a shared statement. When either speaker is unnamed, ``sources_compatible`` lets any pair
    through, so the embedding alone must be closer (COSINE_UNNAMED; the words' route stays): in the fourth judged
    draw such pairs made most wrongly joined clusters (24 of their edges under 0.90, 3 in clusters judged right)."""
    cos = cosine(a, b)
    if cos >= (COSINE if _speakers(a.sources) and _speakers(b.sources) else COSINE_UNNAMED):
        return True
    small = min(len(a.terms), len(b.terms))
    return (cos >= COSINE_WITH_WORDS and small >= CONTAINMENT_MIN_TERMS
            and len(a.terms & b.terms) >= CONTAINMENT * small)


def short_claims_named(a: ClaimItem, b: ClaimItem) -> bool:
    """A claim of a few content words ("the direction of the Russia investigation") is a topic more than a
    statement: close embeddings say little ("a potential presidential candidate" / "a possible presidential
    candidate"), so it joins another claim only in the same words or when both speakers are named (and
    ``sources_compatible`` then says they are one)."""
    if min(len(a.terms), len(b.terms)) >= NAMED_MIN_TERMS or a.terms == b.terms:
        return True
    return bool(_speakers(a.sources) and _speakers(b.sources))


def dates_close(a: int | None, b: int | None) -> bool:
    """Within MAX_DAYS of each other, or both undated. An undated claim never matches a dated one: clusters
    are transitive, so one undated claim could bridge claims years apart (candidate keys agree: time_slots)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= MAX_DAYS


_NO_DAY = -(1 << 40)  # an undated claim's day in ``day_array`` (not a rule: outside rules_fingerprint)


def day_array(days: Sequence[int | None]) -> np.ndarray:
    """Claims' days as the array ``days_close`` reads."""
    return np.array([_NO_DAY if d is None else d for d in days], dtype=np.int64)


def days_close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``dates_close`` on ``day_array`` arrays, for a pass that holds its candidate pairs as arrays."""
    undated_a, undated_b = a == _NO_DAY, b == _NO_DAY
    return np.where(undated_a | undated_b, undated_a & undated_b, np.abs(a - b) <= MAX_DAYS)


_RULES: tuple[tuple[str, Callable[[ClaimItem, ClaimItem], bool]], ...] = (
    ("both say enough", lambda a, b: eligible(a) and eligible(b)),
    ("dates close", lambda a, b: dates_close(a.day, b.day)),
    ("names and numbers agree", lambda a, b: names_agree(a.anchors, b.anchors)),
    ("sources compatible", lambda a, b: sources_compatible(a.sources, b.sources)),
    ("short claims have named speakers", short_claims_named),
    ("contents say the same", lambda a, b: contents_agree(a, b)),
)


CORROBORATE_COSINE = 0.85  # two speakers, one statement: stricter than COSINE (see corroborates)
CORROBORATE_MIN_TERMS = 8  # fewer content words: a topic or a noun phrase ("the killing of the group's leader")
_NEGATION = frozenset({"not", "no", "never", "nor", "without", "cannot", "neither", "none"})
_CONTRACTED_NOT = re.compile(r"n['’]t\b")
SHARED_QUOTE_WORDS = 4  # words quoted in one claim and present, in order, in the other: one speaker's words
_QUOTED_RUN = re.compile(r'[“"]([^”"]+)[”"]')


def _runs(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def share_quotation(a: str, b: str) -> bool:
    """Words one claim quotes (SHARED_QUOTE_WORDS in a row) that the other also carries: one speaker's
    words, so two names on them are one speaker named twice, or a person quoted in another's account."""
    for x, y in ((a, b), (b, a)):
        quoted = set().union(*(_runs(_QWORD.findall(q.lower()), SHARED_QUOTE_WORDS) for q in _QUOTED_RUN.findall(x)))
        if quoted & _runs(_QWORD.findall(y.lower()), SHARED_QUOTE_WORDS):
            return True
    return False


def _negated(text: str) -> bool:
    """Whether a claim says "not": "would be willing to testify" and "would not testify" embed close."""
    low = text.lower()
    return _CONTRACTED_NOT.search(low) is not None or any(w in _NEGATION for w in _QWORD.findall(low))


def _directive(text: str) -> bool:
    """Whether a claim is what someone was asked, urged or told to do ("asked him to end the investigation"):
    the content of a request, not a statement another speaker could make too (in the fourth judged draw, the
    man asked counted as a second origin beside the one who said he was asked)."""
    return text.lstrip(_OPENING_MARKS).lower().startswith("to ")


@dataclass(frozen=True)
class Statement:
    """What ``corroborates`` reads of one claim: its content and publication day, and its embedding, computed
    only when a pair gets as far as the last rule (most pairs fail a cheaper one first)."""

    content: str
    day: int | None

    @property
    def vector(self) -> np.ndarray:
        """link.embed of the content: a function of the text alone (cached there), so every link pass,
        incremental or Spark, computes the same."""
        from reportedly.link.embed import embed

        return embed(self.content)


def statement(content: str, published: str | None) -> Statement:
    """A claim as ``corroborates`` compares it."""
    return Statement(content, day_number(published))


_CORROBORATION: tuple[tuple[str, Callable[[Statement, Statement], bool]], ...] = (
    ("both say enough", lambda a, b: min(len(_features(a.content)[0]), len(_features(b.content)[0]))
     >= CORROBORATE_MIN_TERMS),
    ("both assert", lambda a, b: not (_directive(a.content) or _directive(b.content))),
    ("same polarity", lambda a, b: _negated(a.content) == _negated(b.content)),
    ("dates close", lambda a, b: dates_close(a.day, b.day)),
    ("names and numbers agree", lambda a, b: names_agree(_features(a.content)[1], _features(b.content)[1])),
    ("no shared quotation", lambda a, b: not share_quotation(a.content, b.content)),
    ("contents say the same", lambda a, b: float(np.dot(a.vector, b.vector)) >= CORROBORATE_COSINE),
)


def corroborates(a: Statement, b: Statement) -> bool:
    """Two claims of different named speakers that show two speakers stating one thing (link.origins counts a
    second origin only on this evidence): both say enough, close in date, the same names and numbers, no
    quotation in common (quoted words are one speaker's), and embeddings closer than ``same_claim`` asks.
    Stricter on purpose: a chain of matches joining two speakers was far more often a misresolved speaker
    or two claims run together than a second source (judged samples, docs/judging)."""
    return all(rule(a, b) for _, rule in _CORROBORATION)


def quoted_alike(a: ClaimItem, b: ClaimItem) -> bool:
    """Both claims carry the same long quotation word for word (``claim_quotes``): one statement, however
    differently each outlet cut the claim around it, dated it, spelled a name in it or recorded its speaker
    (the medium for the person, "the White House" for its spokesperson, initials, the outlet that ran it: in
    the third judged draw nine of thirteen missed relays were such speaker pairs). Who said it is then the
    origins' question (link.origins: a shared quotation never shows two speakers apart). Only months apart
    AND under two speakers who cannot be one, it is a stock phrase two people used ("I'm going to do what I
    think is right")."""
    return eligible(a) and eligible(b) and _one_quotation(a, b)


def _one_quotation(a: ClaimItem, b: ClaimItem) -> bool:
    """``quoted_alike`` without the eligibility its embeddings decide."""
    return bool(a.quotes & b.quotes) and (a.day is None or b.day is None or abs(a.day - b.day) <= QUOTE_DAYS
                                          or sources_compatible(a.sources, b.sources))


VECTOR_RULES = ("both say enough", "contents say the same")  # the rules of _RULES that read the embeddings


def may_match(a: ClaimItem, b: ClaimItem) -> bool:
    """``same_claim`` as if both claims had an embedding and the two agreed: False only for a pair that
    ``same_claim`` rejects whatever the embeddings say (its words, names, speakers or dates rule it out), so
    an incremental pass reads embeddings only for the pairs this leaves (a test checks it never drops a pair
    ``same_claim`` accepts)."""
    if min(len(a.terms), len(b.terms)) < MIN_TERMS:
        return False
    return _one_quotation(a, b) or all(rule(a, b) for name, rule in _RULES if name not in VECTOR_RULES)


def failed_rule(a: ClaimItem, b: ClaimItem) -> str | None:
    """The first rule of ``same_claim`` the pair fails, or None when it is one claim (a shared quotation
    settles it: ``quoted_alike``)."""
    if quoted_alike(a, b):
        return None
    return next((name for name, rule in _RULES if not rule(a, b)), None)


def same_claim(a: ClaimItem, b: ClaimItem) -> bool:
    """Step 3, the pair predicate: pure and symmetric (every rule is), so a pair gets one verdict wherever
    it is checked."""
    return failed_rule(a, b) is None


def digest(it: ClaimItem) -> str:
    """A stable digest of a claim's features: the order of claims inside an oversized bucket."""
    h = hashlib.blake2b(digest_size=10)
    for part in (sorted(it.terms), sorted(it.anchors), sorted(it.sources), sorted(it.quotes)):
        h.update("\x1f".join(part).encode() + b"\x1e")
    h.update(it.vector + str(it.day).encode())
    return h.hexdigest()


def bucket_pairs(members: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs to verify in one bucket of distinct feature digests: all pairs up to BUCKET_CAP, else each
    digest with its WINDOW successors in sorted order. Depends only on the bucket's set of digests."""
    ds = sorted(set(members))
    reach = len(ds) if len(ds) <= BUCKET_CAP else WINDOW + 1
    return [(ds[i], ds[j]) for i in range(len(ds)) for j in range(i + 1, min(len(ds), i + reach))]


def bucket_pair_changes(old: set[str], new: set[str]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The candidate pairs of a bucket that appear and that go when its members change from ``old`` to
    ``new``: when both fit BUCKET_CAP, only pairs with an added (or removed) member, without listing the
    bucket's other pairs; beyond it, the two pair lists compared (the window shifts)."""
    if len(old) <= BUCKET_CAP and len(new) <= BUCKET_CAP:
        return _pairs_with(new - old, new), _pairs_with(old - new, old)
    p0 = set(bucket_pairs(sorted(old))) if len(old) > 1 else set()
    p1 = set(bucket_pairs(sorted(new))) if len(new) > 1 else set()
    return p1 - p0, p0 - p1


def _pairs_with(some: set[str], members: set[str]) -> set[tuple[str, str]]:
    return {(min(x, y), max(x, y)) for x in some for y in members if x != y}


def candidate_pairs(by_digest: dict[str, ClaimItem]) -> set[tuple[str, str]]:
    """Pairs of distinct feature digests (claims keyed by ``digest``) that share a candidate key (each pair
    once, smaller digest first): the definition the streaming ``components`` follows (a test compares them)."""
    buckets: dict[str, set[str]] = defaultdict(set)
    for d, it in by_digest.items():
        for k in candidate_keys(it):
            buckets[k].add(d)
    out: set[tuple[str, str]] = set()
    for members in buckets.values():
        if len(members) > 1:
            out.update(bucket_pairs(sorted(members)))
    return out


def _matrix(items: Sequence[ClaimItem]) -> np.ndarray:
    out = np.zeros((len(items), DIM), dtype=np.float32)
    for i, it in enumerate(items):
        if it.vector:
            out[i] = np.frombuffer(it.vector, dtype=np.float32)
    return out


def _codes(items: Sequence[ClaimItem]) -> np.ndarray:
    """Each claim's band codes (the hyperplane signs of its embedding, ``_band_codes``), one row per claim."""
    return np.frombuffer(b"".join(band_code_bytes(it.vector) for it in items),
                         dtype=np.uint16).reshape(len(items), BANDS)


def _signs(codes: np.ndarray) -> np.ndarray:
    """The BANDS * ROWS hyperplane signs of each claim (its ``_codes`` rows), packed into 64-bit words: the
    signs two claims differ in are one XOR and a bit count per word (``_close``)."""
    shifts = np.arange(ROWS - 1, -1, -1, dtype=np.uint16)
    bits = ((codes[:, :, None] >> shifts) & 1).astype(np.uint8).reshape(len(codes), BANDS * ROWS)
    return np.ascontiguousarray(np.packbits(bits, axis=1)).view(np.uint64)


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _bit_count(words: np.ndarray) -> np.ndarray:
    """Set bits per row of 64-bit words (numpy's bitwise_count where it has one)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=1, dtype=np.int32)
    return _BYTE_BITS[words.view(np.uint8)].sum(axis=1, dtype=np.int32)


def _signs_near(signs: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which index pairs (a[i], b[i]) differ in at most SIGNS_APART hyperplane signs: the one sign test of both
    the cosine pre-filter (``_close``) and the stage before any embedding is read (``near_by_signs``)."""
    return _bit_count(signs[a] ^ signs[b]) <= SIGNS_APART


def _close(vecs: np.ndarray, signs: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which index pairs (a[i], b[i]) have a cosine ``contents_agree`` could accept, in numpy chunks. The signs
    first: pairs whose hyperplane signs differ in more than SIGNS_APART places (cosine well under
    COSINE_WITH_WORDS) are dropped reading 48 bytes a claim instead of its 1.5 kB embedding; nearly all
    candidates of a dense bucket are such pairs, and their cosines were most of a large relink's time."""
    keep = np.zeros(len(a), dtype=bool)
    for s in range(0, len(a), CHUNK):
        ca, cb = a[s:s + CHUNK], b[s:s + CHUNK]
        near = np.flatnonzero(_signs_near(signs, ca, cb))
        cos = np.einsum("ij,ij->i", vecs[ca[near]], vecs[cb[near]])
        keep[s + near] = cos >= COSINE_WITH_WORDS - MARGIN
    return keep


def _quote_ids(items: Sequence[ClaimItem]) -> np.ndarray:
    """Each claim's quotation keys as numbers from 1 (0: no key), one row of MAX_QUOTE_KEYS per claim."""
    number = {q: n for n, q in enumerate(sorted({q for it in items for q in it.quotes}), start=1)}
    out = np.zeros((len(items), MAX_QUOTE_KEYS), dtype=np.int64)
    for i, it in enumerate(items):
        ids = sorted(number[q] for q in it.quotes)
        out[i, :len(ids)] = ids
    return out


@dataclass(frozen=True)
class _Arrays:
    """What the numpy pre-filter reads of the claims being paired, built once per pass."""

    vecs: np.ndarray  # embeddings (``_matrix``)
    codes: np.ndarray  # band codes (``_codes``)
    signs: np.ndarray  # the same signs packed (``_signs``)
    quotes: np.ndarray  # quotation keys as numbers (``_quote_ids``)

    @classmethod
    def of(cls, items: Sequence[ClaimItem]) -> _Arrays:
        codes = _codes(items)
        return cls(_matrix(items), codes, _signs(codes), _quote_ids(items))


def _kept(arr: _Arrays, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The candidate pairs worth the exact predicate: close by signs and cosine (``_close``), or quoting the
    same words (``quoted_alike`` needs no close embeddings), checked in numpy for the pairs where both quote."""
    keep = _close(arr.vecs, arr.signs, a, b)
    both = np.flatnonzero(~keep & (arr.quotes[a, 0] > 0) & (arr.quotes[b, 0] > 0))
    for s in range(0, len(both), CHUNK):
        k = both[s:s + CHUNK]
        qa, qb = arr.quotes[a[k]], arr.quotes[b[k]]
        keep[k] = ((qa[:, :, None] == qb[:, None, :]) & (qa[:, :, None] > 0)).any(axis=(1, 2))
    return keep


def near_by_signs(codes: np.ndarray, quoting: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which index pairs (a[i], b[i]) of claims with these band codes (``band_code_bytes`` rows of BANDS) and
    quoting flags ``verified`` could accept, judged before any embedding is read: signs at most SIGNS_APART
    apart, or both claims quoting (``_kept`` keeps pairs sharing a quotation whatever their signs). Every pair
    ``verified`` accepts is kept, so an incremental pass loads the embeddings of the kept pairs' claims only: a
    batch reaches most stored claims through its buckets, but the signs rule out nearly all of those pairs."""
    signs = _signs(codes)
    keep = np.zeros(len(a), dtype=bool)
    for s in range(0, len(a), CHUNK):
        ca, cb = a[s:s + CHUNK], b[s:s + CHUNK]
        keep[s:s + CHUNK] = _signs_near(signs, ca, cb) | (quoting[ca] & quoting[cb])
    return keep


def verified(pairs: Iterable[tuple[str, str]], items: Mapping[str, ClaimItem]) -> list[tuple[str, str]]:
    """The pairs ``same_claim`` accepts, in sorted order: signs and cosines of all pairs first in numpy
    (``_kept``, as ``edges`` does), the exact predicate only on those that can pass. Only those are sorted:
    a batch's pass hands over millions of candidate pairs, and sorting them all was a tenth of its time."""
    ps = list(pairs)
    if not ps:
        return []
    names = sorted({n for p in ps for n in p})
    at = {n: i for i, n in enumerate(names)}
    its = [items[n] for n in names]
    keep = _kept(_Arrays.of(its), np.array([at[x] for x, _ in ps]), np.array([at[y] for _, y in ps]))
    return sorted(p for p, k in zip(ps, keep, strict=True) if k and same_claim(items[p[0]], items[p[1]]))


def slot_numbers(it: ClaimItem) -> tuple[int, ...]:
    """The claim's time slots (``time_slots``) as numbers; undated claims share one number."""
    return tuple(-(1 << 40) if slot == UNDATED else int(slot) for slot in time_slots(it.day))


def _slot_rows(items: Sequence[ClaimItem], only: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(item index, time slot number) per slot of each item (only slot ``only`` when given)."""
    idx, slots = [], []
    for i, it in enumerate(items):
        for slot in slot_numbers(it):
            if only is None or slot == only:
                idx.append(i)
                slots.append(slot)
    return np.array(idx, dtype=np.int64), np.array(slots, dtype=np.int64)


def _band_pairs(keys: np.ndarray, idx: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The ``bucket_pairs`` of every bucket of one band, as index arrays (a < b), one offset at a time: the
    members of a bucket sorted by index (= digest order), a pair at offset k is (p, p + k) inside a bucket,
    all offsets up to BUCKET_CAP members, only up to WINDOW beyond."""
    order = np.lexsort((idx, keys))
    sk, si = keys[order], idx[order]
    if len(sk) < 2:
        return
    starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
    sizes = np.diff(np.r_[starts, len(sk)])
    size = np.repeat(sizes, sizes)
    pos = np.arange(len(sk)) - np.repeat(starts, sizes)
    live = np.flatnonzero(size > 1)
    k = 1
    while len(live):
        live = live[(pos[live] + k < size[live]) & ((size[live] <= BUCKET_CAP) | (k <= WINDOW))]
        if len(live):
            yield si[live], si[live + k]
        k += 1


def _quote_rows(items: Sequence[ClaimItem]) -> tuple[np.ndarray, np.ndarray]:
    """(item index, quotation number) per quotation key of each item: the quotation buckets."""
    number = {q: n for n, q in enumerate(sorted({q for it in items for q in it.quotes}))}
    rows = [(i, number[q]) for i, it in enumerate(items) for q in it.quotes]
    return np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.int64)


def _buckets(items: Sequence[ClaimItem], codes: np.ndarray, slot: int | None = None
             ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(bucket number, item index) arrays of every candidate key, one band at a time (a band's key is its
    time slot and code), then the quotation buckets: ``candidate_keys`` as numbers. With ``slot``: only the
    band buckets of that time slot (one partition of the buckets: link.claims.edges)."""
    idx, slots = _slot_rows(items, slot)
    for band in range(BANDS):
        yield slots * (1 << ROWS) + codes[idx, band].astype(np.int64), idx
    if slot is None:
        qidx, qkeys = _quote_rows(items)
        yield qkeys, qidx


def edges(items: Sequence[ClaimItem], joined: Callable[[int, int], bool], slot: int | None = None
          ) -> Iterator[tuple[int, int]]:
    """Verified candidate pairs (i < j) of distinct eligible claims given in digest order, bucket by bucket
    and band by band (then the quotation buckets), never all at once: only pairs that can pass (``_kept``)
    reach ``same_claim``, and not pairs ``joined`` says are already in one component; a pair rejected once is
    not checked again. With ``slot`` (a ``slot_numbers`` value): the band buckets of that time slot only.
    Every band bucket lies in one slot, so the claims of one slot (in digest order) are all its buckets need:
    a distributed linker (scale.linking) runs this per slot and the quotation buckets apart."""
    arr = _Arrays.of(items)
    rejected: set[tuple[int, int]] = set()
    for keys, at in _buckets(items, arr.codes, slot):
        for a, b in _band_pairs(keys, at):
            keep = _kept(arr, a, b)
            for i, j in zip(a[keep].tolist(), b[keep].tolist(), strict=True):
                if (i, j) in rejected or joined(i, j):
                    continue
                if same_claim(items[i], items[j]):
                    yield i, j
                else:
                    rejected.add((i, j))


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
    equal (eligible) features are one claim. Sorted by smallest member key: a function of the set only.
    Pairs are verified and united as they stream out of ``edges``: memory is the claims and the union-find."""
    groups: dict[str, list[ClaimItem]] = defaultdict(list)
    for it in items:
        groups[digest(it) if eligible(it) else "\x00" + repr(it.key)].append(it)
    names = sorted(groups)
    nodes = [i for i, d in enumerate(names) if eligible(groups[d][0])]
    uf = UnionFind()
    for i, j in edges([groups[names[n]][0] for n in nodes], lambda i, j: uf.find(nodes[i]) == uf.find(nodes[j])):
        uf.union(nodes[i], nodes[j])
    comps: dict[int, set[Key]] = defaultdict(set)
    for n, d in enumerate(names):
        comps[uf.find(n)].update(it.key for it in groups[d])
    return sorted((sorted(c) for c in comps.values()), key=lambda c: c[0])


def cluster_key(members: Sequence[Key]) -> Key:
    """The name of a cluster: its smallest member key (the same whichever pass or partition built it)."""
    return min(members)


def cluster_claims(items: Sequence[ClaimItem]) -> list[int]:
    """A cluster number per item; numbers follow the clusters' smallest member keys, so the result depends
    on the set of claims, not on their order. Every item gets one (a lone claim is its own cluster)."""
    number = {k: n for n, comp in enumerate(components(items)) for k in comp}
    return [number[it.key] for it in items]
