"""The passages phase of the pass after a batch (link.incremental) against the same phase of a relink from
scratch, on AllSides text, with no pipeline: articles carry their paragraph signatures and reports without
attributions, so the claim phases cost nothing and the passage pass is what is timed.

The first ``--n`` articles of the corpus (ISO dates kept, others undated) are signed once (cached under
``--cache``); ``--batch`` of them (every n/batch-th one, so their dates interleave with the stored ones, or
with ``--order later`` the latest-dated ones) are held back. A SQLite ledger of the rest is relinked from
scratch, the batch stored and linked incrementally, and a second ledger of all ``--n`` (stored in the same
order: ingest order breaks ties between articles of one date) relinked from scratch:
the passages phase of each (``LinkRows.timings``), how many paragraph texts the incremental pass placed, and
whether both ledgers hold the same link tables. ``--src`` picks the code (a tree's ``src``), so one command
measures the linker before and after a change:

    PYTHONPATH=src .venv/bin/python bench/bench_passages_incremental.py --n 8000 --batch 213
    PYTHONPATH=/work/main/src .venv/bin/python bench/bench_passages_incremental.py --n 8000 --batch 213
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import pickle
import re
import tempfile
import time
from pathlib import Path
from typing import Any

CORPUS = Path("/work/shared/data/corpora/allsides/articles.jsonl.gz")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}$")
TABLES = ("recycled", "clusters", "claim_clusters", "origins", "relays")


def signed(n: int, cache: Path) -> list[dict[str, Any]]:
    """The first ``n`` articles with their paragraph signatures (computed once, then read from ``cache``)."""
    from reportedly.link.passages import signatures

    path = cache / f"allsides-signed-{n}.pkl"
    if path.exists():
        return list(pickle.loads(path.read_bytes()))
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            if len(out) >= n:
                break
            r = json.loads(line)
            day = r.get("published") if ISO.match(r.get("published") or "") else None
            out.append({"id": r["id"], "published": day, "outlet": r.get("outlet"), "text": r["text"],
                        "paragraphs": signatures(r["text"])})
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def record(a: dict[str, Any]) -> Any:
    from reportedly.store import ArticleRecord

    report = {"article": {"id": a["id"], "published": a["published"], "outlet": a["outlet"]}, "attributions": []}
    return ArticleRecord(report, a["text"], hashlib.sha1(a["text"].encode()).hexdigest(), a["paragraphs"])


def split(arts: list[dict[str, Any]], batch: int, order: str) -> tuple[list[Any], list[Any]]:
    """(stored, batch): the batch every len/batch-th article (dates interleaved), or the latest-dated ones."""
    if order == "later":
        ranked = sorted(range(len(arts)), key=lambda i: (arts[i]["published"] or "", i))
        held = set(ranked[-batch:])
    else:
        step = len(arts) / batch
        held = {int(k * step) for k in range(batch)}
    return [a for i, a in enumerate(arts) if i not in held], [a for i, a in enumerate(arts) if i in held]


def tables(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted(store._query(f"SELECT * FROM {t}")) for t in TABLES}


def main(args: argparse.Namespace) -> None:
    from reportedly.link.incremental import relink
    from reportedly.store import open_store

    arts = signed(args.n, Path(args.cache))
    stored, batch = split(arts, args.batch, args.order)
    out: dict[str, Any] = {"n": args.n, "batch": len(batch), "order": args.order,
                           "paragraphs": sum(len(a["paragraphs"]) for a in arts)}
    with tempfile.TemporaryDirectory() as tmp:
        with open_store(str(Path(tmp) / "inc.db")) as inc:
            inc.put_articles([record(a) for a in stored])
            first = relink(inc, full=True)
            inc.put_articles([record(a) for a in batch])
            t = time.perf_counter()
            rows = relink(inc)
            out["incremental_total_s"] = round(time.perf_counter() - t, 2)
            out["incremental"] = rows.incremental
            out["incremental_passages_s"] = round(rows.timings["passages"], 2)
            out["placed"] = getattr(rows, "passages_placed", None)
            out["full_of_stored_passages_s"] = round(first.timings["passages"], 2)
            linked = tables(inc)
        with open_store(str(Path(tmp) / "full.db")) as full:
            full.put_articles([record(a) for a in stored])  # the same ingest order: seq breaks date ties
            full.put_articles([record(a) for a in batch])
            whole = relink(full, full=True)
            out["full_passages_s"] = round(whole.timings["passages"], 2)
            out["full_write_s"] = round(whole.timings["write"], 2)  # the state rows included
            out["full_texts"] = getattr(whole, "passages_placed", None)
            out["same_tables"] = tables(full) == linked
            out["recycled_rows"] = len(linked["recycled"])
    out["ratio"] = round(out["incremental_passages_s"] / out["full_passages_s"], 3)
    print(json.dumps(out))


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=8000)
    p.add_argument("--batch", type=int, default=213)
    p.add_argument("--order", choices=["interleaved", "later"], default="interleaved")
    p.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "reportedly-bench"))
    main(p.parse_args())
