"""The terminal view prints hostile article text literally (no rich markup, no control sequences)."""

from __future__ import annotations

import io

from rich.console import Console

from reportedly.ingest.text import article_from_text
from reportedly.report import build_report
from reportedly.serve.view import render
from tests.conftest import SEED
from tests.provenance_helpers import attr, seed_attributions


def _render(report) -> str:
    buf = io.StringIO()
    render(report, Console(file=buf, width=160, color_system=None, force_terminal=False))
    return buf.getvalue()


def test_seed_view_lists_sources_chains_and_verdict(nlp):
    text = SEED.read_text(encoding="utf-8")
    doc = nlp(text)
    doc._.attributions = seed_attributions(text)
    out = _render(build_report(doc, article_from_text(text, id="seed", published="2022-04-01")))
    for needle in ("Newsweek [outlet]", "social_post", "2022-03-30", "overstated", "appeared to", "second-hand",
                   "Several hundred"):
        assert needle in out, needle


def test_markup_and_control_characters_are_inert(nlp):
    text = "[bold red]Breaking[/] \x1b[2J news\nThe agency said [link=http://x]click[/link] the plan failed.\n"
    doc = nlp(text)
    doc._.attributions = [attr(text, "a1", "The agency", "said", "[link=http://x]click[/link] the plan failed",
                               lemma="say")]
    out = _render(build_report(doc, article_from_text(text, id="x")))
    assert "[bold red]Breaking[/]" in out
    assert "[link=http://x]click[/link]" in out
    assert "\x1b" not in out


def test_seed_view_reads_at_80_columns(nlp):
    # the old 7-column table broke words into 8-character pieces at 80 columns; the list keeps them whole
    text = SEED.read_text(encoding="utf-8")
    doc = nlp(text)
    doc._.attributions = seed_attributions(text)
    buf = io.StringIO()
    render(build_report(doc, article_from_text(text, id="seed", published="2022-04-01")),
           Console(file=buf, width=80, color_system=None, force_terminal=False))
    out = buf.getvalue()
    assert max(len(line) for line in out.splitlines()) <= 80
    for needle in ("Newsweek [outlet]", "social_post", "2022-03-30", "→ this article", "overstated"):
        assert needle in out, needle
    assert "\n    " in out  # content and details are indented under their attribution
