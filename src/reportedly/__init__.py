"""reportedly: a sourced, queryable ledger of the claims in news articles."""

from __future__ import annotations

from reportedly.model import Article, Report

__version__ = "0.1.0"
__all__ = ["Article", "Report", "analyze", "analyze_article"]


def analyze_article(article: Article) -> Report:
    """Analyze one Article (text plus metadata) into its Report, within the default bounds of
    ``reportedly.analysis.Limits`` (``LimitExceeded`` past one)."""
    from reportedly.analysis import analyze_one

    return analyze_one(article)


def analyze(text: str, published: str | None = None, id: str = "text") -> Report:
    """Analyze raw article text (title on the first line) published on ``published`` (YYYY-MM-DD)."""
    from reportedly.ingest.text import article_from_text

    return analyze_article(article_from_text(text, id=id, published=published))
