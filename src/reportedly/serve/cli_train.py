"""``reportedly train polnear TRAIN_DIR --dev DEV_DIR [--out DIR]``: train the learned attribution model.

The model is written to ``--out`` (default ``reportedly-model`` in the working directory), never over the
shipped one unless asked for by path; ``analyze``, ``ingest`` and ``eval`` read it with ``--model DIR``
(and a learned ``--extractor``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True, highlight=False, soft_wrap=True)


def _check_split(path: Path, what: str) -> None:
    """One-line error (exit 2) when ``path`` is not a PolNeAR split."""
    if not (path / "text").is_dir() or not (path / "attributions").is_dir():
        err.print(f"error: {what} {path}: not a PolNeAR split directory (needs text/ and attributions/)",
                  markup=False)
        raise typer.Exit(2)


def polnear(
    train_dir: Annotated[Path, typer.Argument(help="PolNeAR train split (text/ and attributions/)")],
    dev: Annotated[Path | None, typer.Option("--dev", help="PolNeAR dev split, for the scores in meta.json")] = None,
    out: Annotated[Path, typer.Option("--out", help="model directory to write; use it with --model DIR")]
    = Path("reportedly-model"),
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="train on the first N articles only")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 13,
) -> None:
    """Train the cue and role taggers on PolNeAR and write the model directory."""
    from reportedly.learn.train import TrainConfig, train

    _check_split(train_dir, "TRAIN_DIR")
    if dev is not None:
        _check_split(dev, "--dev")
    target = out
    try:
        meta = train(train_dir, dev, target, TrainConfig(seed=seed, limit=limit),
                     log=lambda m: err.print(m, markup=False))
    except (OSError, ValueError, RuntimeError) as exc:
        err.print(f"error: {str(exc).splitlines()[0]}", markup=False)
        raise typer.Exit(1) from exc
    err.print(f"model {meta['version']} written to {target}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``train`` command group to the main CLI."""
    group = typer.Typer(no_args_is_help=True, help="Train reportedly's learned models.")
    group.command("polnear")(polnear)
    app.add_typer(group, name="train")
