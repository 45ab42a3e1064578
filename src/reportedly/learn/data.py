"""PolNeAR → token-level training material for the learned attribution extractor.

Gold attributions are character spans; the learner works on spaCy tokens, so every gold span is mapped to
the tokens it touches (a token counts when one of its non-space characters is inside the span). Parsing 840
articles is the slow part of training, so parsed Docs are cached as a DocBin keyed by the split's files and
the spaCy model version.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from reportedly.eval.polnear import GoldAttribution, GoldDoc, Offsets, read_split


@dataclass
class TokenAttribution:
    """One attribution as token indices (sorted); ``source`` is empty for attributions without a source."""

    cue: list[int]
    content: list[int]
    source: list[int] = field(default_factory=list)


@dataclass
class TrainDoc:
    """A parsed article with its gold attributions in both character and token form."""

    stem: str
    doc: Doc
    gold: list[GoldAttribution]
    tokens: list[TokenAttribution]


def span_tokens(doc: Doc, spans: Offsets | None) -> list[int]:
    """Indices of the tokens that share a non-space character with any of ``spans``."""
    if not spans:
        return []
    out: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:  # offsets beyond the text: ignore rather than crash on bad annotations
            continue
        for tok in span:
            if not tok.is_space and tok.idx < end and tok.idx + len(tok) > start:
                out.add(tok.i)
    return sorted(out)


def token_attributions(doc: Doc, gold: Iterable[GoldAttribution]) -> list[TokenAttribution]:
    """Gold attributions mapped onto ``doc``'s tokens; attributions whose cue or content vanish are dropped."""
    out = []
    for g in gold:
        cue, content = span_tokens(doc, g.cue), span_tokens(doc, g.content)
        if not cue or not content:
            continue
        out.append(TokenAttribution(cue=cue, content=content, source=span_tokens(doc, g.source)))
    return out


def _cache_key(nlp: Language, golds: list[GoldDoc]) -> str:
    h = hashlib.sha256()
    h.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    for g in golds:
        h.update(g.stem.encode())
        h.update(hashlib.sha256(g.text.encode()).digest())
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    """Where parsed splits are kept between training runs (``$REPORTEDLY_CACHE`` or ``~/.cache/reportedly``)."""
    env = os.environ.get("REPORTEDLY_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "reportedly"


def parse_split(split_dir: Path, nlp: Language, limit: int | None = None, cache_dir: Path | None = None,
                batch_size: int = 16) -> list[TrainDoc]:
    """Parse a PolNeAR split once (cached) and map its gold spans onto tokens."""
    golds = list(read_split(Path(split_dir), limit=limit))
    if not golds:
        raise ValueError(f"{split_dir}: no PolNeAR articles found (expected text/*.txt and attributions/*.ann)")
    cache = (cache_dir or default_cache_dir()) / f"polnear-{_cache_key(nlp, golds)}.spacy"
    docs: list[Doc]
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((g.text for g in golds), batch_size=batch_size))
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        DocBin(docs=docs).to_disk(tmp)
        tmp.replace(cache)
    return [TrainDoc(stem=g.stem, doc=d, gold=g.attributions, tokens=token_attributions(d, g.attributions))
            for g, d in zip(golds, docs, strict=True)]
