"""Export a trained ``EncoderTagger`` as the runtime model directory: int8 ONNX encoder (dynamic
quantization of the weights), the role head as numpy arrays, the tokenizer and ``meta.json``."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reportedly.learn.encoder.infer import MODEL_FORMAT
from reportedly.learn.encoder.net import EncoderTagger


def export_model(model: EncoderTagger, tokenizer_json: Path, out: Path, meta: dict[str, Any]) -> Path:
    """Write ``out`` (replaced only once everything is written) and return it."""
    model.eval()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".encoder-", dir=out.parent))
    try:
        ids = torch.tensor([[101, 2056, 1010, 102], [101, 2056, 102, 0]], dtype=torch.long)
        mask = (ids != 0).long()
        shapes = torch.zeros_like(ids)
        fp32 = tmp / "encoder-fp32.onnx"
        axes = {"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
                "shapes": {0: "batch", 1: "pieces"}, "hidden": {0: "batch", 1: "pieces"},
                "cue_logits": {0: "batch", 1: "pieces"}}
        with torch.no_grad():
            torch.onnx.export(model, (ids, mask, shapes), str(fp32), input_names=["input_ids", "attention_mask",
                              "shapes"], output_names=["hidden", "cue_logits"], dynamic_axes=axes,
                              opset_version=17, dynamo=False)
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(tmp / "encoder.onnx"), weight_type=QuantType.QInt8)
        fp32.unlink()
        arrays = model.head_arrays()
        np.savez(tmp / "heads.npz", w1=arrays["w1"], b1=arrays["b1"], w2=arrays["w2"], b2=arrays["b2"],
                 dist=arrays["dist"])
        shutil.copy(tokenizer_json, tmp / "tokenizer.json")
        (tmp / "meta.json").write_text(json.dumps({"format": MODEL_FORMAT, **meta}, indent=2) + "\n",
                                       encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.replace(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return out
