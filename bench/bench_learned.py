"""Benchmark ``learned``: rules-only vs learned vs combined attribution extraction on PolNeAR train and dev,
plus the throughput of the full analysis relative to bare ``nlp.pipe`` of en_core_web_sm.

    python bench/bench_learned.py [--limit-train N] [--no-write]

Train scores are on the data the model was fitted to (they show over-fitting, not quality); dev is the
measure. Parsed splits are cached (see ``reportedly.learn.data.parse_split``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._report import SHARED, table, write_section  # noqa: E402
from reportedly.extract.attributions import extract_attributions  # noqa: E402
from reportedly.learn.combine import DEFAULT_STRATEGY, STRATEGIES, combine  # noqa: E402
from reportedly.learn.component import load_model  # noqa: E402
from reportedly.learn.data import TrainDoc, parse_split  # noqa: E402
from reportedly.learn.train import score, summary  # noqa: E402
from reportedly.nlp import get_nlp, load_base  # noqa: E402

POLNEAR = SHARED / "data" / "polnear"
COLUMNS = ["cue_p", "cue_r", "cue_f1", "source_f1", "content_f1", "triple_p", "triple_r", "triple_f1",
           "content_char_f1"]


def quality(docs: list[TrainDoc], split: str) -> list[list[object]]:
    model = load_model()
    rules = {td.stem: extract_attributions(td.doc) for td in docs}
    rows: list[list[object]] = []
    for strategy in STRATEGIES:
        t = time.perf_counter()
        s = summary(score(docs, lambda td, st=strategy: combine(td.doc, rules[td.stem], st, model)))
        label = strategy + (" (default)" if strategy == DEFAULT_STRATEGY else "")
        rows.append([split, label] + [s[c] for c in COLUMNS])
        print(f"{split} {strategy}: {s} ({time.perf_counter() - t:.0f}s)", flush=True)
    return rows


def throughput(texts: list[str], repeats: int = 2) -> list[list[object]]:
    """Best-of-``repeats`` wall time of bare nlp.pipe vs the full analysis (pipe + rules + model + report)."""
    from reportedly.model import Article
    from reportedly.report import build_report

    bare, full = load_base(), get_nlp(resolve=False)  # build_report is timed on its own
    load_model()
    words = sum(len(t.split()) for t in texts)

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=16):
            pass

    stage: dict[str, float] = {}

    def run_full() -> None:
        model_cpu = report_cpu = 0.0
        for n, doc in enumerate(full.pipe(texts, batch_size=16)):
            c = time.process_time()
            doc._.attributions = combine(doc, list(doc._.attributions or []), DEFAULT_STRATEGY)
            c2 = time.process_time()
            build_report(doc, Article(id=str(n), text=doc.text))
            model_cpu += c2 - c
            report_cpu += time.process_time() - c2
        stage["model"] = min(stage.get("model", float("inf")), model_cpu)
        stage["report"] = min(stage.get("report", float("inf")), report_cpu)

    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for _ in range(repeats):  # interleaved, so load from other processes hits both alike
        for name, fn in (("bare", run_bare), ("full", run_full)):
            t, c = time.perf_counter(), time.process_time()
            fn()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - t)
            cpu[name] = min(cpu.get(name, float("inf")), time.process_time() - c)
    ratio, cpu_ratio = best["bare"] / best["full"], cpu["bare"] / cpu["full"]
    print(f"CPU by stage: learned model + merge {stage['model']:.1f}s, build_report {stage['report']:.1f}s", flush=True)
    print(f"throughput: bare {best['bare']:.1f}s ({cpu['bare']:.1f}s CPU), full {best['full']:.1f}s "
          f"({cpu['full']:.1f}s CPU), ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU", flush=True)
    return [["bare en_core_web_sm nlp.pipe", len(texts), words, round(best["bare"], 1), round(cpu["bare"], 1),
             round(words / cpu["bare"]), 1.0, 1.0],
            [f"full analysis (rules + model, {DEFAULT_STRATEGY})", len(texts), words, round(best["full"], 1),
             round(cpu["full"], 1), round(words / cpu["full"]), round(ratio, 2), round(cpu_ratio, 2)],
            ["  of which: learned model + merge (CPU)", "", "", "", round(stage["model"], 1), "", "", ""],
            ["  of which: build_report / resolve (CPU)", "", "", "", round(stage["report"], 1), "", "", ""]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit-train", type=int, default=None, help="score only the first N train articles")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    nlp = load_base()
    model = load_model()
    dev = parse_split(POLNEAR / "dev", nlp)
    train = parse_split(POLNEAR / "train", nlp)[: args.limit_train]
    rows = quality(train, "train") + quality(dev, "dev")
    speed = throughput([td.doc.text for td in dev])
    meta = model.meta
    body = (
        f"Model `{meta.get('name')}` version {meta.get('version')} (trained {meta.get('trained')}, "
        f"{meta.get('train', {}).get('articles')} train articles, {meta.get('seconds')} s). Reproduce it with "
        "`reportedly train polnear ../shared/data/polnear/train --dev ../shared/data/polnear/dev "
        "--out src/reportedly/data/attribution_model`.\n\n"
        "Attribution quality (PolNeAR scorer: cue spans share a character; source/content char-F1 >= 0.5; "
        "train = the data the model was fitted to):\n\n"
        + table(["split", "strategy"] + COLUMNS, rows)
        + "\n\nThroughput on the 84 dev articles (best of 2 runs, interleaved; the machine is shared with other "
        "jobs, so wall time is noisy and the CPU-time ratio is the one to read):\n\n"
        + table(["pipeline", "articles", "words", "wall s", "CPU s", "words/CPU s", "x bare (wall)",
                 "x bare (CPU)"], speed)
    )
    print(body)
    if not args.no_write:
        cmd = "python bench/bench_learned.py" + (f" --limit-train {args.limit_train}" if args.limit_train else "")
        write_section("learned", "Learned attribution model (rules vs learned vs combined)", cmd, body)


if __name__ == "__main__":
    main()
