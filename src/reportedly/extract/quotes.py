"""Quoted passages of an article and how they run on.

News copy marks direct speech with curly quotes, straight quotes, or (NYT style) doubled apostrophes.
A quote that runs over several paragraphs repeats its opening mark at the start of each paragraph
and closes only at the end, so a passage is kept as a list of per-paragraph spans. Everything here
works on characters (one linear scan), so it is cheap and independent of the parse.
"""

from __future__ import annotations

from dataclasses import dataclass

Offsets = list[tuple[int, int]]

# opening mark -> closing marks it accepts
_PAIRS: dict[str, tuple[str, ...]] = {"“": ("”", '"'), '"': ('"', "”"), "''": ("''", "”", '"'), "‘": ("’",)}
MAX_QUOTE_CHARS = 4000  # a longer "quote" is an unbalanced mark, not speech


@dataclass(frozen=True)
class Quote:
    """A quoted passage: one span per paragraph it covers, marks included."""

    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def _opener_at(text: str, i: int) -> str | None:
    ch = text[i]
    if ch == "“":
        return "“"
    if text.startswith("''", i):
        return "''" if i + 2 < len(text) and not text[i + 2].isspace() else None
    if ch == '"':
        return '"' if i + 1 < len(text) and not text[i + 1].isspace() else None
    if ch == "‘":
        # an opening single quote, not the apostrophe of "‘90s"
        return "‘" if (i == 0 or not text[i - 1].isalnum()) and i + 1 < len(text) and text[i + 1].isalpha() else None
    return None


def _closer_at(text: str, i: int, opener: str) -> int:
    """Length of a closing mark for ``opener`` at ``i`` (0 when there is none)."""
    for mark in _PAIRS[opener]:
        if text.startswith(mark, i):
            if mark == "’" and i + 1 < len(text) and text[i + 1].isalpha():
                return 0  # an apostrophe inside a word ("don’t")
            if mark == "''" and opener != "''" and i > 0 and text[i - 1].isalpha():
                return 0
            return len(mark)
    return 0


def find_quotes(text: str) -> list[Quote]:
    """Quoted passages in text order; a quote left open at a paragraph end continues when the next
    paragraph reopens it (the newspaper convention), otherwise it is closed at the paragraph end."""
    out: list[Quote] = []
    n = len(text)
    i = 0
    # an opener that found no closer up to position j: same-type openers before j cannot do better,
    # so each character is scanned a bounded number of times (linear even on hostile input)
    dead_until: dict[str, int] = {}
    while i < n:
        opener = _opener_at(text, i)
        if opener is None or dead_until.get(opener, -1) > i:
            i += 1
            continue
        spans: list[tuple[int, int]] = []
        start = i
        j = i + len(opener)
        closed = False
        while j < n and j - i < MAX_QUOTE_CHARS:
            if text[j] == "\n":
                # paragraph end inside a quote: continues only if the next paragraph reopens it
                k = j
                while k < n and text[k] in "\n \t":
                    k += 1
                if opener != "‘" and k < n and _opener_at(text, k) == opener:
                    spans.append((start, j))
                    start = k
                    j = k + len(opener)
                    continue
                break
            ln = _closer_at(text, j, opener)
            if ln:
                spans.append((start, j + ln))
                closed = True
                j += ln
                break
            j += 1
        if closed and spans:
            out.append(Quote(tuple(spans)))
            i = j
        else:
            dead_until[opener] = j
            i += len(opener)
    return out
