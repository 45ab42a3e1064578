"""What a relink from scratch costs as the ledger grows, before vs after the scale work of issue 12, in one run.

Each size N takes the first N articles (by seq) of a read-only copy of an AllSides ledger into a fresh SQLite
ledger, with the claim vectors already stored (copied from a ledger that has them; any text still missing is
embedded once while preparing, untimed), then relinks it from scratch in a fresh process so the peak RSS is
the relink's own: seconds (total and the claim phase), ``same_claim`` calls, peak RSS, cross-article
clusters, cross-article clusters made only of no-comment statements (must be 0), and the largest candidate
buckets. "before" is the linker of commit BASE (exported with ``git archive``; all pairs listed in one set,
every pair through ``same_claim``, keys without time), "after" this tree's (numpy cosine pre-filter, pairs
streamed band by band, keys with a 60-day time slot). Optionally (--incremental) a batch of N/37.5 articles
linked into the other N - N/37.5 (the issue's 1,000 into 36.5k, scaled), against the full relink of N, and
whether both leave the same link tables.

With ``--hash`` every vector is a hash of the text instead of the model's (the coordinator's memprof
approach): the linker's machinery at sizes whose embedding would take hours, not its clusters.

    .venv/bin/python bench/bench_link_scale.py /work/ledgers/allsides.db VECTORS.db --sizes 1000,3000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = "1267a10"  # the linker before this work (main when it started)
HASH_MODE = "hash"


def _fake_embed(text: str) -> Any:
    import numpy as np

    h = hashlib.blake2b(text.encode(), digest_size=32).digest()
    v = np.frombuffer((h * 48)[: 384 * 4], dtype=np.uint8).astype(np.float32)[:384] - 127.5
    return (v / np.linalg.norm(v)).astype(np.float32)


def _use_src(src: str, mode: str) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, src)
    if mode == HASH_MODE:
        from reportedly.link import vectors

        vectors.embed = _fake_embed  # type: ignore[assignment]


def prepare(args: argparse.Namespace) -> None:
    """Child: a ledger of the first n articles (minus ``skip`` at the end, stored apart in a batch file),
    vectors copied from the vector ledger, linked once (untimed) so every vector is stored."""
    _use_src(str(ROOT / "src"), args.mode)
    from bench.bench_linking import _records
    from reportedly.link.incremental import relink
    from reportedly.link.vectors import text_key
    from reportedly.store import open_store

    records = _records(args.db, args.n)
    head, tail = records[: len(records) - args.skip], records[len(records) - args.skip:]
    store = open_store(args.out)
    store.put_articles(head)
    if args.vectors and args.mode != HASH_MODE:
        keys = sorted({text_key(str((x.get("content") or {}).get("text") or "")) for r in records
                       for x in r.report.get("attributions") or [] if isinstance(x, dict)})
        src = sqlite3.connect(f"file:{args.vectors}?mode=ro", uri=True)
        rows = []
        for s in range(0, len(keys), 500):
            part = keys[s: s + 500]
            rows += src.execute(f"SELECT text_key, vector FROM claim_vectors WHERE text_key IN "
                                f"({','.join('?' * len(part))})", part).fetchall()
        store.put_claim_vectors([(k, bytes(v)) for k, v in rows])
    t = time.perf_counter()
    rows_ = relink(store, full=True, workers=args.workers)
    print(json.dumps({"prepared": args.n - args.skip, "embedded": len(rows_.new_vectors),
                      "seconds": time.perf_counter() - t}), flush=True)
    if tail:
        store.put_articles(tail)
    store.close()


def counting_same_claim(claims: Any) -> list[int]:
    """Count every ``same_claim`` call from now on (``claims``: the link.claims module of the code measured):
    the calls are what the numpy pre-filter cuts, and unlike seconds they do not depend on the machine's load."""
    calls = [0]
    exact = claims.same_claim

    def counted(a: Any, b: Any) -> bool:
        calls[0] += 1
        return bool(exact(a, b))

    claims.same_claim = counted
    return calls


def measure(args: argparse.Namespace) -> None:
    """Child: one relink of a prepared ledger with the code at ``src``; one JSON line of what it cost."""
    _use_src(args.src, args.mode)
    from reportedly.link import claims
    from reportedly.link.incremental import relink
    from reportedly.store import open_store

    calls = counting_same_claim(claims)
    store = open_store(args.out)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    rows = relink(store, full=not args.incremental)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    content = {(a, x): c for a, x, c in store._query("SELECT article_id, attr_id, content FROM attributions")}
    members = store._query("SELECT article_id, attr_id, cluster_id FROM claim_clusters")
    sizes = [int(r[0]) for r in store._query("SELECT COUNT(*) FROM link_buckets GROUP BY bucket")]
    store.close()
    from bench.bench_linking import cluster_members, cross_article_counts

    by = cluster_members(members)
    cross, no_comment = cross_article_counts(by.values(), content)
    sizes.sort()
    print(json.dumps({
        "seconds": secs, "claims_s": rows.timings.get("claims", 0.0), "calls": calls[0], "rss_before": rss0,
        "peak_rss": peak, "claims": len(content), "cross": cross, "no_comment": no_comment,
        "bucket_max": sizes[-1] if sizes else 0, "buckets_over_cap": sum(1 for s in sizes if s > 64),
        "digest": hashlib.sha256(json.dumps(sorted(sorted(map(list, ms)) for ms in by.values()))
                                 .encode()).hexdigest()[:12]}), flush=True)


def _child(*argv: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, *argv]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _links(path: str) -> dict[str, list[Any]]:
    sys.path.insert(0, str(ROOT / "src"))
    from bench.bench_linking import link_tables
    from reportedly.store import open_store

    with open_store(path) as store:
        return link_tables(store)


def main(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    from bench._report import table, write_section

    work = Path(tempfile.mkdtemp(prefix="bench-link-scale-"))
    base = work / "base"
    base.mkdir()
    arch = subprocess.run(["git", "-C", str(ROOT), "archive", BASE, "src"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(base)], input=arch, check=True)
    workers = 1 if args.mode == HASH_MODE else args.workers  # spawned workers would run the real model
    common = ["--db", args.db, "--mode", args.mode, "--workers", str(workers)]
    if args.vectors:
        common += ["--vectors", args.vectors]
    rows: list[list[object]] = []
    results: dict[tuple[int, str], dict[str, Any]] = {}
    for n in args.sizes:
        ledger = str(work / f"n{n}.db")
        prep = _child("prepare", "--n", str(n), "--out", ledger, *common)
        for code, src in (("after", str(ROOT / "src")), ("before", str(base / "src"))):
            if code == "before" and n > args.before_max:
                continue
            r = _child("measure", "--out", ledger, "--src", src, *common)
            results[(n, code)] = r
            print(n, code, r, flush=True)
            rows.append([n, code, r["claims"], f"{r['seconds']:.1f}", f"{r['claims_s']:.1f}", r["calls"],
                         f"{r['peak_rss']:.0f} ({r['rss_before']:.0f} before)", r["cross"], r["no_comment"],
                         f"{r['bucket_max']} / {r['buckets_over_cap']}",
                         prep["embedded"] if code == "after" else ""])
    body = table(["articles", "linker", "claims", "relink s", "claim phase s", "same_claim calls",
                  "peak RSS MB", "cross-article clusters", "no-comment-only clusters",
                  "largest bucket / buckets > 64", "texts embedded while preparing"], rows)
    ns = sorted({n for n, _ in results})
    if len(ns) > 1:
        small, big = ns[0], ns[-1]
        a, b = results[(small, "after")], results[(big, "after")]
        body += (f"\n\nAfter: {big / small:.0f}x the articles cost **{b['seconds'] / a['seconds']:.1f}x** the relink"
                 f" time and {b['peak_rss'] / a['peak_rss']:.1f}x the peak RSS.")
    if args.incremental:
        n = ns[-1]
        batch = max(1, round(n / 37.5))
        ledger = str(work / f"inc{n}.db")
        _child("prepare", "--n", str(n), "--skip", str(batch), "--out", ledger, *common)
        r = _child("measure", "--out", ledger, "--src", str(ROOT / "src"), "--incremental", *common)
        full = results[(n, "after")]
        same = _links(ledger) == _links(str(work / f"n{n}.db"))
        body += (f"\n\nIncremental: {batch} articles into {n - batch}: {r['seconds']:.1f} s, "
                 f"**{r['seconds'] / full['seconds']:.3f}x** the full relink of {n}; peak RSS {r['peak_rss']:.0f} MB; "
                 f"links equal to the full relink: {'yes' if same else 'NO'}.")
    kind = ("a hash of each text (the machinery only; clusters are meaningless)" if args.mode == HASH_MODE
            else "the model's, stored")
    body += (f"\n\nVectors: {kind}."
             f" Before = commit {BASE}. The machine was shared (2 cores, other engineers' jobs; this run niced):"
             " absolute seconds are inflated, before/after and the ratios are from this one run.")
    print(body)
    write_section(f"link-scale-{args.mode}", f"Relink from scratch as the ledger grows ({args.mode} vectors)",
                  "python bench/bench_link_scale.py " + " ".join(sys.argv[1:]), body)
    shutil.rmtree(work, ignore_errors=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("step", nargs="?", default="main", choices=["main", "prepare", "measure"])
    p.add_argument("--db", required=True, help="the AllSides ledger (opened read-only)")
    p.add_argument("--vectors", help="a ledger whose claim_vectors rows are copied in (opened read-only)")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 3000])
    p.add_argument("--before-max", type=int, default=1000, help="run the old linker up to this size")
    p.add_argument("--mode", default="model", choices=["model", HASH_MODE])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--incremental", action="store_true")
    p.add_argument("--n", type=int, default=0)
    p.add_argument("--skip", type=int, default=0)
    p.add_argument("--out", default="")
    p.add_argument("--src", default=str(ROOT / "src"))
    return p


if __name__ == "__main__":
    ns = _parser().parse_args()
    {"main": main, "prepare": prepare, "measure": measure}[ns.step](ns)
