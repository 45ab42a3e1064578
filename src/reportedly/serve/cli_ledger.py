"""Ledger commands of the CLI: ``ingest``, ``link``, ``claims``, ``sources``, ``show``, ``export``, ``copy``.

``register(app)`` adds them to the main typer app (serve/cli.py). The ledger URL comes from ``--db``, else
the ``REPORTEDLY_DB`` environment variable, else the SQLite file ``reportedly.db``. Input problems are one
line each on stderr (never a traceback) and make the exit code 1; the rest of the batch is ingested.
Article text is hostile: it is printed through rich ``Text`` objects, never as markup.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from reportedly.link.origins import RECYCLED
from reportedly.serve.options import DEFAULT_LIMITS, MaxChars, MaxMemory, MaxSeconds, ModelOption, check_options

if TYPE_CHECKING:
    from reportedly.analysis import Limits
    from reportedly.ingest.batch import IngestStats
    from reportedly.store import Store

err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[str | None, typer.Option("--db", help="Ledger: SQLite file path (default reportedly.db, or "
                                                           "$REPORTEDLY_DB) or postgresql://user:pw@host/db.")]


def db_url(db: str | None) -> str:
    from reportedly.store import DEFAULT_URL

    return db or os.environ.get("REPORTEDLY_DB") or DEFAULT_URL


def open_ledger(db: str | None, create: bool = False) -> Any:
    """The ledger named by ``--db``; only writing commands (``create``) may start a new SQLite file: a reading
    command on a mistyped path must say so, not show an empty ledger."""
    from reportedly.store import StoreError, open_store

    url = db_url(db)
    local = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    if not create and "://" not in local and local != ":memory:" and not Path(local).exists():
        err.print(f"error: {local}: no such ledger (create one with reportedly ingest or reportedly demo)",
                  markup=False)
        raise typer.Exit(2)
    try:
        return open_store(url)
    except StoreError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None


def _short(v: Any, n: int = 90) -> str:
    s = "" if v is None else " ".join(str(v).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def ingest_cmd(
    inputs: Annotated[list[str], typer.Argument(help="Files or directories: .txt/.html pages, .jsonl, RSS/Atom "
                                                     "feeds, .warc(.gz) archives.")],
    db: DbOption = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="Parsing processes.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=1000,
                                            help="Articles per worker chunk and per write transaction.")] = 8,
    no_link: Annotated[bool, typer.Option("--no-link", help="Skip relinking the corpus afterwards.")] = False,
    extractor: Annotated[str, typer.Option(help="Attribution extractor (as for analyze).")] = "rules",
    model: ModelOption = None,
    max_chars: MaxChars = DEFAULT_LIMITS.max_chars,
    max_seconds: MaxSeconds = DEFAULT_LIMITS.max_seconds,
    max_memory: MaxMemory = DEFAULT_LIMITS.max_memory_mb,
) -> None:
    """Ingest articles into the ledger (idempotent, resumable), then relink the corpus."""
    from reportedly.serve.options import show_warnings

    show_warnings()
    from reportedly.analysis import Limits

    check_options(None, extractor, model, [max_chars, max_seconds, max_memory])
    limits = Limits(max_chars, max_seconds, max_memory, extractor, str(model) if model else None)
    missing = [raw for raw in inputs if not Path(raw).exists()]
    if len(missing) == len(inputs):  # nothing to ingest: no ledger is created for it
        for raw in missing:
            err.print(Text(f"error: {raw}: no such file or directory"))
        raise typer.Exit(1)
    store = open_ledger(db, create=True)
    with store:
        stats, link_s = _ingest_with_progress(store, inputs, workers, batch_size, limits, link=not no_link)
    rate = stats.written / stats.seconds if stats.seconds else 0.0
    err.print(f"{stats.written} stored, {stats.skipped} unchanged, {len(stats.failed)} failed "
              f"({stats.seconds:.1f} s, {rate:.1f} articles/s"
              + (f"; linked in {link_s:.1f} s)" if not no_link else ")"), markup=False)
    if stats.failed:
        raise typer.Exit(1)


def _ingest_with_progress(store: Store, inputs: list[str], workers: int, batch_size: int, limits: Limits,
                          link: bool) -> tuple[IngestStats, float]:
    """Ingest under a progress bar on stderr (shown only on a terminal; each bad input one line above it), then
    relink unless told not to: (the ingest's stats, seconds spent linking)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from reportedly.ingest.batch import estimate_total, ingest, iter_articles

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err, transient=False,
                        disable=not err.is_terminal)
    with progress:
        task = progress.add_task("ingest", total=estimate_total(inputs), rate="")
        done = [0]

        def advance(n: int) -> None:
            done[0] += n
            secs = progress.tasks[0].elapsed or 0.0
            progress.update(task, advance=n, rate=f"{done[0] / secs:.1f} art/s" if secs > 0 else "")

        def report(msg: str) -> None:
            progress.console.print(Text("error: " + msg))

        stats = ingest(store, iter_articles(inputs), workers=workers, chunk_size=batch_size, on_error=report,
                       on_progress=advance, link=False, limits=limits)
        if not link:
            return stats, 0.0
        progress.update(task, description="link")
        from reportedly.link.incremental import relink

        t = time.perf_counter()
        relink(store, workers=workers)
        return stats, time.perf_counter() - t


def link_cmd(
    db: DbOption = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64,
                                         help="Processes embedding the claim texts with no stored vector.")] = 1,
) -> None:
    """Recompute cross-article links: recycled passages, claim clusters, independent origins."""
    from reportedly.link.incremental import relink

    with open_ledger(db) as store:
        rows = relink(store, full=True, workers=workers)
    err.print(f"{len(rows.recycled)} recycled passages, {len(rows.clusters)} claim clusters, "
              f"{len(rows.origins)} origins ({len(rows.new_vectors)} claim texts embedded, "
              f"{rows.reused_vectors} read back)", markup=False)


def claims_cmd(
    db: DbOption = None,
    entity: Annotated[str | None, typer.Option(help="Source, content or article entity containing this.")] = None,
    source: Annotated[str | None, typer.Option(help="Cited source containing this.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet containing this.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    hedged: Annotated[bool, typer.Option("--hedged", help="Only hedged claims.")] = False,
    min_origins: Annotated[int | None, typer.Option("--min-origins", min=0,
                                                    help="Claims whose cluster has at least N independent "
                                                         "origins.")] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search over claim content and source.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List claims (attributions) across the ledger, filtered."""
    from reportedly.ingest.text import InputError, check_date
    from reportedly.store import ClaimFilter

    try:
        since = check_date(since, "--since")
    except InputError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    with open_ledger(db) as store:
        rows = store.claims(ClaimFilter(entity=entity, source=source, outlet=outlet, since=since, hedged=hedged,
                                        min_origins=min_origins, search=search, limit=limit))
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    if not rows:
        err.print("no claims match these filters", markup=False)
        return
    table = Table(show_lines=False)
    for col in ("article", "published", "source", "cue", "content", "hedged", "origins"):
        table.add_column(col, no_wrap=col in ("published", "hedged", "origins"))
    for r in rows:
        table.add_row(Text(_short(r["article_id"], 40)), Text(str(r["published"] or "")),
                      Text(_short(r["source_name"] or r["source_text"] or "—", 30)), Text(_short(r["cue"], 20)),
                      Text(_short(r["content"])), Text("yes" if r["n_hedges"] else ""),
                      Text(str(r["n_origins"] if r["n_origins"] is not None else "")))
    Console(highlight=False).print(table)


def sources_cmd(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Who is cited how often: first-hand vs relayed, and how many claim clusters they originate."""
    with open_ledger(db) as store:
        rows = store.sources(limit=limit)
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    if not rows:
        err.print("the ledger holds no sources yet", markup=False)
        return
    table = Table(padding=(0, 1), pad_edge=False)  # fits 80 columns: whole headers, the names wrap
    for col in ("source", "kind", "cited", "articles", "first-hand", "relayed", "origin of"):
        table.add_column(col, no_wrap=col != "source", justify="left" if col in ("source", "kind") else "right")
    for r in rows:
        table.add_row(Text(_short(r["name"], 40)), Text(str(r["kind"] or "")), str(r["citations"]),
                      str(r["articles"]), str(r["first_hand"]), str(r["relayed"]), str(r["origin_of"]))
    Console(highlight=False).print(table)


def show_corpus_links(db: str | None, article_ids: list[str]) -> None:
    """Show the articles among ``article_ids`` that relay another's claims or recycle its paragraphs
    (what the ledger adds over single-article analysis)."""
    with open_ledger(db) as store:
        linked = [i for i in article_ids if (d := store.show(i)) is not None and (
            d["recycled"] or any((c["n_articles"] or 0) >= 2 for c in d["claims"]))]
    for article_id in linked:
        Console(highlight=False).rule()
        show_cmd(article_id, db=db, as_json=False)


def _relay_step(r: dict[str, Any]) -> str:
    """One relay of an origin; a copied paragraph says so, since that is why it is no origin of its own."""
    how = f", copied from {r['relayed_from']}" if r.get("via") == RECYCLED and r.get("relayed_from") else ""
    return f"{r['outlet'] or r['article_id']} ({r['published'] or '?'}{how})"


def show_cmd(
    article_id: Annotated[str, typer.Argument(help="Article id as stored.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One article: its claims with clusters and independent origins, and passages recycled from others."""
    with open_ledger(db) as store:
        data = store.show(article_id)
    if data is None:
        err.print(Text(f"error: {article_id}: no such article in the ledger"))
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    out = Console(highlight=False)
    out.print(Text(f"{data['title'] or data['id']}", style="bold"))
    out.print(Text(f"{data['outlet'] or '?'} · {data['published'] or 'undated'} · {data['id']}"))
    for c in data["claims"]:
        line = Text(f"[{c['attr_id']}] {_short(c['source_name'] or c['source_text'] or '—', 40)} — {c['cue']} — "
                    f"{_short(c['content'], 140)}")
        out.print(line)
        for o in c["origins"]:
            if (c["n_articles"] or 0) < 2:
                continue
            order = " → ".join(_relay_step(r) for r in o["relays"])
            out.print(Text(f"    origin: {o['name']} ({o['origin_date'] or o['first_published'] or '?'}); "
                           f"relayed by {order}"))
            out.print(Text(f"      why: {o['reason']}"))
    for r in data["recycled"]:
        when = "published earlier" if r["earlier"] else "ingested earlier"
        out.print(Text(f"paragraph {r['para_idx'] + 1} recycled from {r['source_article_id']} "
                       f"({r['source_outlet'] or '?'}, {r['source_published'] or '?'}; {when}; "
                       f"similarity {r['similarity']:.2f})"))


def export_cmd(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file (stdout for jsonl/csv if "
                                                                       "omitted; required for parquet).")] = None,
) -> None:
    """Export every claim (with article, cluster and origin count) as JSONL, CSV or Parquet."""
    from reportedly.serve.export import FORMATS, write_csv, write_jsonl, write_parquet
    from reportedly.store.base import Store

    if fmt not in FORMATS:
        err.print(f"error: --format: {fmt!r} is not one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(2)
    if fmt == "parquet" and output is None:
        err.print("error: --format parquet needs --output FILE", markup=False)
        raise typer.Exit(2)
    with open_ledger(db) as store:
        rows = store.export_rows()
        if fmt == "parquet":
            assert output is not None
            n = write_parquet(rows, output, Store.EXPORT_COLUMNS)
        else:
            fh = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
            try:
                n = write_jsonl(rows, fh) if fmt == "jsonl" else write_csv(rows, fh, Store.EXPORT_COLUMNS)
            finally:
                if output:
                    fh.close()
    err.print(f"{n} claims exported", markup=False)


def copy_cmd(
    src: Annotated[str, typer.Argument(help="The ledger to copy: SQLite file or postgresql://user:pw@host/db.")],
    dst: Annotated[str, typer.Argument(help="The ledger to copy into (created if it is a new SQLite file).")],
) -> None:
    """Copy a ledger into another, e.g. a SQLite file into PostgreSQL: the articles DST lacks with their
    claims, in batches; then the links and claim embeddings. Safe to interrupt and run again."""
    from reportedly.store.copy import copy_ledger

    if db_url(src) == db_url(dst):
        err.print(f"error: {dst}: the same ledger as the source", markup=False)
        raise typer.Exit(2)

    def progress(done: int, total: int) -> None:
        if err.is_terminal:
            err.print(f"\r{done}/{total} articles", end="", markup=False)

    import sqlite3

    import psycopg

    t = time.perf_counter()
    with open_ledger(src) as source, open_ledger(dst, create=True) as target:
        try:
            stats = copy_ledger(source, target, progress=progress)
        except (sqlite3.Error, psycopg.Error) as exc:  # e.g. the destination's disk is full: one line
            err.print(f"\nerror: copy: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}"
                      " (what was copied stays; run the copy again to go on)", markup=False)
            raise typer.Exit(1) from None
    if err.is_terminal:
        err.print("", markup=False)
    links = "links copied" if stats.links else "links not copied (run reportedly link on the destination)"
    err.print(f"{stats.articles} articles copied ({stats.present} already there), {stats.claims} claims, {links}, "
              f"{stats.vectors} claim embeddings ({time.perf_counter() - t:.1f} s)", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ledger commands to the main CLI."""
    app.command("ingest")(ingest_cmd)
    app.command("link")(link_cmd)
    app.command("claims")(claims_cmd)
    app.command("sources")(sources_cmd)
    app.command("show")(show_cmd)
    app.command("export")(export_cmd)
    app.command("copy")(copy_cmd)
