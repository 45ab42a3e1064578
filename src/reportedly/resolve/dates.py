"""The date of a statement: the time expression that dates the cue, not one inside what was said.

"In a post ... Wednesday (March 30), the ministry said ..." dates the ministry's statement; the same
expression inside the content of "..., Newsweek reported" does not date Newsweek's report, nor does one in a
clause beside the cue's ("The dam, completed in 1978, ... groups, who say ...").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from reportedly.model import Attribution, DateRef, TimeExpr, inside
from reportedly.resolve.channels import _sentence_tokens, trailing_medium

_MAX_GAP = 200
_CLAUSE_POS = ("VERB", "AUX")


def _clause_head(tok: Token) -> Token:
    """The verb of the clause a token belongs to (itself if it is one; the root if there is none)."""
    while tok.pos_ not in _CLAUSE_POS and tok.head is not tok:
        tok = tok.head
    return tok


def _dates_cue(doc: Doc, cue_tokens: list[Token], ts: int, te: int) -> bool:
    """Can the time expression at [ts, te) date the statement? Only when its clause and the cue's are one
    line of descent: "said on Tuesday", "In a post Wednesday, the ministry said" (the post's clause hangs on
    the cue). A time in a clause beside the cue's dates something else: "The dam, completed in 1978, has
    been criticised by groups who say ..." dates the dam, not what the groups say; nor does a relative
    clause ("X, who ran in 2008, said")."""
    span = doc.char_span(ts, te, alignment_mode="expand")
    if span is None or not cue_tokens:
        return True
    head = _clause_head(span.root)
    cues = {t.i for t in cue_tokens}
    for cue in cue_tokens:
        if cue.i == head.i or head.is_ancestor(cue):
            return True
        if cue.is_ancestor(head):
            return _no_relative_clause_between(head, cue, cues)
    return False


def _no_relative_clause_between(tok: Token, cue: Token, cues: set[int]) -> bool:
    """No relative clause on the way up from ``tok`` to the cue, except one on the cue's own object ("according
    to a speech she delivered in July 2015" dates the speech, which is the statement)."""
    while tok.i != cue.i and tok.head is not tok:
        if tok.dep_ == "relcl" and not (tok.head.dep_ in ("pobj", "dobj") and tok.head.head.i in cues):
            return False
        tok = tok.head
    return True


def attribution_date(doc: Doc, a: Attribution, others: list[Attribution], times: list[TimeExpr]) -> DateRef | None:
    """The nearest dated expression in the cue's sentence outside this claim's (and other claims') content."""
    lo, hi = _sentence_tokens(doc, a)
    if hi <= lo:
        return None
    s0, s1 = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    cue_start = a.cue.start  # a property computed from the spans: read it once, not once per claim
    foreign = [sp for o in others if o.id != a.id and not inside(cue_start, o.content.spans)
               for sp in o.content.spans]
    best: tuple[int, TimeExpr] | None = None
    trailing = trailing_medium(doc, a)
    cue_tokens = [t for cs, ce in a.cue.spans if (sp := doc.char_span(cs, ce, alignment_mode="expand")) is not None
                  for t in sp]
    for t in times:
        ts, te = t.spans[0]
        if ts < s0 or te > s1 or t.value is None or t.value.startswith("T"):
            continue
        in_medium = trailing is not None and trailing[0] <= ts < trailing[1]
        if (inside(ts, a.content.spans) and not in_medium) or inside(ts, foreign):
            continue
        gap = min(abs(ts - a.cue.start), abs(ts - a.cue.end), abs(te - a.cue.start))
        if gap <= _MAX_GAP and (best is None or gap < best[0]) and _dates_cue(doc, cue_tokens, ts, te):
            best = (gap, t)
    return DateRef(best[1].text, best[1].value) if best else None
