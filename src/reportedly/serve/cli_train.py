"""``reportedly train polnear TRAIN_DIR --dev DEV_DIR [--out DIR]``: train the learned attribution model;
``reportedly train encoder TRAIN_DIR --dev DEV_DIR [--out DIR] [--resume]``: fine-tune the encoder extractor
(written to ``models/encoder`` unless ``--out`` says otherwise: never over the shipped model by default).

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


DEFAULT_ENCODER_OUT = Path("models") / "encoder"


def encoder(
    train_dir: Annotated[Path, typer.Argument(help="PolNeAR train split (text/ and attributions/)")],
    dev: Annotated[Path | None, typer.Option("--dev", help="PolNeAR dev split: picks the best epoch")] = None,
    out: Annotated[Path, typer.Option("--out", help="model directory to write (never the shipped one "
                                                    "unless named)")] = DEFAULT_ENCODER_OUT,
    resume: Annotated[bool, typer.Option("--resume", help="continue from the last checkpoint in OUT.work")]
    = False,
    epochs: Annotated[int, typer.Option("--epochs", min=1)] = 1,
    layers: Annotated[int, typer.Option("--layers", min=1, max=6, help="encoder layers kept")] = 3,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="train on the first N articles only")] = None,
    dev_limit: Annotated[int | None, typer.Option("--dev-limit", min=1, help="score the first N dev articles")]
    = None,
    seed: Annotated[int, typer.Option("--seed")] = 13,
    threads: Annotated[int, typer.Option("--threads", min=1, help="torch threads (1 when the cores are shared)")]
    = 2,
    bf16: Annotated[bool, typer.Option("--bf16", help="bfloat16 autocast while training (about 2x faster on "
                                                      "AMX CPUs)")] = False,
    freeze_embeddings: Annotated[bool, typer.Option("--freeze-embeddings", help="keep the word embeddings fixed "
                                                                                "(half the weights)")] = False,
    export_only: Annotated[bool, typer.Option("--export-only", help="export the last checkpoint of an "
                                                                    "interrupted run in OUT.work, no training")]
    = False,
) -> None:
    """Fine-tune the encoder extractor on PolNeAR and export it (int8 ONNX) to OUT (needs the train extra)."""
    _check_split(train_dir, "TRAIN_DIR")
    if dev is not None:
        _check_split(dev, "--dev")
    try:
        from reportedly.learn.encoder.train import EncoderTrainConfig, export_checkpoint, train_encoder
    except ImportError as exc:
        err.print(f"error: training needs the train extra (pip install -e '.[train]'): {exc}", markup=False)
        raise typer.Exit(2) from exc
    cfg = EncoderTrainConfig(seed=seed, epochs=epochs, layers=layers, limit=limit, dev_limit=dev_limit,
                             threads=threads, bf16=bf16, freeze_embeddings=freeze_embeddings)
    try:
        if export_only:
            meta = export_checkpoint(out, cfg, log=lambda m: err.print(m, markup=False))
            return
        meta = train_encoder(train_dir, dev, out, cfg, log=lambda m: err.print(m, markup=False), resume=resume)
    except (OSError, ValueError, RuntimeError) as exc:
        err.print(f"error: {str(exc).splitlines()[0]}", markup=False)
        raise typer.Exit(1) from exc
    err.print(f"encoder model {meta['version']} written to {out} (dev: {meta['dev']})", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``train`` command group to the main CLI."""
    group = typer.Typer(no_args_is_help=True, help="Train reportedly's learned models.")
    group.command("polnear")(polnear)
    group.command("encoder")(encoder)
    app.add_typer(group, name="train")
