"""The resolver engine: a mention, the context it is resolved in, the verdict a resolver gives, and the one
loop that asks an ordered table of named resolvers until one decides.

Kept apart from the rules themselves (``resolve/resolvers.py``) so the policy reads as a table and the
machinery is small enough to test on its own. Nothing here knows about any particular rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from reportedly.model import Attribution

if TYPE_CHECKING:
    from reportedly.resolve.registry import Ent, Registry

MAX_DEPTH = 3  # a resolver may resolve a part of its span again ("said Mulgrew" -> "Mulgrew") this deep


class Kind(StrEnum):
    """What kind of source an entity is (the report's ``entities[].kind``; a str, so JSON is unchanged)."""

    OUTLET = "outlet"
    GOVERNMENT = "government"
    OFFICIAL = "official"
    JOURNALIST = "journalist"
    PERSON = "person"
    ORGANISATION = "organisation"
    ANONYMOUS = "anonymous"
    DOCUMENT = "document"
    OTHER = "other"


@dataclass(frozen=True)
class Context:
    """Everything a resolver may read besides the mention: the registry of entities so far, the sources
    already seen (most recent first), the attribution, whether the span is a recipient, and how deep the
    resolution recursed."""

    reg: Registry
    sources_seen: list[Ent]
    a: Attribution
    recipient: bool
    depth: int = 0

    @property
    def doc(self) -> Doc:
        return self.reg.doc

    @property
    def can_recurse(self) -> bool:
        return self.depth < MAX_DEPTH

    def deeper(self) -> Context:
        return replace(self, depth=self.depth + 1)


@dataclass(frozen=True)
class Verdict:
    """A resolver's decision: the entity (None: the span names nobody), the resolver that decided and the
    evidence it decided on, in a few words a reader can check against the text."""

    entity: Ent | None
    resolver: str
    evidence: str

    def explanation(self) -> dict[str, str]:
        return {"resolver": self.resolver, "evidence": self.evidence}


class Mention:
    """One source (or recipient) span and the views of it the resolvers share, each computed once."""

    def __init__(self, s: int, e: int, span: Span, core: Span) -> None:
        self.s, self.e, self.span, self.core = s, e, span, core

    @property
    def bounds(self) -> tuple[int, int]:
        return (self.s, self.e)

    @property
    def doc(self) -> Doc:
        return self.span.doc

    @cached_property
    def head(self) -> Token:
        from reportedly.resolve.registry import span_head

        return span_head(self.core)

    @cached_property
    def lemma(self) -> str:
        return self.head.lemma_.lower()

    @cached_property
    def low_head(self) -> str:
        """The head's lower-case form ("FEC records" -> "records"), its lemma for "figure"."""
        return self.head.lower_ if self.lemma != "figure" else self.lemma

    @property
    def first(self) -> str:
        return self.span[0].lower_

    @property
    def single(self) -> str | None:
        """The one word of a one-word core ("he", "which", "Q"), else None."""
        return self.core[0].lower_ if len(self.core) == 1 else None


Resolver = Callable[[Mention, Context], "Verdict | None"]


@dataclass(frozen=True)
class Rule:
    """One named resolver in the table; ``why`` is the one line docs/design.md shows for it."""

    name: str
    resolve: Resolver
    why: str


def run(table: Sequence[Rule], mention: Mention, ctx: Context) -> Verdict | None:
    """The first verdict of the table, top to bottom, stamped with the name of the rule that gave it."""
    for rule in table:
        verdict = rule.resolve(mention, ctx)
        if verdict is not None:
            return verdict if verdict.resolver == rule.name else replace(verdict, resolver=rule.name)
    return None
