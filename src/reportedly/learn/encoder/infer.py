"""Run the fine-tuned encoder extractor: ONNX Runtime for the encoder, numpy for the small role head.

The model directory holds ``encoder.onnx`` (int8; word pieces + shapes -> hidden states and cue logits),
``heads.npz`` (the cue-conditioned role head), ``tokenizer.json`` and ``meta.json``. Windows from many
articles go through the encoder in batches; then every cue found is given its source and content by the
role head, which reads the cue's home window once per cue (a few matrix products, no second encoder pass).
Training reuses ``decode_article`` with its own encode function, so dev scores during training are the
scores of this code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from reportedly.learn.encoder.pieces import (
    PieceAttribution,
    Pieces,
    cue_groups,
    dist_buckets,
    home_window,
    shapes_of,
    windows,
)
from reportedly.learn.encoder.spans import RULES, SpanRules, softmax, window_spans

DEFAULT_ENCODER_DIR = Path(__file__).resolve().parents[2] / "data" / "encoder_model"
MODEL_FORMAT = "reportedly-encoder/1"
# Windows per ONNX call. Dynamic int8 quantisation scales activations by the min/max of the whole input
# tensor, so a window's output would depend on which other windows share its batch (and on padding): one
# window per call keeps every article's attributions independent of the batch it arrives in.
BATCH = 1
MAX_CHARS = 1_000_000

# (input ids, attention mask, shapes) -> (hidden states [B, T, H], cue logits [B, T, 3])
EncodeFn = Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class EncoderModelError(Exception):
    """The encoder model directory is missing or unreadable (one-line message naming it)."""


def _gelu(x: np.ndarray) -> np.ndarray:
    """tanh-approximated GELU, in place in float32 (``x**3`` calls pow() per element: 18x slower)."""
    y = x * x
    y *= x
    y *= 0.044715
    y += x
    y *= 0.7978845608028654
    np.tanh(y, out=y)
    y += 1.0
    y *= x
    y *= 0.5
    return y


@dataclass
class RoleHead:
    """Role logits of every window piece for one cue: MLP over [h, c, h*c, dist(piece, cue)], where c is
    the mean hidden state of the cue's pieces. Conditioning on the cue lets nested attributions each get
    their own source and content."""

    w1: np.ndarray  # (3H + D, M)
    b1: np.ndarray
    w2: np.ndarray  # (M, 3)
    b2: np.ndarray
    dist: np.ndarray  # (DIST_BUCKETS, D)

    @cached_property
    def dist_proj(self) -> np.ndarray:
        """The distance embeddings through their slice of the first layer: (DIST_BUCKETS, M)."""
        return np.asarray(self.dist @ self.w1[-self.dist.shape[1]:], np.float32)

    @classmethod
    def from_arrays(cls, arrays: Any) -> RoleHead:
        return cls(*(np.asarray(arrays[k], dtype=np.float32) for k in ("w1", "b1", "w2", "b2", "dist")))

    def probs(self, h: np.ndarray, cues: Sequence[Sequence[int]]) -> np.ndarray:
        """Role probabilities [cue, piece, role] of a window's hidden states ``h`` (no special tokens) for all
        its cues at once: one large matrix product instead of one per cue (small BLAS calls thrash on shared
        cores)."""
        hs, n = h.shape[1], h.shape[0]
        w = self.w1
        c = np.stack([h[list(cue)].mean(axis=0) for cue in cues])  # (K, H)
        x = ((h[None, :, :] * c[:, None, :]).reshape(-1, hs) @ w[2 * hs:3 * hs]).reshape(len(cues), n, -1)
        x += h @ w[:hs] + self.b1  # (T, M), shared by the cues
        x += (c @ w[hs:2 * hs])[:, None, :]
        x += self.dist_proj[np.array([dist_buckets(n, cue) for cue in cues])]  # (K, T, M)
        return softmax(_gelu(x) @ self.w2 + self.b2)


class Tokenizer:
    """The encoder's word-piece tokenizer (``tokenizers``), without truncation or padding."""

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer as HFTokenizer

        self.tok = HFTokenizer.from_file(str(path))
        self.tok.no_truncation()
        self.tok.no_padding()
        self.cls = self._id("[CLS]")
        self.sep = self._id("[SEP]")
        self.pad = self._id("[PAD]")

    def _id(self, token: str) -> int:
        found = self.tok.token_to_id(token)
        if found is None:
            raise ValueError(f"tokenizer has no {token} token")
        return int(found)

    def pieces(self, text: str) -> Pieces:
        enc = self.tok.encode(text[:MAX_CHARS], add_special_tokens=False)
        pairs = [(i, (s, e)) for i, (s, e) in zip(enc.ids, enc.offsets, strict=True) if e > s]
        ids = [i for i, _ in pairs]
        offsets = [o for _, o in pairs]
        return Pieces(ids=ids, offsets=offsets, shapes=shapes_of(text, offsets))


def batch_arrays(chunks: Sequence[tuple[list[int], list[int]]], cls: int, sep: int,
                 pad: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, mask, shapes) arrays for windows given as (piece ids, shape ids), with [CLS]/[SEP] added."""
    width = max(len(ids) for ids, _ in chunks) + 2
    ids_a = np.full((len(chunks), width), pad, dtype=np.int64)
    mask = np.zeros((len(chunks), width), dtype=np.int64)
    shp = np.zeros((len(chunks), width), dtype=np.int64)
    for r, (ids, shapes) in enumerate(chunks):
        n = len(ids)
        ids_a[r, :n + 2] = [cls, *ids, sep]
        mask[r, :n + 2] = 1
        shp[r, 1:n + 1] = shapes
    return ids_a, mask, shp


def decode_window_cues(logits: np.ndarray) -> list[int]:
    """Cue BIO tags of one window's pieces from their logits."""
    return [int(t) for t in logits.argmax(axis=1)]


def decode_article(pieces: Pieces, hidden: list[np.ndarray], cue_logits: list[np.ndarray],
                   head: RoleHead, rules: SpanRules = RULES) -> list[PieceAttribution]:
    """Attributions of one article from its windows' encoder outputs (special tokens removed).

    Cue tags come from the window where each piece sits farthest from an edge, so overlapping windows
    never produce a cue twice; each cue's roles are read in its home window and decoded by ``rules``."""
    wins = windows(len(pieces.ids))
    tags = [0] * len(pieces.ids)
    for k, (s, e) in enumerate(wins):
        wt = decode_window_cues(cue_logits[k])
        for j in range(s, e):
            if home_window([j], wins) == k:
                tags[j] = wt[j - s]
    by_window: dict[int, list[list[int]]] = {}
    for cue in cue_groups(tags):
        home = home_window(cue, wins)
        if home is not None:
            by_window.setdefault(home, []).append(cue)
    out = []
    for home, cues in sorted(by_window.items()):
        s = wins[home][0]
        out += window_spans(cues, head.probs(hidden[home], [[i - s for i in cue] for cue in cues]), s, rules)
    out.sort(key=lambda a: a.cue[0])
    return out


def predict_pieces(texts: Sequence[str], tokenizer: Tokenizer, encode: EncodeFn, head: RoleHead,
                   batch: int = BATCH) -> list[tuple[Pieces, list[PieceAttribution]]]:
    """Attributions (as pieces) of many articles, their windows encoded in batches across articles."""
    arts = [tokenizer.pieces(t) for t in texts]
    jobs = [(a, s, e) for a, p in enumerate(arts) for s, e in windows(len(p.ids)) if p.ids]
    hidden: list[list[np.ndarray]] = [[] for _ in arts]
    logits: list[list[np.ndarray]] = [[] for _ in arts]
    for b in range(0, len(jobs), batch):
        part = jobs[b:b + batch]
        chunks = [(arts[a].ids[s:e], arts[a].shapes[s:e]) for a, s, e in part]
        h, c = encode(*batch_arrays(chunks, tokenizer.cls, tokenizer.sep, tokenizer.pad))
        for r, (a, s, e) in enumerate(part):
            hidden[a].append(h[r, 1:e - s + 1])
            logits[a].append(c[r, 1:e - s + 1])
    return [(p, decode_article(p, hidden[a], logits[a], head) if p.ids else []) for a, p in enumerate(arts)]


@dataclass
class EncoderModel:
    """The shipped (or a given) encoder model, loaded once per process by ``load_encoder``."""

    tokenizer: Tokenizer
    head: RoleHead
    session: Any
    meta: dict[str, Any]

    @classmethod
    def load(cls, path: Path | str = DEFAULT_ENCODER_DIR, threads: int = 0) -> EncoderModel:
        path = Path(path)
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EncoderModelError(f"{path}: not an encoder model directory ({exc})") from exc
        if meta.get("format") != MODEL_FORMAT:
            raise EncoderModelError(f"{path}: unsupported model format {meta.get('format')!r}")
        import onnxruntime as ort

        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        try:
            session = ort.InferenceSession(str(path / "encoder.onnx"), opts, providers=["CPUExecutionProvider"])
            with np.load(path / "heads.npz") as arrays:
                head = RoleHead.from_arrays(arrays)
            tok = Tokenizer(path / "tokenizer.json")
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EncoderModelError(f"{path}: cannot load the encoder model ({str(exc).splitlines()[0]})") from exc
        return cls(tok, head, session, meta)

    def encode(self, ids: np.ndarray, mask: np.ndarray, shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h, c = self.session.run(["hidden", "cue_logits"], {"input_ids": ids, "attention_mask": mask,
                                                             "shapes": shapes})
        return h, c

    def predict(self, texts: Sequence[str]) -> list[tuple[Pieces, list[PieceAttribution]]]:
        return predict_pieces(texts, self.tokenizer, self.encode, self.head)


@lru_cache(maxsize=4)
def load_encoder(path: str | None = None) -> EncoderModel:
    """The encoder model at ``path`` (default: the shipped one), loaded once per process."""
    return EncoderModel.load(Path(path) if path else DEFAULT_ENCODER_DIR)

