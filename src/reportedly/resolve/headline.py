"""Does the body support the headline? supported / overstated / unknown, with the reason.

The headline's claim is matched to the body claim that shares most content words with it (lemmas,
case-folded, crude plural folding). The headline overstates when it asserts without hedge what the
body only reports hedged ("reportedly", "may"), second-hand (a relay chain) or with a smaller number;
it is supported when the matching body claim carries the same commitment; unknown when nothing in
the body matches well enough. Numbers are compared only with numbers of the same unit.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from reportedly.lexicon import words
from reportedly.model import Attribution, Chain, Headline, Hedge, Quantity

_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "have", "has", "was",
         "were", "with", "at", "by", "from", "as", "that", "this", "it", "its", "now", "new", "after", "says",
         "say", "said", "over", "about", "into", "up", "out", "will", "would", "not", "but", "his", "her"}
_HEADLINE_CUES = words("word_lists", "headline_cues")  # data/word_lists.json
_MIN_OVERLAP = 0.34


def _norm(word: str) -> str:
    w = word.lower().strip("'\"“”‘’")
    w = re.sub(r"(?:'s|’s)$", "", w)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


def _token_words(doc: Doc) -> list[str | None]:
    """Per token, its normalized content word (None for stop words and non-words), computed once per Doc."""
    cached = doc.user_data.get("reportedly_headline_words")
    if cached is None:
        cached = [_norm(t.lemma_ if t.pos_ == "VERB" else t.text)
                  if t.is_alpha and _norm(t.text) not in _STOP and not t.is_stop else None for t in doc]
        doc.user_data["reportedly_headline_words"] = cached
    words: list[str | None] = cached
    return words


def _content_words(span: Span) -> set[str]:
    words = _token_words(span.doc)
    return {w for w in words[span.start:span.end] if w}


def _unit(q: Quantity) -> str | None:
    return _norm(q.unit) if q.unit else None


def _number_exceeds(head: Quantity, body: list[Quantity]) -> str | None:
    """The reason when the headline's number is larger than every comparable number of the matched body
    claim. Comparable means the same unit ("$2 Billion" and "$600 million" are both USD; "two" officials
    and "300" people are not dollars, and a bare number compares with nothing): a headline number that
    some body number of its unit reaches is supported by it."""
    unit = _unit(head)
    same = [b for b in body if unit is not None and _unit(b) == unit]
    if head.low is None or not same:
        return None
    if any(b.high is None or b.high >= head.low for b in same):
        return None
    top = max(same, key=lambda b: b.high or 0.0)
    return f"the headline's number ({head.text}) exceeds the body's ({top.text})"


def _claim_of_sentence(sent: tuple[int, int], attributions: list[Attribution]) -> Attribution | None:
    """The claim whose content makes up at least half of the sentence, if any (the largest such)."""
    s0, e0 = sent

    def overlap(a: Attribution) -> int:
        return sum(max(0, min(e, e0) - max(s, s0)) for s, e in a.content.spans)

    best = max(attributions, key=overlap, default=None)
    return best if best is not None and 2 * overlap(best) >= e0 - s0 else None


_Best = tuple[float, str, list[tuple[int, int]], Attribution | None]


def _best_match(doc: Doc, hw: set[str], attributions: list[Attribution], body_start: int,
                sentences: list[tuple[int, int]]) -> _Best | None:
    """The body text that words the headline best: attributed claims first (their content), then body
    sentences (which must do clearly better)."""
    best: _Best | None = None
    for a in attributions:
        if a.content.start < body_start:
            continue
        words: set[str] = set()
        for s, e in a.content.spans:
            sp = doc.char_span(s, e, alignment_mode="expand")
            if sp is not None:
                words |= _content_words(sp)
        score = len(hw & words) / len(hw)
        if best is None or score > best[0]:
            best = (score, a.id, a.content.spans, a)
    for s, e in sentences:
        sent = doc.char_span(s, e, alignment_mode="expand")
        if sent is None:
            continue
        score = len(hw & _content_words(sent)) / len(hw)
        if best is None or score > best[0] + 0.15:
            best = (score, "", [(s, e)], None)
    return best


def _claim_reasons(att: Attribution | None, spans: list[tuple[int, int]], hedges: list[Hedge],
                   chains: list[Chain], h_hedged: bool) -> list[str]:
    """Why the headline overstates the claim: the body hedges it, has it second-hand, attributes it."""
    reasons: list[str] = []
    in_claim = [h for h in hedges if any(s <= h.spans[0][0] < e for s, e in spans)]
    claim_hedges = in_claim + (att.hedges if att else [])
    names = sorted({h.text.lower() for h in claim_hedges})
    if names and not h_hedged:
        reasons.append("the body hedges it (" + ", ".join(f'"{n}"' for n in names) + ")")
    if att is None:
        return reasons
    chain = next((c for c in chains if c.claim == att.id), None)
    if chain is not None and chain.first_hand is False and not h_hedged:
        relays = len(chain.hops) - 2
        reasons.append(f"the body has it second-hand ({relays} relay(s) between origin and article)" if relays
                       else "the body has it second-hand (from another outlet's report)")
    if att.source is not None and reasons:
        reasons.append(f"the body attributes it to {att.source.text!r}; the headline drops the attribution")
    return reasons


def _headline_hedged(title: Span, title_span: tuple[int, int], hedges: list[Hedge]) -> bool:
    """Is the headline itself hedged: a cue word, a question, a hedge, or a named source ("Hale: ...")?"""
    # "Poll: Wealthy Voters ...", "Hale: Flowers Won't Be at Debate": the headline names its source
    names_source = re.match(r"^\s*[\w.'’ -]{2,40}:\s", title.text) is not None
    return any(t.lower_ in _HEADLINE_CUES for t in title) or title.text.rstrip().endswith("?") or any(
        title_span[0] <= h.spans[0][0] < title_span[1] for h in hedges) or names_source


def judge(doc: Doc, title_span: tuple[int, int] | None, attributions: list[Attribution], chains: list[Chain],
          hedges: list[Hedge], quantities: list[Quantity], body_start: int,
          sentences: list[tuple[int, int]]) -> Headline:
    """Compare the headline with the body claim it restates."""
    if title_span is None:
        return Headline("unknown", "no headline")
    title = doc.char_span(*title_span, alignment_mode="expand")
    if title is None or not len(title):
        return Headline("unknown", "no headline")
    hw = _content_words(title)
    if not hw:
        return Headline("unknown", "the headline has no content words")
    h_hedged = _headline_hedged(title, title_span, hedges)
    best = _best_match(doc, hw, attributions, body_start, sentences)
    if best is None or best[0] < _MIN_OVERLAP:
        return Headline("unknown", "no body sentence restates the headline "
                                   f"(best word overlap {0 if best is None else best[0]:.2f})")
    score, aid, spans, att = best
    if att is None:  # a sentence that words it best may still be mostly someone's claim: then it is that claim
        att = _claim_of_sentence(spans[0], attributions)
        aid = att.id if att is not None else ""
    reasons = _claim_reasons(att, spans, hedges, chains, h_hedged)
    hq = [q for q in quantities if title_span[0] <= q.spans[0][0] < title_span[1]]
    bq = [q for q in quantities if any(s <= q.spans[0][0] < e for s, e in spans)]
    reasons += [r for q in hq if (r := _number_exceeds(q, bq))]
    where = f"claim {aid}" if aid else "an unattributed body sentence"
    if reasons:
        return Headline("overstated", f"best match: {where} (overlap {score:.2f}); " + "; ".join(reasons))
    return Headline("supported", f"best match: {where} (overlap {score:.2f}) asserts it as the headline does")
