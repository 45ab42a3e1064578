"""Web load benchmark: N concurrent clients searching and opening articles against ``reportedly serve``.

    python bench/bench_web.py --build 400 [--replicate-to 10000] [--clients 20] [--seconds 60]
    python bench/bench_web.py --sqlite ledger.db [--pg postgresql://...]      # an existing ledger
    python bench/bench_web.py --sqlite ledger.db --pg-ledger URL --pg-baseline-settings shared_buffers=128MB
                                              # PostgreSQL also under other server settings, same run

Bounded and loopback only: the server is a real ``reportedly serve`` process bound to 127.0.0.1 on a free
port; the clients (asyncio in one process, a keep-alive HTTP/1.1 connection each: ``Connection``) run for a
fixed time and never touch any other host.
Requests: half search pages (full text for a word drawn from the ledger's own claims, with a random sort
and sometimes a hedged / outlet filter), half article pages (a random stored article). Printed per backend
and request kind: count, p50/p95/p99 latency, errors (non-200 or transport failure), and the server's RSS
(anonymous memory; peak of samples taken every second from /proc).

Ledger: ``--build N`` ingests the first N articles of ../shared/data/corpora/allsides (a real corpus, never
committed) into a fresh SQLite ledger; ``--replicate-to M`` then adds copies of those reports (new ids, dates
shifted a day per copy, as syndicated copy looks) until the ledger holds M articles, and relinks; the
PostgreSQL ledger is a copy of the SQLite one (same reports) in its own schema. The clients share the 2 cores
with the server, so latencies include their CPU too. Not run in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gzip
import json
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench._report import SHARED, table, write_section  # noqa: E402
from reportedly.ingest.batch import ArticleRecord, ingest, iter_articles  # noqa: E402
from reportedly.link.incremental import relink  # noqa: E402
from reportedly.store import Store, open_store  # noqa: E402

ALLSIDES = SHARED / "data" / "corpora" / "allsides" / "articles.jsonl.gz"
SORTS = ("published", "-published", "origins", "hedged")


def build_sqlite(path: Path, n: int, workers: int) -> str:
    """A SQLite ledger of the first ``n`` AllSides articles (a JSONL slice ingested like the CLI does)."""
    sliced = path.with_suffix(".jsonl")
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as src, open(sliced, "w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= n:
                break
            out.write(line)
    with open_store(str(path)) as store:
        stats = ingest(store, iter_articles([str(sliced)]), workers=workers, chunk_size=8, link=False)
    sliced.unlink()
    print(f"ingested {stats.written} articles ({len(stats.failed)} failed) in {stats.seconds:.0f} s", flush=True)
    return str(path)


def _records(store: Store) -> list[ArticleRecord]:
    texts = dict(store._query("SELECT id, text FROM articles"))
    return [ArticleRecord(a.report, str(texts[a.id]), f"copy-{a.id}", a.paragraphs) for a in store.load_link_inputs()]


def _shift(day: str | None, k: int) -> str | None:
    from datetime import date, timedelta

    try:
        return (date.fromisoformat(str(day)[:10]) + timedelta(days=k)).isoformat() if day else None
    except ValueError:
        return day


def replicate(url: str, target: int) -> None:
    """Add copies of the stored reports (new ids, dates shifted k days for copy k) up to ``target`` articles,
    then relink."""
    with open_store(url) as store:
        base = _records(store)
        k, have = 1, len(base)
        while have < target:
            batch = []
            for rec in base[: target - have]:
                rep = copy.deepcopy(rec.report)
                rep["article"]["id"] = f"{rec.id}~{k}"
                rep["article"]["published"] = _shift(rep["article"].get("published"), k)
                batch.append(ArticleRecord(rep, rec.text, f"{rec.content_hash}~{k}", rec.paragraphs))
            for i in range(0, len(batch), 200):
                store.put_articles(batch[i:i + 200])
            have += len(batch)
            k += 1
        t = time.perf_counter()
        relink(store)
        print(f"replicated to {have} articles; relinked in {time.perf_counter() - t:.0f} s", flush=True)


COPY_TABLES = ("articles", "attributions", "entities", "paragraphs", "recycled", "clusters", "claim_clusters",
               "origins", "relays")


def copy_ledger(src_url: str, dst_url: str) -> None:
    """The same ledger on PostgreSQL: every table streamed with COPY (links included, so no relink), which
    takes minutes where re-writing 37k articles one transaction at a time would take an hour."""
    import sqlite3

    import psycopg

    with open_store(dst_url):  # the schema, migrated
        pass
    src = sqlite3.connect(src_url)
    with psycopg.connect(dst_url, autocommit=True) as dst:
        for table in COPY_TABLES:
            cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            with dst.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                for row in src.execute(f"SELECT {', '.join(cols)} FROM {table}"):
                    cp.write_row(row)
        for table in ("articles", "attributions"):  # the copied serial keys: the next insert goes after them
            dst.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'seq'), (SELECT max(seq) FROM {table}))")
        dst.execute("ANALYZE")
    src.close()


def pg_schema_url(base: str) -> str:
    import psycopg

    schema = f"bench_web_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


def workload(url: str, n_words: int = 400) -> tuple[list[str], list[str], list[str]]:
    """(article ids, search words, outlets) drawn from the ledger itself."""
    with open_store(url, migrate=False) as store:
        ids = [str(r[0]) for r in store._query("SELECT id FROM articles")]
        outlets = [str(r[0]) for r in store._query("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
        sample = [str(r[0]) for r in store._query("SELECT content FROM attributions LIMIT 5000")]
    rng = random.Random(7)
    words = sorted({w.lower() for c in sample for w in re.findall(r"[A-Za-z]{5,}", c)})
    return ids, rng.sample(words, min(n_words, len(words))), outlets


def rss_kb(pid: int) -> int:
    """The process's resident anonymous memory (its heap: what the server itself holds). Not VmRSS: each
    SQLite connection memory-maps the ledger, and VmRSS counts the same cached file pages once per mapping
    (a 0.7 GB ledger showed as 12 GB over 20-odd connections)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and its worker processes (from /proc; 0 when gone)."""
    kids = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid] + ([int(c) for c in kids.read_text().split()] if kids.exists() else [])
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """User + system CPU time of every PostgreSQL server process on this machine (the backends answering
    the server's queries do their work there, outside the server's own processes)."""
    total = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if (proc / "comm").read_text().strip() != "postgres":
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def server_rss_kb(pid: int) -> int:
    """Resident anonymous memory of the server and its worker processes together."""
    kids = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(c) for c in kids.read_text().split()] if kids.exists() else []
    return rss_kb(pid) + sum(rss_kb(c) for c in children)


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs and reads whole responses: the bench's client.
    httpx spent about 4 ms of CPU per request (0.2 ms here), which on 2 shared cores is taken from the server under test
    and shows up as the server's latency; this spends a fraction of that. Bodies are read to the end
    (Content-Length or chunked), so a page that is slow to write is timed in full."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """(status, body) of ``GET path``; opens (or re-opens) the connection as needed."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode("ascii"))
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = dict((k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in head[1:] if line))
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers from uvicorn: the closing empty line
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size + 2))
            parts[-1] = parts[-1][:-2]

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(base: str, ids: list[str], words: list[str], outlets: list[str], clients: int,
               seconds: float) -> dict[str, list[float]]:
    """``clients`` concurrent loops for ``seconds``, each on its own keep-alive connection; returns latencies
    (s) per kind and an error count (a status other than 200, a broken connection, or 30 s without an answer)."""
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    results: dict[str, list[float]] = {"search": [], "article": [], "search_errors": [], "article_errors": []}
    stop = time.monotonic() + seconds

    async def client(n: int) -> None:
        rng = random.Random(n)
        conn = Connection(host, int(port))
        while time.monotonic() < stop:
            kind, path = request(rng, ids, words, outlets)
            t = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(conn.get(path), 30)
                ok = status == 200
            except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    ValueError, IndexError):
                conn.close()
                ok = False
            results[kind].append(time.perf_counter() - t)
            if not ok:
                results[f"{kind}_errors"].append(1.0)
        conn.close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    return results


def request(rng: random.Random, ids: list[str], words: list[str], outlets: list[str]) -> tuple[str, str]:
    """One request of the mix: (kind, path). Half search pages (a word from the ledger's claims, a random
    sort, sometimes hedged only or one outlet), half article pages (a random stored article)."""
    if rng.random() < 0.5:
        params = {"q": rng.choice(words), "sort": rng.choice(SORTS)}
        if rng.random() < 0.2:
            params["hedged"] = "yes"
        if outlets and rng.random() < 0.2:
            params["outlet"] = rng.choice(outlets)
        return "search", "/?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())
    return "article", "/article/" + quote(rng.choice(ids), safe="")


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def run_backend(name: str, url: str, clients: int, seconds: float, server_workers: int,
                src: str | None = None) -> list[list[object]]:
    """One backend under load; ``src``: run the server from another source tree (the baseline's code)."""
    from tests._web import free_port

    ids, words, outlets = workload(url)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": src} if src else None
    proc = subprocess.Popen([sys.executable, "-m", "reportedly.serve.cli", "serve", "--db", url, "--host",
                             "127.0.0.1", "--port", str(port), "--workers", str(server_workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(300):
            try:
                httpx.get(base + "/analyze", timeout=30)  # up: a page that reads no ledger
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        peak = [server_rss_kb(proc.pid)]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(1.0):
                peak.append(server_rss_kb(proc.pid))

        threading.Thread(target=sample, daemon=True).start()
        asyncio.run(load(base, ids, words, outlets, min(clients, 4), 3))  # warm-up, not counted
        cpu0, mine0, db0 = cpu_seconds(proc.pid), time.process_time(), postgres_cpu_seconds()
        res = asyncio.run(load(base, ids, words, outlets, clients, seconds))
        cpu, mine = cpu_seconds(proc.pid) - cpu0, time.process_time() - mine0
        db = postgres_cpu_seconds() - db0 if url.startswith("postgres") else None
        done.set()
    finally:
        proc.terminate()
        proc.wait(20)
    rows = []
    n_all = len(res["search"]) + len(res["article"])
    for kind in ("search", "article"):
        lat = [v * 1000 for v in res[kind]]
        rows.append([name, kind, len(lat), round(pct(lat, 50)), round(pct(lat, 95)), round(pct(lat, 99)),
                     round(len(lat) / seconds, 1), len(res[f"{kind}_errors"]), f"{max(peak) / 1024:.0f}",
                     f"{cpu * 1000 / max(n_all, 1):.1f}",
                     "in server" if db is None else f"{db * 1000 / max(n_all, 1):.1f}",
                     f"{mine * 1000 / max(n_all, 1):.1f}"])
    return rows


def ledger_size(url: str) -> dict[str, int]:
    with open_store(url, migrate=False) as store:
        c = store.counts()
        clusters = int(store._query("SELECT count(*) FROM clusters")[0][0])
    return {"articles": c["articles"], "attributions": c["attributions"], "clusters": clusters}


Settings = dict[str, str] | None  # PostgreSQL server settings a backend runs under (None: the cluster's conf)
# (name in the report, ledger URL, source tree of the server or None: this one, server settings)
Backend = tuple[str, str, str | None, Settings]


def parse_settings(text: str) -> dict[str, str]:
    """``name=value,name=value`` (what --pg-baseline-settings takes) as a dict; names are checked so they
    can go into ALTER SYSTEM as they are."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        if not re.fullmatch(r"[a-z_]+", name) or not re.fullmatch(r"[0-9A-Za-z.]+", value):
            raise SystemExit(f"error: --pg-baseline-settings: {part!r} is not name=value")
        out[name] = value
    return out


def cluster_settings(url: str, settings: dict[str, str], reset: bool = False) -> None:
    """Run the local Debian cluster serving ``url`` (the one .ci/postgres.sh starts; needs root) with
    ``settings`` (ALTER SYSTEM SET), or with ``reset`` back on its conf's values for those names (ALTER SYSTEM
    RESET), restarting it: shared_buffers takes effect only then. Refuses while other clients are connected
    (a restart would cut them), so a shared machine's other work is never broken by the bench."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    port = str(conninfo_to_dict(url).get("port") or 5432)
    for _ in range(120):  # a client that is leaving (the server just stopped) gets two minutes
        with psycopg.connect(url, autocommit=True) as conn:
            others = int(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                                      " AND pid <> pg_backend_pid()").fetchone()[0])
        if not others:
            break
        time.sleep(1)
    else:
        raise SystemExit(f"error: PostgreSQL on port {port}: {others} other clients connected; not restarting it")
    version, name = next(line.split()[:2] for line in subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.split()[2] == port)
    sql = [f"ALTER SYSTEM RESET {k}" if reset else f"ALTER SYSTEM SET {k} = '{v}'" for k, v in settings.items()]
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-qAt", "-p", port,
                    *(a for s in sql for a in ("-c", s))], check=True)  # one -c each: none may be in a transaction
    subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
    for _ in range(60):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", port]).returncode == 0:
            return
        time.sleep(1)
    raise SystemExit(f"error: PostgreSQL on port {port} did not come back after its restart")


@dataclass
class Setup:
    """What one run serves: the SQLite ledger (measured for the report), the backends in the order they run,
    and the PostgreSQL schema made for the copy (dropped after the run; None when none was made)."""
    sqlite_url: str
    backends: list[Backend]
    pg_schema_base: str | None = None


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=int, help="Ingest the first N AllSides articles into a fresh ledger.")
    ap.add_argument("--replicate-to", type=int, help="Then add copies of those reports up to M articles.")
    ap.add_argument("--sqlite", help="SQLite ledger: used as it is, or (with --build) built there and kept.")
    ap.add_argument("--pg-ledger", help="An existing PostgreSQL ledger URL to load (instead of copying to --pg).")
    ap.add_argument("--pg", default=os.environ.get("REPORTEDLY_TEST_PG"),
                    help="PostgreSQL server (default $REPORTEDLY_TEST_PG); the ledger is copied into a schema.")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2, help="Ingest workers for --build.")
    ap.add_argument("--server-workers", type=int, default=2, help="`reportedly serve --workers`.")
    ap.add_argument("--what", help="How the given ledgers were built (for the report).")
    ap.add_argument("--baseline-src", help="A source tree (its src/) of the code to compare with, e.g. main's.")
    ap.add_argument("--baseline-sqlite", help="The SQLite ledger the baseline serves (a copy in its own schema).")
    ap.add_argument("--baseline-pg", action="store_true",
                    help="The baseline also serves the --pg-ledger (before this code serves it).")
    ap.add_argument("--baseline-what", default="", help="What the baseline is (for the report).")
    ap.add_argument("--pg-baseline-settings", type=parse_settings,
                    help="name=value,...: the --pg-ledger also runs first with these server settings (ALTER SYSTEM "
                         "and a restart of the local cluster; reset after), e.g. shared_buffers=128MB.")
    ap.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
    args = ap.parse_args()
    if not (args.build or args.sqlite):
        ap.error("give --build N (needs ../shared) or --sqlite LEDGER")
    if args.build and not ALLSIDES.exists():
        sys.exit(f"error: {ALLSIDES}: not present (the AllSides corpus lives in ../shared)")
    return args


def set_up(args: argparse.Namespace, tmp: Path) -> Setup:
    """Build the SQLite ledger when asked (in ``tmp`` unless --sqlite names the file), copy it to PostgreSQL
    when asked, and list the backends: the baseline on each backend runs before this code on it."""
    setup = Setup(args.sqlite or str(tmp / "ledger.db"), [])
    if args.build:
        build_sqlite(Path(setup.sqlite_url), args.build, args.workers)
        if args.replicate_to:
            replicate(setup.sqlite_url, args.replicate_to)
        else:
            with open_store(setup.sqlite_url) as store:
                relink(store)
    if args.baseline_sqlite and args.baseline_src:
        setup.backends.append(("sqlite, baseline", args.baseline_sqlite, args.baseline_src, None))
    setup.backends.append(("sqlite", setup.sqlite_url, None, None))
    if args.pg_ledger:
        if args.baseline_pg and args.baseline_src:
            setup.backends.append(("postgres, baseline", args.pg_ledger, args.baseline_src, None))
        if args.pg_baseline_settings:
            named = ", ".join(f"{k}={v}" for k, v in args.pg_baseline_settings.items())
            setup.backends.append((f"postgres, {named}", args.pg_ledger, None, args.pg_baseline_settings))
        setup.backends.append(("postgres", args.pg_ledger, None, None))
    elif args.pg:
        pg_url = pg_schema_url(args.pg)
        setup.pg_schema_base = args.pg
        t = time.perf_counter()
        copy_ledger(setup.sqlite_url, pg_url)
        print(f"copied to PostgreSQL in {time.perf_counter() - t:.0f} s", flush=True)
        setup.backends.append(("postgres", pg_url, None, None))
    return setup


def run(args: argparse.Namespace, setup: Setup) -> list[list[object]]:
    """Every backend under the same load, one after the other; each one's rows printed as it finishes."""
    rows: list[list[object]] = []
    applied: tuple[str, dict[str, str]] | None = None  # the baseline settings the cluster runs with now
    try:
        for name, url, src, settings in setup.backends:
            if applied and applied[1] != settings:  # back on the conf's values (a restart: both start cold)
                cluster_settings(*applied, reset=True)
                applied = None
            if settings and applied is None:
                cluster_settings(url, settings)
                applied = (url, settings)
            rows += run_backend(name, url, args.clients, args.seconds, args.server_workers, src)
            print(table(HEADERS, rows[-2:]), flush=True)
    finally:
        if applied:
            cluster_settings(*applied, reset=True)
    return rows


def drop_pg_schema(setup: Setup) -> None:
    """Drop the schema the ledger was copied into (nothing when the run made none)."""
    if setup.pg_schema_base is None:
        return
    import psycopg

    with psycopg.connect(setup.pg_schema_base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "bench_web_{os.getpid()}" CASCADE')


def main() -> None:
    args = parse_args()
    load0 = f"{os.getloadavg()[0]:.1f}"
    with tempfile.TemporaryDirectory() as tmp:
        setup = set_up(args, Path(tmp))
        try:
            size = ledger_size(setup.sqlite_url)
            rows = run(args, setup)
        finally:
            drop_pg_schema(setup)
    report(args, size, rows, load0)


def report(args: argparse.Namespace, size: dict[str, int], rows: list[list[object]], load0: str) -> None:
    """Print the run's section and write it to docs/benchmarks.md (unless --no-write)."""
    what = args.what or ((f"the first {args.build} AllSides articles, ingested" if args.build
                          else f"the ledger {args.sqlite}")
                         + (f", replicated to {args.replicate_to} articles (copies with new ids, dates shifted)"
                            if args.replicate_to else ""))
    body = (f"Ledger: {what}: {json.dumps(size)}. {args.clients} concurrent clients (asyncio, one "
            "keep-alive HTTP/1.1 connection each, same machine) for "
            f"{args.seconds:g} s per backend against `reportedly serve --workers {args.server_workers}` on 127.0.0.1; "
            + METHOD + " Load average of the machine (shared with other work) before / after: "
            f"{load0} / {os.getloadavg()[0]:.1f}."
            + (f" Baseline (same run, before this code on its backend): {args.baseline_what}."
               if args.baseline_src else "")
            + "\n\n" + table(HEADERS, rows) + "\n\n" + verdict(rows) + ratio(rows))
    print(body)
    if not args.no_write:
        cmd = "python bench/bench_web.py " + shlex.join(sys.argv[1:])
        write_section("web", "Web: load on search and article pages", cmd, body)


METHOD = ("half search pages (full text for a word from the ledger's claims, random sort, sometimes "
          "a hedged or outlet filter), half article pages (random article, highlighted text and attribution "
          "details). Latency in ms, wall clock at the client; RSS = peak resident anonymous memory of the server's "
          "processes together (the SQLite ledger file, memory-mapped by each connection, is the OS page cache and "
          "is not counted); server CPU ms/request = CPU time of the server's processes during the run over "
          "all requests of that backend (both kinds), which the machine's other load inflates far less than "
          "latency (with 2 cores to itself the server would sustain about 2000 / that many requests a second); "
          "database CPU ms/request = the same for PostgreSQL's processes (all of them on this machine, so other "
          "work's queries count too; SQLite runs inside the server); client CPU ms/request = the same for the load "
          "client, which shares the 2 cores with the server.")


def ratio(rows: list[list[object]]) -> str:
    """Server CPU per request against the baseline's, per backend, measured in the same run (empty without
    a baseline)."""
    out = []
    for backend in ("sqlite", "postgres"):
        base = next((float(str(r[9])) for r in rows if r[0] == f"{backend}, baseline"), None)
        now = next((float(str(r[9])) for r in rows if r[0] == backend), None)
        if base and now:
            out.append(f" Server CPU per request, {backend}, this code vs the baseline: {now / base:.2f}x.")
    return "".join(out) + settings_ratio(rows)


def settings_ratio(rows: list[list[object]]) -> str:
    """PostgreSQL on its conf's settings against the same ledger under --pg-baseline-settings, same run:
    p95 per page and database CPU per request (empty without that baseline)."""
    base = {str(r[1]): r for r in rows if str(r[0]).startswith("postgres, ") and "=" in str(r[0])}
    now = {str(r[1]): r for r in rows if r[0] == "postgres"}
    if not base or not now:
        return ""
    named = str(next(iter(base.values()))[0]).removeprefix("postgres, ")
    parts = [f"{kind} p95 {float(str(now[kind][4])) / max(float(str(base[kind][4])), 1):.2f}x"
             for kind in ("search", "article") if kind in base and kind in now]
    db = [float(str(r[10])) for r in (next(iter(base.values())), next(iter(now.values())))]
    return (f" PostgreSQL on the cluster's conf (.ci/postgres.sh) vs {named}, same ledger, same run: "
            + ", ".join(parts) + f", database CPU per request {db[1] / max(db[0], 0.01):.2f}x.")


def verdict(rows: list[list[object]]) -> str:
    """The issue's target (p95 <= 300 ms for search and article pages, 0 errors), row by row."""
    parts = []
    for r in rows:
        ok = int(str(r[4])) <= 300 and int(str(r[7])) == 0
        parts.append(f"{r[0]} {r[1]}: {'met' if ok else 'NOT met'} (p95 {r[4]} ms, {r[7]} errors)")
    return "Target p95 <= 300 ms with 0 errors: " + "; ".join(parts) + "."


HEADERS = ["backend", "page", "requests", "p50 ms", "p95 ms", "p99 ms", "req/s", "errors", "server RSS MB",
           "server CPU ms/request",
           "database CPU ms/request", "client CPU ms/request"]


if __name__ == "__main__":
    main()
