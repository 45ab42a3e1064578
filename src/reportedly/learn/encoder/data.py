"""PolNeAR -> encoder training windows (pure: no torch).

Gold attributions are character spans; each becomes piece indices (a piece counts when it shares a
character with the span). Every window carries the cue tags of all its pieces and the role tags of the
attributions whose cue has this window as home (see ``pieces.home_window``), so each attribution is
learned once, in the context it will be read in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reportedly.eval.polnear import GoldAttribution, GoldDoc
from reportedly.learn.encoder.infer import Tokenizer
from reportedly.learn.encoder.pieces import (
    WINDOW,
    PieceAttribution,
    Pieces,
    cue_tags,
    home_window,
    pieces_in,
    role_tags,
    windows,
)


@dataclass
class TrainWindow:
    """One encoder input with its targets: cue tags per piece, and (cue pieces, role tags) per attribution
    read in this window (indices relative to the window)."""

    ids: list[int]
    shapes: list[int]
    cue_tags: list[int]
    roles: list[tuple[list[int], list[int]]]


def piece_attributions(pieces: Pieces, gold: Iterable[GoldAttribution]) -> list[PieceAttribution]:
    """Gold attributions as piece indices; those whose cue or content covers no piece are dropped."""
    out = []
    for g in gold:
        cue, content = pieces_in(pieces.offsets, g.cue), pieces_in(pieces.offsets, g.content)
        if cue and content:
            out.append(PieceAttribution(cue=cue, content=content, source=pieces_in(pieces.offsets, g.source)))
    return out


def article_windows(pieces: Pieces, atts: list[PieceAttribution], stride: int = WINDOW) -> list[TrainWindow]:
    """The training windows of one article (by default without overlap: every piece is learned once, which
    halves the cost of an epoch; cues near a window's edge then teach the model short contexts too)."""
    wins = windows(len(pieces.ids), WINDOW, stride)
    tags = cue_tags(len(pieces.ids), [a.cue for a in atts])
    out = [TrainWindow(pieces.ids[s:e], pieces.shapes[s:e], tags[s:e], []) for s, e in wins]
    for a in atts:
        k = home_window(a.cue, wins)
        if k is None:
            continue
        s, e = wins[k]
        out[k].roles.append(([i - s for i in a.cue], role_tags(e - s, a, s)))
    return out


def training_windows(golds: Iterable[GoldDoc], tokenizer: Tokenizer) -> list[TrainWindow]:
    """All windows of a split, in article order."""
    out: list[TrainWindow] = []
    for g in golds:
        p = tokenizer.pieces(g.text)
        if p.ids:
            out.extend(article_windows(p, piece_attributions(p, g.attributions)))
    return out
