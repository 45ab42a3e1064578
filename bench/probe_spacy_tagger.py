"""Feasibility probe for the learned extractor: spaCy's own trainable tok2vec CNN as a BIO cue tagger.

The issue asks for "a trainable attribution component, e.g. a spaCy span/token classifier (tok2vec CNN, CPU)
or a CRF over parser features". We ship the CRF (``reportedly.learn``; dev cue F1 0.775 alone, 0.789 merged
with the rules); this probe measures the other option before anyone builds on it. Nothing here ships.

What it does:

1. parses PolNeAR train and dev with en_core_web_sm (cached as DocBins under /tmp/spacy_probe_cache);
2. trains, per variant, a spaCy ``tagger`` pipe in a blank English pipeline, labels B-CUE / I-CUE / O, with
   its own tok2vec (MultiHashEmbed + MaxoutWindowEncoder, CPU, one thread), through the Python API
   (``nlp.initialize`` / ``nlp.update``, Adam); one variant embeds only surface attributes (NORM, PREFIX,
   SUFFIX, SHAPE), the other also the small model's LEMMA, TAG and DEP (copied from the sm parse, which the
   pipeline has at run time anyway). The two variants train at once in forked processes (two cores). Dev
   picks the epoch (early stopping on dev cue F1) and nothing else;
3. scores cues on dev (and on train, the data it was fitted to) with the probe matcher of
   ``bench/probe_encoder.py`` (a predicted cue matches a gold cue when they share a character, one-to-one,
   greedily in text order) and with the PolNeAR scorer of ``reportedly.eval.polnear`` (the one behind the
   0.775 / 0.789 of docs/benchmarks.md), and times dev inference (CPU seconds, one thread) beside a bare
   en_core_web_sm ``nlp.pipe`` of the same texts in the same run;
4. merges the tagger's cues with the shipped pipeline's (``combined_attributions``, strategy
   ``rules_first``) and with the rules alone, and scores those cues too.

Run it from the repository root with the project's virtualenv (about 15 minutes on two cores; each variant
stops after the first epoch that ends past --max-minutes of training):

    .venv/bin/python bench/probe_spacy_tagger.py                  # writes section 'spacy-tagger-probe'
    .venv/bin/python bench/probe_spacy_tagger.py --limit-train 40 --max-epochs 2 --no-write   # quick check
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one thread per process: timings are single-thread, training forks two

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import fix_random_seed, minibatch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._report import table, write_section  # noqa: E402
from bench.probe_encoder import POLNEAR, Spans, cue_prf, load_split, multi_cue_prf  # noqa: E402
from reportedly.eval.polnear import GoldAttribution, PredAttribution, Scores  # noqa: E402
from reportedly.learn.data import TrainDoc, parse_split, span_tokens  # noqa: E402
from reportedly.nlp import load_base  # noqa: E402

CACHE = Path("/tmp/spacy_probe_cache")
SURFACE = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
ROWS = {"NORM": 5000, "PREFIX": 1000, "SUFFIX": 2500, "SHAPE": 2500, "LEMMA": 5000, "TAG": 250, "DEP": 250}
VARIANTS = {"surface": SURFACE, "surface+sm parse": SURFACE + ["LEMMA", "TAG", "DEP"]}
LABELS = ("B-CUE", "I-CUE", "O")
THRESHOLD = 0.3  # second decoding: a token is a cue token when P(not O) >= 0.3 (fixed beforehand, as the CRF sweep)
Cues = list[Spans]  # the cues of one document, each a list of (start, end) character spans


# ------------------------------------------------------------------ data


def bio_labels(doc: Doc, cues: list[Spans]) -> list[str]:
    """B-CUE / I-CUE / O per token of ``doc`` for gold cue character spans ``cues``."""
    tags = ["O"] * len(doc)
    for cue in cues:
        toks = span_tokens(doc, cue)
        for k, i in enumerate(toks):
            tags[i] = "I-CUE" if k and toks[k - 1] == i - 1 else "B-CUE"
    return tags


def sentence_examples(docs: Sequence[Doc], labels: Sequence[list[str]]) -> list[Example]:
    """One training Example per sentence; the predicted side keeps the sm parse's attributes."""
    out = []
    for doc, tags in zip(docs, labels, strict=True):
        for sent in doc.sents:
            if all(t.is_space for t in sent):
                continue
            out.append(Example.from_dict(sent.as_doc(), {"tags": tags[sent.start:sent.end]}))
    return out


# ------------------------------------------------------------------ model


def tagger_config(attrs: list[str], width: int, depth: int) -> dict[str, Any]:
    """A ``tagger`` pipe config with its own tok2vec embedding ``attrs``."""
    return {"model": {
        "@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width, "attrs": attrs,
                      "rows": [ROWS[a] for a in attrs], "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": depth,
                       "window_size": 1, "maxout_pieces": 3},
        },
    }}


def build(attrs: list[str], width: int, depth: int) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("tagger", config=tagger_config(attrs, width, depth))
    return nlp


def cue_probs(nlp: Language, docs: Sequence[Doc], batch: int = 16) -> list[np.ndarray]:
    """Per document, an (n_tokens, 3) array of label probabilities in LABELS order (no Doc is modified)."""
    tagger = nlp.get_pipe("tagger")
    order = [list(tagger.labels).index(lab) for lab in LABELS]  # type: ignore[attr-defined]
    out: list[np.ndarray] = []
    for b in range(0, len(docs), batch):
        for scores in tagger.model.predict(list(docs[b:b + batch])):  # type: ignore[attr-defined]
            x = np.asarray(scores)[:, order]
            x = np.exp(x - x.max(axis=1, keepdims=True))
            out.append(x / x.sum(axis=1, keepdims=True))
    return out


def decode(doc: Doc, probs: np.ndarray, threshold: float | None = None) -> Spans:
    """Cue character spans from per-token probabilities: argmax, or P(not O) >= ``threshold``; a B-CUE or a
    gap starts a new cue, an I-CUE right after a cue token extends it."""
    spans: Spans = []
    prev = False
    for tok, p in zip(doc, probs, strict=True):
        is_cue = (1.0 - p[2] >= threshold) if threshold is not None else int(p.argmax()) != 2
        if not is_cue or tok.is_space:
            prev = False
            continue
        if prev and p[1] >= p[0]:
            spans[-1] = (spans[-1][0], tok.idx + len(tok))
        else:
            spans.append((tok.idx, tok.idx + len(tok)))
        prev = True
    return spans


def predict(nlp: Language, docs: Sequence[Doc], threshold: float | None = None) -> list[Spans]:
    return [decode(d, p, threshold) for d, p in zip(docs, cue_probs(nlp, docs), strict=True)]


# ------------------------------------------------------------------ scoring


def scorer_f1(golds: list[list[GoldAttribution]], pred: list[Cues]) -> float:
    """Cue F1 by the PolNeAR scorer of reportedly.eval.polnear (cues only: no source or content)."""
    sc = Scores()
    for g, cues in zip(golds, pred, strict=True):
        sc.add([PredAttribution(cue=c, content=[], source=None) for c in cues], g)
    return sc.cue.f1


def merge(primary: list[Cues], secondary: list[Cues]) -> list[Cues]:
    """Per document: ``primary`` plus the ``secondary`` cues that share no character with a kept cue."""
    out = []
    for prim, sec in zip(primary, secondary, strict=True):
        taken = {c for sp in prim for s, e in sp for c in range(s, e)}
        doc_out = list(prim)
        for sp in sec:
            chars = {c for s, e in sp for c in range(s, e)}
            if chars and not chars & taken:
                doc_out.append(sp)
                taken |= chars
        out.append(doc_out)
    return out


# ------------------------------------------------------------------ training (one forked process per variant)


def train_variant(name: str, attrs: list[str], train: list[Example], dev_docs: list[Doc],
                  dev_gold: list[list[Spans]], out: Path, args: argparse.Namespace) -> None:
    """Train one variant; keep the epoch with the best dev cue F1 in ``out``; log to ``out/log.json``."""
    fix_random_seed(args.seed)
    rng = random.Random(args.seed)
    nlp = build(attrs, args.width, args.depth)
    opt = nlp.initialize(lambda: train[:2000])
    log: dict[str, Any] = {"variant": name, "attrs": attrs, "examples": len(train), "epochs": []}
    best, bad, t0 = -1.0, 0, time.perf_counter()
    for ep in range(1, args.max_epochs + 1):
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=args.batch):
            nlp.update(batch, sgd=opt, drop=args.dropout, losses=losses)
        with nlp.use_params(opt.averages):
            p, r, f1 = cue_prf(dev_gold, predict(nlp, dev_docs))
            elapsed = time.perf_counter() - t0
            log["epochs"].append({"epoch": ep, "loss": round(losses.get("tagger", 0.0), 1), "dev_p": round(p, 4),
                                  "dev_r": round(r, 4), "dev_f1": round(f1, 4), "s": round(elapsed)})
            print(f"[{name}] epoch {ep}: loss {losses.get('tagger', 0.0):.0f} dev cue P {p:.3f} R {r:.3f} "
                  f"F1 {f1:.3f} ({elapsed:.0f} s)", flush=True)
            if f1 > best:
                best, bad = f1, 0
                nlp.to_disk(out / "model")
                log["best_epoch"] = ep
            else:
                bad += 1
        if bad >= args.patience or elapsed > args.max_minutes * 60:
            break
    log["train_s"] = round(time.perf_counter() - t0, 1)
    (out / "log.json").write_text(json.dumps(log), encoding="utf-8")


# ------------------------------------------------------------------ main


def cpu_seconds(fn: Callable[[], object]) -> float:
    """Process CPU time of one run of ``fn``."""
    c = time.process_time()
    fn()
    return time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-epochs", type=int, default=15)
    ap.add_argument("--patience", type=int, default=3, help="stop after this many epochs without a better dev F1")
    ap.add_argument("--max-minutes", type=float, default=9.0, help="stop a variant after the epoch that passes this")
    ap.add_argument("--width", type=int, default=96)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32, help="sentences per update")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit-train", type=int, default=None, help="first N train articles (quick check; no docs)")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    t_all = time.perf_counter()

    sm = load_base()
    t = time.perf_counter()
    train_td: list[TrainDoc] = parse_split(POLNEAR / "train", sm, limit=args.limit_train, cache_dir=CACHE)
    dev_td: list[TrainDoc] = parse_split(POLNEAR / "dev", sm, cache_dir=CACHE)
    print(f"parsed/loaded {len(train_td)} train + {len(dev_td)} dev articles in {time.perf_counter() - t:.0f} s",
          flush=True)
    train_raw = load_split("train")[:len(train_td)]
    dev_raw = load_split("dev")
    for td, (text, _) in zip(train_td + dev_td, train_raw + dev_raw, strict=True):
        assert td.doc.text == text, td.stem
    train_gold = [c for _, c in train_raw]
    dev_gold = [c for _, c in dev_raw]
    train_docs = [td.doc for td in train_td]
    dev_docs = [td.doc for td in dev_td]
    examples = sentence_examples(train_docs, [bio_labels(d, g) for d, g in zip(train_docs, train_gold, strict=True)])
    print(f"{len(examples)} training sentences", flush=True)

    work = Path(tempfile.mkdtemp(prefix="spacy-tagger-probe-"))
    ctx = multiprocessing.get_context("fork")
    procs = []
    for k, (name, attrs) in enumerate(VARIANTS.items()):
        (work / str(k)).mkdir()
        proc = ctx.Process(target=train_variant,
                           args=(name, attrs, list(examples), dev_docs, dev_gold, work / str(k), args))
        proc.start()
        procs.append((name, proc))
    for name, proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit(f"training variant {name!r} failed (exit code {proc.exitcode})")
    logs = [json.loads((work / str(k) / "log.json").read_text(encoding="utf-8")) for k in range(len(VARIANTS))]
    models = [spacy.load(work / str(k) / "model") for k in range(len(VARIANTS))]

    # shipped pipeline's cues on dev (rules_first = rules + CRF) and the rules' alone
    from reportedly.extract.attributions import extract_attributions
    from reportedly.learn.combine import combined_attributions

    rules_cues: list[Cues] = []
    shipped_cues: list[Cues] = []
    c = time.process_time()
    for d in dev_docs:
        rules = extract_attributions(d)
        rules_cues.append([list(a.cue.spans) for a in rules])
        shipped = combined_attributions(d, "rules_first", rules=lambda _, r=rules: r)
        shipped_cues.append([list(a.cue.spans) for a in shipped])
    shipped_cpu = time.process_time() - c

    # timings: bare sm parse of the dev texts vs the tagger on the parsed docs (one thread, best of 2, interleaved)
    texts = [td.doc.text for td in dev_td]
    list(sm.pipe(texts[:4]))
    bare_cpu = float("inf")
    tag_cpu = [float("inf")] * len(models)
    for _ in range(2):  # interleaved, so load from other processes hits all alike
        bare_cpu = min(bare_cpu, cpu_seconds(lambda: list(sm.pipe(texts, batch_size=16))))
        for k, m in enumerate(models):
            tag_cpu[k] = min(tag_cpu[k], cpu_seconds(lambda: predict(m, dev_docs)))  # noqa: B023

    dev_golds_att = [td.gold for td in dev_td]
    headers = ["variant", "decoding", "epochs (best)", "train cue F1", "dev cue P", "dev cue R", "dev cue F1",
               "dev cue F1 (PolNeAR scorer)", "train s", "tagger CPU s (dev)", "bare sm CPU s (dev)",
               "throughput bare/(bare+tagger)"]
    rows: list[list[object]] = []
    merged_rows: list[list[object]] = []
    sp_, sr_, sf_ = multi_cue_prf(dev_gold, shipped_cues)
    rp_, rr_, rf_ = multi_cue_prf(dev_gold, rules_cues)
    merged_rows.append(["shipped rules_first (rules + CRF)", "-", sp_, sr_, sf_,
                        scorer_f1(dev_golds_att, shipped_cues)])
    merged_rows.append(["rules alone", "-", rp_, rr_, rf_, scorer_f1(dev_golds_att, rules_cues)])
    for log, m, tc in zip(logs, models, tag_cpu, strict=True):
        name = log["variant"]
        dev_probs, train_probs = cue_probs(m, dev_docs), cue_probs(m, train_docs)
        for thr in (None, THRESHOLD):
            dec = "argmax" if thr is None else f"P(cue) >= {thr}"
            dev_pred = [decode(d, x, thr) for d, x in zip(dev_docs, dev_probs, strict=True)]
            train_f1 = cue_prf(train_gold, [decode(d, x, thr) for d, x in zip(train_docs, train_probs, strict=True)])[2]
            p, r, f1 = cue_prf(dev_gold, dev_pred)
            assert abs(f1 - multi_cue_prf(dev_gold, [[[s] for s in d] for d in dev_pred])[2]) < 1e-9
            tagger_cues: list[Cues] = [[[s] for s in d] for d in dev_pred]
            rows.append([name, dec, f"{len(log['epochs'])} ({log['best_epoch']})", train_f1, p, r, f1,
                         scorer_f1(dev_golds_att, tagger_cues), round(log["train_s"]), round(tc, 1),
                         round(bare_cpu, 1), round(bare_cpu / (bare_cpu + tc), 3)])
            for label, cues in ((f"shipped first + {name} tagger", merge(shipped_cues, tagger_cues)),
                                (f"{name} tagger first + shipped", merge(tagger_cues, shipped_cues)),
                                (f"rules first + {name} tagger (no CRF)", merge(rules_cues, tagger_cues))):
                mp, mr, mf = multi_cue_prf(dev_gold, cues)
                merged_rows.append([label, dec, mp, mr, mf, scorer_f1(dev_golds_att, cues)])
    tab1 = table(headers, rows)
    tab2 = table(["cues on dev", "tagger decoding", "cue P", "cue R", "cue F1", "cue F1 (PolNeAR scorer)"],
                 merged_rows)
    epochs = "; ".join(f"{lg['variant']}: " + ", ".join(f"{e['epoch']}:{e['dev_f1']:.3f}" for e in lg["epochs"])
                       for lg in logs)
    body = (
        f"A spaCy `tagger` pipe (labels B-CUE/I-CUE/O) with its own tok2vec (MultiHashEmbed width {args.width} + "
        f"MaxoutWindowEncoder depth {args.depth}, window 1; Adam, dropout {args.dropout}, {args.batch} sentences "
        f"per update) in a blank English pipeline, trained on PolNeAR train ({len(train_td)} articles, "
        f"{len(examples)} sentences, the en_core_web_sm tokenisation), one thread per variant, two variants at "
        f"once. Dev cue F1 (argmax) picked the epoch (patience {args.patience}, at most {args.max_epochs} epochs); "
        f"nothing else was tuned; P(cue) >= {THRESHOLD} is a second decoding fixed beforehand. Cue matching: "
        "share a character, one-to-one, greedy in text order (bench/probe_encoder.py); the PolNeAR-scorer column "
        "uses reportedly.eval.polnear (the scorer of the `learned` section). CPU seconds are single-thread, "
        "best of 2, over the 84 dev articles; the tagger runs on docs already parsed by en_core_web_sm, so "
        "throughput = bare / (bare + tagger) is what adding it to the bare parse would leave. For reference, "
        f"the shipped rules_first extraction took {shipped_cpu:.1f} CPU s on the same docs (one pass). "
        f"{time.perf_counter() - t_all:.0f} s in all.\n\n"
        + tab1 + "\n\nCues merged with the shipped pipeline's (`combined_attributions(doc, 'rules_first')`) or the "
        "rules' alone (`extract_attributions`); \"A first + B\" keeps all of A's cues and those of B's that share "
        "no character with a kept cue:\n\n" + tab2 + f"\n\nDev cue F1 per epoch: {epochs}.\n"
    )
    print(body, flush=True)
    if not args.no_write and args.limit_train is None:
        write_section("spacy-tagger-probe", "Learned cue tagger: spaCy tok2vec CNN probe",
                      "python bench/probe_spacy_tagger.py", body)


if __name__ == "__main__":
    main()
