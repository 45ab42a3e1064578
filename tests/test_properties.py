"""Properties of the analysis on any text (hypothesis): every span of the report lies inside the text, is
non-empty and ordered, and the report survives a JSON round trip. Generated texts mix news words, cue verbs,
quote marks of every kind, line ends (LF, CRLF, CR), control and bidi characters and other scripts."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportedly
from reportedly.model import report_from_dict

WORDS = ["The", "minister", "said", "told", "reporters", "according", "to", "officials", "Reuters", "claimed",
         "may", "reportedly", "on", "Monday", "that", "the", "dam", "would", "hold", "2,000", "people", "He",
         "she", "warned", "\"", "“", "”", "'", "‘", "’", "«", "»", ",", ".", "?", "—", ":", "\n", "\r\n", "\r",
         "\n\n", "\t", "\x0b", "\u202e", "官员说", "Властите", "قال", "🚒", "(", ")", "By", "Ann", "Lee"]

texts = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=120).map(" ".join),
    st.text(min_size=1, max_size=400),
)


def spans_of(report: dict[str, Any]) -> list[tuple[str, list[list[int]]]]:
    """Every span list in the report's JSON form, with its key: a field's ``spans`` (its pieces, which never
    overlap) or an entity's ``mentions`` (places it is named, which may nest: "The Reuters" and "Reuters")."""
    out: list[tuple[str, list[list[int]]]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("spans", "mentions") and isinstance(value, list):
                    out.append((key, value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(report)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_spans_inside_it_and_a_report_that_round_trips(text: str) -> None:
    report = reportedly.analyze(text, published="2022-04-01")
    data = report.to_dict()
    for key, spans in spans_of(data):
        for s, e in spans:
            assert 0 <= s < e <= len(text), (s, e, len(text))
        assert spans == sorted(spans)
        if key == "spans":
            assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), spans
    encoded = json.dumps(data, ensure_ascii=False)
    assert data["article"]["chars"] == len(text)
    again = report_from_dict(json.loads(encoded), text)
    assert json.dumps(again.to_dict(), ensure_ascii=False) == encoded
