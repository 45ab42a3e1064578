"""The seed article's report (real pipeline, published 2022-04-01) holds every item of seed-reading.md.

Nothing here is special-cased in the code: the same rules run on PolNeAR. Attributions are found by
their cue and source text, not by id, so the test does not depend on extraction order.
"""

from __future__ import annotations

import pytest

from reportedly.model import Attribution, Report


def _find(report: Report, cue: str, source: str | None = None) -> Attribution:
    for a in report.attributions:
        if a.cue.text.lower().startswith(cue.lower()) and (
                source is None or (a.source is not None and source.lower() in a.source.text.lower())):
            return a
    raise AssertionError(f"no attribution with cue {cue!r} and source {source!r}: "
                         f"{[(a.source.text if a.source else None, a.cue.text) for a in report.attributions]}")


def _entity(report: Report, a: Attribution):
    assert a.source is not None and a.source.entity, f"unresolved source of {a.id}"
    return next(e for e in report.entities if e.id == a.source.entity)


def _hops(report: Report, claim: str):
    ents = {e.id: e.name for e in report.entities}
    chain = next(c for c in report.chains if c.claim == claim)
    return [("article", h.date) if h.article else (ents.get(h.entity or ""), h.channel, h.date) for h in chain.hops]


def test_1_according_to_ministry(seed_report):
    a = _find(seed_report, "according to", "Ministry of Defence")
    e = _entity(seed_report, a)
    assert (e.name, e.kind) == ("Ministry of Defence of Ukraine", "government")
    assert a.content.text.lstrip('"').lower().startswith("several hundred")
    assert "reportedly" in [h.text for h in a.hedges]


def test_2_ministry_said_telegram_post(seed_report):
    a = _find(seed_report, "said", "the ministry")
    assert _entity(seed_report, a).name == "Ministry of Defence of Ukraine"
    assert a.channel is not None and a.channel.type == "social_post" and "Telegram" in a.channel.text
    assert a.date is not None and a.date.value == "2022-03-30"
    assert "may" in [h.text for h in a.hedges]
    assert "Newsweek" not in a.content.text
    parent = next(p for p in seed_report.attributions if p.id == a.parent)
    assert _entity(seed_report, parent).name == "Newsweek"


def test_3_ministry_claiming(seed_report):
    a = _find(seed_report, "claiming")
    assert _entity(seed_report, a).name == "Ministry of Defence of Ukraine"
    assert "claiming" in [h.text for h in a.hedges]
    parent = next(p for p in seed_report.attributions if p.id == a.parent)
    assert _entity(seed_report, parent).name == "Newsweek"


def test_two_chains_through_newsweek(seed_report):
    expected = [("Ministry of Defence of Ukraine", "social_post", "2022-03-30"), ("Newsweek", None, None),
                ("article", "2022-04-01")]
    through = [c.claim for c in seed_report.chains if _hops(seed_report, c.claim) == expected]
    assert len(through) == 2, [_hops(seed_report, c.claim) for c in seed_report.chains]
    assert all(c.first_hand is False for c in seed_report.chains if c.claim in through)


def test_4_telegram_post_stated(seed_report):
    a = _find(seed_report, "stated")
    assert _entity(seed_report, a).name == "Ministry of Defence of Ukraine"
    assert a.channel is not None and a.channel.type == "social_post"
    assert "NLAW grenade launcher" in a.content.text and "operational situation" in a.content.text


def test_5_ministry_post_added(seed_report):
    a = _find(seed_report, "added")
    assert _entity(seed_report, a).name == "Ministry of Defence of Ukraine"
    assert a.kind == "mixed"
    assert "which refers to" not in a.content.text


def test_6_putin_announced_speech(seed_report):
    a = _find(seed_report, "announced", "Putin")
    assert (_entity(seed_report, a).name, _entity(seed_report, a).kind) == ("Vladimir Putin", "official")
    assert a.channel is not None and a.channel.type == "speech"
    assert a.date is not None and a.date.value == "2022-02-24"


def test_7_interior_minister_text_message(seed_report):
    a = _find(seed_report, "confirmed", "interior minister")
    assert _entity(seed_report, a).kind == "anonymous"
    assert a.recipient is not None and a.recipient.text == "NBC News"
    assert a.channel is not None and a.channel.type == "text_message"


def test_8_correspondent_live_shot(seed_report):
    a = _find(seed_report, "said", "McLaughlin")
    assert (_entity(seed_report, a).name, _entity(seed_report, a).kind) == ("Erin McLaughlin", "journalist")
    assert a.channel is not None and a.channel.type == "broadcast"


def test_9_bno_news(seed_report):
    a = _find(seed_report, "reported", "BNO News")
    assert _entity(seed_report, a).kind == "outlet"
    assert "reportedly" in [h.text for h in a.hedges]


def test_entities_and_kinds(seed_report):
    kinds = {e.name: e.kind for e in seed_report.entities}
    assert kinds["Newsweek"] == "outlet" and kinds["NBC News"] == "outlet" and kinds["BNO News"] == "outlet"
    assert kinds["Ministry of Defence of Ukraine"] == "government"
    assert kinds["Erin McLaughlin"] == "journalist" and kinds["Vladimir Putin"] == "official"


def test_quantities(seed_report):
    q = {x.text.lower(): x for x in seed_report.quantities}
    assert (q["several hundred"].low, q["several hundred"].high, q["several hundred"].unit) == (200, 900, "soldiers")
    more = q["more than 1,000"]
    assert (more.low, more.high, more.low_exclusive, more.unit) == (1000, None, True, "protesters")


def test_times(seed_report):
    values = {t.value for t in seed_report.times}
    assert {"2022-03-30", "2022-02-24"} <= values


def test_unattributed_hedged_sentence(seed_report):
    u = next((u for u in seed_report.unattributed if u.text.startswith("The announcement appeared to")), None)
    assert u is not None, [x.text[:40] for x in seed_report.unattributed]
    assert [h.text for h in u.hedges] == ["appeared to"]


def test_headline_overstated(seed_report):
    assert seed_report.headline is not None
    assert seed_report.headline.support == "overstated"
    assert "reportedly" in seed_report.headline.why


@pytest.mark.parametrize("field", ["attributions", "entities", "chains", "quantities", "times", "unattributed"])
def test_offsets_point_into_the_text(seed_report, field):
    text = seed_report.article.text
    for item in getattr(seed_report, field):
        spans = getattr(item, "spans", None) or getattr(item, "mentions", None) or []
        if field == "attributions":
            spans = item.cue.spans + item.content.spans
        for s, e in spans:
            assert 0 <= s < e <= len(text)
