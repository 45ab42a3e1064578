"""Encoder predictions as the report's ``Attribution`` objects, for a batch of parsed Docs.

Piece spans are widened to whole words and mapped to spaCy tokens, then built by the same
``to_attribution`` the CRF extractor uses, so resolve/ and report.py see the same kind of object (cue lemma,
kind direct/indirect/mixed/according_to, token-aligned offsets) whichever extractor ran.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from reportedly.learn.component import to_attribution
from reportedly.learn.data import TokenAttribution, span_tokens
from reportedly.learn.encoder.infer import load_encoder
from reportedly.learn.encoder.pieces import PieceAttribution, Pieces, piece_runs, widen_to_words
from reportedly.learn.features import doc_view
from reportedly.model import Attribution


def token_attribution(doc: Doc, text: str, pieces: Pieces, att: PieceAttribution) -> TokenAttribution | None:
    """An attribution over pieces as one over the Doc's tokens (None when cue or content vanish); ``text`` is
    ``doc.text``, passed in because spaCy rebuilds it on every access."""

    def toks(idx: list[int]) -> list[int]:
        return span_tokens(doc, widen_to_words(text, piece_runs(text, pieces.offsets, idx))) if idx else []

    cue, content = toks(att.cue), toks(att.content)
    if not cue or not content:
        return None
    return TokenAttribution(cue=cue, content=[i for i in content if i not in set(cue)], source=toks(att.source))


def doc_attributions(doc: Doc, pieces: Pieces, atts: Sequence[PieceAttribution]) -> list[Attribution]:
    """Report attributions of one Doc, numbered in cue order."""
    text = doc.text
    tas = [ta for ta in (token_attribution(doc, text, pieces, a) for a in atts) if ta is not None and ta.content]
    if not tas:
        return []
    tas.sort(key=lambda ta: (ta.cue[0], ta.cue[-1]))
    v = doc_view(doc)
    return [to_attribution(doc, ta, v, n) for n, ta in enumerate(tas, 1)]


def encoder_attributions(docs: Sequence[Doc], model_dir: str | None = None) -> list[list[Attribution]]:
    """Attributions of every Doc, the encoder run over all their windows in batches."""
    model = load_encoder(model_dir)
    preds = model.predict([d.text for d in docs])
    return [doc_attributions(d, p, atts) for d, (p, atts) in zip(docs, preds, strict=True)]
