"""The reference article: attributions 1-9 of seed-reading.md, found by the general rules.

For each, the source and cue text must match and the content must overlap the passage the reading
names (checked by a phrase it must contain). The article is read from ../shared, as published.
"""

from __future__ import annotations

import pytest

from reportedly.extract.attributions import extract_attributions
from reportedly.model import Attribution
from tests.conftest import SEED

# (source, cue, phrases the content must contain, phrases it must not contain, kind)
EXPECTED = [
    ("the Ministry of Defence of Ukraine", "according to",
     ["Russian soldiers have reportedly switched sides", "Kyiv's resistance"], ["By Jason Hall"], "according_to"),
    ("the ministry", "said",
     ["legion commanders were visiting detained former Russian troops", "may be interested in serving"],
     ["Newsweek reported"], None),
    ("a separate post", "claiming", ['"first volunteers" had already "begun individual additional training"'],
     ["Newsweek"], "mixed"),
    ("the Ministry of Defence of Ukraine Telegram post", "stated",
     ["studied a NLAW grenade launcher", "got acquainted with the operational situation on the fronts"],
     ["displaying images"], "direct"),
    ("The ministry's post", "added",
     ['"Freedom of Russia" soldiers "expressed a common desire', "the Kadyrovites"],
     ["which refers to", "Chechen troops"], "mixed"),
    ("Russian President Vladimir Putin", "announced",
     ["his country would conduct military operations in Eastern Ukraine"], [], "indirect"),
    ("A Ukraine interior minister", "confirmed",
     ['"cruise and ballistic missile strikes" were already underway'], [], "mixed"),
    ("NBC News correspondent Erin McLaughlin", "said",
     ["explosions could be heard from her live shot in Kyiv"], [], "indirect"),
    ("BNO News", "reported", ["More than 1,000 protesters were reportedly arrested"], [], "indirect"),
]


@pytest.fixture(scope="module")
def seed(nlp) -> tuple[str, list[Attribution]]:
    text = SEED.read_text(encoding="utf-8")
    return text, extract_attributions(nlp(text))


def _find(attrs: list[Attribution], source: str, cue: str) -> Attribution:
    for a in attrs:
        if a.cue.text == cue and a.source is not None and a.source.text == source:
            return a
    raise AssertionError(f"no attribution {source!r} — {cue!r}; have "
                         f"{[(a.source.text if a.source else None, a.cue.text) for a in attrs]}")


@pytest.mark.parametrize(("source", "cue", "has", "lacks", "kind"), EXPECTED,
                         ids=[f"{n + 1}-{e[1]}" for n, e in enumerate(EXPECTED)])
def test_seed_attribution(seed, source: str, cue: str, has: list[str], lacks: list[str], kind: str | None) -> None:
    text, attrs = seed
    a = _find(attrs, source, cue)
    content = " ".join(text[s:e] for s, e in a.content.spans)
    for phrase in has:
        assert phrase in content
    for phrase in lacks:
        assert phrase not in content
    if kind is not None:
        assert a.kind == kind
    # offsets are exact
    assert text[a.cue.spans[0][0]:a.cue.spans[0][1]] == cue
    assert a.source is not None and text[a.source.spans[0][0]:a.source.spans[-1][1]] == source


def test_seed_confirmed_to_nbc(seed) -> None:
    _, attrs = seed
    a = _find(attrs, "A Ukraine interior minister", "confirmed")
    assert a.recipient is not None and a.recipient.text == "NBC News"


def test_seed_newsweek_relays_the_ministry(seed) -> None:
    _, attrs = seed
    ministry = _find(attrs, "the ministry", "said")
    newsweek = _find(attrs, "Newsweek", "reported")
    claim = _find(attrs, "a separate post", "claiming")
    for inner in (ministry, claim):
        assert newsweek.content.start <= inner.cue.start and inner.content.end <= newsweek.content.end


def test_seed_quote_is_one_attribution_over_two_sentences(seed) -> None:
    _, attrs = seed
    stated = _find(attrs, "the Ministry of Defence of Ukraine Telegram post", "stated")
    assert len(stated.content.spans) == 2
    assert sum(1 for a in attrs if a.cue.text == "stated") == 1


def test_seed_hedge_is_not_an_attribution(seed) -> None:
    """"The announcement appeared to serve as ..." is the article's own hedged voice (seed-reading.md)."""
    _, attrs = seed
    assert [a for a in attrs if a.cue.text == "appeared"] == []
    assert not [a for a in attrs if a.source is not None and a.source.text == "The announcement"]


def test_seed_gloss_is_the_writers(seed) -> None:
    """Item 5: the content ends with the quote; ", which refers to Chechen troops ..." is the article's gloss."""
    text, attrs = seed
    added = _find(attrs, "The ministry's post", "added")
    assert "which refers to" not in added.content.text
    assert text[added.content.end - len("Kadyrovites,\""):added.content.end] == "Kadyrovites,\""
