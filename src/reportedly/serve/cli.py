"""The ``reportedly`` command line (typer + rich): analyze articles, run the demo, and the
sub-commands of the other layers (eval, train, ledger) registered from their own modules.

Errors about inputs are printed as one line each on stderr; a batch goes on past a bad input and
the exit code (1) tells that some inputs failed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from reportedly import __version__
from reportedly.analysis import Limits, analyze_all
from reportedly.ingest.files import read_stdin
from reportedly.ingest.text import InputError
from reportedly.model import Article, Report
from reportedly.serve.options import (
    DEFAULT_LIMITS,
    MaxChars,
    MaxMemory,
    MaxSeconds,
    ModelOption,
    check_options,
    show_warnings,
)
from reportedly.serve.progress import progress_display

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news articles into a sourced ledger of claims: who says what, through whom, how hedged.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def report_error(message: str) -> None:
    """One line on stderr; markup in the message (it may quote hostile input) is not interpreted."""
    err.print(f"error: {message}", markup=False)


def load_articles(inputs: list[str], published: str | None) -> Iterator[Article | InputError]:
    """Articles from paths, directories and stdin, routed by format as ``ingest`` does (pages, JSONL, feeds,
    WARC); problems are yielded as InputErrors. ``published`` overrides each article's own date."""
    from reportedly.ingest.batch import iter_articles

    for item in inputs:
        if item == "-":
            try:
                yield read_stdin(published)
            except InputError as exc:
                yield exc
            continue
        for art in iter_articles([item]):
            yield dataclasses.replace(art, published=published) if published and isinstance(art, Article) else art


def single(articles: Iterator[Article | InputError], flag: str) -> Iterator[Article | InputError]:
    """The stream, checked to hold at most one article (for outputs that are one JSON document): reading a
    second one is a usage error before anything is analyzed."""
    first: Article | None = None
    for art in articles:
        if isinstance(art, InputError):
            yield art
        elif first is None:
            first = art
        else:
            report_error(f"{flag} prints one JSON document, but the inputs hold more than one article (use --jsonl)")
            raise typer.Exit(2)
    if first is not None:
        yield first


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Text or HTML files, JSONL corpora, feeds, WARC archives, "
                                                    "directories, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON document (one article).")]
    = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON report per line.")] = False,
    prov: Annotated[bool, typer.Option("--prov", help="Print the provenance chains as W3C PROV-JSON "
                                                      "(one article).")] = False,
    published: Annotated[str | None, typer.Option(help="Publication date, overrides the dateline: YYYY-MM-DD "
                                                       "(also YYYY-M-D, 'April 1, 2022', '1 April 2022').")]
    = None,
    extractor: Annotated[str, typer.Option(help="Attribution extractor: rules (default), learned, union, "
                                                "rules_first or cues_union (rules + the CRF model).")]
    = "rules",
    model: ModelOption = None,
    max_chars: MaxChars = DEFAULT_LIMITS.max_chars,
    max_seconds: MaxSeconds = DEFAULT_LIMITS.max_seconds,
    max_memory: MaxMemory = DEFAULT_LIMITS.max_memory_mb,
    explain: Annotated[bool, typer.Option("--explain", help="Show (and in JSON, add as source.explanation) "
                                                            "the resolver that decided each source, with its "
                                                            "evidence.")] = False,
) -> None:
    """Analyze articles: attributions (source — cue — content), provenance, hedges, dates, quantities."""
    show_warnings()
    if sum((as_json, jsonl, prov)) > 1:
        report_error("--json, --jsonl and --prov are different outputs: choose one")
        raise typer.Exit(2)
    pub = check_options(published, extractor, model, [max_chars, max_seconds, max_memory])
    limits = Limits(max_chars, max_seconds, max_memory, extractor, str(model) if model else None)
    articles = load_articles(paths, pub)
    if as_json or prov:
        articles = single(articles, "--json" if as_json else "--prov")
    failures: list[str] = []
    out = _Stdout(highlight=False, soft_wrap=False)
    count = 0
    with progress_display(err) as show:
        def failed(msg: str) -> None:
            failures.append(msg)
            show.error(msg)

        try:
            for report in analyze_all(show.count(articles), limits, failed, show.stage):
                count += 1
                write_report(report, out, "json" if as_json else "jsonl" if jsonl else "prov" if prov else "view",
                             explain)
        except BrokenPipeError:  # the reader has what it wanted (``| head -1``): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the flush at exit must not fail
            raise typer.Exit(1 if failures else 0) from None
    if failures:
        report_error(f"{len(failures)} of {len(failures) + count} inputs failed")
        raise typer.Exit(1)


class _Stdout(Console):
    """stdout for the terminal view: a closed pipe raises BrokenPipeError (rich would exit with status 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def write_report(report: Report, out: Console, fmt: str, explain: bool = False) -> None:
    """One report on stdout in the chosen form (``explain``: with each source's resolver and evidence)."""
    if fmt == "jsonl":
        sys.stdout.write(json.dumps(report.to_dict(explain), ensure_ascii=False) + "\n")
    elif fmt == "json":
        sys.stdout.write(json.dumps(report.to_dict(explain), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "prov":
        from reportedly.serve.prov import to_prov

        sys.stdout.write(json.dumps(to_prov(report), ensure_ascii=False, indent=2) + "\n")
    else:
        from reportedly.serve.view import render

        render(report, out, explain)
    sys.stdout.flush()


@app.command()
def demo(
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print JSON lines instead of the terminal view.")] = False,
    db: Annotated[str, typer.Option("--db", help="Ledger to ingest the demo into (SQLite file or postgresql://).")]
    = "reportedly.db",
) -> None:
    """The main job on the bundled illustrative articles (no external data needed): analyze each one, ingest
    them into the ledger (embedded SQLite by default), then show who is cited and the cross-article links."""
    analyze([str(DEMO_DIR)], as_json=False, jsonl=jsonl, prov=False, published=None, extractor="rules", model=None,
            max_chars=DEFAULT_LIMITS.max_chars, max_seconds=DEFAULT_LIMITS.max_seconds,
            max_memory=DEFAULT_LIMITS.max_memory_mb)
    if jsonl:
        return
    from reportedly.serve.cli_ledger import ingest_cmd, show_corpus_links, sources_cmd

    Console(highlight=False).rule("ledger")
    ingest_cmd([str(DEMO_DIR)], db=db, workers=1, batch_size=8, no_link=False, extractor="rules", model=None,
               max_chars=DEFAULT_LIMITS.max_chars, max_seconds=DEFAULT_LIMITS.max_seconds,
               max_memory=DEFAULT_LIMITS.max_memory_mb)
    sources_cmd(db=db, limit=20, as_json=False)
    show_corpus_links(db, sorted(p.stem for p in DEMO_DIR.iterdir() if p.suffix in (".txt", ".html")))
    Console(highlight=False, soft_wrap=True).print(
        f"Open the ledger in a browser: reportedly serve --db {db}  then http://localhost:8000/", markup=False)


def _register_layers() -> None:
    from reportedly.serve import cli_eval, cli_ledger, cli_serve, cli_spark, cli_train

    for module in (cli_eval, cli_ledger, cli_serve, cli_spark, cli_train):
        module.register(app)


def _version(value: bool) -> None:
    if value:
        print(f"reportedly {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                   help="Print the version and exit.")] = False) -> None:
    """Turn news articles into a sourced ledger of claims: who says what, through whom, how hedged."""


def main() -> None:
    """Console entry point."""
    _register_layers()
    app()


if __name__ == "__main__":
    main()
