"""Indexing multi-word lexicon entries by their first word, shared by the hedge and channel matchers.

Matching a lexicon of phrases against every token is the hot loop of both; looking up only the entries
that can start at a token keeps it linear in the document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Phrase(Protocol):
    @property
    def words(self) -> tuple[str, ...]: ...


P = TypeVar("P", bound=Phrase)


def by_first_word(entries: Iterable[P]) -> dict[str, tuple[P, ...]]:
    """Entries grouped by their first word, each group in the order given (e.g. longest first)."""
    out: dict[str, list[P]] = {}
    for e in entries:
        out.setdefault(e.words[0], []).append(e)
    return {k: tuple(v) for k, v in out.items()}
