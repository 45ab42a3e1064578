"""Assemble a Report from a processed Doc: extraction output plus the resolve layer.

Kept separate from the spaCy component so that resolution (which needs the publication date and
article metadata, not only the Doc) stays a pure function of (Doc, Article).
"""

from __future__ import annotations

from spacy.tokens import Doc

from reportedly.model import Article, Report


def build_report(doc: Doc, article: Article) -> Report:
    """The report of one article whose text was parsed into ``doc``."""
    attributions = list(doc._.attributions or [])
    return Report(article=article, attributions=attributions)
