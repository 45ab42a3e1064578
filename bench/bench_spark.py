"""Spark local mode against the single-machine ingest, on the first N real AllSides articles.

Three runs in one invocation, each a fresh process tree on the same input (a gzipped JSONL of the first N
rows of ../shared/data/corpora/allsides/articles.jsonl.gz): ``reportedly ingest --workers 2`` (analysis +
linking into a SQLite ledger), ``reportedly spark run --master local[2]`` and ``--master local[1]``
(analysis + linking, Parquet out). Per run: wall seconds, articles/s, CPU seconds per article and peak resident
memory of the whole process tree (sampled from /proc every 0.2 s: the JVM and the Python workers included),
and output size.
Ratios: Spark local[2] over ingest --workers 2 (the issue asks >= 0.8 on the whole corpus), and local[2]
over local[1]. The machine's load average is printed with the numbers: on a shared machine wall time also
measures the other jobs, so the CPU seconds of each run's process tree are given too.

Each invocation also records its runs' time per article in bench/spark_curve.json under N (a later run at
the same N replaces it; N >= 1000 only) and rewrites the "spark-curve" section from the whole file: the 1k / 4k / 16k
curve is built by invocations in different sessions, and each row says its load average.

    python bench/bench_spark.py 300
    python bench/bench_spark.py 4000 --runs ingest,local2      # skip local[1] when the slot is short
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._report import SHARED, table, write_section  # noqa: E402

ALLSIDES = SHARED / "data" / "corpora" / "allsides" / "articles.jsonl.gz"
BIN = Path(sys.executable).parent
CURVE = Path(__file__).resolve().parent / "spark_curve.json"
CURVE_MIN = 1000  # smaller runs are mostly fixed costs: not points of the curve
RUNS = {"ingest": "ingest --workers 2", "local2": "spark local[2]", "local1": "spark local[1]"}


def _tree(root: int) -> dict[int, tuple[float, float]]:
    """(resident MB, CPU seconds so far) of ``root`` and each of its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[float, float]] = {}
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                parts = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(parts[1]), []).append(int(d))
            info[int(d)] = (int(parts[21]) * page / 1e6, (int(parts[11]) + int(parts[12])) / tick)
        except (OSError, IndexError, ValueError):
            continue
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in info:
            out[pid] = info[pid]
        todo.extend(children.get(pid, []))
    return out


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, float, str]:
    """Wall seconds, peak tree RSS (MB), CPU seconds of the whole tree (every process's last sample: the JVM
    and the Python workers included; on a shared machine CPU time is steadier than wall time) and stderr."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    cpu: dict[int, float] = {}

    def sample() -> None:
        while proc.poll() is None:
            now = _tree(proc.pid)
            peak[0] = max(peak[0], sum(rss for rss, _ in now.values()))
            cpu.update({pid: c for pid, (_, c) in now.items()})
            time.sleep(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    watcher.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, peak[0], sum(cpu.values()), err


Key = tuple[str, str]


def _claims_ledger(db: Path) -> tuple[dict[Key, tuple[object, ...]], set[frozenset[Key]]]:
    """Per claim (article, attribution): content, origin count and origin key; and the clusters as sets of
    claims, from an ingest ledger."""
    from reportedly.store import ClaimFilter, open_store

    with open_store(str(db)) as store:
        rows = store.claims(ClaimFilter(limit=None))
    return _claims_of(rows)


def _claims_of(rows: list[dict[str, Any]]) -> tuple[dict[Key, tuple[object, ...]], set[frozenset[Key]]]:
    claims: dict[Key, tuple[object, ...]] = {}
    clusters: dict[object, set[Key]] = {}
    for r in rows:
        key = (str(r["article_id"]), str(r["attr_id"]))
        claims[key] = (r["content"], r["n_origins"], r["origin_key"])
        if r["cluster_id"] is not None:
            clusters.setdefault(r["cluster_id"], set()).add(key)
    return claims, {frozenset(c) for c in clusters.values()}


def same_as_ingest(ledger: Path, run: Path) -> str:
    """Whether a Spark run's ``claims`` output has ingest's claims, clusters and independent-origin counts
    (what tests/test_spark.py asserts at N = 200), as one line for the report."""
    import pyarrow.parquet as pq

    a_claims, a_clusters = _claims_ledger(ledger)
    b_claims, b_clusters = _claims_of(pq.read_table(run / "claims").to_pylist())
    differ = sum(1 for k in a_claims.keys() | b_claims.keys() if a_claims.get(k) != b_claims.get(k))
    return (f"{len(a_claims):,} claims, {len(a_clusters):,} clusters in ingest's ledger; Spark: {differ} claims "
            f"differ (content, origin count or origin key), {len(a_clusters ^ b_clusters)} clusters differ")


def size_mb(path: Path) -> float:
    if path.is_file():
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def corpus(n: int, path: Path) -> None:
    with gzip.open(ALLSIDES, "rb") as src, gzip.open(path, "wb") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)


def commands(work: Path, src: Path, which: list[str]) -> dict[str, tuple[list[str], Path]]:
    """The runs asked for (keys of RUNS), each a command and its output path, in a fresh directory."""
    exe = str(BIN / "reportedly")
    every = {"ingest": ([exe, "ingest", str(src), "--db", "ledger.db", "--workers", "2"], work / "ledger.db")}
    for cores in (2, 1):
        every[f"local{cores}"] = ([exe, "spark", "run", str(src), "--output", f"out{cores}", "--master",
                                   f"local[{cores}]"], work / f"out{cores}")
    return {RUNS[k]: every[k] for k in which}


def record_curve(n: int, rows: list[list[Any]], load: tuple[float, float]) -> dict[str, Any]:
    """Store runs' time per article under ``n`` in CURVE (a re-run at the same N replaces those runs), with
    the load average before and after them, and return the whole curve."""
    curve = json.loads(CURVE.read_text()) if CURVE.exists() else {}
    point = curve.setdefault(str(n), {})
    for name, wall, _, cpu, peak, out_mb in rows:
        point[name] = {"wall_s": wall, "s_per_article": round(wall / n, 4), "cpu_s_per_article": cpu,
                       "peak_mb": peak, "output_mb": out_mb, "load_before": round(load[0], 1),
                       "load_after": round(load[1], 1), "date": time.strftime("%Y-%m-%d %H:%M", time.gmtime())}
    CURVE.write_text(json.dumps(dict(sorted(curve.items(), key=lambda kv: int(kv[0]))), indent=1) + "\n")
    return curve


def curve_body(curve: dict[str, Any]) -> str:
    """The scaling table: wall seconds per article by N and run, and each over the same run's smallest N."""
    rows: list[list[Any]] = []
    first: dict[str, float] = {}
    for n, point in sorted(curve.items(), key=lambda kv: int(kv[0])):
        for name, r in point.items():
            base = first.setdefault(name, r["s_per_article"])
            rows.append([int(n), name, r["s_per_article"], r["cpu_s_per_article"], round(r["s_per_article"] / base, 2),
                         f"{r['load_before']} / {r['load_after']}", r["date"]])
    return (table(["N", "run", "wall s per article", "CPU s per article", "x smallest N", "load before / after",
                   "run at (UTC)"], rows)
            + "\n\nFirst N rows of AllSides, analysis and linking included. The issue asks that time per article not "
              "grow by more than 1.2x from 1k to 16k for Spark local[1] and local[2]. Each N was measured by its own "
              "invocation (`python bench/bench_spark.py N`), possibly in another session: compare rows only with "
              "their load averages in mind. Data: bench/spark_curve.json.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, nargs="?", default=300, help="articles (first N rows of the corpus)")
    ap.add_argument("--runs", default="ingest,local2,local1",
                    help=f"comma-separated runs among {', '.join(RUNS)} (ingest and local2 at least for the ratio)")
    args = ap.parse_args()
    which = [r.strip() for r in args.runs.split(",") if r.strip()]
    if not which or any(r not in RUNS for r in which):
        raise SystemExit(f"--runs: expected names among {', '.join(RUNS)}, got {args.runs!r}")
    if not ALLSIDES.exists():
        raise SystemExit(f"{ALLSIDES} not found")
    work = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    try:
        src = work / "articles.jsonl.gz"
        corpus(args.n, src)
        runs = commands(work, src, which)
        rows, rate, lines = [], {}, {}
        load0 = os.getloadavg()[0]
        for name, (cmd, out) in runs.items():
            before = os.getloadavg()[0]
            wall, peak, cpu, err = measure(cmd, work)
            rate[name] = args.n / wall
            lines[name] = err.strip().splitlines()[-1] if err.strip() else ""
            rows.append([name, round(wall, 1), round(rate[name], 2), round(cpu / args.n, 2), round(peak),
                         round(size_mb(out), 1)])
            print(name, rows[-1], lines[name], f"load {before:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
            if args.n >= CURVE_MIN:  # kept at once: an invocation stopped later keeps its finished runs' points
                record_curve(args.n, rows[-1:], (before, os.getloadavg()[0]))
        load1 = os.getloadavg()[0]
        same = {name: same_as_ingest(work / "ledger.db", out) for name, (_, out) in runs.items()
                if name.startswith("spark") and RUNS["ingest"] in runs}
        print(same, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    curve = json.loads(CURVE.read_text()) if args.n >= CURVE_MIN and CURVE.exists() else {}
    body = table(["run", "wall s", "articles/s", "CPU s per article", "peak MB (process tree)", "output MB"], rows)
    ratios = [f"{a} / {b}: **{rate[a] / rate[b]:.2f}**" for a, b in ((RUNS["local2"], RUNS["ingest"]),
                                                                     (RUNS["local2"], RUNS["local1"]))
              if a in rate and b in rate]
    body += ("\n\n" + "; ".join(ratios) + " (articles/s)."
             f"\nN = {args.n} articles (first rows of AllSides), analysis and linking included in every run; load "
             f"average {load0:.1f} before, {load1:.1f} after (2 cores, shared with other jobs: wall times include "
             "their load). Output: SQLite ledger vs Parquet directory (reports with text and report JSON, claims, "
             "link tables, and the analysis chunks' facts with the claim embeddings). CPU s per article: user+system "
             "seconds of the whole process tree (JVM and Python workers included) over N. Spark's own split: "
             + "; ".join(f"{k}: {v.split('(', 1)[-1].split(')')[0]}" for k, v in lines.items() if k.startswith("spark"))
             + ".\n\nSame result: "
             + ("; ".join(f"{k}: {v}" for k, v in same.items()) or "not compared (no ingest run)") + ".")
    print(body)
    command = f"python bench/bench_spark.py {args.n}" + ("" if args.runs == ",".join(RUNS) else f" --runs {args.runs}")
    if RUNS["ingest"] in rate and RUNS["local2"] in rate:  # the section is the ratio measured in one run
        write_section("spark", "Spark local mode vs ingest", command, body)
    if curve:
        write_section("spark-curve", "Spark scaling curve: time per article by corpus size",
                      "python bench/bench_spark.py N", curve_body(curve))


if __name__ == "__main__":
    main()
