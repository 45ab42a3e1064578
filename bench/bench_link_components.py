"""The claim-clustering step alone (``link.claims.components``) as the corpus grows, before vs after the scale
work of issue 12, up to sizes whose embedding would take hours: vectors are a hash of each text (so no pair
passes the cosine and clusters are meaningless; what is measured is the candidate machinery: keys, buckets,
pairs, verification), claims straight from a read-only AllSides ledger's attributions (content, source key,
article date; no formula verdicts). Each (size, linker) runs in a fresh process: seconds of ``components``,
``same_claim`` calls, candidate buckets, and the RSS it added over the claims themselves.

    .venv/bin/python bench/bench_link_components.py /work/ledgers/allsides.db --sizes 1000,3000,10000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = "1267a10"  # the linker before this work


def _hash_vector(text: str) -> bytes:
    import numpy as np

    h = hashlib.blake2b(text.encode(), digest_size=32).digest()
    v = np.frombuffer((h * 48)[: 384 * 4], dtype=np.uint8).astype(np.float32)[:384] - 127.5
    return (v / np.linalg.norm(v)).astype(np.float32).tobytes()


def measure(args: argparse.Namespace) -> None:
    """Child: the claims of the first n articles as items, then one timed ``components``."""
    sys.path.insert(0, args.src)
    sys.path.insert(0, str(ROOT))
    from bench.bench_link_scale import counting_same_claim
    from reportedly.link import claims

    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = con.execute("SELECT a.article_id, a.attr_id, a.content, a.source_key, r.published FROM attributions a"
                       " JOIN articles r ON r.id = a.article_id WHERE r.seq <= ? ORDER BY r.seq", (args.n,)).fetchall()
    con.close()
    items = [claims.item(a, x, c or "", [k] if k else [], p, _hash_vector(c or "")) for a, x, c, k, p in rows]
    del rows
    calls = counting_same_claim(claims)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    comps = claims.components(items)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"claims": len(items), "seconds": secs, "calls": calls[0], "rss_claims": rss0,
                      "peak_rss": peak, "multi": sum(1 for c in comps if len(c) > 1)}), flush=True)


def main(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    from bench._report import table, write_section

    work = Path(tempfile.mkdtemp(prefix="bench-link-components-"))
    arch = subprocess.run(["git", "-C", str(ROOT), "archive", BASE, "src"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(work)], input=arch, check=True)
    rows: list[list[object]] = []
    res: dict[tuple[int, str], dict[str, Any]] = {}
    for n in args.sizes:
        for code, src in (("after", str(ROOT / "src")), ("before", str(work / "src"))):
            if code == "before" and n > args.before_max:
                continue
            out = subprocess.run([sys.executable, __file__, args.db, "--measure", "--n", str(n), "--src", src],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            res[(n, code)] = r
            print(n, code, r, flush=True)
            rows.append([n, code, r["claims"], f"{r['seconds']:.1f}", r["calls"],
                         f"{r['peak_rss'] - r['rss_claims']:.0f} (claims {r['rss_claims']:.0f})", r["multi"]])
    body = table(["articles", "linker", "claims", "components s", "same_claim calls",
                  "RSS MB added by components (the claims)", "multi-claim clusters"], rows)
    ns = sorted({n for n, c in res if c == "after"})
    notes = []
    for small in ns:
        big = next((m for m in ns if m >= 10 * small * 0.95 and m != small), None)
        if big:
            a, b = res[(small, "after")], res[(big, "after")]
            ratio = b["seconds"] / a["seconds"]
            notes.append(f"after, {big}/{small} = {big / small:.0f}x the articles: **{ratio:.1f}x** the time")
    for n in ns:
        if (n, "before") in res:
            notes.append(f"at {n}: before/after {res[(n, 'before')]['seconds'] / res[(n, 'after')]['seconds']:.0f}x"
                         " the time")
    body += ("\n\n" + "; ".join(notes) + "." if notes else "") + (
        f"\n\nVectors are a hash of each text (the machinery only). Before = commit {BASE}. The machine was shared"
        " (2 cores, other engineers' timed jobs; this run niced): absolute seconds are inflated, ratios are from"
        " this one run.")
    print(body)
    write_section("link-components", "Claim clustering alone as the corpus grows (hash vectors)",
                  "python bench/bench_link_components.py " + " ".join(sys.argv[1:]), body)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("db", help="the AllSides ledger (opened read-only)")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 3000, 10000])
    p.add_argument("--before-max", type=int, default=3000)
    p.add_argument("--measure", action="store_true", help="(the child: one size, one linker)")
    p.add_argument("--n", type=int, default=0)
    p.add_argument("--src", default=str(ROOT / "src"))
    return p


if __name__ == "__main__":
    ns_ = _parser().parse_args()
    (measure if ns_.measure else main)(ns_)
