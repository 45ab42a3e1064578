"""Pure pieces of the web layer: highlighting (offsets kept, overlaps resolved, text escaped), the SVG
charts on hostile labels, and the cursors (round trip, forged cursors refused)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import reportedly
from reportedly.serve.web import render
from reportedly.store.queries import CursorError, decode_cursor, encode_cursor, keyset

TEXT = ("Bridge closed\n\nThe transport minister said on Monday that the bridge was probably unsafe, "
        "according to a statement. \"We will <b>not</b> reopen it,\" a spokeswoman told reporters.")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


def _parse(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def report() -> dict:
    return reportedly.analyze(TEXT, published="2022-05-02").to_dict()


def test_highlight_keeps_the_text_and_marks_every_span(report: dict) -> None:
    html = str(render.highlight(TEXT, report))
    parsed = _parse(html)
    assert "".join(parsed.parts) == TEXT  # escaped markup in the text is shown as text
    assert set(parsed.tags) == {"a"}  # the article's <b> is not markup
    marks = render.marks_of(report)
    assert {r for *_, r in marks} >= {"source", "cue", "content"}
    segs = render.segments(len(TEXT), marks)
    assert [s.start for s in segs[1:]] == [s.end for s in segs[:-1]] and segs[-1].end == len(TEXT)
    for s, e, attr, role in marks:
        covered = {i for seg in segs if (attr, role) in seg.marks for i in range(seg.start, seg.end)}
        assert covered == set(range(s, e))


def test_overlapping_marks_show_the_most_specific_role() -> None:
    marks = [(0, 20, "a1", "content"), (5, 9, "a2", "source"), (7, 12, "a2", "cue")]
    segs = {(s.start, s.end): s for s in render.segments(20, marks)}
    assert segs[(5, 7)].role == "source" and segs[(7, 9)].role == "cue" and segs[(9, 12)].role == "cue"
    assert segs[(12, 20)].role == "content" and segs[(12, 20)].attr == "a1"
    assert segs[(7, 9)].marks == [("a1", "content"), ("a2", "cue"), ("a2", "source")]


def test_charts_escape_hostile_labels() -> None:
    evil = "<script>alert(1)</script>\u202e"
    charts = [
        render.stacked_bars(evil, [(evil, (1, 2))], [evil, "relayed"]),
        render.columns_over_time(evil, [(evil, (3, 0)), ("2022-04", (1, 1))], ["first-hand", evil]),
        render.relay_graph(evil, [{"name": evil, "relays": [{"article_id": "x", "relayed_from": None}]}],
                           [{"article_id": "x", "outlet": evil, "published": "not a date"}]),
        render.timeline(evil, [{"article_id": "x", "outlet": evil, "published": "2022-13-45"},
                               {"article_id": "y", "outlet": "B", "published": "2022-04-02"}]),
    ]
    for chart in charts:
        tags = set(_parse(str(chart)).tags)
        assert "script" not in tags and "svg" in tags
        assert "&lt;script&gt;" in str(chart)


def test_cursors_round_trip_and_refuse_forgeries() -> None:
    key = ["2022-04-01", 17, "a3"]
    assert decode_cursor(encode_cursor(key), (str, int, str)) == key
    for forged in ("not-base64!", encode_cursor(["2022", "17", "a3"]), encode_cursor([1, 2]),
                   encode_cursor(["x\x00", 1, "a"]), encode_cursor([True, 1, "a"]), encode_cursor({"a": 1})):
        with pytest.raises(CursorError):
            decode_cursor(forged, (str, int, str))


def test_keyset_mixes_directions() -> None:
    """The keyset fragment selects exactly the rows after the key in a mixed-direction order."""
    import sqlite3

    rows = [(x, y) for x in (3, 5, 7) for y in ("a", "b", "c")]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (x INTEGER, y TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?)", rows)
    ordered = sorted(rows, key=lambda r: (-r[0], r[1]))
    for i, key in enumerate(ordered):
        frag, params = keyset([("x", True), ("y", False)], list(key))
        got = db.execute(f"SELECT x, y FROM t WHERE {frag} ORDER BY x DESC, y", params).fetchall()
        assert got == ordered[i + 1:], key
