"""Options shared by the commands that analyze (``analyze``, ``ingest``, ``eval``): the extractor, a chosen model
directory and the per-article bounds, checked before any input is read or any model loads."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from reportedly.analysis import Limits
from reportedly.ingest.text import InputError, check_date

err = Console(stderr=True, highlight=False, soft_wrap=True)


def check_options(published: str | None, extractor: str, model: Path | None, limits: list[float]) -> str | None:
    """The validated --published date; exit 2 with one line on a bad option (before any model loads)."""
    try:
        pub = check_date(published, "--published")
    except InputError as exc:
        _usage(str(exc))
        raise typer.Exit(2) from None
    if extractor != "rules" and extractor not in _extractors():
        _usage(f"--extractor: unknown extractor {extractor!r} (one of {', '.join(_extractors())})")
        raise typer.Exit(2)
    if model is not None and not (model / "meta.json").is_file():
        _usage(f"--model: {model}: not a model directory (no meta.json; write one with reportedly train)")
        raise typer.Exit(2)
    if model is not None and extractor == "rules":
        _usage("--model: the rules extractor uses no model (add --extractor learned, union, ...)")
        raise typer.Exit(2)
    if any(v <= 0 for v in limits):
        _usage("--max-chars, --max-seconds and --max-memory must be positive")
        raise typer.Exit(2)
    return pub


def _extractors() -> tuple[str, ...]:
    from reportedly.nlp import EXTRACTORS  # imports spaCy (a second): only asked when not the default

    return EXTRACTORS


ModelOption = Annotated[Path | None, typer.Option("--model", help="Learned model directory (written by reportedly "
                                                                   "train ... --out DIR) for the learned extractors; "
                                                                   "default: the shipped one.")]
MaxChars = Annotated[int, typer.Option("--max-chars", help="Refuse articles longer than this many characters.")]
MaxSeconds = Annotated[float, typer.Option("--max-seconds", help="Stop an article's analysis after this long.")]
MaxMemory = Annotated[int, typer.Option("--max-memory", help="Stop an article's analysis past this resident "
                                                              "memory (MB).")]
DEFAULT_LIMITS = Limits()


def _usage(message: str) -> None:
    err.print(f"error: {message}", markup=False)


class _StderrLines(logging.Handler):
    """Library warnings (a row kept with its date unknown) as plain lines on the current stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        print(record.getMessage().splitlines()[0], file=sys.stderr)


def show_warnings() -> None:
    """Let the commands that read inputs show the library's one-line warnings (once per process)."""
    logger = logging.getLogger("reportedly")
    if not any(isinstance(h, _StderrLines) for h in logger.handlers):
        logger.addHandler(_StderrLines(logging.WARNING))
