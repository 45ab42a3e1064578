"""Hedges: words that weaken a claim ("reportedly", "may", "appeared to", "claimed", "unconfirmed").

The lexicon lives in ``data/hedges.json`` (text, strength 0..1, kind). Matching is on tokens so that the
modal "may" is told apart from the month May, and "could be heard" (ability) from "could be true".
Scope is decided by the caller: a hedge belongs to a claim when it lies in the claim's content, or it is
the cue itself ("claiming" is the writer's own distance from the claim).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from reportedly.extract.phrases import by_first_word
from reportedly.lexicon import doc_text, load
from reportedly.model import Hedge, Offsets

# "could be heard/seen": ability, not doubt
_PERCEPTION = frozenset({"hear", "see", "feel", "smell", "watch", "notice", "spot", "observe"})


@dataclass(frozen=True)
class _Entry:
    words: tuple[str, ...]
    strength: float
    kind: str
    lemma: bool
    pos: str | None
    cue: bool


@lru_cache(maxsize=1)
def _entries() -> tuple[_Entry, ...]:
    out = []
    for h in load("hedges")["hedges"]:
        text = h["text"].lower()
        # "so-called" is one token or three ("so", "-", "called") depending on the tokenizer's context
        forms = {tuple(text.split()), tuple(re.findall(r"\w+|[^\w\s]", text))}
        for words in forms:
            out.append(_Entry(words, float(h["strength"]), h.get("kind", ""), bool(h.get("lemma")), h.get("pos"),
                              bool(h.get("cue"))))
    return tuple(sorted(out, key=lambda e: -len(e.words)))


@lru_cache(maxsize=1)
def _by_first() -> dict[str, tuple[_Entry, ...]]:
    """Entries by their first word, longest first within each word (the order ``_entries`` gives)."""
    return by_first_word(_entries())


def _form(tok: Token, lemma: bool) -> str:
    return tok.lemma_.lower() if lemma else tok.lower_


def _is_name_use(tok: Token) -> bool:
    """A hedge adverb that the parser reads as part of a name qualifies nothing: "written for the reportedly
    demo" (a product named in a credit line: a noun's modifier), "Allegedly News" (a proper noun). Used as an
    adverb it stays a hedge, capitalised or not ("Weiner Reportedly Caught In ...")."""
    if tok.pos_ == "ADV":
        return False
    return tok.pos_ == "PROPN" or (tok.dep_ in ("amod", "compound", "nmod") and tok.head.pos_ in ("NOUN", "PROPN"))


def _ok(entry: _Entry, toks: list[Token]) -> bool:
    first = toks[0]
    if entry.pos == "AUX":
        if first.tag_ != "MD":
            return False
        verb = first.head
        seen_as = any(c.lower_ == "as" for c in verb.children)  # "could be seen as": a judgement
        if entry.words[0] == "could" and ((verb.lemma_ in _PERCEPTION and not seen_as)
                                          or any(c.dep_ == "neg" for c in verb.children)):
            return False
    if entry.words == ("likely",) or entry.words == ("unlikely",):
        return True
    if len(toks) == 1 and entry.words[0].endswith("ly") and _is_name_use(first):
        return False
    if entry.lemma and entry.words[0] in {"believe", "suggest", "suspect"}:
        return first.pos_ == "VERB"
    return True


def find_hedges(doc: Doc) -> list[Hedge]:
    """Every hedge occurrence in the document, in text order (no overlaps; longest match wins)."""
    out: list[Hedge] = []
    n = len(doc)
    i = 0
    by_first = _by_first()
    rank = {e: r for r, e in enumerate(_entries())}
    while i < n:
        hit = None
        tok = doc[i]
        low, lem = tok.lower_, tok.lemma_.lower()
        if low not in by_first and lem not in by_first:
            i += 1
            continue
        # the entries that can start here, in the global longest-first order
        cands = sorted({*by_first.get(low, ()), *by_first.get(lem, ())}, key=rank.__getitem__)
        for e in cands:
            k = len(e.words)
            if i + k > n:
                continue
            toks = [doc[j] for j in range(i, i + k)]
            if all(_form(t, e.lemma) == w for t, w in zip(toks, e.words, strict=True)) and _ok(e, toks):
                hit = (e, toks)
                break
        if hit is None:
            i += 1
            continue
        e, toks = hit
        s, end = toks[0].idx, toks[-1].idx + len(toks[-1])
        out.append(Hedge(doc_text(doc)[s:end], [(s, end)], e.strength))
        i += len(toks)
    return out


class HedgeIndex:
    """An article's hedges by position: a claim's or a sentence's hedges are found by bisection. Scanning
    every hedge for every claim and sentence made long articles quadratic."""

    def __init__(self, hedges: Iterable[Hedge]) -> None:
        self._hedges = sorted(enumerate(hedges), key=lambda kh: (kh[1].spans[0], kh[0]))
        self._starts = [h.spans[0][0] for _, h in self._hedges]
        self._reach = max((h.spans[0][1] - h.spans[0][0] for _, h in self._hedges), default=0)

    def _starting(self, lo: int, hi: int) -> list[tuple[int, Hedge]]:
        """(input order, hedge) for the hedges starting in ``[lo, hi]``."""
        i, j = bisect.bisect_left(self._starts, lo), bisect.bisect_right(self._starts, hi)
        return self._hedges[i:j]

    def inside(self, spans: Offsets) -> list[Hedge]:
        """The hedges that lie inside ``spans`` (a claim's content or a sentence), in input order."""
        found = {k: h for s, e in spans for k, h in self._starting(s, e) if h.spans[0][1] <= e}
        return [found[k] for k in sorted(found)]

    def at_cue(self, cue_spans: Offsets) -> list[Hedge]:
        """Hedges carried by the cue itself ("claiming"), or an adverb right before it ("allegedly said")."""
        found = {k: h for s, e in cue_spans for k, h in self._starting(s, e) if h.spans[0][1] <= e}
        found.update({k: h for s, _ in cue_spans for k, h in self._starting(s - 2 - self._reach, s)
                      if abs(h.spans[0][1] + 1 - s) <= 1})
        return [found[k] for k in sorted(found)]


def hedges_in(hedges: list[Hedge], spans: Offsets) -> list[Hedge]:
    """The hedges that lie inside ``spans`` (a claim's content or a sentence)."""
    return HedgeIndex(hedges).inside(spans)


def cue_hedges(hedges: list[Hedge], cue_spans: Offsets, doc_text: str) -> list[Hedge]:
    """Hedges carried by the cue itself ("claiming", "allegedly said")."""
    del doc_text
    return HedgeIndex(hedges).at_cue(cue_spans)


def strength(hedges: list[Hedge]) -> float:
    """Combined weakening of a claim: independent hedges compound (1 - prod(1 - s))."""
    keep = 1.0
    for h in hedges:
        keep *= 1.0 - h.strength
    return round(1.0 - keep, 3)
