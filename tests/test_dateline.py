"""Datelines (issue 11, item 19): a wire's credit names the outlet; the dateline is nobody's claim and not the
article's own voice. First lines of PolNeAR train articles and real wire phrasing."""

from __future__ import annotations

import pytest

from reportedly.ingest.text import article_from_text, find_dateline

WIRE = ("Port Reopens After Strike\n\nROTTERDAM, Netherlands (Reuters) - Europe's largest port reopened on Tuesday "
        "after a two-day strike by dock workers, the port authority said.\n\nShipping lines warned of delays "
        "lasting into next week.\n")


@pytest.mark.parametrize("line,dateline,credit", [
    ("ROTTERDAM, Netherlands (Reuters) - Europe's largest port reopened", "ROTTERDAM, Netherlands (Reuters) - ",
     "Reuters"),
    # PolNeAR train (breitbart 2015-11-16, an AP story; UPI stories)
    ("DALLAS (AP) — Democratic presidential candidate Martin O’Malley is shifting staff", "DALLAS (AP) — ", "AP"),
    ("NEW YORK, Dec. 11 (UPI) — NBA on TNT has a crew of large former players", "NEW YORK, Dec. 11 (UPI) — ", "UPI"),
    ("CLEVELAND - Donald Trump took the stage", "CLEVELAND - ", None),
    ("Authorities — in a statement on Tuesday — said the port was closed", None, None),
    ("TRUMP: We are going to win.", None, None),  # a transcript's speaker label is no dateline
])
def test_datelines(line, dateline, credit) -> None:
    got = find_dateline(line)
    assert (line[got.start:got.end] if got else None) == dateline
    assert (got.credit if got else None) == credit


def test_the_credit_names_the_outlet_unless_one_is_given() -> None:
    assert article_from_text(WIRE, id="w").outlet == "Reuters"
    assert article_from_text(WIRE, id="w", outlet="The Daily Ledger").outlet == "The Daily Ledger"
    assert article_from_text("Title\n\nDALLAS (AP) — Democratic presidential candidate Martin O’Malley is "
                             "shifting staff.\n", id="ap").outlet == "Associated Press"


def test_the_dateline_is_neither_content_nor_own_voice(nlp) -> None:
    import reportedly

    report = reportedly.analyze(WIRE, published="2024-03-12", id="wire")
    assert report.article.outlet == "Reuters"
    said = next(a for a in report.attributions if a.cue.text == "said")
    assert said.content.text.startswith("Europe's largest port reopened"), said.content.text
    assert WIRE[said.content.spans[0][0]:said.content.spans[0][1]] == said.content.text
    for u in report.unattributed:
        assert "ROTTERDAM" not in u.text and "(Reuters)" not in u.text
