"""Canonical sources and kinds, on hand-built attributions over real text (seed article, PolNeAR train).

The attributions are built by hand so that these tests check resolution alone, whatever the
extractor currently finds.
"""

from __future__ import annotations

from reportedly.resolve.sources import resolve_sources
from tests.conftest import SEED
from tests.provenance_helpers import attr, seed_attributions


def _resolve(nlp, text, attrs, outlet=None, start=0):
    doc = nlp(text)
    res = resolve_sources(doc, attrs, outlet, start=start)
    ents = {e.id: e for e in res.entities}
    return res, ents


def test_seed_sources_kinds_and_coreference(nlp):
    text = SEED.read_text(encoding="utf-8")
    attrs = seed_attributions(text)
    res, ents = _resolve(nlp, text, attrs, start=text.index('\n"Several') + 1)
    by = {a.id: ents[res.source_of[a.id]] for a in attrs}
    ministry = by["a1"]
    assert (ministry.name, ministry.kind) == ("Ministry of Defence of Ukraine", "government")
    # "the ministry", "the ... Telegram post", "The ministry's post" all link to the ministry
    assert {by[i].id for i in ("a2", "a3", "a5", "a6")} == {ministry.id}
    assert (by["a4"].name, by["a4"].kind) == ("Newsweek", "outlet")
    assert (by["a7"].name, by["a7"].kind) == ("Vladimir Putin", "official")
    assert by["a8"].kind == "anonymous"
    assert (by["a9"].name, by["a9"].kind) == ("Erin McLaughlin", "journalist")
    assert (by["a10"].name, by["a10"].kind) == ("BNO News", "outlet")
    nbc = ents[res.recipient_of["a8"]]
    assert (nbc.name, nbc.kind) == ("NBC News", "outlet")
    assert res.affiliation[by["a9"].id] == nbc.id
    # every mention offset points at text that names the entity or refers to it
    assert any(text[s:e] == "the ministry" for s, e in ministry.mentions)


def test_outlet_short_form_resolves_to_the_outlet_named_before(nlp):
    # PolNeAR train (Breitbart quoting the New York Post); "The Post" is ambiguous on its own
    text = ("Weiner, 51, who's married to top Hillary Clinton aide Huma Abedin, allegedly sent lurid tweets and photos "
            "to another woman, the New York Post reported. The Post has learned that one of the selfies included "
            "his young son.")
    a1 = attr(text, "a1", "the New York Post", "reported", "Weiner, 51, who's married to top Hillary Clinton aide "
              "Huma Abedin, allegedly sent lurid tweets and photos to another woman", lemma="report")
    a2 = attr(text, "a2", "The Post", "has learned", "that one of the selfies included his young son",
              lemma="learn")
    res, ents = _resolve(nlp, text, [a1, a2])
    assert res.source_of["a1"] == res.source_of["a2"]
    assert ents[res.source_of["a1"]].name == "The New York Post"
    assert ents[res.source_of["a1"]].kind == "outlet"


def test_unknown_outlet_from_reporting_context(nlp):
    text = "The Kyiv Independent reported that the bridge was closed, and the Ukrainska Zorya reported the same."
    a1 = attr(text, "a1", "The Kyiv Independent", "reported", "that the bridge was closed", lemma="report")
    a2 = attr(text, "a2", "the Ukrainska Zorya", "reported", "the same", after=text.index("and"), lemma="report")
    res, ents = _resolve(nlp, text, [a1, a2])
    assert ents[res.source_of["a1"]].kind == "outlet"
    assert ents[res.source_of["a2"]].kind == "outlet"  # not in outlets.json: "X reported" makes it one


def test_pronoun_and_title_merge(nlp):
    # PolNeAR train
    text = ("House Speaker Paul Ryan told CNN Tuesday that Ginsburg's comments \"shows bias to me.\" "
            "He said the court should stay out of politics.")
    a1 = attr(text, "a1", "House Speaker Paul Ryan", "told", "that Ginsburg's comments \"shows bias to me.\"",
              lemma="tell", recipient="CNN")
    a2 = attr(text, "a2", "He", "said", "the court should stay out of politics", lemma="say")
    res, ents = _resolve(nlp, text, [a1, a2])
    ryan = ents[res.source_of["a1"]]
    assert (ryan.name, ryan.kind) == ("Paul Ryan", "official")
    assert res.source_of["a2"] == ryan.id
    assert ents[res.recipient_of["a1"]].name == "CNN"


def test_anonymous_sources_and_the_source(nlp):
    # PolNeAR dev example shape (Breitbart/NY Post), sentences rewritten only in length
    text = ("Secret Service protocol called for the nominee to be taken to a trauma center, sources said. "
            "But a campaign operative decided to change course, a source said. Clinton had told police officials "
            "that she didn't want the escort at all, the source added.")
    a1 = attr(text, "a1", "sources", "said", "Secret Service protocol called for the nominee to be taken to a "
              "trauma center", lemma="say")
    a2 = attr(text, "a2", "a source", "said", "But a campaign operative decided to change course",
              after=text.index("But"), lemma="say")
    a3 = attr(text, "a3", "the source", "added", "Clinton had told police officials that she didn't want the "
              "escort at all", lemma="add")
    res, ents = _resolve(nlp, text, [a1, a2, a3])
    assert {ents[res.source_of[i]].kind for i in ("a1", "a2", "a3")} == {"anonymous"}
    assert res.source_of["a3"] == res.source_of["a2"]  # "the source" is the source just mentioned
    assert res.source_of["a1"] != res.source_of["a2"]


def test_campaign_is_an_organisation_not_the_candidate(nlp):
    # PolNeAR dev shape (AP "The Latest")
    text = ("Donald Trump's campaign is defending his early-morning tweets. It's denouncing what it calls "
            "\"the single-biggest coordinated media attack in history.\"")
    a1 = attr(text, "a1", "Donald Trump's campaign", "is defending", "his early-morning tweets", lemma="defend")
    a2 = attr(text, "a2", "It", "denouncing", "what it calls \"the single-biggest coordinated media attack in "
              "history.\"", lemma="denounce")
    res, ents = _resolve(nlp, text, [a1, a2])
    camp = ents[res.source_of["a1"]]
    assert camp.kind == "organisation" and "campaign" in camp.name
    assert res.source_of["a2"] == camp.id


def test_journalist_of_an_outlet_by_possessive(nlp):
    text = "Fox News' Megyn Kelly confronted him with remarks he had made about women, Kelly said."
    a1 = attr(text, "a1", "Fox News' Megyn Kelly", "confronted", "him with remarks he had made about women",
              lemma="confront")
    res, ents = _resolve(nlp, text, [a1])
    kelly = ents[res.source_of["a1"]]
    assert kelly.kind == "journalist"
    assert ents[res.affiliation[kelly.id]].name == "Fox News"


def test_weak_title_needs_government_context(nlp):
    # PolNeAR train: a financial adviser is not an official; a White House press secretary is
    text = ("The best one comes from Kevin McKinley, a financial adviser in Eau Claire, Wis. McKinley said that he "
            "considered debt a last resort. Later the White House press secretary, Josh Earnest, said on Tuesday "
            "that it was fair.")
    a1 = attr(text, "a1", "McKinley", "said", "that he considered debt a last resort",
              after=text.index("McKinley said"), lemma="say")
    a2 = attr(text, "a2", "the White House press secretary, Josh Earnest,", "said", "that it was fair",
              after=text.index("Later"), lemma="say")
    res, ents = _resolve(nlp, text, [a1, a2])
    assert ents[res.source_of["a1"]].kind == "person"
    assert ents[res.source_of["a2"]].kind == "official"


def test_description_teaches_the_role_and_groups_speak_together(nlp):
    # PolNeAR train (politico, wash-post): "Sanders" is never titled, but "The Vermont senator" refers to him;
    # "Trump and Lewandowski" are two people speaking as one source
    text = ("Bernie Sanders is swaggering into the sixth Democratic debate. "
            "Sanders is also likely to remind voters of his connections to the civil rights struggle. "
            "The Vermont senator has a simple message, but he is poised to argue he is in this race to win. "
            "By refusing to admit any fault, Trump and Lewandowski appeared to have transformed the grab of an arm "
            "into a weeks-long controversy.")
    a1 = attr(text, "a1", "Sanders", "remind", "voters of his connections", lemma="remind")
    a2 = attr(text, "a2", "he", "argue", "he is in this race to win", after=text.index("poised"), lemma="argue")
    a3 = attr(text, "a3", "Trump and Lewandowski", "appeared", "to have transformed the grab",
              after=text.index("By refusing"), lemma="appear")
    res, ents = _resolve(nlp, text, [a1, a2, a3])
    sanders = ents[res.source_of["a1"]]
    assert res.source_of["a2"] == sanders.id
    assert sanders.kind == "official"
    group = ents[res.source_of["a3"]]
    assert "Trump" in group.name and "Lewandowski" in group.name


def test_headline_capitals_are_not_titles(nlp):
    # PolNeAR train (breitbart): a Title Case headline does not make the candidate a president
    text = ("Dr. Ben Carson: Hillary Clinton 'Not Fit To Serve As President Of The United States.'\n\n"
            "GOP presidential candidate Dr. Ben Carson says Democrat Hillary Clinton is not fit to serve.\n\n"
            "\"She should be held fully accountable,\" Carson concluded.")
    a1 = attr(text, "a1", "Carson", "concluded", "She should be held fully accountable",
              after=text.index("\"She should"), lemma="conclude")
    res, ents = _resolve(nlp, text, [a1])
    assert ents[res.source_of["a1"]].name == "Ben Carson"
    assert ents[res.source_of["a1"]].kind == "person"
