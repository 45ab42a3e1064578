"""Sentence embeddings of claims: all-MiniLM-L6-v2 (Apache-2.0) as int8 ONNX, shipped in
data/claim_model/ (exported by scripts/export_claim_model.py), run on ONNX Runtime.

The session is loaded once per process. Each claim goes through the model alone (one sequence per call,
one thread): dynamic int8 quantization scales activations by the whole input tensor, so a batched claim's
vector would depend on its batch-mates; alone, a claim's vector is a function of its text, which clustering
needs (link.claims). A pass embeds each distinct text once and the ledger stores the vectors
(link.vectors), so only a small cache is kept here (the last texts, for callers that embed one claim at a time).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "claim_model"
FORMAT = "reportedly-claim-embedder/1"
MAX_PIECES = 128  # claims longer than this are judged on their first 128 word pieces
MAX_CHARS = 2_000  # hostile input: a claim is never longer than this when embedded
DIM = 384  # the model's embedding size


class EmbedModelError(Exception):
    """The claim model directory is missing or unreadable (one-line message naming it)."""


@lru_cache(maxsize=1)
def _session() -> tuple[Any, Any]:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    try:
        meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise EmbedModelError(f"{MODEL_DIR}: unknown claim model format {meta.get('format')!r}")
        tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        sess = ort.InferenceSession(str(MODEL_DIR / "model.onnx"), opts, providers=["CPUExecutionProvider"])
    except (OSError, ValueError, RuntimeError) as exc:
        raise EmbedModelError(f"{MODEL_DIR}: cannot load the claim model ({exc})") from exc
    tok.enable_truncation(MAX_PIECES)
    tok.no_padding()
    return tok, sess


@lru_cache(maxsize=4096)
def embed(text: str) -> np.ndarray:
    """The unit-length float32 embedding (DIM values) of one claim text."""
    tok, sess = _session()
    enc = tok.encode(text[:MAX_CHARS])
    ids = np.asarray([enc.ids], dtype=np.int64)
    mask = np.ones_like(ids)
    states = sess.run(["states"], {"input_ids": ids, "attention_mask": mask})[0][0]
    vec = states.mean(axis=0)
    vec = (vec / max(float(np.linalg.norm(vec)), 1e-9)).astype(np.float32)
    vec.setflags(write=False)  # the cached array itself: no caller may change what later calls return
    return vec


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two unit vectors."""
    return float(np.dot(a, b))
