"""Draw real claim pairs for judging the claim matcher (docs/claim_pairs.md): claims of different articles
of a (partial) AllSides ledger whose content words overlap (MinHash LSH on ``claim_terms``, Jaccard >= 0.25),
with the matcher's cosine and its verdict. Prints JSON lines; a fixed seed picks the sample.

    .venv/bin/python bench/probe_claim_pairs.py /work/ledgers/allsides.db 2000 > /tmp/pairs.jsonl
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from datasketch import MinHash, MinHashLSH  # noqa: E402

from reportedly.link.claims import MIN_TERMS, claim_terms, cosine, failed_rule, item  # noqa: E402


def main(db: str, n_articles: int, per_bin: int = 40) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT a.article_id, a.attr_id, a.content, a.source_key, r.published, r.outlet FROM attributions a"
        " JOIN articles r ON r.id = a.article_id WHERE r.seq <= ?", (n_articles,)).fetchall()
    lsh = MinHashLSH(threshold=0.25, num_perm=64)
    terms = {}
    for i, (_, _, content, *_rest) in enumerate(rows):
        t = claim_terms(content)
        if len(t) >= MIN_TERMS:
            mh = MinHash(num_perm=64, seed=1)
            mh.update_batch([w.encode() for w in sorted(t)])
            lsh.insert(str(i), mh)
            terms[i] = (t, mh)
    pairs = set()
    for i, (_, mh) in terms.items():
        for j in map(int, lsh.query(mh)):
            if i < j and rows[i][0] != rows[j][0]:
                pairs.add((i, j))
    out = []
    for i, j in sorted(pairs):
        a, b = rows[i], rows[j]
        x = item(a[0], a[1], a[2], [a[3]] if a[3] else [], a[4])
        y = item(b[0], b[1], b[2], [b[3]] if b[3] else [], b[4])
        out.append({"a": [a[0], a[1], a[5], a[4], a[3], a[2]], "b": [b[0], b[1], b[5], b[4], b[3], b[2]],
                    "cosine": round(cosine(x, y), 3), "failed": failed_rule(x, y)})
    rng = random.Random(12)
    bins: dict[int, list[dict]] = {}
    for p in out:
        bins.setdefault(min(9, int(p["cosine"] * 10)), []).append(p)
    print(f"# {len(rows)} claims of {n_articles} articles, {len(pairs)} candidate pairs", file=sys.stderr)
    for k in sorted(bins):
        print(f"# cosine bin {k / 10:.1f}: {len(bins[k])} pairs", file=sys.stderr)
        for p in rng.sample(bins[k], min(per_bin, len(bins[k]))):
            print(json.dumps(p))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
