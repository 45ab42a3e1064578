"""Channels: the medium a statement went through (Telegram post, statement, interview, live shot...).

Looked for around the cue, outside the claim's own content (the content of "Newsweek reported" holds
the ministry's Telegram post, which is not Newsweek's channel): the nearest channel word in the
source and the clause of the cue wins. Inside the content only a channel owned by the speaker counts
("from her live shot"). Cue verbs carry a channel of their own ("tweeted", "texted", "wrote").
The lexicon lives in ``data/channels.json``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from reportedly.extract.phrases import by_first_word
from reportedly.lexicon import doc_text, load, words
from reportedly.model import Attribution, Channel, Offsets, inside
from reportedly.resolve.contents import ContentIndex

# specific platforms and media beat generic words when a phrase holds several ("a post ... Telegram")
_PRIORITY = {"text_message": 0, "email": 0, "press_conference": 1, "social_post": 2, "interview": 3,
             "broadcast": 3, "speech": 4, "statement": 5, "document": 6}
_SPECIFIC = words("word_lists", "specific_channels")  # data/word_lists.json
_MAX_GAP = 160  # characters between cue and channel word


@dataclass(frozen=True)
class _Entry:
    words: tuple[str, ...]
    type: str


@lru_cache(maxsize=1)
def _entries() -> tuple[_Entry, ...]:
    out = [_Entry(tuple(w.split()), t) for t, ws in load("channels")["channels"].items() for w in ws]
    return tuple(sorted(out, key=lambda e: -len(e.words)))


@lru_cache(maxsize=1)
def _by_first() -> dict[str, tuple[_Entry, ...]]:
    """Entries by their first word, longest first within each word (the order ``_entries`` gives)."""
    return by_first_word(_entries())


@lru_cache(maxsize=1)
def _verbs() -> dict[str, str]:
    verbs: dict[str, str] = load("channels")["verbs"]
    return verbs




def _merged(spans: Offsets) -> tuple[list[int], list[int]]:
    """Sorted, merged starts and ends of ``spans``, for ``_inside_merged`` (a bisection, not a scan)."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _inside_merged(pos: int, merged: tuple[list[int], list[int]]) -> bool:
    starts, ends = merged
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _matches(doc: Doc, lo: int, hi: int) -> list[tuple[Span, str]]:
    """Channel words between token indices lo..hi (longest first, no overlaps)."""
    out: list[tuple[Span, str]] = []
    i = lo
    while i < hi:
        hit = None
        tok = doc[i]
        for e in _by_first().get(tok.lower_, ()) + _by_first().get(tok.lemma_.lower(), ()):
            k = len(e.words)
            if i + k > hi:
                continue
            toks = doc[i:i + k]
            if all(t.lemma_.lower() == w or t.lower_ == w for t, w in zip(toks, e.words, strict=True)):
                if k == 1 and not _single_ok(toks[0]):
                    continue
                hit = (toks, e.type)
                break
        if hit:
            out.append(hit)
            i = hit[0].end
        else:
            i += 1
    return out


_PLATFORMS = words("word_lists", "platforms")  # data/word_lists.json


def _single_ok(tok: Token) -> bool:
    """A one-word channel match must be a noun; capitalised mid-sentence it is a name unless a platform."""
    if tok.lower_ in _PLATFORMS:
        return tok.text[:1].isupper() or tok.lower_ in ("tweet",)
    if tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
        return False
    return not (tok.text[:1].isupper() and not tok.is_sent_start)


def _phrase(tok: Token, allowed: set[int]) -> Span:
    """The noun phrase a channel word belongs to ("a post shared on its Telegram channel")."""
    best = tok
    cur = tok
    for _ in range(6):
        if cur.dep_ not in ("compound", "pobj", "prep", "acl", "amod", "nmod", "poss", "relcl") or cur.head is cur:
            break
        cur = cur.head
        if cur.i not in allowed:
            break
        if cur.pos_ in ("NOUN", "PROPN"):
            best = cur
    sub = [t.i for t in best.subtree if t.i in allowed]
    lo, hi = min(sub), max(sub)
    # keep it short and contiguous around the head
    lo = max(lo, best.i - 6)
    hi = min(hi, best.i + 8)
    while lo < best.i and (best.doc[lo].is_punct or best.doc[lo].dep_ in ("cc", "prep")):
        lo += 1
    for j in range(best.i + 1, hi + 1):  # a date after the medium dates it; it is not part of it
        if best.doc[j].ent_type_ in ("DATE", "TIME"):
            hi = j - 1
            break
    while hi > best.i and (best.doc[hi].is_punct or best.doc[hi].dep_ in ("cc", "prep")):
        hi -= 1
    return best.doc[lo:hi + 1]


_TRAIL_REACH = 1000  # characters before the content's end where its trailing medium phrase may start
_SENTENCE_REACH = 2000  # characters either side of the cue: longer than real sentences, a bound on endless ones


def _sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the sentence holding token ``i``, from the Doc's sentence starts found once (spaCy's
    ``Token.sent`` walks the whole sentence at every call)."""
    starts = doc.user_data.get("reportedly_sent_starts")
    if starts is None:
        starts = [sent.start for sent in doc.sents]
        doc.user_data["reportedly_sent_starts"] = starts
    k = bisect.bisect_right(starts, i) - 1
    return starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc)


def sentence_tokens(doc: Doc, a: Attribution) -> tuple[int, int]:
    """Token range of the sentence(s) around the cue (split at line breaks, too), at most _SENTENCE_REACH
    characters either side of the cue."""
    cue = doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
    if cue is None:
        return 0, 0
    lo, hi = _sentence_bounds(doc, cue[0].i)
    text = doc_text(doc)
    ls = max(text.rfind("\n", 0, a.cue.start) + 1, a.cue.start - _SENTENCE_REACH)
    le = text.find("\n", a.cue.end, a.cue.end + _SENTENCE_REACH)
    le = min(len(text), a.cue.end + _SENTENCE_REACH) if le < 0 else le
    near = doc.char_span(ls, le, alignment_mode="expand")
    if near is not None and len(near):  # skip to the reach by position, not token by token
        lo, hi = max(lo, min(near.start, cue.start)), min(hi, max(near.end, cue.end))
    while lo < cue.start and doc[lo].idx < ls:
        lo += 1
    while hi > cue.end and doc[hi - 1].idx >= le:
        hi -= 1
    return lo, hi


def find_channel(doc: Doc, a: Attribution, others: list[Attribution], source_kind: str | None = None,
                 recipient_kind: str | None = None, affiliation_type: str | None = None,
                 affiliation_name: str | None = None, contents: ContentIndex | None = None) -> Channel | None:
    """The channel of one attribution, or None when the text does not say (``contents``: the index of
    ``others``' contents, built once per report by the caller; built here when not given). A medium named
    near the cue wins; else the cue itself ("tweeted", "told NBC News"); else a broadcaster's host on air."""
    lo, hi = sentence_tokens(doc, a)
    if hi <= lo:
        return None
    cands = _candidates(doc, a, lo, hi, contents or ContentIndex(others))
    if cands:
        cands.sort(key=lambda c: (c[0], c[1]))
        return cands[0][2]
    return _cue_channel(a, recipient_kind) or _on_air(doc, a, lo, hi, source_kind, affiliation_type,
                                                       affiliation_name)


def _token_roles(doc: Doc, a: Attribution, lo: int, hi: int, index: ContentIndex) -> tuple[set[int], set[int],
                                                                                               set[int]]:
    """The sentence's cue tokens, tokens outside every content (other claims' contents that do not contain
    this cue belong to them: "a separate post claiming ..."), and source tokens."""
    content = a.content.spans
    s0, s1 = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    foreign = [sp for sp in index.foreign(a, s0, s1) if not any(s <= sp[0] and sp[1] <= e for s, e in content)]
    cue_tokens: set[int] = set()
    allowed: set[int] = set()
    source_ids: set[int] = set()
    source_spans = a.source.spans if a.source is not None else []
    foreign_merged = _merged(foreign)
    for t in doc[lo:hi]:  # one pass: spaCy builds a Token object per access
        idx = t.idx
        if inside(idx, a.cue.spans):
            cue_tokens.add(t.i)
        if not inside(idx, content) and not _inside_merged(idx, foreign_merged):
            allowed.add(t.i)
        if source_spans and inside(idx, source_spans):
            source_ids.add(t.i)
    return cue_tokens, allowed, source_ids


def _candidates(doc: Doc, a: Attribution, lo: int, hi: int, index: ContentIndex) -> list[tuple[float, int, Channel]]:
    """Media named in the sentence, ranked by distance from the cue (specific media first)."""
    cue_tokens, allowed, source_ids = _token_roles(doc, a, lo, hi, index)
    trailing = trailing_medium(doc, a)
    cands: list[tuple[float, int, Channel]] = []
    for toks, typ in _matches(doc, lo, hi):
        if toks[0].i in cue_tokens:
            continue
        gap = _gap(a, toks, allowed, cue_tokens, source_ids, trailing)
        if gap is None or gap > _MAX_GAP:
            continue
        medium_ids = {t.i for t in doc[lo:hi] if trailing is not None and trailing[0] <= t.idx < trailing[1]}
        ph = _phrase(toks[-1], ((allowed | medium_ids) - cue_tokens) | {t.i for t in toks})
        rank = gap - (60 if " ".join(t.lower_ for t in toks) in _SPECIFIC else 0)
        cands.append((rank, _PRIORITY.get(typ, 9),
                      Channel(ph.text, _refine(typ, ph), [(ph.start_char, ph.end_char)])))
    return cands


def _gap(a: Attribution, toks: Span, allowed: set[int], cue_tokens: set[int], source_ids: set[int],
         trailing: tuple[int, int] | None) -> float | None:
    """How far a medium is from the cue (None: it is not this claim's medium)."""
    first = toks[0]
    content = a.content.spans
    gap: float = min(abs(first.idx - a.cue.start), abs(first.idx - a.cue.end))
    if first.i in allowed:
        return gap if _attached(toks[-1], cue_tokens, source_ids, content) else None
    if inside(first.idx, content) and _owned_by_speaker(toks):
        return gap + 40
    if trailing is not None and trailing[0] <= first.idx < trailing[1]:
        # a medium the extractor left at the end of the content ("... during a speech"): ranked after
        # any medium outside the content, measured from where its phrase starts
        return min(abs(trailing[0] - a.cue.end), _MAX_GAP - 1) + 40
    return None


def _cue_channel(a: Attribution, recipient_kind: str | None) -> Channel | None:
    """A cue that names its channel ("tweeted", "posted"); "told NBC News" is an interview, "told reporters"
    or "told him" names no medium."""
    verb = _verbs().get(a.cue.lemma)
    if verb == "interview":
        if recipient_kind in ("outlet", "journalist"):
            assert a.recipient is not None
            return Channel(a.cue.text + " " + a.recipient.text, "interview",
                           list(a.cue.spans) + list(a.recipient.spans))
        return None
    return Channel(a.cue.text, verb, list(a.cue.spans)) if verb else None


def _on_air(doc: Doc, a: Attribution, lo: int, hi: int, source_kind: str | None, affiliation_type: str | None,
            affiliation_name: str | None) -> Channel | None:
    """"MSNBC host Tom Keller said": on air; a bare "Keller said" may be anywhere."""
    if source_kind == "journalist" and affiliation_type in ("tv", "radio") and a.source is not None and (
            affiliation_name and affiliation_name in doc_text(doc)[doc[lo].idx:doc[hi - 1].idx + 1]):
        return Channel(a.source.text if a.source else a.cue.text, "broadcast",
                       list(a.source.spans if a.source else a.cue.spans))
    return None


_CONTAINERS = words("word_lists", "channel_containers")  # data/word_lists.json
_PREPS = {"in", "on", "during", "via", "through", "at", "with", "over", "by", "from", "to", "before", "after",
          "while", "throughout", "into", "across", "under", "per"}


def _channel_word(tok: Token) -> bool:
    return any(e.words[-1] == tok.lemma_.lower() or e.words[-1] == tok.lower_ for e in _entries())


def _attached(tok: Token, cue_ids: set[int], source_ids: set[int], content: Offsets) -> bool:
    """Does the channel word hang on the cue (or sit in the source) rather than in some other clause?

    "said in a post shared on its Telegram channel" yes; "Based on ... a Times article, X said" no;
    "In the wake of the Times report, X said" no (the preposition's object is "wake", not a medium).
    A phrase outside the content that the parser hung on the reported clause counts as the cue's.
    """
    doc = tok.doc
    if any(doc[i].head.i == tok.i and doc[i].dep_ in ("acl", "relcl") for i in cue_ids):
        return True  # "a separate post claiming ...", "a statement saying ..."
    cur = tok
    for _ in range(12):
        if cur.i in source_ids:
            return True
        head = cur.head
        if head is cur:
            return False
        if head.i in cue_ids or inside(head.idx, content):
            return _ok_top(cur, tok)
        if head.pos_ in ("VERB", "AUX") and head.dep_ not in ("acl", "relcl", "prep"):
            return False
        cur = head
    return False


def _ok_top(node: Token, tok: Token) -> bool:
    """The constituent right under the cue: a medium itself, or a preposition whose object is one."""
    if node.dep_ in ("nsubj", "nsubjpass", "npadvmod", "dobj", "dative"):
        return node.i == tok.i or _channel_word(node) or node.lemma_.lower() in _CONTAINERS
    if node.dep_ not in ("prep", "agent") or node.lower_ not in _PREPS:
        return False
    objs = [c for c in node.children if c.dep_ == "pobj"]
    if not objs:
        return False
    obj = objs[0]
    return obj.i == tok.i or _channel_word(obj) or obj.lemma_.lower() in _CONTAINERS


_MEDIUM_PREPS = {"during", "via", "in", "on", "at", "through"}
_SPOKEN = {"speech", "interview", "press_conference", "statement", "social_post", "broadcast"}


def trailing_medium(doc: Doc, a: Attribution) -> tuple[int, int] | None:
    """A prepositional phrase that ends the content and names a speech event ("... in Eastern Ukraine
    during an NBC News translation of a speech on February 24"): it tells how the statement was made, not
    what was said, even when the parser hangs it on the reported clause. Character span or None."""
    s, e = a.content.spans[-1]
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) < 4:
        return None
    tail = doc.char_span(max(s, e - _TRAIL_REACH), e, alignment_mode="expand")  # a final phrase, not the whole
    for tok in doc[tail.start if tail is not None else span.start:span.end]:
        if tok.dep_ != "prep" or tok.lower_ not in _MEDIUM_PREPS or tok.i == span.start:
            continue
        sub = list(tok.subtree)
        if sub[-1].i < span.end - 2 or tok.head.i >= tok.i:
            continue  # not content-final, or hangs on something after it
        if span.start <= tok.head.head.i < span.end and tok.head.head is not tok.head:
            continue  # hangs on an embedded clause ("why it was mentioned by X in an interview"): X's medium
        objs = [c for c in tok.children if c.dep_ == "pobj"]
        if not objs:
            continue
        obj = objs[0]
        nouns = [obj] + [g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                         for g in c.children if g.dep_ == "pobj"]
        if any(t for t in nouns for m, typ in _matches(doc, t.i, t.i + 1) if typ in _SPOKEN) and (
                obj.lemma_.lower() in _CONTAINERS or _channel_word(obj)):
            return tok.idx, e
    return None


def _owned_by_speaker(toks: Span) -> bool:
    """"her live shot", "his speech": a medium the speaker owns, named inside the reported clause."""
    head = toks[-1]
    for t in (head, head.head):
        if any(c.dep_ == "poss" and c.lower_ in ("his", "her", "its", "their") for c in t.children):
            return True
    return False


def _refine(typ: str, phrase: Span) -> str:
    """A phrase with several channel words takes the most specific ("a post ... Telegram" is social)."""
    types = [t for _, t in _matches(phrase.doc, phrase.start, phrase.end)]
    if not types:
        return typ
    # a tie keeps the first in the phrase ("an email message" is an email), never a set's arbitrary order
    return min([*types, typ], key=lambda t: _PRIORITY.get(t, 9))
