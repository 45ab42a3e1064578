"""The date of a statement: the time expression that dates the cue, not one inside what was said.

"In a post ... Wednesday (March 30), the ministry said ..." dates the ministry's statement; the same
expression inside the content of "..., Newsweek reported" does not date Newsweek's report, nor does one in a
clause beside the cue's ("The dam, completed in 1978, ... groups, who say ...").
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from reportedly.model import Attribution, DateRef, TimeExpr, inside
from reportedly.resolve.channels import sentence_tokens, trailing_medium
from reportedly.resolve.contents import ContentIndex

_MAX_GAP = 200
_CLAUSE_POS = ("VERB", "AUX")


def _clause_head(tok: Token) -> Token:
    """The verb of the clause a token belongs to (itself if it is one; the root if there is none)."""
    while tok.pos_ not in _CLAUSE_POS and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _dates_cue(doc: Doc, cue_tokens: list[Token], ts: int, te: int) -> bool:
    """Can the time expression at [ts, te) date the statement? Yes when its clause is on the cue's line of
    descent ("said on Tuesday") or hangs beside it without describing something else on the way: "In a post
    shared Wednesday, the ministry said ..., following up with a separate post claiming ..." (the post is the
    statement's medium), "When X, during a debate in 1973, recommended ..., Y replied that X had said ...".
    No when it sits in a relative or participial clause about another noun ("The dam, completed in 1978, ...
    groups, who say ...", "X, who ran in 2008, said") or in another verb's reported content."""
    span = doc.char_span(ts, te, alignment_mode="expand")
    if span is None or not cue_tokens:
        return True
    head = _clause_head(span.root)
    for cue in cue_tokens:
        if cue.i == head.i or head.is_ancestor(cue):
            return True
    cue = cue_tokens[0]
    lo, hi = cue.sent.start, cue.sent.end  # parses may run a headline into the sentence: stop at its edge
    line = _line_of(cue, lo, hi)
    tok = head
    while tok.i not in line:
        if tok.head.i == tok.i:
            return False
        if not lo <= tok.head.i < hi:
            return True
        about_noun = tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ == "VBN")  # not "Speaking on ..."
        if (tok.dep_ == "ccomp" and tok.head.i not in line) or (about_noun and not _on_the_medium(tok, line)):
            return False
        tok = tok.head
    return True


def _line_of(cue: Token, lo: int, hi: int) -> set[int]:
    """The cue and the clauses it hangs in, up to a relative clause: "groups, who say ..." speak in the
    relative clause, not in the sentence around it."""
    line = {cue.i}
    tok = cue
    while tok.dep_ != "relcl" and tok.head.i != tok.i and lo <= tok.head.i < hi:
        tok = tok.head
        line.add(tok.i)
    return line


def _on_the_medium(clause: Token, line: set[int]) -> bool:
    """Does a relative or participial clause describe the statement itself: its medium or object ("according
    to a speech she delivered in July 2015", "In a post shared on Wednesday, X said"), or the document that
    speaks ("A legal opinion drafted in May 2012 concluded")?"""
    noun = clause.head
    if noun.dep_ in ("nsubj", "nsubjpass"):
        return clause.dep_ == "acl" and noun.head.i in line
    if noun.dep_ == "dobj":
        return noun.head.i in line
    if noun.dep_ != "pobj":
        return False
    return noun.head.i in line or _clause_head(noun.head).i in line  # the verb the phrase hangs on


def attribution_date(doc: Doc, a: Attribution, others: list[Attribution], times: list[TimeExpr],
                     contents: ContentIndex | None = None) -> DateRef | None:
    """The nearest dated expression in the cue's sentence outside this claim's (and other claims') content
    (``times`` in text order, as extract_times gives them; ``contents``: the index of ``others``' contents,
    built once per report by the caller)."""
    lo, hi = sentence_tokens(doc, a)
    if hi <= lo:
        return None
    s0, s1 = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    foreign = (contents or ContentIndex(others)).foreign(a, s0, s1)
    best: tuple[int, TimeExpr] | None = None
    trailing = trailing_medium(doc, a)
    cue_tokens = [t for cs, ce in a.cue.spans if (sp := doc.char_span(cs, ce, alignment_mode="expand")) is not None
                  for t in sp]
    first = bisect.bisect_left(times, s0, key=lambda t: t.spans[0][0])  # times come in text order
    for t in times[first:]:
        ts, te = t.spans[0]
        if ts > s1:
            break
        if te > s1 or t.value is None or t.value.startswith("T"):
            continue
        in_medium = trailing is not None and trailing[0] <= ts < trailing[1]
        if (inside(ts, a.content.spans) and not in_medium) or inside(ts, foreign):
            continue
        gap = min(abs(ts - a.cue.start), abs(ts - a.cue.end), abs(te - a.cue.start))
        if gap <= _MAX_GAP and (best is None or gap < best[0]) and _dates_cue(doc, cue_tokens, ts, te):
            best = (gap, t)
    return DateRef(best[1].text, best[1].value) if best else None
