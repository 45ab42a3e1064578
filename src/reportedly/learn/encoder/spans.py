"""One cue's role probabilities -> its source and content pieces (pure: numpy only).

The role head scores every piece on its own, so its argmax leaves contents with holes ("… in order to"
loses "in"), cuts a span a word short where the model hesitates, keeps stray fragments far from the
content, and cuts possessive or long sources. Decoding repairs that with a few named rules, applied in
order (``SpanRules``): the argmax is the seed; neighbours whose probability clears a lower bar join their
run (hysteresis); short gaps between content runs are filled; tiny stray content runs are dropped. Cue
and source pieces are never content. The bars were chosen on 60 PolNeAR train articles and checked on
dev (docs/benchmarks.md, section ``encoder``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from reportedly.learn.encoder.pieces import R_CONTENT, R_SOURCE, PieceAttribution, decode_roles, runs


@dataclass(frozen=True)
class SpanRules:
    """The decoding rules and their settings (0 or 1.0 turns a rule off)."""

    source_grow: float = 0.2  # a piece next to the source joins it at this source probability
    content_grow: float = 0.35  # a piece next to the content joins it at this content probability
    content_hole: int = 4  # gaps of at most this many pieces between content runs are filled
    content_stray: int = 2  # content runs of at most this many pieces go when a longer run exists


RULES = SpanRules()
ARGMAX = SpanRules(source_grow=1.0, content_grow=1.0, content_hole=0, content_stray=0)


def grow(seed: Iterable[int], prob: np.ndarray, bar: float, blocked: Collection[int]) -> set[int]:
    """``seed`` plus every piece reachable from it through neighbours whose ``prob`` is at least ``bar``."""
    sel = set(seed)
    todo = list(sel)
    while todo:
        i = todo.pop()
        for j in (i - 1, i + 1):
            if 0 <= j < len(prob) and j not in sel and j not in blocked and prob[j] >= bar:
                sel.add(j)
                todo.append(j)
    return sel


def fill_holes(sel: Iterable[int], hole: int, blocked: Collection[int]) -> set[int]:
    """``sel`` with every gap of at most ``hole`` pieces between two runs filled (unless a blocked piece
    is in it: the cue or the source separates the parts of a split quotation)."""
    rs, out = runs(sel), set(sel)
    for a, b in zip(rs, rs[1:], strict=False):
        gap = range(a[-1] + 1, b[0])
        if len(gap) <= hole and not any(g in blocked for g in gap):
            out.update(gap)
    return out


def drop_strays(sel: Iterable[int], stray: int, blocked: Collection[int] = ()) -> set[int]:
    """``sel`` without its runs of at most ``stray`` pieces, when a longer run exists; a short run kept apart
    from its neighbour only by the cue or the source is the other part of a split quotation and stays."""
    rs = runs(sel)
    if not rs or max(len(r) for r in rs) <= stray:
        return set(sel)

    def split_part(k: int) -> bool:
        near = [rs[j] for j in (k - 1, k + 1) if 0 <= j < len(rs)]
        return any(any(g in blocked for g in range(min(a[-1], b[-1]) + 1, max(a[0], b[0])))
                   for a, b in ((rs[k], m) for m in near))

    return {i for k, r in enumerate(rs) if len(r) > stray or split_part(k) for i in r}


def decode_spans(cue: list[int], probs: np.ndarray, offset: int = 0,
                 rules: SpanRules = RULES) -> PieceAttribution | None:
    """The attribution of one cue (article piece indices) from its role probabilities over the window
    that starts at article piece ``offset`` (None without content)."""
    seed = decode_roles(cue, [int(t) for t in probs.argmax(axis=1)], offset)
    if seed is None:
        return None
    cw = {i - offset for i in cue}
    content = {i - offset for i in seed.content}
    source = grow((i - offset for i in seed.source), probs[:, R_SOURCE], rules.source_grow, cw | content) \
        if seed.source else set()
    blocked = cw | source
    content = grow(content, probs[:, R_CONTENT], rules.content_grow, blocked)
    content = drop_strays(fill_holes(content, rules.content_hole, blocked), rules.content_stray, blocked)
    return PieceAttribution(cue=cue, content=[offset + i for i in sorted(content)],
                            source=[offset + i for i in sorted(source)])


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities over the last axis."""
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return np.asarray(e / e.sum(axis=-1, keepdims=True))


def window_spans(cues: Sequence[list[int]], probs: np.ndarray, offset: int,
                 rules: SpanRules = RULES) -> list[PieceAttribution]:
    """Attributions of all cues read in one window (``probs``: [cue, piece, role])."""
    out = [decode_spans(c, p, offset, rules) for c, p in zip(cues, probs, strict=True)]
    return [a for a in out if a is not None]
