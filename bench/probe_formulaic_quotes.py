"""What sparing formulaic claims that carry a long quotation would release, in a linked ledger: the formula
filter blanks a claim whose shape is a formula plus at most as many words again, and in the sixth judged draw
three missed relays were such claims quoting ten words or more. Counts the formulaic claims with a quotation
key (``link.claims.claim_quotes``), those of them that are no-comment statements (the corpus bench's
``is_no_comment``), and the no-comment quotations that more than one article carries: each would become a
cross-article cluster made only of no-comment statements, which the issue-12 acceptance forbids.

    .venv/bin/python bench/probe_formulaic_quotes.py LEDGER.db [--show 10]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.bench_linking import is_no_comment  # noqa: E402
from reportedly.link.claims import claim_quotes  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("ledger")
    p.add_argument("--show", type=int, default=10)
    args = p.parse_args()
    con = sqlite3.connect(f"file:{args.ledger}?mode=ro", uri=True)
    rows = con.execute("SELECT a.article_id, a.content FROM link_claims l JOIN attributions a"
                       " ON a.article_id = l.article_id AND a.attr_id = l.attr_id WHERE l.formulaic = 1").fetchall()
    quoting = [(art, c) for art, c in rows if claim_quotes(c or "")]
    no_comment = [(art, c) for art, c in quoting if is_no_comment(c)]
    articles: dict[str, set[str]] = defaultdict(set)
    for art, c in no_comment:
        for key in claim_quotes(c):
            articles[key].add(art)
    print(f"formulaic claims: {len(rows)}")
    print(f"... carrying a quotation of ten words or more: {len(quoting)}")
    print(f"... of those, no-comment statements: {len(no_comment)}")
    print(f"... no-comment quotations carried by more than one article: "
          f"{sum(1 for a in articles.values() if len(a) > 1)}")
    for _, c in no_comment[:args.show]:
        print("  ", (c or "")[:160])


if __name__ == "__main__":
    main()
