"""Claim vectors for a link pass: stored ones re-used, only new claim texts embedded.

Embedding is what linking costs (tens of ms a claim; everything else is microseconds), so a vector is
computed once per distinct claim text and kept in the ledger (``claim_vectors``, keyed by ``text_key``: the
model's digest and the text as embedded). A full relink and the pass after ingesting a batch read the same
stored vectors, so both give the same clusters; only the batch's new texts go through the model. A stored
vector of the wrong size (a damaged row) is embedded again, never trusted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reportedly.link.embed import DIM, MAX_CHARS, MODEL_DIR, embed

__all__ = ["DIM", "Vectors", "claim_vectors", "model_digest", "text_key"]
Lookup = Callable[[Sequence[str]], dict[str, bytes]]  # text keys -> stored vectors (Store.claim_vectors)


@lru_cache(maxsize=1)
def model_digest() -> str:
    """A digest of the shipped model and tokenizer files: a new model never reads an old model's vectors."""
    h = hashlib.blake2b(digest_size=8)
    for name in ("model.onnx", "tokenizer.json"):
        h.update((MODEL_DIR / name).read_bytes())
    return h.hexdigest()


def text_key(text: str) -> str:
    """The store key of a claim text's vector (the text as the model sees it: bounded to MAX_CHARS)."""
    return hashlib.blake2b(f"{model_digest()}\x1e{text[:MAX_CHARS]}".encode(), digest_size=16).hexdigest()


@dataclass
class Vectors:
    """The vectors of one pass by text, and the new ones to store."""

    by_text: dict[str, bytes] = field(default_factory=dict)
    new: list[tuple[str, bytes]] = field(default_factory=list)  # (text key, float32 bytes)
    reused: int = 0


def claim_vectors(texts: Iterable[str], lookup: Lookup | None = None) -> Vectors:
    """The vector of every distinct text: from ``lookup`` when stored (and well formed), else embedded."""
    wanted = sorted(set(texts))
    keys = {t: text_key(t) for t in wanted}
    known = lookup(sorted(set(keys.values()))) if lookup and keys else {}
    out = Vectors()
    for t in wanted:
        vec = known.get(keys[t])
        if vec is not None and len(vec) == DIM * 4:
            out.by_text[t] = vec
            out.reused += 1
            continue
        vec = embed(t).tobytes()
        out.by_text[t] = vec
        out.new.append((keys[t], vec))
    return out
