"""Linking rules on a window of the AllSides corpus, counted automatically (issue 12): what a rule change does to
the multi-article clusters, to the clusters counting more than one origin, and to the cross-outlet quoted
passages (two articles of different outlets quoting the same ten words: joined in one cluster, covered by a
recycled-passage note, found in both but not joined, or not extracted as a claim in both).

These are counts, not verdicts: precision is judged by hand on whole-corpus draws (bench/judge_sample.py,
docs/judging). The window is for research between draws; the ingested ledger is copied and relinked with the
current code, the original is only read.

    python bench/bench_link_window.py --db /work/ledgers/sub/sub.db   # an ingested window, e.g. 2019-09..2020-01
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench._report import table, write_section  # noqa: E402
from bench.judge_sample import linked, quoted_pairs  # noqa: E402
from reportedly.store import open_store  # noqa: E402

STATUSES = ("one cluster", "recycled passage", "claims found, not joined", "quote not extracted as a claim in both")


def measure(db: Path) -> dict[str, object]:
    """Relink a copy of ``db`` and count what the rules make of it."""
    from reportedly.link.incremental import relink

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "window.db"
        shutil.copyfile(db, copy)
        with open_store(str(copy)) as store:
            t0 = time.perf_counter()
            relink(store, full=True)
            seconds = time.perf_counter() - t0
            n_articles = store._query("SELECT count(*) FROM articles")[0][0]
            multi, above_one = store._query(
                "SELECT count(*), coalesce(sum(n_origins > 1), 0) FROM clusters WHERE n_articles > 1")[0]
            pairs = quoted_pairs(store)
            status = Counter(linked(store, a, b, q) for a, b, q in pairs)
    return {"articles": n_articles, "seconds": seconds, "multi": multi, "above_one": above_one,
            "pairs": len(pairs), "status": status}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True, help="an ingested AllSides window (SQLite; only read)")
    args = p.parse_args()
    r = measure(args.db)
    status: Counter[str] = r["status"]  # type: ignore[assignment]
    pairs = int(r["pairs"])  # type: ignore[call-overload]
    rows: list[list[object]] = [
        ["articles", r["articles"]], ["relink seconds", round(float(r["seconds"]), 1)],  # type: ignore[arg-type]
        ["multi-article clusters", r["multi"]], ["... counting more than one origin", r["above_one"]],
        ["cross-outlet quoted passages", pairs]]
    rows += [[f"... {s}", f"{status[s]} ({status[s] / pairs:.2f})" if pairs else 0] for s in STATUSES]
    body = table(["count", "value"], rows)
    print(body)
    write_section("link-window", "Linking rules on an AllSides window (automatic counts, not verdicts)",
                  f"python bench/bench_link_window.py --db {args.db}", body)


if __name__ == "__main__":
    main()
