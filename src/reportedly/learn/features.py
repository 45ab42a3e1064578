"""Token features for the two CRFs of the learned extractor (cue tagger and cue-conditioned role tagger).

Everything comes from the en_core_web_sm parse that the pipeline computes anyway (lemma, POS, dependency,
NER) plus quotation state and a cue lexicon, so the learned part costs a small fraction of the parse.
The role features describe each token *relative to one cue* (where it hangs in the cue's dependency
subtree, which side of the cue, which sentence), which is what lets nested attributions get their own
source and content.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, SHAPE, TAG
from spacy.tokens import Doc

QUOTE_CHARS = {'"', "“", "”", "``", "''", "«", "»"}

ItemFeatures = dict[str, float | str]


@dataclass
class DocView:
    """Per-document token attributes as plain lists: feature extraction then avoids spaCy attribute lookups."""

    n: int
    text: str  # doc.text, built once (spaCy rebuilds it on every access)
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    ent: list[str]
    shape: list[str]
    sent: list[int]  # sentence index of each token
    sent_bounds: list[tuple[int, int]]
    para: list[int]  # paragraph index (a newline starts a new one)
    in_quote: list[bool]  # inside a quotation (by quote-mark parity within the paragraph)
    is_quote: list[bool]
    child_deps: list[frozenset[str]]
    lex: list[bool]  # lemma or a phrase covering the token is in the cue lexicon


def _sentences(doc: Doc) -> tuple[list[int], list[tuple[int, int]]]:
    """Each token's sentence index, and the sentences' token bounds."""
    sent = [0] * len(doc)
    bounds: list[tuple[int, int]] = []
    for si, s in enumerate(doc.sents):
        bounds.append((s.start, s.end))
        for i in range(s.start, s.end):
            sent[i] = si
    return sent, bounds


def _paragraphs_and_quotes(orth: list[str]) -> tuple[list[int], list[bool], list[bool]]:
    """Each token's paragraph (a newline closes one), whether it is inside a quotation (by quote-mark parity
    within the paragraph) and whether it is a quote mark."""
    n = len(orth)
    para = [0] * n
    in_quote = [False] * n
    is_quote = [False] * n
    p = 0
    open_q = False
    for ti, txt in enumerate(orth):
        para[ti] = p
        if "\n" in txt:  # the newline closes its paragraph; the next token opens a new one
            p += 1
            open_q = False
        if txt in QUOTE_CHARS:
            is_quote[ti] = True
            open_q = True if txt in ("“", "``", "«") else False if txt in ("”", "''", "»") else not open_q
            in_quote[ti] = True
        else:
            in_quote[ti] = open_q
    return para, in_quote, is_quote


def _lexicon_marks(lower: list[str], lemma: list[str], lexicon: Collection[str]) -> list[bool]:
    """Tokens whose lemma or form is in the cue lexicon, or that a lexicon phrase covers."""
    n = len(lower)
    lex = [False] * n
    if not lexicon:
        return lex
    for i in range(n):
        if lemma[i] in lexicon or lower[i] in lexicon:
            lex[i] = True
    by_first: dict[str, list[list[str]]] = {}
    for phrase in lexicon:
        if " " in phrase:
            words = phrase.split()
            by_first.setdefault(words[0], []).append(words)
    for i in range(n):
        for words in by_first.get(lower[i], ()):
            k = len(words)
            if i + k <= n and all(lower[i + j] == words[j] or lemma[i + j] == words[j] for j in range(1, k)):
                for j in range(k):
                    lex[i + j] = True
    return lex


def doc_view(doc: Doc, lexicon: Collection[str] = ()) -> DocView:
    """Precompute the per-token attributes once per document."""
    n = len(doc)
    # one to_array call and a string cache are several times faster than Token attribute access
    arr = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, SHAPE, HEAD, ORTH]).tolist()
    strings = doc.vocab.strings
    cache: dict[int, str] = {}

    def s_(h: int) -> str:
        v = cache.get(h)
        if v is None:
            v = cache[h] = strings[h] if h else ""
        return v

    lower = [s_(r[0]) for r in arr]
    lemma = [s_(r[1]).lower() for r in arr]
    pos = [s_(r[2]) for r in arr]
    tag = [s_(r[3]) for r in arr]
    dep = [s_(r[4]) for r in arr]
    ent = [s_(r[5]) for r in arr]
    shape = [s_(r[6]) for r in arr]
    head = [i + (r[7] if r[7] < 2**63 else r[7] - 2**64) for i, r in enumerate(arr)]
    orth = [s_(r[8]) for r in arr]
    sent, bounds = _sentences(doc)
    para, in_quote, is_quote = _paragraphs_and_quotes(orth)
    children: list[list[str]] = [[] for _ in range(n)]
    for i, h in enumerate(head):
        if h != i:
            children[h].append(dep[i])
    lex = _lexicon_marks(lower, lemma, lexicon)
    return DocView(n=n, text=doc.text, lower=lower, lemma=lemma, pos=pos, tag=tag,
                   dep=dep, head=head, ent=ent, shape=shape, sent=sent,
                   sent_bounds=bounds, para=para, in_quote=in_quote, is_quote=is_quote,
                   child_deps=[frozenset(c) for c in children], lex=lex)


_CUE_CHILD_DEPS = ("ccomp", "xcomp", "nsubj", "nsubjpass", "dobj", "prep", "advcl", "acl", "mark", "dative",
                   "parataxis", "agent", "pobj", "advmod", "attr", "conj")


def cue_features(v: DocView, i: int) -> ItemFeatures:
    """Features of token ``i`` for the cue tagger."""
    h = v.head[i]
    f: ItemFeatures = {
        "b": 1.0,
        "w": v.lower[i],
        "l": v.lemma[i],
        "p": v.pos[i],
        "t": v.tag[i],
        "d": v.dep[i],
        "lp": v.lemma[i] + "|" + v.pos[i],
        "ld": v.lemma[i] + "|" + v.dep[i],
        "hl": v.lemma[h],
        "hp": v.pos[h],
        "dhl": v.dep[i] + "|" + v.lemma[h],
        "e": v.ent[i],
        "s": v.shape[i],
        "q": "1" if v.in_quote[i] else "0",
        "x": "1" if v.lex[i] else "0",
        "xp": ("1" if v.lex[i] else "0") + v.pos[i],
    }
    cd = v.child_deps[i]
    for d in _CUE_CHILD_DEPS:
        if d in cd:
            f["c=" + d] = 1.0
            f["lc=" + v.lemma[i] + "|" + d] = 1.0
    for off in (-2, -1, 1, 2):
        j = i + off
        if 0 <= j < v.n:
            f[f"{off}l"] = v.lemma[j]
            f[f"{off}p"] = v.pos[j]
            f[f"{off}x"] = "1" if v.lex[j] else "0"
        else:
            f[f"{off}l"] = "<>"
    if i + 1 < v.n:
        f["bg+"] = v.lemma[i] + "_" + v.lemma[i + 1]
    if i > 0:
        f["bg-"] = v.lemma[i - 1] + "_" + v.lemma[i]
    return f


def cue_head(v: DocView, cue: list[int]) -> int:
    """The syntactic head of a (possibly multi-word) cue: the first cue token whose head is outside the cue."""
    s = set(cue)
    for i in cue:
        if v.head[i] not in s or v.head[i] == i:
            return i
    return cue[0]


def _bucket(d: int) -> str:
    a = abs(d)
    b = "0" if a == 0 else "1" if a == 1 else "2" if a <= 3 else "4" if a <= 7 else "8" if a <= 15 else "16"
    return ("-" if d < 0 else "+") + b


def attachment(v: DocView, i: int, cue_set: set[int], h: int) -> tuple[str, str]:
    """How token ``i`` hangs relative to the cue head ``h``, at one and at two levels of the tree.

    First level: ``in`` for cue tokens; the dependency label of the cue-head child whose subtree holds
    ``i`` (``ccomp``, ``nsubj``...), prefixed ``c:`` when that child hangs from another cue token; ``anc``
    when ``i`` is an ancestor of the cue; ``sib:DEP`` when ``i`` hangs under an ancestor of the cue (DEP of
    that branch); ``out`` otherwise. Second level: the first level plus the label of the next node down the
    path towards ``i`` (``=`` when ``i`` is that child itself), e.g. ``ccomp>advcl``.
    """
    if i in cue_set:
        return "in", "in"
    path = [i]
    j = i
    for _ in range(60):
        if j in cue_set:
            a = ("" if j == h else "c:") + v.dep[path[-2]]
            return a, a + ">" + (v.dep[path[-3]] if len(path) >= 3 else "=")
        nxt = v.head[j]
        if nxt == j:
            break
        j = nxt
        path.append(j)
    # is i an ancestor of h?
    anc: list[int] = []
    k = h
    for _ in range(60):
        nxt = v.head[k]
        if nxt == k:
            break
        if nxt == i:
            return "anc", "anc"
        anc.append(nxt)
        k = nxt
    # hangs under an ancestor of the cue (through a branch that is not the cue's)
    anc_set = set(anc)
    for m in range(len(path) - 1):
        if path[m + 1] in anc_set:
            a = "sib:" + v.dep[path[m]]
            return a, a + ">" + (v.dep[path[m - 1]] if m >= 1 else "=")
    return "out", "out"


def role_window(v: DocView, cue: list[int], before: int = 1, after: int = 1) -> tuple[int, int]:
    """Token range the role tagger looks at: the cue's sentence plus neighbours in the same paragraph."""
    s0 = v.sent[cue[0]]
    s1 = v.sent[cue[-1]]
    p = v.para[cue[0]]
    lo = s0
    while lo > 0 and s0 - lo < before and v.para[v.sent_bounds[lo - 1][0]] == p:
        lo -= 1
    hi = s1
    while hi + 1 < len(v.sent_bounds) and hi - s1 < after and v.para[v.sent_bounds[hi + 1][0]] == p:
        hi += 1
    return v.sent_bounds[lo][0], v.sent_bounds[hi][1]


def role_features(v: DocView, cue: list[int], start: int, end: int) -> list[ItemFeatures]:
    """Features of tokens ``start..end`` relative to ``cue`` for the role tagger."""
    cue_set = set(cue)
    h = cue_head(v, cue)
    cl = v.lemma[h]
    cpos = v.pos[h]
    cdep = v.dep[h]
    csent = v.sent[h]
    cq = v.in_quote[h]
    first, last = cue[0], cue[-1]
    paths = [attachment(v, i, cue_set, h) for i in range(start, end)]
    att = [p[0] for p in paths]
    out: list[ItemFeatures] = []
    for k, i in enumerate(range(start, end)):
        a = att[k]
        if i < first:
            side = "L"
            dist = i - first
        elif i > last:
            side = "R"
            dist = i - last
        else:
            side = "C"
            dist = 0
        sd = v.sent[i] - csent
        f: ItemFeatures = {
            "b": 1.0,
            "l": v.lemma[i],
            "p": v.pos[i],
            "d": v.dep[i],
            "e": v.ent[i],
            "a": a,
            "ac": a + "|" + cl,
            "ap": a + "|" + cpos,
            "acd": a + "|" + cdep,
            "as": a + "|" + side,
            "ad": a + "|" + v.dep[i],
            "pos": _bucket(dist),
            "sd": str(max(-2, min(2, sd))),
            "sds": str(max(-2, min(2, sd))) + side,
            "q": ("1" if v.in_quote[i] else "0") + ("1" if cq else "0"),
            "qs": ("1" if v.in_quote[i] else "0") + side + str(max(-1, min(1, sd))),
            "cl": cl,
            "cdp": cdep + "|" + cpos,
            "hd": "1" if v.head[i] == h else "0",
            "a2": paths[k][1],
            "a2c": paths[k][1] + "|" + cl,
        }
        if v.is_quote[i]:
            f["qm"] = 1.0
        if k > 0:
            f["a-"] = att[k - 1]
            f["p-"] = v.pos[i - 1]
        if k + 1 < len(att):
            f["a+"] = att[k + 1]
            f["p+"] = v.pos[i + 1]
        out.append(f)
    return out
