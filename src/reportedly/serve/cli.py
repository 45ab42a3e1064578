"""The ``reportedly`` command line (typer + rich): analyze articles, run the demo, and the
sub-commands of the other layers (eval, train, ledger) registered from their own modules.

Errors about inputs are printed as one line each on stderr; a batch goes on past a bad input and
the exit code (1) tells that some inputs failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from reportedly.ingest.files import expand_inputs, read_article, read_stdin
from reportedly.ingest.text import InputError, check_date
from reportedly.model import Article, Report

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news articles into a sourced ledger of claims: who says what, through whom, how hedged.")
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def report_error(message: str) -> None:
    """One line on stderr; markup in the message (it may quote hostile input) is not interpreted."""
    err.print(f"error: {message}", markup=False)


def load_articles(inputs: list[str], published: str | None, failures: list[str]) -> Iterator[Article]:
    """Articles from paths/directories/stdin; bad ones are reported, counted and skipped."""
    for item in expand_inputs(inputs):
        try:
            if isinstance(item, InputError):
                raise item
            yield read_stdin(published) if item == "-" else read_article(Path(item), published)
        except InputError as exc:
            failures.append(str(exc))
            report_error(str(exc))


def analyze_many(articles: Iterable[Article], failures: list[str], extractor: str = "rules") -> Iterator[Report]:
    """Reports for a stream of articles, parsed in batches by ``nlp.pipe``; an article whose analysis
    fails is reported with its id and skipped."""
    from reportedly.nlp import get_nlp
    from reportedly.report import build_report

    nlp = get_nlp(extractor)
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=16):
        try:
            yield build_report(doc, article)
        except Exception as exc:  # one article's failure must not stop the batch
            msg = f"{article.id}: analysis failed ({type(exc).__name__}: {exc})".splitlines()[0]
            failures.append(msg)
            report_error(msg)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Text or HTML files, directories, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON report (the first input).")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print one JSON report per line.")] = False,
    prov: Annotated[bool, typer.Option("--prov", help="Print the provenance chains as W3C PROV-JSON.")] = False,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD (overrides the dateline).")]
    = None,
    extractor: Annotated[str, typer.Option(help="Attribution extractor: rules (default), learned, union, "
                                                "rules_first or cues_union (rules + the shipped CRF model).")]
    = "rules",
) -> None:
    """Analyze articles: attributions (source — cue — content), provenance, hedges, dates, quantities."""
    try:
        pub = check_date(published, "--published")
    except InputError as exc:
        report_error(str(exc))
        raise typer.Exit(2) from None
    from reportedly.nlp import EXTRACTORS

    if extractor not in EXTRACTORS:
        report_error(f"--extractor: unknown extractor {extractor!r} (one of {', '.join(EXTRACTORS)})")
        raise typer.Exit(2)
    failures: list[str] = []
    out = Console(highlight=False, soft_wrap=False)
    count = 0
    for report in analyze_many(load_articles(paths, pub, failures), failures, extractor):
        count += 1
        if jsonl:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        elif as_json:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        elif prov:
            from reportedly.serve.prov import to_prov

            sys.stdout.write(json.dumps(to_prov(report), ensure_ascii=False, indent=2) + "\n")
        else:
            from reportedly.serve.view import render

            render(report, out)
    if failures:
        report_error(f"{len(failures)} of {len(failures) + count} inputs failed")
        raise typer.Exit(1)


@app.command()
def demo(
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Print JSON lines instead of the terminal view.")] = False,
    db: Annotated[str, typer.Option("--db", help="Ledger to ingest the demo into (SQLite file or postgresql://).")]
    = "reportedly.db",
) -> None:
    """The main job on the bundled illustrative articles (no external data needed): analyze each one, ingest
    them into the ledger (embedded SQLite by default), then show who is cited and the cross-article links."""
    analyze([str(DEMO_DIR)], as_json=False, jsonl=jsonl, prov=False, published=None, extractor="rules")
    if jsonl:
        return
    from reportedly.serve.cli_ledger import ingest_cmd, show_corpus_links, sources_cmd

    Console(highlight=False).rule("ledger")
    ingest_cmd([str(DEMO_DIR)], db=db, workers=1, batch_size=8, no_link=False)
    sources_cmd(db=db, limit=20, as_json=False)
    show_corpus_links(db, sorted(p.stem for p in DEMO_DIR.iterdir() if p.suffix in (".txt", ".html")))
    Console(highlight=False, soft_wrap=True).print(
        f"Open the ledger in a browser: reportedly serve --db {db}  then http://localhost:8000/", markup=False)


def _register_layers() -> None:
    from reportedly.serve import cli_eval, cli_ledger, cli_serve, cli_train

    for module in (cli_eval, cli_ledger, cli_serve, cli_train):
        module.register(app)


def main() -> None:
    """Console entry point."""
    _register_layers()
    app()


if __name__ == "__main__":
    main()
