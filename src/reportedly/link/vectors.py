"""Claim vectors for a link pass: stored ones re-used, only new claim texts embedded.

Embedding is what linking costs (tens of ms a claim; everything else is microseconds), so a vector is
computed once per distinct claim text and kept in the ledger (``claim_vectors``, keyed by ``text_key``: the
model's digest and the text as embedded). A full relink and the pass after ingesting a batch read the same
stored vectors, so both give the same clusters; only the batch's new texts go through the model. A stored
vector of the wrong size (a damaged row) is embedded again, never trusted.

The texts a pass has no vector for can be embedded in ``workers`` processes (spawned, so no ONNX Runtime
state is forked): each worker loads the session once and runs one claim per call on one thread, exactly as
the serial path does, so the vectors are the same bytes (tests/test_link_scale.py checks it).

A pass given a ``save`` stores its new vectors SAVE_EVERY texts at a time, each slice in its own transaction,
as they are computed: embedding a whole corpus takes hours, and a pass killed half way keeps the slices it
finished (a vector is a cache of its text, right whatever the pass's links become), so the next pass embeds
only the rest.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

from reportedly.link.embed import DIM, MAX_CHARS, MODEL_DIR, embed

__all__ = ["DIM", "Vectors", "claim_vectors", "model_digest", "text_key"]
PARALLEL_MIN = 64  # fewer new texts than this are embedded in-process: starting workers costs seconds
CHUNK = 32  # texts sent to a worker at a time
SAVE_EVERY = 5_000  # new vectors stored at a time by a pass given ``save`` (about a minute of two workers)
Lookup = Callable[[Sequence[str]], dict[str, bytes]]  # text keys -> stored vectors (Store.claim_vectors)
Save = Callable[[Sequence[tuple[str, bytes]]], None]  # stores (text key, vector) rows (Store.put_claim_vectors)


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
    seconds: float = 0.0  # spent embedding the new ones (a bench tells that cost from the linking's)


def claim_vectors(texts: Iterable[str], lookup: Lookup | None = None, workers: int = 1,
                  save: Save | None = None) -> Vectors:
    """The vector of every distinct text: from ``lookup`` when stored (and well formed), else embedded (in
    ``workers`` processes when there are many); with ``save``, new vectors are stored as they are computed
    (module doc), so ``Vectors.new`` is then already in the store."""
    wanted = sorted(set(texts))
    keys = {t: text_key(t) for t in wanted}
    known = lookup(sorted(set(keys.values()))) if lookup and keys else {}
    out = Vectors()
    missing = []
    for t in wanted:
        vec = known.get(keys[t])
        if vec is not None and len(vec) == DIM * 4:
            out.by_text[t] = vec
            out.reused += 1
        else:
            missing.append(t)
    size = SAVE_EVERY if save else max(len(missing), 1)
    started = time.perf_counter()
    for start, vecs in _slices(missing, workers, size):
        part = missing[start:start + size]
        rows = [(keys[t], vec) for t, vec in zip(part, vecs, strict=True)]
        out.by_text.update(zip(part, vecs, strict=True))
        out.new += rows
        if save:
            save(rows)
    out.seconds = time.perf_counter() - started
    return out


def _embed_bytes(text: str) -> bytes:
    return embed(text).tobytes()


def embedded(texts: Sequence[str], workers: int = 1) -> list[bytes]:
    """The float32 bytes of each text's vector, in order; a pool of ``workers`` spawned processes when there
    are at least PARALLEL_MIN texts."""
    return [v for _, vecs in _slices(texts, workers, max(len(texts), 1)) for v in vecs]


def _slices(texts: Sequence[str], workers: int, size: int) -> Iterator[tuple[int, list[bytes]]]:
    """(start, vectors of texts[start:start + size]) slice after slice, all from one pool of ``workers``
    spawned processes when there are at least PARALLEL_MIN texts (starting workers costs seconds)."""
    if workers <= 1 or len(texts) < PARALLEL_MIN:
        for start in range(0, len(texts), size):
            yield start, [_embed_bytes(t) for t in texts[start:start + size]]
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for start in range(0, len(texts), size):
            yield start, list(pool.map(_embed_bytes, texts[start:start + size], chunksize=CHUNK))
