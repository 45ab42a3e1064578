"""Claim linking on the (partial) real AllSides ledger: full relink of N articles vs N/10 (ratio, one run),
embedding cost per claim, peak RSS, and the count of cross-article clusters made only of no-comment
statements (must be 0). Reads a copy of the ledger; never writes the original.

    .venv/bin/python bench/bench_linking.py /work/ledgers/allsides.db 300
"""

from __future__ import annotations

import re
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench._report import table, write_section  # noqa: E402
from reportedly.link import claims, embed  # noqa: E402
from reportedly.link.origins import LinkRows, link_articles  # noqa: E402
from reportedly.store import open_store  # noqa: E402

NO_COMMENT = re.compile(r"\b(?:respond\w*|repl\w*|return\w*)\b.{0,40}\b(?:comment|request|inquir\w*|email|call)s?\b|"
                        r"\bdeclin\w* to (?:comment|say|elaborate|discuss)|\bno comment\b|could not be reached", re.I)


def _copy(db: str) -> str:
    out = tempfile.mkdtemp(prefix="bench-linking-") + "/ledger.db"
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dst = sqlite3.connect(out)
    src.backup(dst)
    src.close()
    dst.close()
    return out


def _cold_link(articles: list) -> tuple[LinkRows, float]:
    for cache in (embed.embed, claims._features, claims._band_keys):
        cache.cache_clear()
    t = time.perf_counter()
    rows = link_articles(articles)
    return rows, time.perf_counter() - t


def no_comment_clusters(rows: LinkRows, content: dict[tuple[str, str], str]) -> int:
    """Clusters of more than one article whose every member is a no-comment statement."""
    by: dict[int, list[tuple[str, str]]] = {}
    for art, attr, cid, _ in rows.members:
        by.setdefault(cid, []).append((art, attr))
    return sum(1 for ms in by.values() if len({a for a, _ in ms}) > 1
               and all(NO_COMMENT.search(content.get(m, "")) for m in ms))


def main(db: str, n: int) -> None:
    store = open_store(_copy(db))
    articles = sorted(store.load_link_inputs(), key=lambda a: a.seq)[:n]
    store.close()
    content = {(a.id, str(x.get("id"))): " ".join(str((x.get(k) or {}).get("text", "")) for k in ("cue", "content"))
               for a in articles for x in a.report.get("attributions") or [] if isinstance(x, dict)}
    small, t_small = _cold_link(articles[: max(1, n // 10)])
    big, t_big = _cold_link(articles)
    n_claims = len(big.members)
    texts = sorted({c for c in content.values()})[:500]
    embed.embed.cache_clear()
    t = time.perf_counter()
    for c in texts:
        embed.embed(c)
    ms_claim = (time.perf_counter() - t) / max(1, len(texts)) * 1000
    multi = sum(1 for c in big.clusters if c[3] > 1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [[f"{max(1, n // 10)} articles", len(small.members), t_small, ""],
            [f"{len(articles)} articles", n_claims, t_big,
             f"{t_big / t_small:.1f}x time for {len(articles) / max(1, n // 10):.0f}x articles"]]
    body = (table(["full relink", "claims", "seconds", "ratio"], rows) + "\n\n"
            + table(["measure", "value"], [
                ["articles (first by seq of the partial AllSides ledger)", len(articles)],
                ["cross-article clusters", multi],
                ["formulaic claims kept out of clusters", big.formulaic],
                ["cross-article clusters made only of no-comment statements", no_comment_clusters(big, content)],
                ["embedding ms per claim (one claim per call, 500 distinct claims)", ms_claim],
                ["phase seconds (passages / claims / origins)",
                 " / ".join(f"{big.timings[k]:.1f}" for k in ("passages", "claims", "origins"))],
                ["peak RSS MB", rss]]) + "\n\nIncremental linking is not built yet (no incremental-vs-full ratio)."
            " The machine was shared (2 cores, a niced ingest and other engineers' jobs): absolute seconds are"
            " inflated, the ratio is from one run.")
    print(body)
    write_section("linking", "Claim linking on real news (AllSides, partial ledger)",
                  f"python bench/bench_linking.py {db} {n}", body)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300)
