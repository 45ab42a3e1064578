"""The whole AllSides corpus through ``ingest --workers 2`` and Spark ``local[2]``, run in segments across
sessions, with every row of the input accounted for.

A whole-corpus run takes hours of this 2-core machine, more than one session has. Each invocation of
``run`` is one segment: it starts (or resumes) one path's command on the same input into the same output
for at most ``--budget`` seconds, then stops it (SIGTERM to its process group: a killed ``ingest`` keeps
whole articles and skips them next time; a killed ``spark run`` keeps its done chunks) and appends the
segment to ``DIR/segments.json``: wall seconds, articles stored before and after, peak memory of the process
tree, exit code, and whether the path has finished (the command exited by itself). Articles/s of a path is
its stored articles over the sum of its segments' wall seconds, so resuming costs (model loading, ingest
re-reading what is stored, Spark re-reading its inputs) count against it.

``report`` checks the accounting, one line per row of the input: read by the project's own reader
(``scale.inputs.read_file``), each row is stored (its id in the ledger, or its position in the Spark run's
reports), superseded (its id again later in the input: the later row is the one kept), or rejected with a
one-line reason (the reader's, or an error line of the run); rows kept with an unreadable date are counted
apart (a date is never a reason to drop). A row in none of these is "unaccounted" and listed. With the whole
corpus (no ``--limit``) ``report`` writes the "spark-corpus" section of docs/benchmarks.md.

    python bench/bench_spark_corpus.py run ingest --out /work/ledgers/allsides-corpus --budget 3000
    python bench/bench_spark_corpus.py run spark --out /work/ledgers/allsides-corpus --budget 3000
    python bench/bench_spark_corpus.py report --out /work/ledgers/allsides-corpus
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._report import table, write_section  # noqa: E402
from bench.bench_spark import ALLSIDES, BIN, _tree, size_mb  # noqa: E402

PATHS = {"ingest": "ingest --workers 2", "spark": "spark local[2]"}
LOG = "segments.json"


def input_file(out: Path, limit: int | None) -> Path:
    """The corpus, or its first ``limit`` rows written once under ``out`` (the same file, size and mtime in
    every segment: Spark resumes only on unchanged inputs)."""
    if limit is None:
        return ALLSIDES
    path = out / f"input-{limit}.jsonl.gz"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with gzip.open(ALLSIDES, "rb") as src, gzip.open(tmp, "wb") as dst:
            for i, line in enumerate(src):
                if i >= limit:
                    break
                dst.write(line)
        os.replace(tmp, path)
    return path


def command(path: str, src: Path, out: Path) -> list[str]:
    exe = str(BIN / "reportedly")
    if path == "ingest":
        return [exe, "ingest", str(src), "--db", str(out / "ingest.db"), "--workers", "2"]
    return [exe, "spark", "run", str(src), "--output", str(out / "spark"), "--master", "local[2]"]


def stored(path: str, out: Path) -> int:
    """Articles stored so far: rows of the ledger, or rows of the Spark run's analyzed chunks."""
    if path == "ingest":
        db = out / "ingest.db"
        if not db.exists():
            return 0
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in (out / "spark" / "reports").glob("*.parquet"))


def segment(cmd: list[str], budget: float, errlog: Path) -> tuple[float, float, int]:
    """Run ``cmd`` for at most ``budget`` seconds (then SIGTERM to its process group); wall seconds, peak
    tree RSS (MB) and exit code (negative when stopped). Its stderr goes to ``errlog``."""
    t0 = time.perf_counter()
    with errlog.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        peak = [0.0]

        def sample() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], sum(rss for rss, _ in _tree(proc.pid).values()))
                time.sleep(0.5)

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        try:
            code = proc.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            code = -signal.SIGTERM
        watcher.join()
    return time.perf_counter() - t0, peak[0], code


def read_log(out: Path) -> list[dict[str, Any]]:
    return json.loads((out / LOG).read_text()) if (out / LOG).exists() else []


def run(path: str, out: Path, budget: float, limit: int | None) -> dict[str, Any]:
    """One segment of ``path``; appends it to the log and returns it."""
    out.mkdir(parents=True, exist_ok=True)
    log = read_log(out)
    if any(s["path"] == path and s["finished"] for s in log):
        raise SystemExit(f"{path}: already finished in {out} (see {LOG}); run report")
    src = input_file(out, limit)
    before, load0 = stored(path, out), os.getloadavg()[0]
    errlog = out / f"{path}-segment-{sum(s['path'] == path for s in log) + 1}.err"
    wall, peak, code = segment(command(path, src, out), budget, errlog)
    seg = {"path": path, "input": str(src), "limit": limit, "started": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                                     time.gmtime(time.time() - wall)),
           "wall_s": round(wall, 1), "stored_before": before, "stored_after": stored(path, out),
           "peak_mb": round(peak), "exit": code, "finished": code in (0, 1),
           "load_before": round(load0, 1), "load_after": round(os.getloadavg()[0], 1), "stderr": errlog.name}
    (out / LOG).write_text(json.dumps([*log, seg], indent=1) + "\n")
    return seg


# --- accounting ------------------------------------------------------------------------------------------

def input_rows(src: Path) -> tuple[list[tuple[str, str]], Counter[str]]:
    """Per row of the input, in order: ("article", id) or ("rejected", the reader's one-line reason); and
    the reader's warnings by kind (rows kept with a caveat, e.g. an unreadable publication date)."""
    from reportedly.model import Article
    from reportedly.scale.inputs import InputWarning, read_file

    rows: list[tuple[str, str]] = []
    warnings: Counter[str] = Counter()
    for _, item in read_file(0, str(src)):
        if isinstance(item, InputWarning):
            warnings[item.message.split(": ")[-1].split(" '")[0]] += 1  # the kind, not the odd value
        elif isinstance(item, Article):
            rows.append(("article", item.id))
        else:
            rows.append(("rejected", str(item)))
    return rows, warnings


def _ingest_outcome(out: Path) -> tuple[set[str], list[str]]:
    """The ingest ledger's article ids, and every ``error:`` line its segments printed."""
    with sqlite3.connect(f"file:{out / 'ingest.db'}?mode=ro", uri=True) as con:
        ids = {r[0] for r in con.execute("SELECT id FROM articles")}
    lines = [ln[len("error: "):] for p in sorted(out.glob("ingest-segment-*.err"))
             for ln in p.read_text("utf-8", "replace").splitlines() if ln.startswith("error: ")]
    return ids, lines


def _spark_outcome(out: Path) -> tuple[dict[int, str], dict[int, str]]:
    """The Spark run's analyzed rows (position -> id) and its rejected rows (position -> reason)."""
    import pyarrow.parquet as pq

    run = out / "spark"
    kept = {r["pos"]: r["id"] for p in (run / "reports").glob("*.parquet")
            for r in pq.read_table(p, columns=["pos", "id"]).to_pylist()}
    bad = {r["pos"]: r["message"] for p in (run / "chunk_errors").glob("*.parquet")
           for r in pq.read_table(p).to_pylist() if not r["message"].startswith("warning: ")}
    return kept, bad


def _verdicts(path: str, out: Path, rows: list[tuple[str, str]]) -> list[str | None]:
    """Per input row: "" when stored, a one-line reason when rejected, None when the run has no word of it.
    Ingest: stored when its id is in the ledger, rejected when a segment printed an error line for it (the
    reader's message, or a line naming its id). Spark: its position in the reports or in the error rows."""
    if path == "ingest":
        ids, lines = _ingest_outcome(out)
        printed = set(lines)
        by_id = {ln.split(": ", 1)[0]: ln for ln in lines}
        return ["" if kind == "article" and v in ids else v if kind == "rejected" and v in printed
                else by_id.get(v) if kind == "article" else None for kind, v in rows]
    kept, bad = _spark_outcome(out)
    return ["" if i in kept else bad.get(i) for i in range(len(rows))]


def account(path: str, out: Path, src: Path) -> dict[str, Any]:
    """Every input row of ``path``'s run classified: stored, superseded, rejected (by reason), unaccounted."""
    rows, warnings = input_rows(src)
    last = {v: i for i, (kind, v) in enumerate(rows) if kind == "article"}
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    missing: list[str] = []
    for i, ((kind, v), verdict) in enumerate(zip(rows, _verdicts(path, out, rows), strict=True)):
        if kind == "article" and last[v] != i:
            counts["superseded"] += 1  # the same id again later: the later row is the one kept
        elif verdict == "":
            counts["stored"] += 1
        elif verdict:
            counts["rejected"] += 1
            reasons[verdict.rsplit(": ", 1)[-1][:80]] += 1
        else:
            counts["unaccounted"] += 1
            missing.append(f"row {i + 1}: {v[:80]}")
    return {"rows": len(rows), **counts, "reasons": dict(reasons.most_common()), "warnings": dict(warnings),
            "unaccounted_rows": missing[:20]}


def summary(out: Path) -> dict[str, dict[str, Any]]:
    """Per path: segments, wall seconds, articles stored, articles/s over the segments, peak MB, output MB."""
    log, res = read_log(out), {}
    for path in PATHS:
        segs = [s for s in log if s["path"] == path]
        if not segs:
            continue
        wall = sum(s["wall_s"] for s in segs)
        done = segs[-1]["stored_after"]
        res[path] = {"segments": len(segs), "wall_s": round(wall, 1), "stored": done,
                     "articles_per_s": round(done / wall, 3) if wall else 0.0, "finished": segs[-1]["finished"],
                     "peak_mb": max(s["peak_mb"] for s in segs),
                     "output_mb": round(size_mb(out / ("ingest.db" if path == "ingest" else "spark")), 1),
                     "loads": sorted({s["load_before"] for s in segs} | {s["load_after"] for s in segs})}
    return res


def report(out: Path) -> str:
    """The summary and the accounting as Markdown (printed; the docs section when the input is the corpus)."""
    log = read_log(out)
    if not log:
        raise SystemExit(f"{out / LOG}: no segments yet")
    src, res = Path(log[0]["input"]), summary(out)
    rows = [[PATHS[p], r["segments"], r["wall_s"], r["stored"], r["articles_per_s"], "yes" if r["finished"] else "no",
             r["peak_mb"], r["output_mb"], f"{min(r['loads'])}-{max(r['loads'])}"] for p, r in res.items()]
    body = table(["path", "segments", "wall s (sum)", "articles stored", "articles/s", "finished", "peak MB",
                  "output MB", "load average"], rows)
    if {"ingest", "spark"} <= res.keys() and res["ingest"]["articles_per_s"]:
        ratio = res["spark"]["articles_per_s"] / res["ingest"]["articles_per_s"]
        body += (f"\n\nSpark local[2] / ingest --workers 2: **{ratio:.2f}** (articles/s over all segments; the issue "
                 "asks >= 0.8).")
    for path in res:
        if (out / ("ingest.db" if path == "ingest" else "spark")).exists():
            acc = account(path, out, src)
            body += (f"\n\n{PATHS[path]}: {acc['rows']:,} rows: {acc.get('stored', 0):,} stored, "
                     f"{acc.get('superseded', 0):,} superseded by a later row with the same id, "
                     f"{acc.get('rejected', 0):,} rejected ({json.dumps(acc['reasons'])}), "
                     f"**{acc.get('unaccounted', 0):,} unaccounted**; kept with a caveat: {json.dumps(acc['warnings'])}"
                     + (f"; unaccounted: {acc['unaccounted_rows']}" if acc["unaccounted_rows"] else "") + ".")
    return body + f"\n\nInput: {src}. Segments: {out / LOG}."


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="one segment of one path")
    r.add_argument("path", choices=list(PATHS))
    r.add_argument("--out", type=Path, required=True, help="the run's directory (same in every segment)")
    r.add_argument("--budget", type=float, default=3000.0, help="seconds before the segment is stopped")
    r.add_argument("--limit", type=int, default=None, help="only the first N rows (to test the resuming)")
    rep = sub.add_parser("report", help="summary and accounting")
    rep.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if not ALLSIDES.exists():
        raise SystemExit(f"{ALLSIDES} not found")
    if args.cmd == "run":
        print(json.dumps(run(args.path, args.out, args.budget, args.limit)))
        return
    body = report(args.out)
    print(body)
    if read_log(args.out)[0]["limit"] is None:
        write_section("spark-corpus", "The whole AllSides corpus: ingest --workers 2 vs Spark local[2]",
                      f"python bench/bench_spark_corpus.py report --out {args.out}", body)


if __name__ == "__main__":
    main()
