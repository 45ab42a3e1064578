"""``reportedly eval polnear SPLIT_DIR [--limit N] [--errors N]``: score attribution extraction on PolNeAR.

Prints the corpus' usual measures (cue / source / content / full attribution P/R/F1 with the README's
matching rules), character-level P/R/F1 per role, and a breakdown of the errors by type with a few
examples each: the report one reads to decide which rule to write next.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reportedly.eval.polnear import ERROR_TYPES, PRF, Evaluation
from reportedly.serve.options import ModelOption, check_options

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _check_split(path: Path) -> None:
    """One line on stderr and exit code 2 when SPLIT_DIR is not a PolNeAR split."""
    if not (path / "text").is_dir() or not (path / "attributions").is_dir():
        err.print(f"error: {path}: not a PolNeAR split directory (needs text/ and attributions/)", markup=False)
        raise typer.Exit(2)


def _row(name: str, prf: PRF) -> list[str]:
    return [name, f"{prf.p:.3f}", f"{prf.r:.3f}", f"{prf.f1:.3f}"]


def print_evaluation(ev: Evaluation, console: Console, errors: int) -> None:
    """The scores table, then the error breakdown (``errors`` examples per type)."""
    sc = ev.scores
    table = Table(title=f"PolNeAR attribution scores ({sc.docs} articles)")
    for col in ("measure", "P", "R", "F1"):
        table.add_column(col, justify="left" if col == "measure" else "right")
    for name in ("cue", "source", "content"):
        table.add_row(*_row(name, getattr(sc, name)))
    table.add_row(*_row("attribution", sc.triple))
    for role, prf in sc.chars.items():
        table.add_row(*_row(f"{role} (chars)", prf))
    if any(p.tp + p.fp + p.fn for p in sc.exact.values()):
        for role, prf in sc.exact.items():
            table.add_row(*_row(f"{role} (exact span)", prf))
    console.print(table)
    # plain lines too, easy to grep in logs and tests
    console.print(f"cue F1 {sc.cue.f1:.3f}  attribution F1 {sc.triple.f1:.3f}  "
                  f"source F1 {sc.source.f1:.3f}  content F1 {sc.content.f1:.3f}", markup=False)
    console.print("exact-span F1 " + "  ".join(f"{r} {p.f1:.3f}" for r, p in sc.exact.items()), markup=False)
    if not errors:
        return
    console.print("\n[bold]Errors by type[/bold]")
    for kind in ERROR_TYPES:
        n = sc.errors.get(kind, 0)
        console.print(f"\n[bold]{kind}[/bold]: {n}")
        if kind == "cue_missed" and ev.missed_cues:
            top = ", ".join(f"{w!r} {c}" for w, c in ev.missed_cues.most_common(12))
            console.print(f"  most missed cues: {escape(top)}")
        if kind == "cue_spurious" and ev.spurious_cues:
            top = ", ".join(f"{w!r} {c}" for w, c in ev.spurious_cues.most_common(12))
            console.print(f"  most spurious cues: {escape(top)}")
        for ex in ev.examples.get(kind, [])[:errors]:
            console.print(f"  - {escape(ex.stem)}: …{escape(ex.context)}…")
            for label, roles in (("gold", ex.gold), ("pred", ex.pred)):
                if roles:
                    console.print(f"      {label}: source={escape(roles['source'][:120])!s} | "
                                  f"cue={escape(roles['cue'])} | content={escape(roles['content'][:160])}")


def polnear(
    split_dir: Annotated[Path, typer.Argument(help="a PolNeAR split directory (text/ and attributions/)")],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="score only the first N articles")] = None,
    errors: Annotated[int, typer.Option("--errors", min=0, help="examples to print per error type")] = 3,
    extractor: Annotated[str, typer.Option(help="Attribution extractor (as for analyze).")] = "rules",
    model: ModelOption = None,
) -> None:
    """Score the attribution extractor on a PolNeAR split."""
    from reportedly.eval.polnear import evaluate_split
    from reportedly.learn.component import ModelError
    from reportedly.nlp import get_nlp

    check_options(None, extractor, model, [])
    _check_split(split_dir)
    try:
        nlp = get_nlp(extractor, str(model) if model else None, resolve=False)  # scored: attributions only
        ev = evaluate_split(split_dir, nlp, limit=limit, examples=errors)
    except (OSError, UnicodeDecodeError, ValueError, ModelError) as exc:
        err.print(f"error: {split_dir}: {str(exc).splitlines()[0]}", markup=False)
        raise typer.Exit(1) from exc
    print_evaluation(ev, out, errors)


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command group to the main CLI."""
    group = typer.Typer(no_args_is_help=True, help="Evaluate reportedly against annotated corpora.")
    group.command("polnear")(polnear)
    app.add_typer(group, name="eval")
