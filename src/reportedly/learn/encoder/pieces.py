"""Word pieces, windows, labels and decoding for the encoder extractor (pure: no torch, no ONNX).

Training and inference share everything here, so the spans the model learns are exactly the ones it is
decoded into. An article becomes word pieces with character offsets; every piece also gets a *shape* id
(capitalisation, because the base encoder is uncased and names need their capitals, and whether a line
break precedes it, because paragraphs are lost in tokenization). Long articles are cut into windows of
``WINDOW`` pieces overlapping by ``WINDOW - STRIDE``; every cue belongs to the one window where it sits
farthest from an edge, and its source and content are read in that window.

Tags: cue BIO per piece (``O``/``B``/``I`` = 0/1/2); roles per (cue, piece): other/source/content = 0/1/2.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Offsets = list[tuple[int, int]]

WINDOW = 254  # pieces per window, [CLS] and [SEP] excluded
STRIDE = 190
SHAPES = 6  # (lower/other, Capitalised, ALLCAPS) x (no line break before, line break before)
MAX_DIST_BUCKET = 10
DIST_BUCKETS = 2 * MAX_DIST_BUCKET + 1  # left of the cue, inside it, right of it
O, B, I = 0, 1, 2  # noqa: E741 (the usual BIO names)
R_OTHER, R_SOURCE, R_CONTENT = 0, 1, 2


@dataclass
class Pieces:
    """An article as word pieces: vocabulary ids, character offsets and shape ids, aligned."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    shapes: list[int]


@dataclass
class PieceAttribution:
    """An attribution as piece indices (article-wide); ``source`` may be empty."""

    cue: list[int]
    content: list[int]
    source: list[int] = field(default_factory=list)


def shape_id(text: str, start: int, end: int, prev_end: int) -> int:
    """Capitalisation class of the piece ``text[start:end]`` plus 3 when a line break separates it from the
    previous piece (a paragraph boundary)."""
    word = text[start:end]
    cap = 0
    if word[:1].isupper():
        cap = 2 if len(word) > 1 and word.isupper() else 1
    brk = 3 if "\n" in text[prev_end:start] else 0
    return cap + brk


def shapes_of(text: str, offsets: Sequence[tuple[int, int]]) -> list[int]:
    """Shape id of every piece (see ``shape_id``)."""
    out, prev = [], 0
    for s, e in offsets:
        out.append(shape_id(text, s, e, prev))
        prev = e
    return out


def windows(n: int, size: int = WINDOW, stride: int = STRIDE) -> list[tuple[int, int]]:
    """Piece ranges covering ``n`` pieces: ``size`` long, each starting ``stride`` after the last; the last
    window ends at ``n`` (so none is mostly padding)."""
    if n <= size:
        return [(0, n)]
    starts = list(range(0, n - size, stride)) + [n - size]
    return [(s, s + size) for s in starts]


def home_window(cue: Sequence[int], wins: Sequence[tuple[int, int]]) -> int | None:
    """Index of the window that holds the whole cue with the most room on its tighter side (None when no
    window holds it: a cue longer than a window)."""
    lo, hi = min(cue), max(cue)
    best, best_room = None, -1
    for k, (s, e) in enumerate(wins):
        if s <= lo and hi < e:
            room = min(lo - s, e - 1 - hi)
            if room > best_room:
                best, best_room = k, room
    return best


def pieces_in(offsets: Sequence[tuple[int, int]], spans: Offsets | None) -> list[int]:
    """Indices of the pieces that share a character with any of ``spans`` (offsets are sorted)."""
    if not spans:
        return []
    starts = [s for s, _ in offsets]
    out: set[int] = set()
    for a, b in spans:
        i = max(0, bisect_left(starts, a) - 1)
        while i < len(offsets) and offsets[i][0] < b:
            if offsets[i][1] > a:
                out.add(i)
            i += 1
    return sorted(out)


def cue_tags(n: int, cues: Sequence[Sequence[int]]) -> list[int]:
    """BIO cue tags over ``n`` pieces; a cue's later discontinuous parts start with ``B`` again."""
    tags = [O] * n
    for cue in cues:
        prev = None
        for i in sorted(cue):
            tags[i] = I if prev is not None and i == prev + 1 else B
            prev = i
    return tags


def cue_groups(tags: Sequence[int]) -> list[list[int]]:
    """Piece groups of a BIO sequence; a stray ``I`` opens a group."""
    groups: list[list[int]] = []
    cur: list[int] | None = None
    for i, t in enumerate(tags):
        if t == B or (t == I and cur is None):
            cur = [i]
            groups.append(cur)
        elif t == I and cur is not None:
            cur.append(i)
        else:
            cur = None
    return groups


def dist_bucket(d: int) -> int:
    """Bucket of a signed piece distance to the cue (0 inside it): log-spaced, ``MAX_DIST_BUCKET`` a side."""
    if d == 0:
        return MAX_DIST_BUCKET
    mag = min(MAX_DIST_BUCKET, abs(d).bit_length())
    return MAX_DIST_BUCKET + (mag if d > 0 else -mag)


def dist_buckets(n: int, cue: Sequence[int]) -> list[int]:
    """Distance bucket of each of ``n`` window pieces to a cue given as window-relative piece indices."""
    lo, hi = min(cue), max(cue)
    return [dist_bucket(i - lo if i < lo else (i - hi if i > hi else 0)) for i in range(n)]


def role_tags(n: int, att: PieceAttribution, offset: int = 0) -> list[int]:
    """Role tags of ``n`` window pieces starting at article piece ``offset`` for one attribution."""
    tags = [R_OTHER] * n
    for role, idx in ((R_SOURCE, att.source), (R_CONTENT, att.content)):
        for i in idx:
            if 0 <= i - offset < n:
                tags[i - offset] = role
    for i in att.cue:
        if 0 <= i - offset < n:
            tags[i - offset] = R_OTHER
    return tags


def piece_runs(text: str, offsets: Sequence[tuple[int, int]], idx: Sequence[int]) -> Offsets:
    """Character spans of the given pieces: neighbours with only whitespace between them are joined."""
    spans: list[list[int]] = []
    for i in sorted(set(idx)):
        s, e = offsets[i]
        if spans and not text[spans[-1][1]:s].strip():
            spans[-1][1] = max(spans[-1][1], e)
        else:
            spans.append([s, e])
    return [(s, e) for s, e in spans]


def runs(idx: Iterable[int]) -> list[list[int]]:
    """Runs of consecutive indices, in order."""
    out: list[list[int]] = []
    for i in sorted(idx):
        if out and i == out[-1][-1] + 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def nearest_run(idx: Sequence[int], cue: Sequence[int]) -> list[int]:
    """The run of consecutive pieces closest to the cue: a source is one phrase, stray pieces are noise."""
    found = runs(idx)
    if len(found) <= 1:
        return [i for r in found for i in r]
    lo, hi = min(cue), max(cue)
    return min(found, key=lambda r: min(abs(r[0] - hi), abs(r[-1] - lo)))


def decode_roles(cue: list[int], tags: Sequence[int], offset: int = 0) -> PieceAttribution | None:
    """One cue's role tags (window pieces from ``offset``) as an attribution; None without content (every
    gold attribution has content, so such a cue is noise)."""
    cue_set = set(cue)
    content = [offset + k for k, t in enumerate(tags) if t == R_CONTENT and offset + k not in cue_set]
    if not content:
        return None
    source = [offset + k for k, t in enumerate(tags) if t == R_SOURCE and offset + k not in cue_set]
    return PieceAttribution(cue=cue, content=content, source=nearest_run(source, cue))


def widen_to_words(text: str, spans: Offsets) -> Offsets:
    """Spans grown to whole words (a piece boundary inside a word never cuts a span)."""
    out = []
    for s, e in spans:
        while s > 0 and text[s - 1].isalnum():
            s -= 1
        while e < len(text) and text[e].isalnum():
            e += 1
        out.append((s, e))
    return out
