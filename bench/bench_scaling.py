"""Analysis time and memory against input size: is one article's analysis linear in its length?

Realistic text: PolNeAR dev articles, then train articles, concatenated in name order up to each size, in two
shapes: ``paragraphs`` (the articles' own line breaks kept) and ``one line`` (all whitespace runs turned into
one space: a single paragraph without breaks, the worst case for anything that works per paragraph). Each
size runs in a fresh process (``--one``) so that its peak resident memory is its own; the time is that of
``reportedly.analysis.analyze_one`` (parse + extraction + resolution + report) after the model is loaded,
best of ``--repeat`` runs for sizes up to 100k characters. The pass criterion: CPU time per character at the
largest size within 1.5x of that at the smallest (wall time is printed too; on a shared machine it also
measures the other jobs).

    python bench/bench_scaling.py [--sizes 10000,100000,1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._report import SHARED, table, write_section  # noqa: E402

POLNEAR = SHARED / "data" / "polnear"
LIMIT = 1.5


def corpus_text(size: int, one_line: bool) -> str:
    """The first ``size`` characters of the concatenated dev + train articles, in the given shape."""
    parts: list[str] = []
    total = 0
    for split in ("dev", "train"):
        for path in sorted((POLNEAR / split / "text").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            parts.append(" ".join(text.split()) if one_line else text.strip())
            total += len(parts[-1]) + 2
            if total > size:
                body = (" " if one_line else "\n\n").join(parts)
                return "Scaling benchmark\n" + body[: size - 18]
    raise SystemExit(f"PolNeAR dev + train hold fewer than {size} characters")


def measure_one(size: int, one_line: bool, repeat: int) -> dict[str, float]:
    """In this process: best time of ``repeat`` analyses of a ``size``-character text, and peak RSS."""
    from reportedly.analysis import Limits, analyze_one
    from reportedly.ingest.text import article_from_text
    from reportedly.nlp import get_nlp

    get_nlp()("Warm up. The minister said so.")
    article = article_from_text(corpus_text(size, one_line), id=f"scale-{size}")
    limits = Limits(max_seconds=3600, max_memory_mb=64_000)
    best, best_cpu = float("inf"), float("inf")
    attributions = 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        report = analyze_one(article, limits)
        best, best_cpu = min(best, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
        attributions = len(report.attributions)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"chars": len(article.text), "seconds": best, "cpu": best_cpu, "rss_mb": rss_mb,
            "attributions": attributions}


def run(sizes: list[int], repeat: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for one_line in (False, True):
        shape = "one line" if one_line else "paragraphs"
        base = None
        for size in sizes:
            reps = repeat if size <= 100_000 else 1
            proc = subprocess.run([sys.executable, __file__, "--one", str(size), "--repeat", str(reps)]
                                  + (["--one-line"] if one_line else []), capture_output=True, text=True, check=True)
            m = json.loads(proc.stdout.strip().splitlines()[-1])
            per_char = m["cpu"] / m["chars"] * 1e6
            base = base or per_char
            rows.append([shape, f"{m['chars']:,}", m["attributions"], f"{m['seconds']:.2f}", f"{m['cpu']:.2f}",
                         f"{per_char:.1f}", f"{per_char / base:.2f}", f"{m['rss_mb']:.0f}"])
            print(" | ".join(str(v) for v in rows[-1]), flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-line", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.one_line, args.repeat)))
        return
    if not POLNEAR.exists():
        raise SystemExit(f"{POLNEAR}: not found (the benchmark reads PolNeAR dev and train)")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = run(sizes, args.repeat)
    headers = ["shape", "characters", "attributions", "wall s", "CPU s", "CPU µs/char", "× smallest", "peak RSS MB"]
    worst = max(float(str(r[6])) for r in rows)
    verdict = "pass" if worst <= LIMIT else "FAIL"
    body = (f"One article's analysis (`reportedly.analysis.analyze_one`: parse, extraction, resolution, report; "
            f"model already loaded) on the first N characters of PolNeAR dev + train articles concatenated, with "
            f"their paragraph breaks and as one line without breaks. Each size in a fresh process (peak RSS is "
            f"that process's, model included); best of {args.repeat} runs up to 100k characters, one run above. "
            f"Criterion: CPU time per character at the largest size within {LIMIT}x of the smallest: worst "
            f"{worst:.2f}x, **{verdict}**. CPU time, not wall time, is compared: the machine is shared (2 cores, "
            f"other jobs running), which stretches wall time by whatever else runs at that moment.\n\n"
            + table(headers, rows))
    print(body)
    write_section("scaling", "Scaling with article length", "python bench/bench_scaling.py", body)


if __name__ == "__main__":
    main()
