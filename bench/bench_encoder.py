"""The encoder extractor against the rules and the CRF union on PolNeAR dev: quality (the project's scorer and
the per-role exact-span F1 CofeNet reports), speed against the bare parse in one run, peak RSS and cold start
of ``reportedly analyze``, and the encoder's errors by type with dev examples.

Why one script: whether the encoder may become the default depends on all of these at once (issue 10), and
ratios only mean something when measured in the same run on the same (shared, noisy) machine. Usage::

    python bench/bench_encoder.py              # full dev split, writes section "encoder" of docs/benchmarks.md
    python bench/bench_encoder.py --limit 5    # quick check, prints only
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._report import SHARED, table, write_section  # noqa: E402
from reportedly.eval.polnear import ERROR_TYPES, Evaluation, read_split, score_docs, to_pred  # noqa: E402
from reportedly.ingest.text import article_from_text  # noqa: E402

DEV = SHARED / "data" / "polnear" / "dev"
CLI = ROOT / ".venv" / "bin" / "reportedly"
EXTRACTORS = ("rules", "union", "encoder")
SHORT = ROOT / "src" / "reportedly" / "data" / "demo" / "kestrel-scooter-recall.txt"


def quality(texts: list[str], golds: list, extractor: str, docs: list) -> Evaluation:
    """Score one extractor on already-parsed docs (the parse is shared by all extractors)."""
    from reportedly.nlp import ReportedlyComponent, load_base

    comp = ReportedlyComponent(load_base(), "reportedly", extractor)
    done = list(comp.pipe(docs))
    return score_docs(((g, to_pred(d._.attributions or [])) for g, d in zip(golds, done, strict=True)), examples=3)


def timed_run(nlp, texts: list[str], report: bool) -> float:
    from reportedly.report import build_report

    t = time.perf_counter()
    for n, doc in enumerate(nlp.pipe(texts, batch_size=16)):
        if report:
            build_report(doc, article_from_text(texts[n], id=f"d{n}"))
    return time.perf_counter() - t


def speed(texts: list[str], repeat: int) -> dict[str, list[float]]:
    """Wall seconds of bare / rules / encoder over the texts, runs interleaved."""
    from reportedly.nlp import get_nlp, load_base

    pipes = {"bare": (load_base(), False), "rules": (get_nlp("rules"), True), "encoder": (get_nlp("encoder"), True)}
    for nlp, rep in pipes.values():
        timed_run(nlp, texts[:3], rep)
    out: dict[str, list[float]] = {k: [] for k in pipes}
    for _ in range(repeat):
        for k, (nlp, rep) in pipes.items():
            out[k].append(timed_run(nlp, texts, rep))
    return out


# A child forked from this (large) process would report this process's RSS as its peak (Linux keeps the
# high-water mark across exec), so a small launcher starts the CLI and reports its child's peak.
LAUNCHER = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def cli_run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one ``reportedly`` process."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", LAUNCHER, str(CLI), *args], capture_output=True, text=True,
                         check=True).stdout.split()
    if out[0] != "0":
        raise RuntimeError(f"reportedly {' '.join(args)} failed ({out[0]})")
    return time.perf_counter() - t, int(out[1]) / 1024


def error_lines(ev: Evaluation) -> list[str]:
    sc = ev.scores
    lines = ["Errors by type (encoder, dev): " + ", ".join(f"{k} {sc.errors.get(k, 0)}" for k in ERROR_TYPES),
             "", "Most missed cues: " + ", ".join(f"'{w}' {c}" for w, c in ev.missed_cues.most_common(12)),
             "", "Most spurious cues: " + ", ".join(f"'{w}' {c}" for w, c in ev.spurious_cues.most_common(12)), ""]
    for kind in ERROR_TYPES:
        for ex in ev.examples.get(kind, [])[:2]:
            g = ex.gold and f"gold: {ex.gold['source'][:60]} | {ex.gold['cue']} | {ex.gold['content'][:90]}"
            p = ex.pred and f"pred: {ex.pred['source'][:60]} | {ex.pred['cue']} | {ex.pred['content'][:90]}"
            lines.append(f"- {kind} ({ex.stem}): " + "; ".join(x for x in (g, p) if x).replace("|", "/"))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    golds = list(read_split(DEV, limit=args.limit))
    texts = [g.text for g in golds]
    from reportedly.nlp import load_base

    docs = list(load_base().pipe(texts, batch_size=16))
    rows, evs = [], {}
    for ext in EXTRACTORS:
        ev = evs[ext] = quality(texts, golds, ext, docs)
        sc = ev.scores
        rows.append([ext, sc.cue.p, sc.cue.r, sc.cue.f1, sc.source.f1, sc.content.f1, sc.triple.f1,
                     sc.chars["content"].f1, sc.exact["cue"].f1, sc.exact["source"].f1, sc.exact["content"].f1])
    qual = table(["extractor", "cue P", "cue R", "cue F1", "source F1", "content F1", "triple F1", "content chars F1",
                  "cue exact F1", "source exact F1", "content exact F1"], rows)
    print(qual)
    runs = speed(texts, args.repeat)
    ratio = {k: statistics.median(b / x for b, x in zip(runs["bare"], runs[k], strict=True)) for k in runs}
    srows = [[k, ", ".join(f"{t:.1f}" for t in v), ratio[k]] for k, v in runs.items()]
    sp = table(["pipeline", "wall s per run", "throughput x bare (median of paired runs)"], srows)
    print(sp)
    proc = []
    for ext in ("rules", "encoder"):
        wall, rss = cli_run(["analyze", str(DEV / "text"), "--jsonl", "--extractor", ext] if args.limit is None
                            else ["analyze", str(SHORT), "--jsonl", "--extractor", ext])
        cold, _ = cli_run(["analyze", str(SHORT), "--json", "--extractor", ext])
        proc.append([ext, f"{wall:.1f}", f"{rss:.0f}", f"{cold:.1f}"])
    pr = table(["extractor", "analyze dev wall s", "peak RSS MiB", "cold start s (one short article)"], proc)
    print(pr)
    errs = error_lines(evs["encoder"])
    print("\n".join(errs))
    if args.limit is not None:
        return
    load = os.getloadavg()[0]
    body = "\n\n".join([
        f"PolNeAR dev, {len(golds)} articles, one parse shared by the extractors. Scorer: `reportedly eval polnear` "
        "(cue spans share a character; triple = cue + source and content char-F1 >= 0.5), plus the per-role "
        "exact-span F1 (each role's span pieces trimmed of edge whitespace and punctuation, scored as sets).",
        qual,
        f"Speed, same run: {args.repeat} interleaved runs of bare `nlp.pipe`, the rules pipeline and the encoder "
        f"pipeline (both with `build_report`); load average {load:.1f} on 2 shared cores (other engineers' jobs), "
        "so absolute times are noisy; the ratio of each pair shares the load.",
        sp, pr, "\n".join(errs)])
    write_section("encoder", "Encoder extractor (fine-tuned MiniLM, int8 ONNX) vs rules and union",
                  "python bench/bench_encoder.py", body)


if __name__ == "__main__":
    main()
