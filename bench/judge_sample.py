"""Draw the issue-12 acceptance samples from a linked ledger, once, with a fixed seed, into a judging sheet:

- 100 multi-article claim clusters (precision: do all members state the same claim?);
- 50 cross-outlet relays found by shared quoted passages: two articles of different outlets quoting the same
  words (a quotation of at least QUOTE_WORDS words), and whether the ledger links the claims carrying it
  (recovery);
- 50 claims whose cluster counts more than one independent origin and 50 whose multi-article cluster counts
  one (is the count right?), each with the reason the ledger gives.

The verdict column is left empty for a reader to fill in; the sheet says how it was drawn. Read-only on the
ledger unless ``--link`` (a relink first).

    .venv/bin/python bench/judge_sample.py LEDGER.db docs/judging/sample.md [--link]
"""

from __future__ import annotations

import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reportedly.link.outlets import canonical_outlet  # noqa: E402
from reportedly.store import open_store  # noqa: E402

SEED = 12  # the first draw (stop 21); a later draw from a relinked ledger names its own: --seed N
SIZES = {"clusters": 100, "relays": 50, "multi_origin": 50, "one_origin": 50}
QUOTE_WORDS = 10
_QUOTE = re.compile(r"[\"“]([^\"“”]{20,400})[\"”]")
_WORDS = re.compile(r"\w+")


def _cell(text: Any, n: int = 160) -> str:
    s = " ".join(str(text or "").split())
    return (s[:n] + "…" if len(s) > n else s).replace("|", "\\|")


def cluster_rows(store: Any) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in store._query(
            "SELECT m.cluster_id, m.article_id, m.attr_id, r.outlet, r.published, a.source_text, a.content"
            " FROM claim_clusters m JOIN clusters c ON c.cluster_id = m.cluster_id AND c.n_articles > 1"
            " JOIN attributions a ON a.article_id = m.article_id AND a.attr_id = m.attr_id"
            " JOIN articles r ON r.id = m.article_id ORDER BY m.cluster_id, r.seq, a.seq"):
        out[int(row[0])].append(row[1:])
    return out


def quoted_pairs(store: Any) -> list[tuple[str, str, str]]:
    """(article a, article b, quote) for articles of different outlets quoting the same words."""
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)  # normalised quote -> (article, outlet)
    for aid, outlet, text in store._query("SELECT id, outlet, text FROM articles ORDER BY seq"):
        for m in _QUOTE.finditer(text or ""):
            words = _WORDS.findall(m.group(1).lower())
            if len(words) >= QUOTE_WORDS:
                seen[" ".join(words)].append((str(aid), canonical_outlet(outlet) or ""))
    pairs = []
    for quote, arts in sorted(seen.items()):
        first = arts[0]
        other = next((a for a in arts[1:] if a[1] != first[1] and a[0] != first[0]), None)
        if other:
            pairs.append((first[0], other[0], quote))
    return pairs


def linked(store: Any, a: str, b: str, quote: str) -> str:
    """Whether the ledger joins a claim of ``a`` and one of ``b`` that carry the quote (or notes a recycled
    passage between them)."""
    key = " ".join(quote.split()[:QUOTE_WORDS])
    cid: dict[str, set[int]] = {}
    for art in (a, b):
        rows = store._query("SELECT m.cluster_id, a.content FROM attributions a JOIN claim_clusters m"
                            " ON m.article_id = a.article_id AND m.attr_id = a.attr_id WHERE a.article_id = ?",
                            (art,))
        cid[art] = {int(c) for c, content in rows if key in " ".join(_WORDS.findall(str(content).lower()))}
    if cid[a] & cid[b]:
        return "one cluster"
    if _recycled_covers(store, a, b, key):
        return "recycled passage"
    return "claims found, not joined" if cid[a] and cid[b] else "quote not extracted as a claim in both"


def _recycled_covers(store: Any, a: str, b: str, key: str) -> bool:
    """Whether a recycled-passage note between the two articles covers the quote (its first words), not only
    some other copied paragraph of theirs (the first draw's judges found two such labels)."""
    rows = store._query("SELECT r.start_char, r.end_char, t.text FROM recycled r JOIN articles t ON t.id = r.article_id"
                        " WHERE (r.article_id = ? AND r.source_article_id = ?)"
                        " OR (r.article_id = ? AND r.source_article_id = ?)", (a, b, b, a))
    return any(key in " ".join(_WORDS.findall(str(text or "")[int(s0):int(e0)].lower())) for s0, e0, text in rows)


def origin_claims(store: Any, multi: bool) -> list[tuple[Any, ...]]:
    cond = "c.n_origins > 1" if multi else "c.n_origins = 1 AND c.n_articles > 1"
    return store._query(
        "SELECT m.cluster_id, m.article_id, m.attr_id, r.outlet, a.source_text, a.content, c.n_origins, m.origin_key"
        f" FROM claim_clusters m JOIN clusters c ON c.cluster_id = m.cluster_id AND {cond}"
        " JOIN attributions a ON a.article_id = m.article_id AND a.attr_id = m.attr_id"
        " JOIN articles r ON r.id = m.article_id ORDER BY m.article_id, m.attr_id")


def sheet(store: Any, db: str, seed: int = SEED) -> str:
    rng = random.Random(seed)
    clusters = cluster_rows(store)
    picked = sorted(rng.sample(sorted(clusters), min(SIZES["clusters"], len(clusters))))
    out = [f"# Issue 12 acceptance samples (drawn once: `bench/judge_sample.py {db}`, seed {seed})", "",
           "Verdict columns are empty until judged; every verdict stays in this file.", "",
           f"## {len(picked)} multi-article claim clusters (of {len(clusters)}): do all members state the same claim?",
           "", "| cluster | members (outlet, date, source: content) | verdict |", "|---|---|---|"]
    for cid in picked:
        ms = "<br>".join(f"{_cell(o, 30)} {p or '?'} {_cell(s, 30)}: {_cell(c)}" for _, _, o, p, s, c in clusters[cid])
        out.append(f"| {cid} | {ms} | |")
    pairs = quoted_pairs(store)
    rel = sorted(rng.sample(pairs, min(SIZES["relays"], len(pairs))))
    out += ["", f"## {len(rel)} cross-outlet quoted passages (of {len(pairs)}): recovered by the ledger?", "",
            "| article A | article B | quote | ledger | verdict |", "|---|---|---|---|---|"]
    out += [f"| {a} | {b} | {_cell(q)} | {linked(store, a, b, q)} | |" for a, b, q in rel]
    for multi, label in ((True, "more than one independent origin"), (False, "one origin, several articles")):
        rows = origin_claims(store, multi)
        take = rng.sample(rows, min(SIZES["multi_origin" if multi else "one_origin"], len(rows)))
        out += ["", f"## {len(take)} claims whose cluster counts {label} (of {len(rows)}): is the count right?", "",
                "| cluster | claim | outlet | source: content | origins | reason | verdict |",
                "|---|---|---|---|---|---|---|"]
        for cid, art, attr, outlet, src, content, n, okey in sorted(take):
            why = store.origin_reason(int(cid), str(okey)) or ""
            out.append(f"| {cid} | {art}/{attr} | {_cell(outlet, 30)} | {_cell(src, 30)}: {_cell(content)} | {n} |"
                       f" {_cell(why, 200)} | |")
    return "\n".join(out) + "\n"


def main(db: str, dest: str, relink: bool, seed: int = SEED) -> None:
    with open_store(db) as store:
        if relink:
            from reportedly.link.incremental import relink as link

            link(store, full=True)
        text = sheet(store, db, seed)
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    Path(dest).write_text(text, encoding="utf-8")
    print(f"{dest}: {text.count(chr(10))} lines")


if __name__ == "__main__":
    opts = sys.argv[3:]
    main(sys.argv[1], sys.argv[2], "--link" in opts, int(opts[opts.index("--seed") + 1]) if "--seed" in opts else SEED)
