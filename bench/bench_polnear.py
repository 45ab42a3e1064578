"""Attribution extraction scored on PolNeAR train and dev (section ``polnear`` of docs/benchmarks.md).

Train is where the rules and the cue lexicon were tuned (its errors were read); dev is the held-out
check. Both go through the full pipeline (``get_nlp()``), exactly what ``reportedly eval polnear``
runs. Usage::

    python bench/bench_polnear.py              # both splits, writes the section
    python bench/bench_polnear.py --limit 20   # quick check on the first 20 articles, prints only
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``bench._report`` importable
    sys.path.insert(0, str(ROOT))

from bench._report import SHARED, table, write_section  # noqa: E402
from reportedly.eval.polnear import Evaluation, evaluate_split  # noqa: E402
from reportedly.nlp import get_nlp  # noqa: E402

POLNEAR = SHARED / "data" / "polnear"
SPLITS = ("train", "dev")
COMMAND = "python bench/bench_polnear.py"
TARGETS = {"cue": 0.75, "attribution": 0.60}  # dev F1 the acceptance asks for


def rows_for(split: str, ev: Evaluation) -> list[list[object]]:
    sc = ev.scores
    out: list[list[object]] = []
    for name, prf in (("cue", sc.cue), ("source", sc.source), ("content", sc.content), ("attribution", sc.triple)):
        out.append([split, name, prf.p, prf.r, prf.f1])
    for role, prf in sc.chars.items():
        out.append([split, f"{role} (chars)", prf.p, prf.r, prf.f1])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles per split; prints only")
    args = parser.parse_args(argv)

    rows: list[list[object]] = []
    notes: list[str] = []
    results: dict[str, Evaluation] = {}
    for split in SPLITS:
        start = time.perf_counter()
        ev = evaluate_split(POLNEAR / split, get_nlp(resolve=False), limit=args.limit, examples=0)
        seconds = time.perf_counter() - start
        results[split] = ev
        rows += rows_for(split, ev)
        top = ", ".join(f"{k} {v}" for k, v in sorted(ev.scores.errors.items(), key=lambda kv: -kv[1]))
        notes.append(f"- {split}: {ev.scores.docs} articles, {seconds:.0f} s; errors by type: {top}")
    dev = results["dev"].scores
    verdict = (f"Dev targets (cue F1 >= {TARGETS['cue']}, attribution F1 >= {TARGETS['attribution']}): "
               f"cue {dev.cue.f1:.3f}, attribution {dev.triple.f1:.3f} — "
               + ("met." if dev.cue.f1 >= TARGETS["cue"] and dev.triple.f1 >= TARGETS["attribution"] else "NOT met."))
    body = "\n".join([
        "Matching as in the PolNeAR README: a cue matches when the spans share a character (one-to-one); an",
        "attribution matches when its cue matches and source and content each reach character F1 >= 0.5.",
        "The per-error breakdown with examples: `reportedly eval polnear SPLIT_DIR --errors 5`.",
        "",
        table(["split", "measure", "P", "R", "F1"], rows),
        "",
        verdict,
        "",
        *notes,
    ])
    print(body)
    if args.limit is None:
        write_section("polnear", "PolNeAR attribution extraction (rules)", COMMAND, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
