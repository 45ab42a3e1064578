"""Quote marks counted on a line by bisection: "is this position inside a quotation on its line?" is asked
for every name and every relative date. Counting the marks from the line's start at each question made a
long line (an article without paragraph breaks) cost time quadratic in its length; here the marks and line
breaks of a text are found once, and each count is two bisections.
"""

from __future__ import annotations

import bisect
import re

_SINGLE = ('"', "“", "”")
_DOUBLE = ("''", "``")


class QuoteMarks:
    """Positions of the quote marks and line breaks of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        # a mark counts for a position once it has ended before it: its end offset is recorded
        self._ends = {mark: [m.end() for m in re.finditer(re.escape(mark), text)] for mark in _SINGLE + _DOUBLE}

    def line_start(self, pos: int) -> int:
        """Offset of the start of the line holding ``pos`` (as ``text.rfind("\\n", 0, pos) + 1``)."""
        k = bisect.bisect_left(self._newlines, pos)
        return self._newlines[k - 1] + 1 if k else 0

    def before(self, mark: str, pos: int) -> int:
        """How many times ``mark`` occurs (non-overlapping) between the start of ``pos``'s line and ``pos``:
        ``text[line_start(pos):pos].count(mark)``."""
        ends = self._ends[mark]
        return bisect.bisect_right(ends, pos) - bisect.bisect_right(ends, self.line_start(pos) + len(mark) - 1)


_CACHE: list[QuoteMarks] = []


def quote_marks(text: str) -> QuoteMarks:
    """The QuoteMarks of ``text``, built once for the text being analyzed."""
    if not _CACHE or _CACHE[0].text is not text:
        _CACHE[:] = [QuoteMarks(text)]
    return _CACHE[0]
