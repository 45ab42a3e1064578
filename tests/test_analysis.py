"""The bounded analysis path (reportedly.analysis) and the position indexes that keep long articles linear:
pieces join back to the text, cuts fall at paragraph or sentence ends, CRLF views keep every offset, and the
indexes answer exactly what a scan of every span answers."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from reportedly.analysis import line_view, parse, pieces
from reportedly.extract.hedges import HedgeIndex
from reportedly.extract.marks import QuoteMarks
from reportedly.model import Attribution, Cue, Field, Hedge
from reportedly.resolve.contents import ContentIndex, SpanSet
from tests.conftest import SEED


def test_pieces_join_back_and_cut_at_paragraphs_then_sentences() -> None:
    text = SEED.read_text(encoding="utf-8")
    parts = pieces(text, 500)
    assert "".join(parts) == text and all(len(p) <= 500 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-1])  # the seed has paragraphs: cuts at line ends
    flat = " ".join(text.split())
    parts = pieces(flat, 500)
    assert "".join(parts) == flat
    assert all(p.rstrip()[-1] in ".!?\"”’)" for p in parts[:-1]), [p[-30:] for p in parts]
    assert pieces("x" * 1050, 500) == ["x" * 500, "x" * 500, "x" * 50]  # no space at all: a hard cut


@given(st.text(alphabet="ab .\n\"", max_size=400), st.integers(min_value=4, max_value=60))
def test_pieces_always_cover_the_text_exactly(text: str, size: int) -> None:
    parts = pieces(text, size)
    assert "".join(parts) == text
    assert all(len(p) <= size for p in parts) and all(parts[:-1])


def test_line_view_keeps_every_offset() -> None:
    text = "Title\r\nBy Ann Lee\r\n\r\nThe minister said so.\rNext line."
    view = line_view(text)
    assert len(view) == len(text) and "\r" not in view
    assert all(view[i] == text[i] for i in range(len(text)) if text[i] not in "\r\n")
    assert line_view("no carriage returns\n") == "no carriage returns\n"


def test_a_long_crlf_text_parses_in_pieces_with_the_text_as_read(nlp) -> None:
    para = "The minister said on Monday that the dam would hold, officials told reporters.\r\n\r\n"
    text = "Title\r\n" + para * 1400  # over 100k characters: parsed in pieces
    doc = parse(nlp, text)
    assert doc.text.replace(" \n", "\r\n") == text and len(doc.text) == len(text)
    assert doc.user_data["reportedly_text"] == text
    cues = [a.cue.text for a in doc._.attributions]
    assert cues.count("said") == 1400


def _attr(k: int, spans: list[tuple[int, int]], cue: int) -> Attribution:
    return Attribution(id=f"a{k}", cue=Cue("said", [(cue, cue + 4)], "say"), content=Field("x", spans),
                       kind="indirect")


def test_content_index_answers_like_a_scan() -> None:
    rng = random.Random(5)
    attrs = []
    for k in range(200):
        s = rng.randrange(0, 5000)
        spans = sorted({(s, s + rng.randrange(1, 300)), (s + 400, s + 400 + rng.randrange(1, 50))})
        attrs.append(_attr(k, spans, rng.randrange(0, 5500)))
    index = ContentIndex(attrs)
    for _ in range(300):
        lo = rng.randrange(0, 5500)
        hi = lo + rng.randrange(1, 400)
        a = rng.choice(attrs)
        scan = [sp for o in attrs if o.id != a.id and not any(s <= a.cue.start < e for s, e in o.content.spans)
                for sp in o.content.spans if sp[1] > lo and sp[0] < hi]
        assert sorted(index.foreign(a, lo, hi)) == sorted(scan)
        pos = rng.randrange(0, 5500)
        assert index.holding(pos) == [o for o in attrs if any(s <= pos < e for s, e in o.content.spans)]
        spans = [sp for o in attrs for sp in o.content.spans]
        assert SpanSet(spans).holding(pos) == [sp for sp in spans if sp[0] <= pos < sp[1]]


def test_hedge_index_answers_like_a_scan() -> None:
    rng = random.Random(7)
    hedges, pos = [], 0
    for _ in range(300):
        pos += rng.randrange(1, 40)
        n = rng.randrange(1, 12)
        hedges.append(Hedge("h", [(pos, pos + n)], 0.5))
        pos += n
    index = HedgeIndex(hedges)
    for _ in range(300):
        s = rng.randrange(0, pos)
        spans = [(s, s + rng.randrange(1, 200))]
        assert index.inside(spans) == [h for h in hedges if any(a <= h.spans[0][0] and h.spans[0][1] <= b
                                                                 for a, b in spans)]
        assert index.at_cue(spans) == [h for h in hedges if any(a <= h.spans[0][0] and h.spans[0][1] <= b
                                                                 for a, b in spans)
                                       or any(abs(h.spans[0][1] + 1 - a) <= 1 for a, _ in spans)]


@given(st.text(alphabet="ab\"“”'`\n ", max_size=120), st.data())
def test_quote_marks_count_like_str_count_on_the_line(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(min_value=0, max_value=len(text)))
    between = text[text.rfind("\n", 0, pos) + 1:pos]
    marks = QuoteMarks(text)
    assert marks.line_start(pos) == text.rfind("\n", 0, pos) + 1
    for mark in ('"', "“", "”", "''", "``"):
        assert marks.before(mark, pos) == between.count(mark), mark
