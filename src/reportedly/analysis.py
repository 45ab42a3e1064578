"""Analyzing articles within bounds: the one path from Article to Report for the CLI, ingest workers and
the Python API.

- Size: an article longer than ``Limits.max_chars`` is refused before any parsing.
- Memory: spaCy's parser holds several KB per character of its input at once (a 1M-character article
  parsed whole needed about 3 GB). A text longer than ``PIECE_CHARS`` is parsed in pieces cut at paragraph or
  sentence ends and joined (``Doc.from_docs``) before reportedly's component reads it, so the parser's peak is
  that of one piece. Shorter texts (nearly every news article) are parsed whole, as before.
- Time and resident memory: each article runs under a watchdog that interrupts it past
  ``Limits.max_seconds`` or ``Limits.max_memory_mb``; the article fails with one line, the batch goes on.
  The watchdog needs the main thread (it interrupts through a signal); elsewhere only the size bound holds.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reportedly.ingest.text import InputError
from reportedly.model import Article, Report

PIECE_CHARS = 100_000  # longer texts are parsed in pieces of at most this many characters
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z])"),
         re.compile(r"\s+"))  # where to cut, best first: paragraph, line, sentence end, any space
_WATCH_EVERY = 0.1  # seconds between the watchdog's looks at the clock and the resident memory

Progress = Callable[[str], None]


class LimitExceeded(Exception):
    """An article went past a bound (size, time or memory); the message is one line naming it."""


@dataclass(frozen=True)
class Limits:
    """Per-article bounds and the pipeline to analyze with (picklable: ingest sends it to its workers)."""

    max_chars: int = 1_000_000
    max_seconds: float = 600.0
    max_memory_mb: int = 4096
    extractor: str = "rules"
    model_dir: str | None = None


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``size`` characters that join back to it exactly,
    each cut at the last paragraph break, else line break, else sentence end, else space in its second half."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(text, start + size // 2, end)]
            if ends:
                cut = ends[-1]
                break
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def line_view(text: str) -> str:
    """``text`` with CRLF and CR line ends as the parser knows them (LF), character for character: "\\r\\n"
    becomes " \\n" and a lone "\\r" becomes "\\n", so every offset stays that of the text as read."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", " \n").replace("\r", "\n")


def parse(nlp: Any, text: str, progress: Progress | None = None, article: Article | None = None) -> Any:
    """The Doc of ``text`` through the whole pipeline: long texts parsed piece by piece (see module doc),
    CRLF text parsed in its LF view; reportedly's component then reads the text as read."""
    view = line_view(text)
    if len(view) <= PIECE_CHARS and view is text:
        whole = nlp.make_doc(text)
        whole._.article = article  # what the component resolves against (title, byline, outlet, date)
        return nlp(whole)
    from spacy.tokens import Doc

    parts = pieces(view)
    docs = []
    with nlp.select_pipes(disable=["reportedly"]):
        for k, part in enumerate(parts, 1):
            if progress and len(parts) > 1:
                progress(f"parsing piece {k}/{len(parts)}")
            docs.append(nlp(part))
    doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
    del docs
    doc.user_data["reportedly_text"] = text  # what resolve/lexicon.doc_text gives: offsets agree, CRs kept
    doc._.article = article
    if progress:
        progress("extracting attributions, resolving sources")
    return nlp.get_pipe("reportedly")(doc)


def _resident_mb() -> float | None:
    """This process's resident memory in MB (Linux /proc), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextmanager
def bounded(name: str, limits: Limits) -> Iterator[None]:
    """Run the block under ``limits``' time and memory bounds: past one, LimitExceeded is raised in it."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_kill"):
        yield
        return
    reason: list[str] = []
    done = threading.Event()
    deadline = time.monotonic() + limits.max_seconds

    def watch() -> None:
        while not done.wait(_WATCH_EVERY):
            rss = _resident_mb()
            if time.monotonic() > deadline:
                reason.append(f"{name}: analysis took longer than {limits.max_seconds:g} s (--max-seconds)")
            elif rss is not None and rss > limits.max_memory_mb:
                reason.append(f"{name}: analysis needed more than {limits.max_memory_mb} MB of memory "
                              "(--max-memory)")
            else:
                continue
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGUSR1)
            return

    def interrupt(signum: int, frame: Any) -> None:
        raise LimitExceeded(reason[0] if reason else f"{name}: interrupted")

    previous = signal.signal(signal.SIGUSR1, interrupt)
    watcher = threading.Thread(target=watch, name="reportedly-limits", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        signal.signal(signal.SIGUSR1, previous)


def analyze_one(article: Article, limits: Limits = Limits(), progress: Progress | None = None) -> Report:
    """The report of one article within ``limits``; LimitExceeded (one line) past a bound."""
    from reportedly.nlp import get_nlp
    from reportedly.report import build_report

    if len(article.text) > limits.max_chars:
        raise LimitExceeded(f"{article.id}: too long ({len(article.text):,} characters; the limit is "
                            f"{limits.max_chars:,}, --max-chars)")
    nlp = get_nlp(limits.extractor, limits.model_dir)  # loaded on the first valid article, not before
    with bounded(article.id, limits):
        doc = parse(nlp, article.text, progress, article)
        # the component resolved the report (the same path as nlp.add_pipe users); a pipeline built with
        # resolve=False leaves it to us
        return doc._.report if doc._.report is not None else build_report(doc, article)


def analyze_all(articles: Iterator[Article | InputError], limits: Limits, on_error: Callable[[str], None],
                progress: Progress | None = None) -> Iterator[Report]:
    """Reports of a stream of articles; a bad input or an article that fails or goes past a bound is passed
    to ``on_error`` as one line and skipped."""
    for art in articles:
        if isinstance(art, InputError):
            on_error(str(art))
            continue
        try:
            yield analyze_one(art, limits, progress)
        except (LimitExceeded, InputError) as exc:
            on_error(str(exc))
        except MemoryError:
            on_error(f"{art.id}: out of memory during analysis")
        except Exception as exc:  # one article's failure must not stop the batch
            on_error(f"{art.id}: analysis failed ({type(exc).__name__}: {exc})".splitlines()[0])
