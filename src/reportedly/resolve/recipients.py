"""Recipients: to whom a statement was made ("told NBC News", "confirmed to CNN", "said in an email to").

Extraction may leave ``Attribution.recipient`` empty; the dependency parse usually names it: the
indirect/direct object of "tell", or the object of "to" hanging on the cue verb. A recipient that is an
outlet or a journalist is a relay in the claim's provenance chain.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from reportedly.lexicon import doc_text, words
from reportedly.model import Attribution, Field, inside

_TO_VERBS = words("word_lists", "to_verbs")  # data/word_lists.json
_TELL = words("word_lists", "tell_verbs")  # data/word_lists.json




def _np(tok: Token) -> tuple[int, int]:
    """Character span of a noun phrase head plus its left modifiers and possessives ("Fox News' Tom Keller")."""
    left = tok.left_edge
    right = tok
    for c in tok.rights:
        if c.dep_ in ("appos", "compound", "flat") and c.i - tok.i <= 4:
            right = c.right_edge
    return left.idx, right.idx + len(right)


def find_recipient(doc: Doc, a: Attribution) -> Field | None:
    """The addressee of the statement, when the cue's own syntax names one outside the content."""
    cue = doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
    if cue is None:
        return None
    verbs = [t for t in cue if t.pos_ in ("VERB", "AUX") or t.lemma_.lower() in _TELL | _TO_VERBS]
    for v in verbs:
        lemma = v.lemma_.lower()
        for c in v.children:
            obj: Token | None = None
            if lemma in _TELL and c.dep_ in ("dative", "dobj") and c.pos_ in ("PROPN", "NOUN", "PRON"):
                obj = c
            elif c.dep_ in ("prep", "dative") and c.lower_ == "to" and (lemma in _TO_VERBS or lemma in _TELL):
                objs = [g for g in c.children if g.dep_ == "pobj"]
                obj = objs[0] if objs else None
            if obj is None or inside(obj.idx, a.content.spans):
                continue
            s, e = _np(obj)
            return Field(doc_text(doc)[s:e], [(s, e)])
    return None
