"""Attribution extraction: who (source) says what (content) through which word (cue).

Rules over the dependency parse, in the style of textacy's triple extractors: small functions that
each recognise one construction and return candidates in token/character offsets.

- reporting verbs (lexicon in ``data/cues.json``) with a clausal complement ("X said that ..."), an
  inverted clause ("..., X said", "as X noted, ..."), an adjacent quote, a to-infinitive, an object or
  a prepositional object, each only in the frames the lexicon allows for the verb;
- passive cues with or without an agent ("it was reported that", "is expected to");
- "according to X" and source-first prepositional phrases ("in a CNN poll, ...");
- transcript speaker labels ("TAPPER: ..."), "Name: “...”", and "X said:" before a quoted paragraph;
- speech nouns with a that-clause or a prepositional object ("the claim that ...", "concerns about").

Quotes are found on characters (``quotes.py``); a quote attached to a cue takes the later quotes of
its paragraph and the wholly quoted paragraphs that follow (one attribution, multi-span content).
Words inside a direct quote are the speaker's, never new cues; a cue inside another attribution's
content is kept only if the lexicon says it nests (speech verbs: "the ministry said ..., Newsweek
reported" gives both; in "he said he believes ..." the belief is content). Conventions follow the
PolNeAR annotation guidelines: content keeps the complementizer "that" and the quote marks (with
the comma inside them), not the final full stop; the cue includes auxiliaries and negation ("has
said"). The lexicon's frames were derived from PolNeAR train (see ``cues.py``).

Everything is linear in the document length: per-doc arrays are precomputed once, and each rule
looks only at a token's children or a bounded neighbourhood.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from reportedly.extract.cues import AS, CLAUSE, OBJECT, XCOMP, VerbCue, lexicon, verb_cue
from reportedly.extract.quotes import Quote, find_quotes
from reportedly.model import Attribution, Cue, Field, Source

Offsets = list[tuple[int, int]]

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_COMPLEMENTIZERS = ("that", "if", "whether")  # "asked if ...", parsed as an adverbial clause
_NAME_DEPS = ("compound", "cc", "conj", "nsubj")  # "Mary Hale and Tom Keller:"
_EXPLETIVES = {"it", "there"}
_PERSONAL = frozenset({"i", "you", "he", "she", "we", "they", "me", "him", "her", "us", "them", "who", "whom",
                       "everyone", "everybody", "someone", "somebody", "anyone", "anybody", "nobody"})
_AGENT_ENTS = ("PERSON", "ORG", "NORP")
_RELATIVES = ("that", "which")
_LEAD_STRIP = " \t\n,;:—–-)"
_TRAIL_STRIP = " \t\n,;:.—–-("
_LABEL = re.compile(r"([A-Z][\w.'’\- ]{0,40}?)\s?:\s+(?=\S)")
_MAX_LABEL_WORDS = 4
_MAX_CLAUSE_TOKENS = 200  # bounds the forward scans, so a run-on "sentence" cannot make them quadratic


@dataclass
class _Cand:
    """An attribution under construction (character offsets)."""

    cue: Offsets
    lemma: str
    content: Offsets
    source: Offsets | None
    kind: str = "indirect"
    recipient: Offsets | None = None
    quotes: list[int] = field(default_factory=list)  # indices of the quotes its content took
    nests: bool = True  # may stand inside another attribution's content


@dataclass
class _Ctx:
    """Per-document precomputation shared by the rules."""

    doc: Doc
    text: str
    quotes: list[Quote]
    quote_of: list[int]  # token index -> quote index or -1
    quote_starts: list[int]
    par_of: list[int]  # token index -> paragraph number
    par_of_quote: list[int]
    par_tokens: list[tuple[int, int]]  # paragraph number -> token range
    par_chars: list[tuple[int, int]]  # paragraph number -> character range (trimmed)
    entity_words: set[str] | None = None  # words of person/organisation names (built when first needed)

    @classmethod
    def build(cls, doc: Doc) -> _Ctx:
        text = doc.text
        quotes = find_quotes(text)
        flat = sorted((s, e, qi) for qi, q in enumerate(quotes) for s, e in q.spans)
        quote_of = [-1] * len(doc)
        par_of = [0] * len(doc)
        k = 0
        par = 0
        prev_end = 0
        for tok in doc:
            if "\n" in text[prev_end:tok.idx + (len(tok) if tok.is_space else 0)]:
                par += 1
            prev_end = tok.idx + len(tok)
            par_of[tok.i] = par
            while k < len(flat) and flat[k][1] <= tok.idx:
                k += 1
            if k < len(flat) and flat[k][0] <= tok.idx < flat[k][1]:
                quote_of[tok.i] = flat[k][2]
        starts = [q.start for q in quotes]
        par_of_quote = []
        for q in quotes:
            ti = _token_at(doc, q.start)
            par_of_quote.append(par_of[ti] if ti is not None else -1)
        par_tokens: list[tuple[int, int]] = []
        for i, p in enumerate(par_of):
            if p >= len(par_tokens):
                par_tokens.extend([(i, i)] * (p + 1 - len(par_tokens)))
            par_tokens[p] = (par_tokens[p][0], i + 1)
        par_chars = []
        for a, b in par_tokens:
            if b > a:
                par_chars.append(_trim(text, doc[a].idx, doc[b - 1].idx + len(doc[b - 1])))
            else:
                par_chars.append((0, 0))
        return cls(doc, text, quotes, quote_of, starts, par_of, par_of_quote, par_tokens, par_chars)

    def clip(self, ranges: list[tuple[int, int]], tok: Token) -> list[tuple[int, int]]:
        """Token ranges cut to the paragraph of ``tok`` (parses run over headlines and datelines)."""
        a, b = self.par_tokens[self.par_of[tok.i]]
        return [(max(i, a), min(j, b)) for i, j in ranges if min(j, b) > max(i, a)]


def _token_at(doc: Doc, char: int) -> int | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None and len(span) else None


# ---------------------------------------------------------------- spans

def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip edge punctuation, keeping quote marks and the comma or stop just inside a closing quote."""
    while s < e and text[s] in _LEAD_STRIP:
        s += 1
    while e > s and text[e - 1] in _TRAIL_STRIP:
        e -= 1
    return s, e


def _ranges_to_spans(ctx: _Ctx, ranges: list[tuple[int, int]]) -> Offsets:
    """Token ranges [i, j) -> trimmed character spans, merging ranges separated only by spaces."""
    doc, text = ctx.doc, ctx.text
    out: Offsets = []
    for i, j in sorted(ranges):
        if j <= i:
            continue
        s, e = doc[i].idx, doc[j - 1].idx + len(doc[j - 1])
        s, e = _trim(text, s, e)
        if e <= s:
            continue
        gap = text[out[-1][1]:s] if out else ""
        if out and not gap.strip() and "\n" not in gap:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _subtree(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _minus(outer: tuple[int, int], inner: tuple[int, int]) -> list[tuple[int, int]]:
    a, b = outer
    c, d = inner
    return [r for r in ((a, min(b, c)), (max(a, d), b)) if r[1] > r[0]]


def _chars(spans: Offsets) -> int:
    return sum(e - s for s, e in spans)


# ---------------------------------------------------------------- sources

def _np_range(tok: Token) -> tuple[int, int]:
    """A source noun phrase: the whole subtree. PolNeAR sources keep appositives and relative clauses
    ("House Speaker Ana Diaz, the convention chair,"); cutting them scored worse on train."""
    return _subtree(tok)


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJ:
            return child
    return None


def _inherited_subject(verb: Token) -> Token | None:
    """The subject of a governing verb, for "..., saying that" and "and added that"."""
    tok = verb
    for _ in range(4):
        if tok.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "acl") or tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.dep_ == "dobj" and tok.pos_ in ("NOUN", "PROPN"):
            tok = tok.head  # "X defended her plan to close ..., telling ...": the verb whose object it is
        subj = _subject(tok)
        if subj is not None:
            return subj
    return None


def _agent_like(tok: Token, verb: Token) -> bool:
    """Whether a subject can hold a stance: a person or organisation (by NER or a proper name), a personal
    pronoun, or a noun denoting people or institutions ("officials", "the campaign"). Events and things
    ("the announcement", "the move") are not; a relative pronoun stands for the noun it modifies."""
    if tok.lower_ in _RELATIVES and verb.dep_ == "relcl":
        tok = verb.head
    if tok.pos_ == "PRON":
        return tok.lower_ in _PERSONAL
    if tok.ent_type_ in _AGENT_ENTS or tok.pos_ == "PROPN":
        return True
    return tok.lemma_.lower() in lexicon().agent_nouns


# ---------------------------------------------------------------- quotes near a cue

def _adjacent_quote(ctx: _Ctx, start: int, end: int, used: set[int]) -> int | None:
    """A quote right before ("“...,” she said") or right after ("said: “...”") a cue clause."""
    text = ctx.text
    k = bisect.bisect_right(ctx.quote_starts, start) - 1
    if k >= 0 and k not in used:
        q = ctx.quotes[k]
        gap = text[q.end:start]
        if q.end <= start and len(gap) <= 3 and not gap.strip(" ,—–-") and "\n" not in gap:
            return k
    k = bisect.bisect_left(ctx.quote_starts, end)
    if k < len(ctx.quotes) and k not in used:
        q = ctx.quotes[k]
        gap = text[end:q.start]
        if (len(gap) <= 3 and not gap.strip(" ,:")) or (gap.strip() == ":" and len(gap) <= 6) or (
                len(gap) <= 60 and "\n" not in gap and gap.rstrip().endswith((":", ","))
                and not any(c in gap for c in "“”\".;")):
            return k
    return None


def _clause_end(ctx: _Ctx, first: int) -> int:
    """End (exclusive) of the clause running from token ``first``: the sentence end, or the start of
    an inserted cue (", Newsweek reported")."""
    doc = ctx.doc
    stop = first
    for i in range(first, min(doc[first].sent.end, first + _MAX_CLAUSE_TOKENS)):
        tok = doc[i]
        if tok.is_punct or tok.is_space:
            continue
        if tok.pos_ == "VERB" and verb_cue(tok.lemma_) is not None and _subject(tok) is not None and _is_inserted(tok):
            return _clause_start(tok)
        stop = i + 1
    return stop


def _run_on(ctx: _Ctx, content: Offsets) -> Offsets:
    """A quote that opens a longer clause ("claiming “first volunteers” had already ...") is content
    up to the end of that clause."""
    end_tok = _token_at(ctx.doc, content[-1][1] - 1)
    if end_tok is None or end_tok + 1 >= len(ctx.doc):
        return content
    stop = _clause_end(ctx, end_tok + 1)
    if stop <= end_tok + 1:
        return content
    tail = _ranges_to_spans(ctx, [(end_tok + 1, stop)])
    return _union(list(content) + tail, ctx.text) if tail else content


def _snap_to_quotes(ctx: _Ctx, content: Offsets) -> tuple[Offsets, list[int]]:
    """Widen content to the quotes it (mostly) covers; content inside one quote becomes that quote."""
    if not content:
        return content, []
    lo, hi = content[0][0], content[-1][1]
    a = bisect.bisect_right(ctx.quote_starts, lo) - 1
    taken: list[int] = []
    for k in range(max(a, 0), len(ctx.quotes)):
        q = ctx.quotes[k]
        if q.start >= hi:
            break
        if q.end <= lo:
            continue
        inter = sum(max(0, min(e, qe) - max(s, qs)) for s, e in content for qs, qe in q.spans)
        qlen = sum(qe - qs for qs, qe in q.spans)
        if inter and (inter * 2 >= qlen or (q.start <= lo and hi <= q.end)):
            taken.append(k)
    if not taken:
        return content, []
    spans = list(content)
    for k in taken:
        spans.extend(ctx.quotes[k].spans)
    return _union(spans, ctx.text), taken


def _union(spans: Offsets, text: str = "") -> Offsets:
    """Sorted, merged spans; with ``text``, spans separated only by whitespace are merged too."""
    out: Offsets = []
    for s, e in sorted(spans):
        gap = text[out[-1][1]:s] if out and text else "x"
        if out and (s <= out[-1][1] or (not gap.strip() and "\n" not in gap)):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _kind(ctx: _Ctx, content: Offsets, quotes: list[int]) -> str:
    if not quotes:
        return "indirect"
    quoted = sum(qe - qs for k in quotes for qs, qe in ctx.quotes[k].spans)
    return "direct" if quoted >= _chars(content) else "mixed"


# ---------------------------------------------------------------- verb cues

def _cue_ranges(verb: Token, extra: list[Token]) -> list[tuple[int, int]]:
    """The cue: the verb with its auxiliaries/negation just before it, particle and cue prepositions."""
    i = verb.i
    while i > 0 and verb.doc[i - 1].dep_ in ("aux", "auxpass", "neg") and verb.doc[i - 1].head == verb:
        i -= 1
    j = verb.i + 1
    ranges = [(i, j)]
    for tok in [c for c in verb.rights if c.dep_ == "prt"] + extra:
        ranges.append((tok.i, tok.i + 1))
    return ranges


def _left_np(verb: Token, ctx: _Ctx) -> tuple[int, int] | None:
    """The noun phrase just before a subjectless verb ("“...,” Ramos, 58, told AFP"): the parser
    sometimes loses the subject of a cue that follows a quote."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].is_punct and ctx.quote_of[i] < 0:
        i -= 1
    if i < 0 or ctx.quote_of[i] >= 0:
        return None
    tok = doc[i]
    while tok.dep_ in ("appos", "nummod", "compound", "amod", "punct") and tok.head.i < verb.i and tok.head.i != tok.i:
        tok = tok.head
    if tok.pos_ not in ("PROPN", "NOUN", "PRON") or ctx.quote_of[tok.i] >= 0:
        return None
    a = tok.left_edge.i
    while a < tok.i and (ctx.quote_of[a] >= 0 or doc[a].is_punct):
        a += 1
    return a, min(tok.right_edge.i + 1, verb.i)


def _source_of(verb: Token, children: list[Token], passive: bool, ctx: _Ctx) -> tuple[int, int] | None:
    """The source: the subject, the passive agent ("by X"), the noun a participle modifies ("a post
    claiming ..."), or the subject of the governing verb ("..., saying that")."""
    tok: Token | None
    if passive:
        agent = next((c for c in children if c.dep_ == "agent"), None)
        tok = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    else:
        tok = _subject(verb)
        if tok is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.i < verb.i:
            return verb.head.left_edge.i, verb.head.i + 1
        if tok is None:
            tok = _inherited_subject(verb)
            if tok is None or ctx.quote_of[tok.i] >= 0:
                return _left_np(verb, ctx)
    if tok is None or ctx.quote_of[tok.i] >= 0:
        return None
    a, b = _np_range(tok)
    i = tok.i
    while i > a and ctx.quote_of[i - 1] < 0:
        i -= 1
    # without a quote the parser hung on the name ("“...,” Sarandon, 69, told"); and a subject whose
    # subtree the parser ran past the cue ("Several nurses said ..., a claim the hospital denied") stops at it
    if i <= verb.i < b:
        return (i, verb.i) if tok.i < verb.i else (verb.i + 1, b)
    return i, b


def _recipient_of(entry: VerbCue, children: list[Token]) -> tuple[int, int] | None:
    """Whom it was said to: "told NBC News", "confirmed to NBC News"."""
    if entry.recipient == "dobj":
        rec = next((c for c in children if c.dep_ in ("dobj", "dative")), None)
        return _np_range(rec) if rec is not None else None
    if entry.recipient == "to":
        prep = next((c for c in children if c.dep_ in ("prep", "dative") and c.lower_ == "to"), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        return _np_range(pobj) if pobj is not None else None
    return None


def _complement(verb: Token, children: list[Token]) -> Token | None:
    """The clausal complement: the first ccomp after the verb, else the nearest one before it, else a
    that-clause hanging on a prepositional phrase ("said in a statement that ...")."""
    comps = [c for c in children if c.dep_ == "ccomp" or (
        c.dep_ == "advcl" and c.i > verb.i and any(m.dep_ == "mark" and m.lower_ in _COMPLEMENTIZERS
                                                   for m in c.children))]
    after = [c for c in comps if c.i > verb.i]
    if after:
        return after[0]
    if comps:
        return comps[-1]
    for prep in children:
        if prep.dep_ != "prep" or prep.i < verb.i:
            continue
        for pobj in prep.children:
            for c in pobj.rights:
                if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                    return c
    return None


def _is_inserted(verb: Token) -> bool:
    """A cue set off after the clause it reports on ("A, X said", "A, X reported"), not a complement
    clause of its own ("told reporters that he agreed")."""
    if verb.dep_ not in ("ccomp", "parataxis") or verb.head.i >= verb.i:
        return False
    if any(c.dep_ == "mark" for c in verb.children):
        return False
    start = _clause_start(verb)
    return start > 0 and verb.doc[start - 1].is_punct


def _clause_start(verb: Token) -> int:
    """First token of a cue clause: its subject (and auxiliaries), or the verb."""
    subj = _subject(verb)
    start = verb.i if subj is None else min(verb.i, subj.left_edge.i)
    while start > 0 and verb.doc[start - 1].dep_ in ("aux", "neg", "advmod") and verb.doc[start - 1].head.i == verb.i:
        start -= 1
    return start


_TOPIC_PREPS = frozenset({"of", "about"})  # "warned of more rain", "complained about delays": what was said


def _own_object(children: list[Token], entry: VerbCue | None) -> bool:
    """Does the cue state what it reports itself, in a frame its entry allows: a prepositional object
    ("as forecasters warned of more rain"), a to-infinitive, a direct object that is no recipient?"""
    if entry is None:
        return False
    dobj = OBJECT in entry.frames and entry.recipient != "dobj"
    return any((c.dep_ == "dobj" and dobj) or (c.dep_ == "xcomp" and XCOMP in entry.frames) or (
        c.dep_ == "prep" and c.lower_ in entry.preps and any(g.dep_ in ("pobj", "pcomp") for g in c.children))
        for c in children)


def _clausal_content(verb: Token, children: list[Token], has_source: bool,
                     entry: VerbCue | None = None) -> list[tuple[int, int]]:
    """Clausal content: the complement ("said (that) ..."), or the governing clause when the cue is
    inserted or trails it ("..., Newsweek reported", "as X noted, ..."); an "as" clause whose cue has an
    object of its own reports that object, not the clause it hangs on ("Families spent a night in shelters
    as forecasters warned of more rain": the warning is about rain, not about the families)."""
    comp = _complement(verb, children)
    if comp is not None and comp.i < verb.i and has_source and _is_inserted(verb):
        # "In a post, the ministry said ..., Newsweek reported.": all of the clause before the cue
        head = verb.head
        while _is_inserted(head) and head.head.i < head.i:
            head = head.head
        return [(head.left_edge.i, _clause_start(verb))]
    if comp is not None and comp.i > verb.i and verb_cue(comp.lemma_) is not None:
        inner = _complement(comp, list(comp.children))
        if inner is not None and inner.i < comp.i and _subject(comp) is not None:
            comp = inner  # "said A, Newsweek reported": the parse hangs A on the trailing cue
    if comp is not None:
        a, b = _subtree(comp)
        # "claimed that A, and B": spaCy hangs the second conjunct on the cue verb
        if verb.doc[b - 1].dep_ == "cc" or (b < len(verb.doc) and verb.doc[b].dep_ == "cc"):
            conj = next((c for c in children if c.dep_ == "conj" and c.i >= b), None)
            entry = verb_cue(conj.lemma_) if conj is not None else None
            if conj is not None and (entry is None or CLAUSE not in entry.frames):
                b = _subtree(conj)[1]
        return [(a, b)]
    if has_source and (verb.dep_ == "parataxis" or _is_inserted(verb)):
        head = verb.head
        while head.dep_ == "conj" and head.head.i < head.i:
            head = head.head  # "A, but B, the source added": both conjuncts are the content
        return _minus(_subtree(head), _subtree(verb))
    if verb.dep_ == "advcl" and any(c.lower_ == "as" and c.dep_ == "mark" for c in children):
        topic = next((g for c in children if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS
                      for g in c.children if g.dep_ == "pobj"), None)
        if topic is not None:
            return [_subtree(topic)]  # "as forecasters warned of more rain": the rain
        if not _own_object(children, entry):
            return _minus(_subtree(verb.head), _subtree(verb))
    return []


@dataclass
class _AsPredicate:
    """What an "as" frame found: content ranges, and for passives and participles the new source."""

    ranges: list[tuple[int, int]]
    passive: bool = False  # "is seen as", "known as": "as" joins the cue, the source is the agent if any
    agent: Token | None = None


def _as_predicate(verb: Token, children: list[Token], passive: bool) -> _AsPredicate | None:
    """"sees him as a threat" -> (him, a threat); passive "is seen (by X) as the favourite" and the
    participle "the contests known as Super Tuesday" -> (subject or noun, the as-phrase), with the passive
    agent, if any, as the source."""
    as_prep = next((c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i), None)
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    if as_prep is None:
        if dobj is not None and any(c.dep_ == "prep" and c.lower_ == "as" for c in dobj.rights):
            return _AsPredicate([_subtree(dobj)])  # the as-phrase hangs inside the object
        return None
    a, b = _subtree(as_prep)
    as_range = (a + 1, b)
    agent = next((c for c in children if c.dep_ == "agent"), None)
    agent_obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if passive:
        subj = _subject(verb)
        if subj is None or subj.lower_ in _EXPLETIVES:
            return None
        return _AsPredicate([_subtree(subj), as_range], True, agent_obj)
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.i < verb.i:
        head = verb.head
        return _AsPredicate([(head.left_edge.i, head.i + 1), as_range], True, agent_obj)
    if dobj is not None:
        return _AsPredicate([_subtree(dobj), as_range])
    return None


def _names_only(verb: Token, children: list[Token]) -> bool:
    """A naming use of a verb like "call": "a group called Stop Hillary" (a participle on a noun) or "calls
    itself Asawitri Media" (a reflexive object) gives a name, it reports no one's words."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(c.dep_ in ("agent", "prep") for c in children):
        return True
    return any(c.dep_ == "dobj" and c.lower_ in ("itself", "himself", "herself", "themselves") for c in children)


def _object_range(obj: Token) -> tuple[int, int]:
    """An object's subtree, cut before a participial clause set off by a comma: in "defended her plan to
    close two libraries, telling reporters that ..." the parser hangs "telling" inside the object, but it
    is the subject's next act (often a speech act of its own), not part of what was defended."""
    a, b = _subtree(obj)
    doc = obj.doc
    for t in doc[a + 1:b]:
        if t.dep_ == "advcl" and t.tag_ == "VBG" and doc[t.i - 1].text == "," and t.left_edge.i == t.i:
            return a, t.i - 1
    return a, b


def _holds_stance(verb: Token, entry: VerbCue, subj: Token | None) -> bool:
    """For a cue whose subject must be an agent ("appeared to"): is there one? ("the announcement appeared to
    serve as ...": the writer's hedge, nobody's stance)."""
    if not entry.agent_subject:
        return True
    holder = subj
    if holder is None and verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        holder = verb.head  # "delegates looking to ..."
    if holder is None:
        holder = _inherited_subject(verb)
    return holder is not None and _agent_like(holder, verb)


@dataclass
class _VerbRead:
    """One cue verb being read: what its frames found so far (content token ranges, or quote spans)."""

    verb: Token
    entry: VerbCue
    ctx: _Ctx
    children: list[Token]
    passive: bool
    subj: Token | None
    source_ranges: list[tuple[int, int]]
    clause: tuple[int, int]  # characters of source, recipient and verb: where an adjacent quote must touch
    used_quotes: set[int]
    ranges: list[tuple[int, int]] = field(default_factory=list)
    content: Offsets = field(default_factory=list)
    taken: list[int] = field(default_factory=list)
    extra_cue: list[Token] = field(default_factory=list)


def _clause_frame(r: _VerbRead) -> None:
    """"said that ...", or a quote right next to the clause."""
    comp = _complement(r.verb, r.children)
    k = None if comp is not None else _adjacent_quote(r.ctx, r.clause[0], r.clause[1], r.used_quotes)
    if k is None:
        r.ranges = _clausal_content(r.verb, r.children, bool(r.source_ranges), r.entry)
        return
    r.content, r.taken = list(r.ctx.quotes[k].spans), [k]
    if r.ctx.quotes[k].start >= r.clause[1]:
        r.content = _run_on(r.ctx, r.content)


def _bare_clause_frame(r: _VerbRead) -> None:
    """"said no"; a that-clause the parser failed to attach."""
    verb, doc, ctx = r.verb, r.verb.doc, r.ctx
    r.ranges = [_subtree(c) for c in r.children if c.dep_ == "intj" and c.i > verb.i]
    nxt = verb.i + 1
    if not r.ranges and nxt < len(doc) and doc[nxt].lower_ == "that" and ctx.par_of[nxt] == ctx.par_of[verb.i]:
        r.ranges = [(nxt, _clause_end(ctx, nxt))]


def _xcomp_frame(r: _VerbRead) -> None:
    """"urged X to ...", "is expected to ..."."""
    xc = next((c for c in r.children if c.dep_ == "xcomp"), None)
    if xc is None:
        return
    r.ranges = [_subtree(xc)]
    dobj = next((c for c in r.children if c.dep_ == "dobj"), None)
    if dobj is not None and r.entry.recipient != "dobj":
        r.ranges.append(_subtree(dobj))
    if r.passive and r.subj is not None and r.subj.lower_ not in _EXPLETIVES:
        r.ranges.append(_subtree(r.subj))


def _as_frame(r: _VerbRead) -> None:
    """"described it as", "is seen as", "a man known as": what is seen is content, not a source."""
    pred = _as_predicate(r.verb, r.children, r.passive)
    if pred is None:
        return
    r.ranges = pred.ranges
    if pred.passive:
        r.source_ranges = r.ctx.clip([_np_range(pred.agent)], r.verb) if pred.agent is not None else []
        r.extra_cue.append(next(c for c in r.children if c.dep_ == "prep" and c.lower_ == "as"))


def _object_frame(r: _VerbRead) -> None:
    """"denied the report": the object is the content."""
    r.ranges = [_object_range(c) for c in r.children if c.dep_ in ("dobj", "oprd")]


def _prep_frame(r: _VerbRead) -> None:
    """"warned of ...", "spoke about ...": the preposition joins the cue."""
    for prep in r.children:
        if prep.dep_ == "prep" and prep.lower_ in r.entry.preps:
            obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                r.ranges = [_subtree(obj)]
                r.extra_cue.append(prep)
                return


# where a cue verb's content is, in order; each frame runs only when the verb has it and nothing was found yet
CONTENT_FRAMES: list[tuple[str, Callable[[VerbCue], bool], Callable[[_VerbRead], None]]] = [
    ("clause or adjacent quote", lambda e: CLAUSE in e.frames, _clause_frame),
    ("bare clause", lambda e: CLAUSE in e.frames, _bare_clause_frame),
    ("xcomp", lambda e: XCOMP in e.frames, _xcomp_frame),
    ("as-predicate", lambda e: AS in e.frames, _as_frame),
    ("object", lambda e: OBJECT in e.frames and e.recipient != "dobj", _object_frame),
    ("prepositional object", lambda e: bool(e.preps), _prep_frame),
]


def _verb_read(verb: Token, entry: VerbCue, ctx: _Ctx, used_quotes: set[int]) -> _VerbRead:
    """The verb's source and recipient, and the content its first fitting frame finds."""
    doc = verb.doc
    children = list(verb.children)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children)
    source_range = _source_of(verb, children, passive, ctx)
    source_ranges = ctx.clip([source_range], verb) if source_range is not None else []
    recipient = _recipient_of(entry, children)
    clause = source_ranges + ([recipient] if recipient else []) + [(verb.i, verb.i + 1)]
    span = (min(doc[a].idx for a, _ in clause), max(doc[b - 1].idx + len(doc[b - 1]) for _, b in clause))
    r = _VerbRead(verb, entry, ctx, children, passive, _subject(verb), source_ranges, span, used_quotes)
    for _name, has, frame in CONTENT_FRAMES:
        if r.ranges or r.content:
            break
        if has(entry):
            frame(r)
    return r


def _verb_candidate(verb: Token, entry: VerbCue, ctx: _Ctx, used_quotes: set[int]) -> _Cand | None:
    """The attribution a cue verb makes, if its frames find a content (and its subject can hold a stance)."""
    if not _holds_stance(verb, entry, _subject(verb)):
        return None
    if entry.naming and _names_only(verb, list(verb.children)):
        return None
    r = _verb_read(verb, entry, ctx, used_quotes)
    content, taken = r.content, r.taken
    if r.ranges:
        content = _ranges_to_spans(ctx, ctx.clip(r.ranges, verb) or r.ranges)
        content, taken = _snap_to_quotes(ctx, content)
    if not content:
        return None
    cue = _ranges_to_spans(ctx, _cue_ranges(verb, r.extra_cue))
    if not cue:
        return None
    recipient = _recipient_of(entry, r.children)
    return _Cand(
        cue=cue,
        lemma=entry.lemma,
        content=content,
        source=_ranges_to_spans(ctx, r.source_ranges) if r.source_ranges else None,
        kind=_kind(ctx, content, taken),
        recipient=_ranges_to_spans(ctx, [recipient]) if recipient else None,
        quotes=taken,
        nests=entry.nests,
    )


def _verb_candidates(ctx: _Ctx) -> list[_Cand]:
    out = []
    used: set[int] = set()
    for tok in ctx.doc:
        if tok.dep_ in ("aux", "auxpass", "amod", "compound") or ctx.quote_of[tok.i] >= 0:
            continue
        if tok.pos_ != "VERB" and not (tok.pos_ == "NOUN" and any(c.dep_ == "nsubj" for c in tok.children)):
            continue  # a verb, or a verb mis-tagged as a noun ("Activists point to ...")
        entry = verb_cue(tok.lemma_)
        if entry is None:
            continue
        cand = _verb_candidate(tok, entry, ctx, used)
        if cand is not None:
            if cand.kind == "direct":
                used.update(cand.quotes)  # a quote is one speaker's; a paraphrase may embed another's
            out.append(cand)
    return out


# ---------------------------------------------------------------- phrase cues

def _clause_of(tok: Token) -> Token:
    """The nearest verb (or sentence root) governing ``tok``."""
    head = tok.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head


def _fronted(prep: Token) -> bool:
    """A prepositional phrase opening its sentence and set off by a comma ("In recent polls, ...")."""
    end = prep.right_edge.i + 1
    return prep.i == prep.sent.start and end < len(prep.doc) and prep.doc[end].text == ","


def _phrase_candidates(ctx: _Ctx) -> list[_Cand]:
    """"according to X, ..." and "in a new poll, ..." : source-first prepositional phrases."""
    lex = lexicon()
    doc = ctx.doc
    out = []
    for tok in doc:
        low = tok.lower_
        if ctx.quote_of[tok.i] >= 0:
            continue  # speech reported inside a quote stays part of that quote
        if low in lex.phrase_prepositions:
            to = tok.nbor(1) if tok.i + 1 < len(doc) else None
            if to is None or to.lower_ != "to":
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            phrase = (tok.i, max(_subtree(tok)[1], _subtree(to)[1]))
            cue = _ranges_to_spans(ctx, [(tok.i, to.i + 1)])
            lemma = f"{low} to"
            kind = "according_to"
        elif low == "in" and tok.dep_ == "prep":
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.lemma_.lower() not in lex.source_nouns or (
                    pobj.tag_ != "NN" and not _fronted(tok)):
                continue  # "in a CNN poll" / "In recent polls, ...": a source; "leads in the polls": a standing
            phrase = _subtree(tok)
            cue = _ranges_to_spans(ctx, [(tok.i, tok.i + 1)])
            lemma = "in"
            kind = "indirect"
        else:
            continue
        head = _clause_of(tok)
        sent = tok.sent
        outer = _subtree(head) if head.i != tok.i else (sent.start, sent.end)
        content = _ranges_to_spans(ctx, ctx.clip(_minus(outer, phrase), tok))
        content, taken = _snap_to_quotes(ctx, content)
        if not content:
            continue
        if kind != "according_to":
            kind = _kind(ctx, content, taken)
        out.append(_Cand(cue=cue, lemma=lemma, content=content,
                         source=_ranges_to_spans(ctx, [_np_range(pobj)]), kind=kind, quotes=taken))
    return out


def _is_name(ctx: _Ctx, s: int, e: int) -> bool:
    """The label is a named speaker (a person or an organisation), not a headline's first half."""
    span = ctx.doc.char_span(s, e, alignment_mode="expand")
    return span is not None and len(span) > 0 and all(
        t.ent_type_ in ("PERSON", "ORG", "NORP") or t.pos_ == "PROPN" or t.is_punct for t in span)


def _title_case(words: list[str]) -> bool:
    """Every word capitalised ("Hale:", "Poll:", "Keller Camp:"): a headline label, which the tagger
    often reads as a common noun."""
    return all(w[0].isupper() for w in words)


def _names_speaker(ctx: _Ctx, words: list[str]) -> bool:
    """A title-case label names a speaker when its last word is a person or organisation the article
    names elsewhere ("Keller:" over a story about Tom Keller) or a noun for people or sources
    ("Poll:", "Historians:"); "The Latest:" and "Breaking:" are neither."""
    last = words[-1].strip(".,'’").lower()
    lex = lexicon()
    for w in (last, last[:-1] if last.endswith("s") else last):
        if w in lex.agent_nouns or w in lex.source_nouns:
            return True
    if ctx.entity_words is None:
        ctx.entity_words = {t.lower_ for ent in ctx.doc.ents if ent.label_ in _AGENT_ENTS for t in ent}
    return last in ctx.entity_words


def _label_candidates(ctx: _Ctx) -> list[_Cand]:
    """Transcript and headline labels: a paragraph opening with "NAME: text"."""
    lex = lexicon()
    text = ctx.text
    out = []
    pos = 0
    for para in text.split("\n"):
        start = pos
        pos += len(para) + 1
        m = _LABEL.match(para)
        if m is None:
            continue
        label = m.group(1).strip()
        words = label.split()
        if len(label) < 2 or len(words) > _MAX_LABEL_WORDS or label.lower().replace("’", "'") in lex.label_stopwords:
            continue  # "Q:"/"A:" interview turns and "Editor's Note:" are not named speakers
        if not (label.isupper() or _is_name(ctx, start + m.start(1), start + m.start(1) + len(label))
                or (_title_case(words) and _names_speaker(ctx, words))):
            continue
        colon = start + m.end(1) + para[m.end(1):].index(":")
        s, e = _trim(text, start + m.end(), start + len(para))
        if e <= s or not any(c.isalpha() for c in text[s:e]):
            continue  # "Hale: 547." is a tally, not speech
        ls = start + m.start(1)
        out.append(_Cand(cue=[(colon, colon + 1)], lemma=":", content=[(s, e)],
                         source=[(ls, ls + len(label))], kind="direct"))
    return out


def _colon_quote_candidates(ctx: _Ctx, claimed: set[int]) -> list[_Cand]:
    """"Blumenthal and Cohen: “...”": a name, a colon, then a quote nobody else has claimed."""
    text, doc = ctx.text, ctx.doc
    out = []
    for k, q in enumerate(ctx.quotes):
        if k in claimed:
            continue
        colon = q.start - 1
        while colon > 0 and text[colon] in " \t":
            colon -= 1
        if text[colon] != ":":
            continue
        ti = _token_at(doc, colon)
        if ti is None or ti == 0 or ctx.quote_of[ti] >= 0:
            continue
        head = doc[ti - 1]
        if head.pos_ != "PROPN" or ctx.par_of[head.i] != ctx.par_of[ti]:
            continue
        a = head.i
        while a > 0 and doc[a - 1].pos_ in ("PROPN", "CCONJ") and doc[a - 1].dep_ in _NAME_DEPS:
            a -= 1
        out.append(_Cand(cue=[(colon, colon + 1)], lemma=":", content=list(q.spans),
                         source=_ranges_to_spans(ctx, [(a, head.i + 1)]), kind="direct", quotes=[k]))
    return out


_NP_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "PRON", "NUM"})  # words a short speaker phrase is made of
_MAX_TRAIL_NP = 5
_FRONTED_END = (",", "?", "!")  # ""...," she said": a quote that a trailing cue completes


def _fronted_quote(ctx: _Ctx, k: int) -> int | None:
    """Index of the first token after a quote that ends as a fronted clause (""...," she said", "‘...’,
    he said"), if it is in the quote's paragraph."""
    text, q = ctx.text, ctx.quotes[k]
    after = q.end
    while after < len(text) and text[after] in " \t":
        after += 1
    inside = text[q.start:q.end].rstrip("”\"’' ")
    if after < len(text) and text[after] == ",":
        after += 1
    elif not inside.endswith(_FRONTED_END):
        return None
    while after < len(text) and text[after] in " \t":
        after += 1
    ti = _token_at(ctx.doc, after) if after < len(text) else None
    if ti is None or ctx.quote_of[ti] >= 0 or ctx.par_of[ti] != ctx.par_of_quote[k]:
        return None
    return ti


def _speaker_run(ctx: _Ctx, i: int) -> tuple[int, int] | None:
    """A short speaker phrase from token ``i`` on, inside its paragraph ("the president", "he", "Senate
    leaders"): at most five name-like words, the last a personal pronoun alone, a name or a people-noun."""
    doc, par = ctx.doc, ctx.par_of[i]
    j = i
    while j < len(doc) and j - i < _MAX_TRAIL_NP and doc[j].pos_ in _NP_POS and ctx.par_of[j] == par:
        j += 1
    if j == i:
        return None
    head = doc[j - 1]
    if head.pos_ == "PRON":
        return (i, j) if j - i == 1 and head.lower_ in _PERSONAL else None
    return (i, j) if head.pos_ == "PROPN" or head.lemma_.lower() in lexicon().agent_nouns else None


def _trailing_cue(ctx: _Ctx, ti: int) -> tuple[Token, VerbCue, tuple[int, int]] | None:
    """The speaker and cue verb right after a fronted quote, read off the words, not the parse ("Halden
    told" comes out of the small parser as a compound and an adjective): "she said" or "said the mayor"."""
    doc = ctx.doc
    first = verb_cue(doc[ti].lemma_) if doc[ti].tag_ in ("VBD", "VBZ", "VBP") else None
    if first is not None and CLAUSE in first.frames and ti + 1 < len(doc) and ctx.par_of[ti + 1] == ctx.par_of[ti]:
        np = _speaker_run(ctx, ti + 1)
        if np is not None:
            return doc[ti], first, np
    np = _speaker_run(ctx, ti)
    if np is None or np[1] >= len(doc):
        return None
    verb = doc[np[1]]
    entry = verb_cue(verb.lemma_) if verb.tag_ in ("VBD", "VBZ", "VBP") else None
    if entry is None or CLAUSE not in entry.frames or ctx.par_of[verb.i] != ctx.par_of[ti]:
        return None
    return verb, entry, np


def _trailing_cue_candidates(ctx: _Ctx, claimed: set[int], cue_starts: set[int]) -> list[_Cand]:
    """"“...,” Halden told military leaders": a fronted quote nobody has claimed, then a short speaker phrase
    and a cue verb (either order), when the parse did not make the verb a cue with that quote."""
    out = []
    for k, q in enumerate(ctx.quotes):
        ti = None if k in claimed else _fronted_quote(ctx, k)
        found = _trailing_cue(ctx, ti) if ti is not None else None
        if found is None or found[0].idx in cue_starts:
            continue
        verb, entry, np = found
        recipient = None
        if entry.recipient == "dobj" and np[0] < verb.i and verb.i + 1 < len(ctx.doc):
            recipient = _speaker_run(ctx, verb.i + 1)
        out.append(_Cand(cue=_ranges_to_spans(ctx, [(verb.i, verb.i + 1)]), lemma=entry.lemma,
                         content=list(q.spans), source=_ranges_to_spans(ctx, [np]), kind="direct",
                         recipient=_ranges_to_spans(ctx, [recipient]) if recipient else None, quotes=[k],
                         nests=entry.nests))
    return out


def _noun_candidate(tok: Token, entry: VerbCue, ctx: _Ctx) -> _Cand | None:
    """A speech noun with its content: "his claim that ...", "the mayor's remarks about ..."."""
    ranges: list[tuple[int, int]] = []
    extra: list[Token] = []
    if CLAUSE in entry.frames:
        comp = next((c for c in tok.rights if c.dep_ in ("acl", "ccomp")
                     and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        if comp is not None:
            ranges = [_subtree(comp)]
    if not ranges and entry.preps:
        for prep in tok.rights:
            if prep.dep_ == "prep" and prep.lower_ in entry.preps:
                obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    ranges, extra = [_subtree(obj)], [prep]
                    break
    if not ranges:
        return None
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    content, taken = _snap_to_quotes(ctx, _ranges_to_spans(ctx, ranges))
    if not content:
        return None
    cue_ranges = [(tok.i, tok.i + 1)] + [(t.i, t.i + 1) for t in extra]
    return _Cand(cue=_ranges_to_spans(ctx, cue_ranges), lemma=entry.lemma, content=content,
                 source=_ranges_to_spans(ctx, [_subtree(poss)]) if poss is not None else None,
                 kind=_kind(ctx, content, taken), quotes=taken, nests=entry.nests)


def _noun_candidates(ctx: _Ctx) -> list[_Cand]:
    nouns = lexicon().nouns
    out = []
    for tok in ctx.doc:
        if tok.pos_ != "NOUN" or ctx.quote_of[tok.i] >= 0:
            continue
        entry = nouns.get(tok.lemma_.lower())
        if entry is not None:
            cand = _noun_candidate(tok, entry, ctx)
            if cand is not None:
                out.append(cand)
    return out


# ---------------------------------------------------------------- light verbs

_NOUN_PREPS = ("for", "about", "of", "on", "against", "at", "to", "with", "behind", "over")


def _light_content(verb: Token, noun: Token) -> tuple[list[tuple[int, int]], list[Token]]:
    """Content of "made the case that ...", "took aim at ...", "made it clear (that) ...": the noun's
    that-clause or prepositional object, else the verb's clause or prepositional object."""
    for head in (noun, verb):
        comp = next((c for c in head.rights if c.dep_ in ("acl", "ccomp", "advcl") and c.i > noun.i), None)
        if comp is not None:
            return [_subtree(comp)], []
        prep = next((c for c in head.rights if c.dep_ in ("prep", "dative") and c.lower_ in _NOUN_PREPS
                     and c.i > noun.i), None)
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if prep is not None and obj is not None:
            return [_subtree(obj)], [prep]
    return [], []


def _light_candidates(ctx: _Ctx) -> list[_Cand]:
    """Support-verb constructions whose noun carries the speech act ("made the case that", "took issue
    with", "drew a contrast with"): the lexicon's ``light_verbs`` lists, per verb, the nouns (or
    adjectives: "made it clear") that make it a cue."""
    light = lexicon().light_verbs
    out = []
    for verb in ctx.doc:
        if verb.pos_ != "VERB" or ctx.quote_of[verb.i] >= 0:
            continue
        nouns = light.get(verb.lemma_.lower())
        if not nouns:
            continue
        noun = next((c for c in verb.children if c.dep_ in ("dobj", "oprd", "ccomp", "acomp", "nsubjpass")
                     and c.lemma_.lower() in nouns), None)
        if noun is None:
            continue
        ranges, preps = _light_content(verb, noun)
        if not ranges:
            continue
        children = list(verb.children)
        source = _source_of(verb, children, False, ctx)
        content, taken = _snap_to_quotes(ctx, _ranges_to_spans(ctx, ctx.clip(ranges, verb) or ranges))
        if not content:
            continue
        cue_ranges = _cue_ranges(verb, preps)
        if noun.i > verb.i:  # "made it clear", "took aim at": one span from the verb to its noun
            cue_ranges[0] = (cue_ranges[0][0], noun.i + 1)
        else:
            cue_ranges.append((noun.i, noun.i + 1))
        out.append(_Cand(cue=_ranges_to_spans(ctx, cue_ranges), lemma=f"{verb.lemma_.lower()} {noun.lemma_.lower()}",
                         content=content, source=_ranges_to_spans(ctx, ctx.clip([source], verb)) if source else None,
                         kind=_kind(ctx, content, taken), quotes=taken))
    return out


# ---------------------------------------------------------------- continuation quotes

def _quote_paragraph(ctx: _Ctx, k: int) -> int | None:
    """The paragraph that quote ``k`` fills entirely (a quoted paragraph), if it does."""
    par = ctx.par_of_quote[k]
    if par < 0:
        return None
    ps, pe = ctx.par_chars[par]
    q = ctx.quotes[k]
    return par if q.start == ps and q.end >= pe - 1 else None


def _continue_quotes(ctx: _Ctx, cands: list[_Cand]) -> None:
    """A quote attribution takes the later quotes of its paragraph ("..., she said. “More.”") and the
    quoted paragraphs that follow it, until another cue or unquoted text intervenes."""
    claimed = {k for c in cands for k in c.quotes}
    cue_starts = sorted(c.cue[0][0] for c in cands)

    def cue_between(lo: int, hi: int) -> bool:
        i = bisect.bisect_right(cue_starts, lo)
        return i < len(cue_starts) and cue_starts[i] < hi

    for cand in sorted(cands, key=lambda c: c.cue[0][0]):
        if not cand.quotes or cand.kind != "direct":
            continue
        last = max(cand.quotes)
        par = ctx.par_of_quote[last]
        after = max(cand.cue[-1][1], cand.content[-1][1])
        k = last + 1
        while k < len(ctx.quotes) and k not in claimed:
            q = ctx.quotes[k]
            qpar = ctx.par_of_quote[k]
            if q.start < after:
                k += 1
                continue
            if cue_between(after, q.end):
                break
            if qpar != par:
                # the next paragraph must be a quote of its own, right after this one
                if qpar != par + 1 or _quote_paragraph(ctx, k) is None:
                    break
                par = qpar
            cand.content = _union(cand.content + list(q.spans), ctx.text)
            cand.quotes.append(k)
            claimed.add(k)
            after = q.end
            k += 1


# ---------------------------------------------------------------- the writer's glosses

def _glosses(ctx: _Ctx) -> Offsets:
    """Character spans of the writer's glosses on a quoted term: a non-restrictive relative clause right
    after a closing quote whose verb explains the term ("“... the Kadyrovites,” which refers to Chechen
    troops ..."; "..., meaning ..."). They explain the quote to the reader and are not the source's words."""
    gloss_verbs = lexicon().gloss_verbs
    doc = ctx.doc
    out: Offsets = []
    for q in ctx.quotes:
        ti = _token_at(doc, q.end - 1)
        if ti is None:
            continue
        ti += 1  # the first token after the closing mark
        while ti < len(doc) and (doc[ti].is_space or doc[ti].lower_ == ","):
            ti += 1
        if ti >= len(doc) or ctx.quote_of[ti] >= 0 or ctx.par_of[ti] != ctx.par_of[ti - 1]:
            continue
        tok = doc[ti]
        if tok.sent.start != doc[ti - 1].sent.start or "," not in ctx.text[q.end - 3:tok.idx]:
            continue  # non-restrictive: set off by a comma, in the quote's sentence
        if tok.lower_ in ("which", "who", "that") and tok.dep_ == "nsubj":
            verb = tok.head
        elif tok.tag_ == "VBG":
            verb = tok  # "“...,” meaning ..."
        else:
            continue
        if verb.lemma_.lower() not in gloss_verbs or verb.i < tok.i:
            continue
        end = verb.right_edge
        out.append((tok.idx, end.idx + len(end)))
    return out


def _cut_glosses(ctx: _Ctx, cands: list[_Cand]) -> None:
    """Remove the writer's glosses from contents they fall in (only after the content's own quote)."""
    glosses = _glosses(ctx)
    if not glosses:
        return
    for cand in cands:
        for gs, ge in glosses:
            if not any(s < gs < e for s, e in cand.content):
                continue
            kept: Offsets = []
            for s, e in cand.content:
                for a, b in ((s, min(e, gs)), (max(s, ge), e)):
                    a, b = _trim(ctx.text, a, b)
                    if b > a:
                        kept.append((a, b))
            if kept:
                cand.content = kept


# ---------------------------------------------------------------- entry point

def _drop_nested(cands: list[_Cand]) -> list[_Cand]:
    """Drop cues inside another attribution's content unless the lexicon says they nest: in "he said
    he believes X" the belief is part of what he said, while in "the ministry said X, Newsweek
    reported" both are attributions (a chain of custody)."""
    covered = _union([span for c in cands for span in c.content])
    starts = [s for s, _ in covered]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and covered[i][0] <= pos < covered[i][1]

    return [c for c in cands if c.nests or not inside(c.cue[0][0])]


def extract_attributions(doc: Doc) -> list[Attribution]:
    """All attributions of a parsed document, ids "a1", "a2", ... in text order of their cues."""
    ctx = _Ctx.build(doc)
    light = _light_candidates(ctx)
    light_starts = {c.cue[0][0] for c in light}
    cands = [c for c in _verb_candidates(ctx) if c.cue[0][0] not in light_starts]  # "made the case", not "made"
    cands += light + _phrase_candidates(ctx) + _noun_candidates(ctx)
    cands += _colon_quote_candidates(ctx, {k for c in cands for k in c.quotes})
    cands += _trailing_cue_candidates(ctx, {k for c in cands for k in c.quotes}, {c.cue[0][0] for c in cands})
    cands += _label_candidates(ctx)  # the cues inside a label's text are then nested in it
    cands = _drop_nested([c for c in cands if c.cue and c.content])
    _continue_quotes(ctx, cands)
    _cut_glosses(ctx, cands)
    cands.sort(key=lambda c: (c.cue[0][0], c.cue[-1][1]))
    text = doc.text
    out: list[Attribution] = []
    seen: set[tuple[int, int]] = set()
    for c in cands:
        key = c.cue[0]
        if key in seen or not c.content:
            continue
        seen.add(key)
        out.append(Attribution(
            id=f"a{len(out) + 1}",
            cue=Cue(_text(text, c.cue), c.cue, c.lemma),
            content=Field(_text(text, c.content), c.content),
            kind=c.kind,
            source=Source(_text(text, c.source), c.source) if c.source else None,
            recipient=Field(_text(text, c.recipient), c.recipient) if c.recipient else None,
        ))
    return out


def _text(text: str, spans: Offsets) -> str:
    return " … ".join(text[s:e] for s, e in spans)
