"""Progress of ``reportedly analyze`` on stderr: articles done and the stage of the current one (a 1M-character
article takes minutes). Shown only when stderr is a terminal, so logs and pipes get the error lines alone."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

T = TypeVar("T")


class Display:
    """Counts the articles as they are read and names the current stage; errors print above the bar."""

    def __init__(self, console: Console) -> None:
        self.console = console
        # output on the same terminal is printed above the bar; output to a file or pipe is left alone
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.fields[done]} done"),
                                 TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                                 transient=True, disable=not console.is_terminal,
                                 redirect_stdout=sys.stdout.isatty(), redirect_stderr=False)
        self.task = self.progress.add_task("", total=None, done=0)
        self.current = ""

    def count(self, items: Iterator[T]) -> Iterator[T]:
        """``items`` unchanged; each one read counts the previous one as done."""
        for n, item in enumerate(items):
            self.current = str(getattr(item, "id", ""))[:60]
            self.progress.update(self.task, done=n, description=self.current)
            yield item

    def stage(self, message: str) -> None:
        self.progress.update(self.task, description=f"{self.current}: {message}")

    def error(self, message: str) -> None:
        """One line on stderr; the message may quote hostile input, so it is never read as markup."""
        self.progress.console.print(Text("error: " + message), soft_wrap=True, highlight=False)


@contextmanager
def progress_display(console: Console) -> Iterator[Display]:
    display = Display(console)
    with display.progress:
        yield display
