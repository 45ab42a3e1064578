"""What evidence a count of more than one origin rests on, in a linked (partial) AllSides ledger: for each
multi-article cluster counting more than one origin, the best direct cosine between claims of two different
named origins, and whether two such claims share a long quotation (one statement: a second name for one
speaker is the likelier reading). Research input for the "direct finding" rule (docs/design.md, linking,
step 5): how many counts above one would stand if a second named origin needed a direct match.

    .venv/bin/python bench/probe_multi_origin.py LEDGER.db [--show 12]
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
from collections import defaultdict
from typing import Any

import numpy as np

QUOTE = re.compile(r"[\"“]([^\"“”]{20,400})[\"”]")
QUOTE_WORDS = 10
ROWS = """SELECT c.cluster_id, cc.origin_key, a.content, a.source_name, ar.outlet, ln.text_key
 FROM clusters c JOIN claim_clusters cc USING (cluster_id)
 JOIN attributions a ON a.article_id = cc.article_id AND a.attr_id = cc.attr_id
 JOIN articles ar ON ar.id = cc.article_id
 LEFT JOIN link_claims lc ON lc.article_id = cc.article_id AND lc.attr_id = cc.attr_id
 LEFT JOIN link_nodes ln ON ln.node = lc.node
 WHERE c.n_origins > 1 AND c.n_articles > 1"""


def quotes(text: str) -> set[str]:
    return {" ".join(re.findall(r"\w+", q.lower())) for q in QUOTE.findall(text or "")
            if len(q.split()) >= QUOTE_WORDS}


def vectors(con: sqlite3.Connection, keys: list[str]) -> dict[str, np.ndarray]:
    out = {}
    for i in range(0, len(keys), 500):
        part = keys[i:i + 500]
        for k, v in con.execute(f"SELECT text_key, vector FROM claim_vectors WHERE text_key IN "
                                f"({','.join('?' * len(part))})", part):
            out[k] = np.frombuffer(v, dtype=np.float32)
    return out


def evidence(ms: list[Any], vec: dict[str, np.ndarray]) -> tuple[int, float, bool]:
    """(named origins, best direct cosine across two of them, whether two of them share a long quotation)."""
    named: dict[str, list[Any]] = defaultdict(list)
    for m in ms:
        if not m[1].startswith("anonymous"):
            named[m[1]].append(m)
    keys = sorted(named)
    best, shared = -1.0, False
    for i, ka in enumerate(keys):
        for kb in keys[i + 1:]:
            for a in named[ka]:
                for b in named[kb]:
                    if a[5] in vec and b[5] in vec:
                        best = max(best, float(vec[a[5]] @ vec[b[5]]))
                    shared = shared or bool(quotes(a[2]) & quotes(b[2]))
    return len(keys), best, shared


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("db")
    p.add_argument("--show", type=int, default=12, help="clusters printed in full (fixed seed)")
    args = p.parse_args()
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    by: dict[int, list[Any]] = defaultdict(list)
    for r in con.execute(ROWS):
        by[r[0]].append(r)
    vec = vectors(con, sorted({r[5] for ms in by.values() for r in ms if r[5]}))
    out = [(cid, *evidence(ms, vec), ms) for cid, ms in sorted(by.items())]
    print(f"{len(out)} multi-article clusters count more than one origin")
    print(f"  with at most one named origin (the rest unnamed or outlets): {sum(o[1] <= 1 for o in out)}")
    print(f"  two named origins sharing a long quotation: {sum(o[3] for o in out)}")
    for t in (0.8, 0.85, 0.9, 0.95):
        print(f"  a direct cosine >= {t} between two named origins, no shared quotation: "
              f"{sum(1 for o in out if o[1] > 1 and o[2] >= t and not o[3])}")
    for cid, n, best, shared, ms in random.Random(1).sample(out, min(args.show, len(out))):
        print(f"\n== cluster {cid}: named origins {n}, best direct cosine {best:.2f}, shared quotation {shared}")
        for m in ms[:8]:
            print(f"  [{m[1][:30]}] {m[4]}: {m[3]} — {(m[2] or '')[:150]}")


if __name__ == "__main__":
    main()
