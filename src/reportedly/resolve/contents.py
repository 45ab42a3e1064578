"""The content spans of a report's attributions, indexed by position.

Channels, dates and relay parents ask "which other claims' contents lie here?" for every claim. Scanning
every claim each time made a long article cost time quadratic in its number of claims; the index answers
from the spans that start near the place asked about, in O(log n + k).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from reportedly.model import Attribution, Entity, Offsets, inside


class ContentIndex:
    """Content spans of ``attributions`` sorted by start, with the longest span's length as search reach."""

    def __init__(self, attributions: Sequence[Attribution]) -> None:
        self._attrs = list(attributions)
        self._items = sorted((s, e, k) for k, a in enumerate(self._attrs) for s, e in a.content.spans)
        self._starts = [s for s, _, _ in self._items]
        self._reach = max((e - s for s, e, _ in self._items), default=0)

    def overlapping(self, lo: int, hi: int) -> list[tuple[tuple[int, int], int]]:
        """(span, attribution index) for every content span that overlaps ``[lo, hi)``."""
        i = bisect.bisect_left(self._starts, lo - self._reach)
        j = bisect.bisect_left(self._starts, hi)
        return [((s, e), k) for s, e, k in self._items[i:j] if e > lo and s < hi]

    def holding(self, pos: int) -> list[Attribution]:
        """The attributions whose content contains character ``pos``, in their original order."""
        return [self._attrs[k] for k in sorted({k for _, k in self.overlapping(pos, pos + 1)})]

    def foreign(self, a: Attribution, lo: int, hi: int) -> Offsets:
        """Other claims' content spans overlapping ``[lo, hi)``, of the claims whose content does not hold
        ``a``'s cue (those belong to them, not to ``a``)."""
        cue_start = a.cue.start
        return [sp for sp, k in self.overlapping(lo, hi)
                if self._attrs[k].id != a.id and not inside(cue_start, self._attrs[k].content.spans)]


class SpanSet:
    """Plain spans by position (the quotes, the contents of a registry): which of them hold a character."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self._items = sorted((s, e, k) for k, (s, e) in enumerate(spans))
        self._starts = [s for s, _, _ in self._items]
        self._reach = max((e - s for s, e, _ in self._items), default=0)

    def add(self, span: tuple[int, int]) -> None:
        """One more span (kept in position order)."""
        item = (span[0], span[1], len(self._items))
        k = bisect.bisect_right(self._items, item)
        self._items.insert(k, item)
        self._starts.insert(k, span[0])
        self._reach = max(self._reach, span[1] - span[0])

    def holding(self, pos: int) -> list[tuple[int, int]]:
        """The spans that contain ``pos``, in their original order."""
        return self.overlapping(pos, pos + 1)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The spans that overlap ``[lo, hi)``, in their original order."""
        i = bisect.bisect_left(self._starts, lo - self._reach)
        j = bisect.bisect_left(self._starts, hi)
        return [(s, e) for s, e, _ in sorted(self._items[i:j], key=lambda x: x[2]) if s < hi and e > lo]


class MentionIndex:
    """The mentions of a report's entities by position, each with its entity's index in the list."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self._items = sorted((ms, me, k) for k, e in enumerate(entities) for ms, me in e.mentions)
        self._starts = [ms for ms, _, _ in self._items]
        self._reach = max((me - ms for ms, me, _ in self._items), default=0)

    def overlapping(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """(start, end, entity index) of the mentions that overlap ``[lo, hi)`` or touch an empty one at ``lo``."""
        i = bisect.bisect_left(self._starts, lo - self._reach - 1)
        j = bisect.bisect_right(self._starts, hi)
        return self._items[i:j]
