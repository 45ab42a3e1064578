"""The date of a statement: the time expression that dates the cue, not one inside what was said.

"In a post ... Wednesday (March 30), the ministry said ..." dates the ministry's statement; the same
expression inside the content of "..., Newsweek reported" does not date Newsweek's report.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc

from reportedly.model import Attribution, DateRef, TimeExpr, inside
from reportedly.resolve.channels import _sentence_tokens, trailing_medium
from reportedly.resolve.contents import ContentIndex

_MAX_GAP = 200




def attribution_date(doc: Doc, a: Attribution, others: list[Attribution], times: list[TimeExpr],
                     contents: ContentIndex | None = None) -> DateRef | None:
    """The nearest dated expression in the cue's sentence outside this claim's (and other claims') content
    (``times`` in text order, as extract_times gives them; ``contents``: the index of ``others``' contents,
    built once per report by the caller)."""
    lo, hi = _sentence_tokens(doc, a)
    if hi <= lo:
        return None
    s0, s1 = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    foreign = (contents or ContentIndex(others)).foreign(a, s0, s1)
    best: tuple[int, TimeExpr] | None = None
    trailing = trailing_medium(doc, a)
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
        if gap <= _MAX_GAP and (best is None or gap < best[0]):
            best = (gap, t)
    return DateRef(best[1].text, best[1].value) if best else None
