"""Training loop of the learned attribution extractor (PolNeAR train → model directory).

CRFsuite's L-BFGS training is deterministic, so a run is reproducible from its inputs and parameters (the
seed is recorded for the record and used by any sampling). The dev split is only used to report scores and
to pick between configurations, never to fit weights.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pycrfsuite
import spacy

from reportedly.base_model import load_base
from reportedly.eval.polnear import PredAttribution, Scores
from reportedly.learn.component import (
    MODEL_FORMAT,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    AttributionModel,
    bio_spans,
    load_lexicon,
)
from reportedly.learn.data import TrainDoc, parse_split
from reportedly.learn.features import DocView, cue_features, doc_view, role_features, role_window
from reportedly.model import Attribution

MODEL_VERSION = "0.1.0"
LEXICON_PATH = Path(__file__).resolve().parents[1] / "data" / "cues.json"


@dataclass
class TrainConfig:
    """Hyper-parameters (chosen on dev, then frozen here as defaults)."""

    seed: int = 13
    cue_c1: float = 0.25
    cue_c2: float = 0.01
    cue_iterations: int = 120
    role_c1: float = 0.25
    role_c2: float = 0.01
    role_iterations: int = 120
    limit: int | None = None  # train on the first N articles only (for quick iterations)


def cue_labels(n: int, start: int, cue_tokens: set[int]) -> list[str]:
    """BIO labels of tokens ``start..start+n`` given the gold cue tokens."""
    out = []
    for i in range(start, start + n):
        if i in cue_tokens:
            out.append("I" if i - 1 in cue_tokens and i > start else "B")
        else:
            out.append("O")
    return out


def cue_sequences(td: TrainDoc, v: DocView) -> Iterable[tuple[list[dict[str, Any]], list[str]]]:
    """(features, labels) of every sentence of a training document for the cue tagger."""
    gold = {i for ta in td.tokens for i in ta.cue}
    for s, e in v.sent_bounds:
        yield [cue_features(v, i) for i in range(s, e)], cue_labels(e - s, s, gold)


def role_sequences(td: TrainDoc, v: DocView) -> Iterable[tuple[list[dict[str, Any]], list[str]]]:
    """(features, labels) of each gold cue's window for the role tagger (one instance per distinct cue)."""
    seen: set[tuple[int, ...]] = set()
    for ta in td.tokens:
        # the role tagger is applied to contiguous cue groups at run time: train on the main group
        groups = bio_spans(cue_labels(len(ta.cue), 0, set(range(len(ta.cue)))))
        cue = ta.cue if len(groups) <= 1 else sorted(ta.cue)
        key = tuple(cue)
        if key in seen:
            continue
        seen.add(key)
        s, e = role_window(v, cue, WINDOW_BEFORE, WINDOW_AFTER)
        src, cont = set(ta.source), set(ta.content)
        labels = ["C" if i in cont else "S" if i in src else "O" for i in range(s, e)]
        yield role_features(v, cue, s, e), labels


def _train_crf(seqs: Iterable[tuple[list[dict[str, Any]], list[str]]], path: Path, c1: float, c2: float,
               iterations: int) -> int:
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for feats, labels in seqs:
        trainer.append(pycrfsuite.ItemSequence(feats), labels)
        n += 1
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(path))
    return n


def to_pred(a: Attribution) -> PredAttribution:
    return PredAttribution(cue=list(a.cue.spans), content=list(a.content.spans),
                           source=list(a.source.spans) if a.source else None)


def score(docs: Iterable[TrainDoc], predict: Callable[[TrainDoc], list[Attribution]]) -> Scores:
    """PolNeAR scores of an extractor over parsed documents."""
    sc = Scores()
    for td in docs:
        sc.add([to_pred(a) for a in predict(td)], td.gold)
    return sc


def summary(sc: Scores) -> dict[str, float]:
    """The headline numbers of a ``Scores``: cue/source/content/triple F1 and character F1 per role."""
    out = {f"{k}_{m}": round(getattr(getattr(sc, k), m), 4) for k in ("cue", "triple") for m in ("p", "r", "f1")}
    out.update({f"{k}_f1": round(getattr(sc, k).f1, 4) for k in ("source", "content")})
    out.update({f"{k}_char_f1": round(v.f1, 4) for k, v in sc.chars.items()})
    return out


THRESHOLD_GRID = {"cue_threshold": (1.0, 0.4, 0.3), "content_threshold": (1.0, 0.2),
                  "source_threshold": (1.0, 0.3, 0.1)}


def select_thresholds(model: AttributionModel, dev_docs: list[TrainDoc],
                      log: Callable[[str], None] = print) -> dict[str, float]:
    """Model selection on dev: the decoding thresholds (one at a time, coarse grid) maximising triple F1."""
    chosen: dict[str, float] = {}
    for name, grid in THRESHOLD_GRID.items():
        best = (-1.0, 1.0)
        for value in grid:
            model.meta[name] = value
            f1 = score(dev_docs, lambda td: model(td.doc)).triple.f1
            best = max(best, (f1, value))
        model.meta[name] = chosen[name] = best[1]
        log(f"{name} = {best[1]} (dev triple F1 {best[0]:.4f})")
    return chosen


def train(train_dir: Path, dev_dir: Path | None, out: Path, config: TrainConfig | None = None,
          log: Callable[[str], None] = print, cache_dir: Path | None = None) -> dict[str, Any]:
    """Train both taggers on ``train_dir``, write the model directory ``out``, return its meta."""
    cfg = config or TrainConfig()
    random.seed(cfg.seed)
    t0 = time.perf_counter()
    nlp = load_base()
    log(f"parsing {train_dir} ...")
    train_docs = parse_split(Path(train_dir), nlp, limit=cfg.limit, cache_dir=cache_dir)
    dev_docs = parse_split(Path(dev_dir), nlp, cache_dir=cache_dir) if dev_dir else []
    lexicon = load_lexicon(LEXICON_PATH) if LEXICON_PATH.exists() else []
    lex = frozenset(lexicon)
    views = [doc_view(td.doc, lex) for td in train_docs]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    log(f"parsed {len(train_docs)} train / {len(dev_docs)} dev articles in {time.perf_counter() - t0:.0f}s; "
        "training the cue and role taggers (two processes) ...")
    cue_seqs = (s for td, v in zip(train_docs, views, strict=True) for s in cue_sequences(td, v))
    role_seqs = (s for td, v in zip(train_docs, views, strict=True) for s in role_sequences(td, v))
    # the two CRFs are independent: train the cue tagger in a forked child while this process trains the
    # role tagger (fork shares the parsed docs; nothing is pickled)
    child = multiprocessing.get_context("fork").Process(
        target=_train_crf, args=(cue_seqs, out / "cue.crfsuite", cfg.cue_c1, cfg.cue_c2, cfg.cue_iterations))
    child.start()
    n_role = _train_crf(role_seqs, out / "role.crfsuite", cfg.role_c1, cfg.role_c2, cfg.role_iterations)
    log(f"role tagger: {n_role} cue windows, {time.perf_counter() - t0:.0f}s; waiting for the cue tagger ...")
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"training the cue tagger failed (exit code {child.exitcode})")
    log(f"cue tagger done, {time.perf_counter() - t0:.0f}s; selecting thresholds and scoring ...")
    meta: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "name": "reportedly_attribution_model",
        "version": MODEL_VERSION,
        "trained": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "spacy_version": spacy.__version__,
        "base_model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}",
        "train": {"dir": str(train_dir), "articles": len(train_docs), "attributions": sum(len(t.tokens)
                                                                                          for t in train_docs)},
        "config": asdict(cfg),
        "lexicon": lexicon,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    model = AttributionModel.load(out)
    if dev_docs:
        meta.update(select_thresholds(model, dev_docs, log))
        (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        model = AttributionModel.load(out)
    scores: dict[str, Any] = {"train": summary(score(train_docs, lambda td: model(td.doc)))}
    if dev_docs:
        scores["dev"] = summary(score(dev_docs, lambda td: model(td.doc)))
    meta["scores"] = scores
    meta["seconds"] = round(time.perf_counter() - t0, 1)
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    log(f"done in {meta['seconds']}s: " + json.dumps(scores))
    return meta
