"""Nesting, provenance chains, channels and dates on hand-built attributions over real text."""

from __future__ import annotations

import pytest

from reportedly.ingest.text import article_from_text
from reportedly.model import Article
from reportedly.report import build_report
from reportedly.resolve.chains import assign_parents
from tests.conftest import SEED
from tests.provenance_helpers import attr, seed_attributions


@pytest.fixture(scope="module")
def seed_hand(nlp):
    """The seed article's report built from the correct attributions (extraction taken out of the test)."""
    text = SEED.read_text(encoding="utf-8")
    doc = nlp(text)
    doc._.attributions = seed_attributions(text)
    return build_report(doc, article_from_text(text, id="seed", published="2022-04-01"))


def _hops(report, claim):
    ents = {e.id: e.name for e in report.entities}
    chain = next(c for c in report.chains if c.claim == claim)
    return [("article", h.date) if h.article else (ents.get(h.entity or ""), h.channel, h.date) for h in chain.hops]


def test_seed_parents(seed_hand):
    parent = {a.id: a.parent for a in seed_hand.attributions}
    assert parent["a2"] == "a4" and parent["a3"] == "a4"  # "..., Newsweek reported"
    assert all(parent[i] is None for i in ("a1", "a4", "a5", "a6", "a7", "a8", "a9", "a10"))


def test_seed_chains_through_newsweek(seed_hand):
    expected = [("Ministry of Defence of Ukraine", "social_post", "2022-03-30"), ("Newsweek", None, None),
                ("article", "2022-04-01")]
    assert _hops(seed_hand, "a2") == expected
    assert _hops(seed_hand, "a3") == expected
    for claim in ("a2", "a3"):
        chain = next(c for c in seed_hand.chains if c.claim == claim)
        assert chain.length == 2 and chain.first_hand is False
    # the relaying claim itself has no chain of its own: its chains are its children's
    assert all(c.claim != "a4" for c in seed_hand.chains)


def test_seed_other_chains(seed_hand):
    assert _hops(seed_hand, "a7") == [("Vladimir Putin", "speech", "2022-02-24"), ("NBC News", None, None),
                                      ("article", "2022-04-01")]
    assert _hops(seed_hand, "a8") == [("Ukraine interior minister", "text_message", None), ("NBC News", None, None),
                                      ("article", "2022-04-01")]
    assert _hops(seed_hand, "a9") == [("Erin McLaughlin", "broadcast", None), ("NBC News", None, None),
                                      ("article", "2022-04-01")]
    assert _hops(seed_hand, "a10") == [("BNO News", None, None), ("article", "2022-04-01")]
    bno = next(c for c in seed_hand.chains if c.claim == "a10")
    assert bno.first_hand is False  # another outlet's report
    post = next(c for c in seed_hand.chains if c.claim == "a5")
    assert post.first_hand is True  # the ministry's own Telegram post, quoted directly


def test_seed_channels_and_dates(seed_hand):
    by = {a.id: a for a in seed_hand.attributions}
    assert by["a2"].channel.type == "social_post" and "Telegram" in by["a2"].channel.text
    assert (by["a2"].date.text, by["a2"].date.value) == ("Wednesday (March 30)", "2022-03-30")
    assert by["a4"].channel is None and by["a4"].date is None  # the date is inside Newsweek's content
    assert by["a7"].channel.type == "speech" and by["a7"].date.value == "2022-02-24"
    assert by["a8"].channel.type == "text_message"
    assert by["a9"].channel.type == "broadcast"
    assert by["a10"].channel is None


def test_told_outlet_is_a_relay(nlp):
    # PolNeAR train
    text = ("\u201cAll of us are fearful if it came down to that, that the establishment, with Ted Cruz, would work "
            "overtime to steal that nomination,\u201d Collins told MSNBC.")
    doc = nlp(text)
    doc._.attributions = [attr(text, "a1", "Collins", "told", text[:text.index(" Collins")], kind="direct",
                               lemma="tell")]
    rep = build_report(doc, Article(id="t", text=text, published="2016-03-10"))
    assert rep.attributions[0].recipient is not None and rep.attributions[0].recipient.text == "MSNBC"
    assert rep.attributions[0].channel.type == "interview"
    assert _hops(rep, "a1") == [("Collins", "interview", None), ("MSNBC", None, None), ("article", "2016-03-10")]


def test_nested_relay_and_innermost_parent(nlp):
    text = ("The official said the minister told him that the talks had failed, according to a statement released "
            "by the embassy.")
    a1 = attr(text, "a1", "The official", "said", "the minister told him that the talks had failed", lemma="say")
    a2 = attr(text, "a2", "the minister", "told", "that the talks had failed", lemma="tell")
    a3 = attr(text, "a3", "a statement released by the embassy", "according to",
              "The official said the minister told him that the talks had failed", kind="according_to",
              lemma="according to")
    parents = assign_parents([a1, a2, a3])
    assert parents == {"a2": "a1", "a1": "a3"}
    doc = nlp(text)
    doc._.attributions = [a1, a2, a3]
    rep = build_report(doc, Article(id="t", text=text, published="2016-03-10"))
    names = [h[0] for h in _hops(rep, "a2")]
    assert names[:2] == ["minister", "official"] and names[-1] == "article"
    assert len(rep.chains) == 1  # one innermost claim


def test_own_outlet_is_first_hand(nlp):
    text = ("Hillary Clinton was headed to an emergency room following her collapse, The Post has learned.")
    a1 = attr(text, "a1", "The Post", "has learned", "Hillary Clinton was headed to an emergency room following "
              "her collapse", lemma="learn")
    doc = nlp(text)
    doc._.attributions = [a1]
    own = build_report(doc, Article(id="t", text=text, outlet="The New York Post", published="2016-09-12"))
    other = build_report(doc, Article(id="t", text=text, outlet="Breitbart News", published="2016-09-12"))
    assert own.chains[0].first_hand is True
    assert other.chains[0].first_hand is False


def test_seed_headline_overstated(seed_hand):
    assert seed_hand.headline.support == "overstated"
    assert "reportedly" in seed_hand.headline.why and "claim a1" in seed_hand.headline.why


def test_headline_that_names_its_source_is_not_overstated_by_hedges(nlp):
    # PolNeAR dev shape (Breitbart): "Poll: ..." says where the claim comes from
    text = ("Poll: Wealthy Voters Abandon Republican Party for Hillary Clinton\n"
            "Wealthy voters may be abandoning the Republican Party for Hillary Clinton, a Bloomberg poll shows.\n")
    doc = nlp(text)
    doc._.attributions = [attr(text, "a1", "a Bloomberg poll", "shows", "Wealthy voters may be abandoning the "
                               "Republican Party for Hillary Clinton", after=text.index("\n"), lemma="show")]
    from reportedly.ingest.text import article_from_text as aft

    rep = build_report(doc, aft(text, id="t", published="2016-09-20"))
    assert rep.headline.support == "supported"
    unhedged = text.replace("Poll: ", "")
    doc2 = nlp(unhedged)
    doc2._.attributions = [attr(unhedged, "a1", "a Bloomberg poll", "shows", "Wealthy voters may be abandoning the "
                                "Republican Party for Hillary Clinton", after=unhedged.index("\n"), lemma="show")]
    assert build_report(doc2, aft(unhedged, id="t", published="2016-09-20")).headline.support == "overstated"


def test_an_email_message_is_an_email_whatever_the_hash_seed(nlp):
    # PolNeAR train (wash-post): "email" and "message" tie on priority; the first channel word of the phrase decides,
    # not the iteration order of a set (which changes with PYTHONHASHSEED)
    text = ("\"I wouldn't remember check for check off the top of my head,\" Eric Trump wrote Monday in an email "
            "message to The Washington Post.")
    doc = nlp(text)
    doc._.attributions = [attr(text, "a1", "Eric Trump", "wrote",
                               "\"I wouldn't remember check for check off the top of my head,\"", kind="direct",
                               lemma="write")]
    rep = build_report(doc, Article(id="t", text=text, published="2016-07-13"))
    assert rep.attributions[0].channel.type == "email"
