"""Formulaic claims ("X declined to comment", "Y did not respond to requests for comment"), learned from
the ledger itself rather than listed by hand.

A claim's *shape* is its cue and content words with names and numbers removed: "The DNC did not respond to
a request for comment" and "Giuliani did not respond to requests for comment on Friday" share one. A real
claim recurs across articles because one speaker said it about one event; a formula recurs because many
unrelated speakers say it about everything. So a shape is formulaic when it is voiced by many different
named speakers, in many outlets, over many months; a claim that is such a formula plus a word or two ("...
for comment on the letter") is formulaic too, unless it quotes a long passage word for word: a formula's
words plus a quoted object ("We don't know what evidence they are talking about") are one speaker's words
about one thing, so such a claim is formulaic only when formulas make up all of its shape, phrases of two
words or more at least half of it ("I have no comment except that he is cooperating with the investigation":
two formulas, nothing else). Formulaic claims never join a cross-article cluster.

The statistics are sets per shape, so they grow by ``add`` and combine by ``merge``: an incremental batch
updates them without rereading the corpus, and the verdict for a shape is the same as after a full pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reportedly.link.claims import claim_anchors, claim_quotes, claim_terms, needs_vector

MIN_SPEAKERS = 4  # distinct named speakers voicing the shape
MIN_OUTLETS = 3  # in distinct outlets
MIN_MONTHS = 3  # in distinct months: unrelated events, not one story told widely


def quotes_at_length(content: str) -> bool:
    """Whether a claim matched on ``content`` (origins.linkable_content, as if not formulaic) quotes a passage
    of at least ``claims.QUOTE_WORDS`` words, the words a formula's extension (``covers``) may not swallow
    (the claims whose graph node has quotation keys: claims.item)."""
    return needs_vector(content) and bool(claim_quotes(content))


def shape(cue: str, content: str) -> frozenset[str]:
    """Cue and content words of a claim without its names and numbers (see module doc)."""
    text = f"{cue} {content}"
    terms = claim_terms(text)
    return terms - claim_anchors(text) - {t for t in terms if t[:1].isdigit()}


@dataclass
class ShapeSeen:
    """Where one claim shape was met: the speakers, outlets and months (the Spark linker rebuilds these)."""

    speakers: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    months: set[str] = field(default_factory=set)


@dataclass
class FormulaStats:
    """Who voiced each claim shape, where and when: enough to tell a formula from a widely reported claim."""

    seen: dict[frozenset[str], ShapeSeen] = field(default_factory=dict)

    def add(self, claim_shape: frozenset[str], speaker: str | None, outlet: str | None,
            published: str | None) -> None:
        """Record one claim; unnamed speakers, unknown outlets and dates add nothing to their sets."""
        if not claim_shape:
            return
        s = self.seen.setdefault(claim_shape, ShapeSeen())
        if speaker:
            s.speakers.add(speaker)
        if outlet:
            s.outlets.add(outlet)
        if published and len(published) >= 7 and published[:4].isdigit():
            s.months.add(published[:7])

    def merge(self, other: FormulaStats) -> None:
        """Fold another batch's statistics into these (incremental linking)."""
        for k, o in other.seen.items():
            s = self.seen.setdefault(k, ShapeSeen())
            s.speakers |= o.speakers
            s.outlets |= o.outlets
            s.months |= o.months

    def is_formulaic(self, claim_shape: frozenset[str]) -> bool:
        s = self.seen.get(claim_shape)
        return bool(s and len(s.speakers) >= MIN_SPEAKERS and len(s.outlets) >= MIN_OUTLETS
                    and len(s.months) >= MIN_MONTHS)

    def formulaic_shapes(self) -> list[frozenset[str]]:
        return [k for k in self.seen if self.is_formulaic(k)]

    def verdicts(self, shapes: Sequence[frozenset[str]], quoted: Sequence[bool] | None = None) -> list[bool]:
        """Per claim, whether it is formulaic (see ``verdicts``)."""
        return verdicts(self.formulaic_shapes(), shapes, quoted)


def covers(formula: frozenset[str], claim_shape: frozenset[str]) -> bool:
    """A claim shape is a formula plus at most as many words again ("did not respond to a request for comment
    on the letter"): the formula still carries the claim, the rest is its object."""
    return formula <= claim_shape and len(claim_shape) <= 2 * len(formula)


def _by_first(formulas: Iterable[frozenset[str]]) -> dict[str, list[frozenset[str]]]:
    by_term: dict[str, list[frozenset[str]]] = defaultdict(list)
    for f in formulas:
        if f:
            by_term[min(f)].append(f)
    return by_term


def _inside(by_term: dict[str, list[frozenset[str]]], claim_shape: frozenset[str]) -> list[frozenset[str]]:
    """The formulas whose words are all in the shape (each once: it is found under its first word)."""
    return [f for t in claim_shape for f in by_term.get(t, ()) if f <= claim_shape]


def made_of_formulas(inside: Sequence[frozenset[str]], claim_shape: frozenset[str]) -> bool:
    """Formulas make up all of a shape, and formulas of two words or more at least half of it: the phrase
    carries the claim, as in ``covers``. A one-word formula is a word many speakers used alone ("wall",
    "election", "sure"); a long quotation made of such words is about them, not a stock phrase (in the
    seventh judged draw, three relays missed: "My message ... is clear: stay out of American elections")."""
    if not inside or frozenset().union(*inside) != claim_shape:
        return False
    phrases = [f for f in inside if len(f) >= 2]
    return bool(phrases) and 2 * len(frozenset().union(*phrases)) >= len(claim_shape)


def _verdict(inside: Sequence[frozenset[str]], claim_shape: frozenset[str], quoted: bool) -> bool:
    if quoted:  # a long quotation: formulaic only when formulas make it up (``made_of_formulas``)
        return made_of_formulas(inside, claim_shape)
    return any(covers(f, claim_shape) for f in inside)


def verdicts(formulas: Iterable[frozenset[str]], shapes: Sequence[frozenset[str]],
             quoted: Sequence[bool] | None = None) -> list[bool]:
    """Per claim shape (with whether the claim ``quotes_at_length``; none quotes when not given): one of
    ``formulas`` covers it or, for a quoting claim, formulas make up all of it. Formulas only grow (a shape's
    sets only grow), so a claim once formulaic stays so: what lets incremental linking update verdicts by
    looking only at the shapes that hold a new formula (``reach``)."""
    by_term = _by_first(formulas)
    flags = quoted if quoted is not None else [False] * len(shapes)
    return [_verdict(_inside(by_term, sh), sh, q) for sh, q in zip(shapes, flags, strict=True)]


def reach(formulas: Iterable[frozenset[str]], shapes: Sequence[frozenset[str]]) -> list[tuple[bool, bool]]:
    """Per shape, whether one of ``formulas`` covers it, and whether one is inside it: the claims whose verdict
    new formulas can change (the first for claims quoting no long passage, the second for those quoting one)."""
    by_term = _by_first(formulas)
    out = []
    for sh in shapes:
        inside = _inside(by_term, sh)
        out.append((any(covers(f, sh) for f in inside), bool(inside)))
    return out


QUOTED_MARK = '"'  # opens a stored claim shape (link state) when the claim quotes a long passage


def claim_shape_text(claim_shape: frozenset[str], quoted: bool) -> str:
    """A claim's shape as its state row stores it: ``shape_text``, marked when the claim quotes a long passage,
    so the claims a new formula may turn formulaic are found by their stored shape alone."""
    return (QUOTED_MARK if quoted else "") + shape_text(claim_shape)


def parse_claim_shape(text: str) -> tuple[frozenset[str], bool]:
    """The shape and the quoting flag of a stored ``claim_shape_text``."""
    quoted = text.startswith(QUOTED_MARK)
    return shape_of_text(text[1:] if quoted else text), quoted


def shape_text(claim_shape: frozenset[str]) -> str:
    """A shape as stored (link state): its sorted terms between spaces, so that a term is matched whole."""
    return f" {' '.join(sorted(claim_shape))} " if claim_shape else ""


def shape_of_text(text: str) -> frozenset[str]:
    return frozenset(text.split())


def capped(values: set[str]) -> list[str]:
    """The first values of a set, as many as any verdict reads: the stored sets stay small however often a
    formula recurs, and a verdict read from them is the one read from the whole set."""
    return sorted(values)[:max(MIN_SPEAKERS, MIN_OUTLETS, MIN_MONTHS)]


def learn(claims: Iterable[tuple[frozenset[str], str | None, str | None, str | None]]) -> FormulaStats:
    """Statistics from (shape, named speaker key, canonical outlet, published) tuples."""
    stats = FormulaStats()
    for sh, speaker, outlet, published in claims:
        stats.add(sh, speaker, outlet, published)
    return stats
