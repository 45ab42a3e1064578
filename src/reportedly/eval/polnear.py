"""PolNeAR reader and scorer.

Gold attributions come from BRAT standoff files (``E`` lines tie Source, Cue and Content spans).
Scoring follows the corpus' usual measures: a cue matches when spans share a character; a full
attribution ("triple") matches when the cue matches and source and content each reach character F1 >= 0.5.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportedly.model import char_set

if TYPE_CHECKING:
    from spacy.language import Language

    from reportedly.model import Attribution

Offsets = list[tuple[int, int]]


@dataclass
class GoldAttribution:
    cue: Offsets
    content: Offsets
    source: Offsets | None  # None for Attribution-no-source


@dataclass
class GoldDoc:
    stem: str
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)


def _parse_offsets(raw: str) -> Offsets:
    out = []
    for piece in raw.split(";"):
        s, e = piece.split()
        out.append((int(s), int(e)))
    return out


def read_ann(path: Path) -> list[GoldAttribution]:
    """Attributions of one .ann file (only complete E-lines with a cue and content)."""
    spans: dict[str, Offsets] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if not parts or len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            role_and_offsets = parts[1].split(" ", 1)
            if len(role_and_offsets) == 2:
                spans[parts[0]] = _parse_offsets(role_and_offsets[1])
        elif parts[0].startswith("E"):
            args = dict(a.split(":", 1) for a in parts[1].split() if ":" in a)
            events.append(args)
    gold = []
    for ev in events:
        cue, content = ev.get("Cue"), ev.get("Content")
        if not cue or not content or cue not in spans or content not in spans:
            continue
        src = ev.get("Source")
        gold.append(GoldAttribution(cue=spans[cue], content=spans[content],
                                    source=spans.get(src) if src else None))
    return gold


def read_split(split_dir: Path, limit: int | None = None) -> Iterator[GoldDoc]:
    """Articles of a split with their gold attributions (first annotator in name order)."""
    split_dir = Path(split_dir)
    anns: dict[str, Path] = {}
    for ann in sorted((split_dir / "attributions").glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(stem, ann)
    for n, txt in enumerate(sorted((split_dir / "text").glob("*.txt"))):
        if limit is not None and n >= limit:
            break
        ann_path = anns.get(txt.stem)
        gold = read_ann(ann_path) if ann_path else []
        yield GoldDoc(stem=txt.stem, text=txt.read_text(encoding="utf-8"), attributions=gold)




def char_f1(pred: Offsets | None, gold: Offsets | None) -> float:
    """Character-level F1 of two span lists; two absent spans agree (no source on both sides)."""
    p, g = char_set(pred), char_set(gold)
    if not p and not g:
        return 1.0
    if not p or not g:
        return 0.0
    inter = len(p & g)
    if not inter:
        return 0.0
    prec, rec = inter / len(p), inter / len(g)
    return 2 * prec * rec / (prec + rec)


EDGE = " \t\r\n\u00a0.,;:!?\"'\u2018\u2019\u201c\u201d()[]-\u2013\u2014\u2026"


def trimmed(text: str, spans: Offsets | None) -> set[tuple[int, int]]:
    """Each piece of a span with edge whitespace and punctuation cut off (empty pieces dropped): the unit of
    the per-role exact-span score, as CofeNet scores PolNeAR (a discontinuous span counts piece by piece)."""
    out = set()
    for s, e in spans or []:
        while s < e and text[s] in EDGE:
            s += 1
        while e > s and text[e - 1] in EDGE:
            e -= 1
        if e > s:
            out.add((s, e))
    return out


def overlaps(a: Offsets, b: Offsets) -> bool:
    return bool(char_set(a) & char_set(b))


@dataclass
class PRF:
    tp: float = 0
    fp: float = 0
    fn: float = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class PredAttribution:
    cue: Offsets
    content: Offsets
    source: Offsets | None


@dataclass
class Scores:
    """Running totals over a split; ``errors`` counts the error types behind the misses."""

    cue: PRF = field(default_factory=PRF)
    source: PRF = field(default_factory=PRF)
    content: PRF = field(default_factory=PRF)
    triple: PRF = field(default_factory=PRF)
    chars: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in ("cue", "source", "content")})
    exact: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in ("cue", "source", "content")})
    errors: dict[str, int] = field(default_factory=dict)
    docs: int = 0

    def _err(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def add_exact(self, text: str, preds: list[PredAttribution], golds: list[GoldAttribution]) -> None:
        """Per-role exact-span counts of one document: each role's trimmed span pieces, as sets."""
        for role in ("cue", "source", "content"):
            p = set().union(*[trimmed(text, getattr(a, role)) for a in preds])
            g = set().union(*[trimmed(text, getattr(a, role)) for a in golds])
            self.exact[role].tp += len(p & g)
            self.exact[role].fp += len(p - g)
            self.exact[role].fn += len(g - p)

    def add(self, preds: list[PredAttribution], golds: list[GoldAttribution],
            text: str | None = None) -> list[tuple[str, object]]:
        """Score one document (with its ``text``, the per-role exact-span score too); returns (error type,
        item) pairs for the error report."""
        self.docs += 1
        if text is not None:
            self.add_exact(text, preds, golds)
        found: list[tuple[str, object]] = []
        matched, used_g, used_p = _match_by_cue(preds, golds)
        n_p, n_g = len(preds), len(golds)
        self.cue.tp += len(matched)
        self.cue.fp += n_p - len(matched)
        self.cue.fn += n_g - len(matched)
        src_ok = cont_ok = trip_ok = 0
        for g, p in matched:
            s_ok = char_f1(p.source, g.source) >= 0.5
            c_ok = char_f1(p.content, g.content) >= 0.5
            src_ok += s_ok
            cont_ok += c_ok
            trip_ok += s_ok and c_ok
            if not s_ok:
                kind = "source_missing" if p.source is None else (
                    "source_spurious" if g.source is None else "source_wrong")
                self._err(kind)
                found.append((kind, (g, p)))
            if not c_ok:
                self._err("content_wrong")
                found.append(("content_wrong", (g, p)))
        found += self._unmatched(preds, golds, used_p, used_g)
        for prf, ok in ((self.source, src_ok), (self.content, cont_ok), (self.triple, trip_ok)):
            prf.tp += ok
            prf.fp += n_p - ok
            prf.fn += n_g - ok
        self._add_chars(preds, golds)
        return found

    def _unmatched(self, preds: list[PredAttribution], golds: list[GoldAttribution], used_p: set[int],
                   used_g: set[int]) -> list[tuple[str, object]]:
        found: list[tuple[str, object]] = []
        for pi, p in enumerate(preds):
            if pi not in used_p:
                self._err("cue_spurious")
                found.append(("cue_spurious", p))
        for gi, g in enumerate(golds):
            if gi not in used_g:
                self._err("cue_missed")
                found.append(("cue_missed", g))
        return found

    def _add_chars(self, preds: list[PredAttribution], golds: list[GoldAttribution]) -> None:
        for role in ("cue", "source", "content"):
            pc = set().union(*[char_set(getattr(p, role)) for p in preds]) if preds else set()
            gc = set().union(*[char_set(getattr(g, role)) for g in golds]) if golds else set()
            self.chars[role].tp += len(pc & gc)
            self.chars[role].fp += len(pc - gc)
            self.chars[role].fn += len(gc - pc)


def _match_by_cue(preds: list[PredAttribution], golds: list[GoldAttribution]
                  ) -> tuple[list[tuple[GoldAttribution, PredAttribution]], set[int], set[int]]:
    """One-to-one matching by cue overlap, best content agreement first."""
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if overlaps(p.cue, g.cue):
                pairs.append((char_f1(p.content, g.content) + char_f1(p.cue, g.cue) * 0.1, gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched: list[tuple[GoldAttribution, PredAttribution]] = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matched.append((golds[gi], preds[pi]))
    return matched, used_g, used_p


# ---------------------------------------------------------------- evaluation with an error report

ERROR_TYPES = ("cue_missed", "cue_spurious", "source_missing", "source_spurious", "source_wrong", "content_wrong")


@dataclass
class ErrorExample:
    """One error, readable without the article: where it is, and gold vs predicted spans as text."""

    kind: str
    stem: str
    context: str
    gold: dict[str, str] | None
    pred: dict[str, str] | None


def _span_text(text: str, spans: Offsets | None) -> str:
    return " … ".join(text[s:e] for s, e in spans) if spans else "∅"


def _roles(text: str, a: GoldAttribution | PredAttribution) -> dict[str, str]:
    return {"source": _span_text(text, a.source), "cue": _span_text(text, a.cue),
            "content": _span_text(text, a.content)}


def _context(text: str, a: GoldAttribution | PredAttribution, width: int = 60) -> str:
    spans = list(a.cue) + list(a.content) + list(a.source or [])
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    lo, hi = max(0, min(lo, a.cue[0][0] - width)), min(len(text), max(hi, a.cue[-1][1] + width))
    snippet = text[lo:hi] if hi - lo <= 400 else text[lo:lo + 200] + " [...] " + text[hi - 190:hi]
    return snippet.replace("\n", " ⏎ ")


@dataclass
class Evaluation:
    """Scores of a split plus what the errors look like: examples per type and the cue words most
    often missed or over-produced (the usual starting points for a new rule)."""

    scores: Scores
    examples: dict[str, list[ErrorExample]] = field(default_factory=dict)
    missed_cues: Counter[str] = field(default_factory=Counter)
    spurious_cues: Counter[str] = field(default_factory=Counter)


def to_pred(attributions: Iterable[Attribution]) -> list[PredAttribution]:
    """The scorer's view of extracted attributions."""
    return [PredAttribution(cue=list(a.cue.spans), content=list(a.content.spans),
                            source=list(a.source.spans) if a.source else None) for a in attributions]


def score_docs(pairs: Iterable[tuple[GoldDoc, list[PredAttribution]]], examples: int = 3) -> Evaluation:
    """Score (gold document, predictions) pairs, keeping up to ``examples`` examples per error type."""
    ev = Evaluation(scores=Scores())
    for gold, preds in pairs:
        text = gold.text
        for kind, item in ev.scores.add(preds, gold.attributions, text):
            if isinstance(item, tuple):
                g, p = item
            elif kind == "cue_missed":
                g, p = item, None
            else:
                g, p = None, item
            if kind == "cue_missed" and g is not None:
                ev.missed_cues[_span_text(text, g.cue).lower()] += 1
            elif kind == "cue_spurious" and p is not None:
                ev.spurious_cues[_span_text(text, p.cue).lower()] += 1
            bucket = ev.examples.setdefault(kind, [])
            if len(bucket) < examples:
                anchor = g if g is not None else p
                assert anchor is not None
                bucket.append(ErrorExample(kind=kind, stem=gold.stem, context=_context(text, anchor),
                                           gold=_roles(text, g) if g is not None else None,
                                           pred=_roles(text, p) if p is not None else None))
    return ev


def evaluate_split(split_dir: Path, nlp: Language, limit: int | None = None, examples: int = 3) -> Evaluation:
    """Run a pipeline (``reportedly.nlp.get_nlp(extractor, resolve=False)``: the scorer needs the
    attributions only) over a split and score it, with the error report. The pipeline is passed in, never
    built here, so the scorer does not import the pipeline that imports the learned model that reads
    PolNeAR through this module."""
    golds = list(read_split(split_dir, limit=limit))

    def pairs() -> Iterator[tuple[GoldDoc, list[PredAttribution]]]:
        for gold, doc in zip(golds, nlp.pipe((g.text for g in golds), batch_size=16), strict=True):
            yield gold, to_pred(doc._.attributions or [])

    return score_docs(pairs(), examples=examples)
