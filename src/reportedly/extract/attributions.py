"""Attribution extraction (first cut; being replaced by the full rule set)."""

from __future__ import annotations

from spacy.tokens import Doc

from reportedly.model import Attribution, Cue, Field, Source


def extract_attributions(doc: Doc) -> list[Attribution]:
    out: list[Attribution] = []
    for tok in doc:
        if tok.lemma_ in {"say", "report", "tell"} and tok.pos_ == "VERB":
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            comp = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
            if not comp:
                continue
            c = comp[0]
            content = Field(doc.text[c.left_edge.idx:c.right_edge.idx + len(c.right_edge)],
                            [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge))])
            src = None
            if subj:
                s = subj[0]
                a, b = s.left_edge.idx, s.right_edge.idx + len(s.right_edge)
                src = Source(doc.text[a:b], [(a, b)])
            out.append(Attribution(id=f"a{len(out) + 1}", cue=Cue(tok.text, [(tok.idx, tok.idx + len(tok))],
                                                                   tok.lemma_),
                                   content=content, kind="indirect", source=src))
    return out
