"""Hedges on real sentences (the seed article and PolNeAR train): lexicon, part of speech, scope."""

from __future__ import annotations

import pytest

from reportedly.extract.hedges import cue_hedges, find_hedges, hedges_in, strength

CASES = [
    # seed article
    ('"Several hundred" Russian soldiers have reportedly switched sides and are now joining Kyiv\'s resistance.',
     ["reportedly"]),
    ("The ministry said the legion commanders were visiting detained former Russian troops that may be "
     "interested in serving.", ["may"]),
    ("The announcement appeared to serve as the final action ahead of an attack by Putin and the Russian military.",
     ["appeared to"]),
    ("NBC News correspondent Erin McLaughlin said explosions could be heard from her live shot in Kyiv.", []),
    # PolNeAR train
    ("John Pershing allegedly halting Muslim attacks in the Philippines in the early 1900s by shooting them with "
     "bullets dipped in pigs' blood.", ["allegedly"]),
    ("The Club for Growth is reportedly spending $1.5 million.", ["reportedly"]),
    ("He speaks his mind, and I think that might be what the country needs.", ["might"]),
    ("Chris Christie appeared to end his bid owing roughly $200,000 more than he had in available cash.",
     ["appeared to"]),
    ("He is willing to circulate unconfirmed reports on social media amid a federal investigation.",
     ["unconfirmed"]),
    ("The government has done almost nothing with the intelligence it recovered during the raid on Osama bin "
     "Laden's compound in May 2011.", []),
    ("That would position him for a final grouping with Trump and Cruz in which Rubio could be seen as the more "
     "electable choice.", ["could"]),
    ("In some, bodies could be seen lying on the boulevard where the truck plowed into the crowd.", []),
    ("Ted Cruz apparently thinks so, too.", ["apparently"]),
    ("Trump's accusation that Obama and Clinton created the so-called Islamic State extremist group had imperiled "
     "the lives of US troops, Biden said.", ["so-called"]),
]


@pytest.mark.parametrize("sentence,expected", CASES)
def test_hedges(nlp, sentence, expected):
    got = find_hedges(nlp(sentence))
    assert [h.text for h in got] == expected
    for h in got:
        assert sentence[h.spans[0][0]:h.spans[0][1]] == h.text
        assert 0 < h.strength <= 1


def test_scope_content_and_cue(nlp):
    text = ('In a post shared on its Telegram channel Wednesday, the ministry said commanders were visiting troops '
            'that may be interested in serving, following up with a separate post claiming "first volunteers" had '
            'already "begun individual additional training".')
    doc = nlp(text)
    hs = find_hedges(doc)
    said_content = (text.index("commanders"), text.index(", following"))
    claiming = (text.index("claiming"), text.index("claiming") + len("claiming"))
    assert [h.text for h in hedges_in(hs, [said_content])] == ["may"]
    assert [h.text for h in cue_hedges(hs, [claiming], text)] == ["claiming"]
    # "claiming" is outside the first claim's content: it is not that claim's hedge
    assert "claiming" not in [h.text for h in hedges_in(hs, [said_content])]


def test_strength_compounds():
    from reportedly.model import Hedge

    assert strength([]) == 0.0
    assert strength([Hedge("may", [(0, 3)], 0.5), Hedge("reportedly", [(4, 14)], 0.5)]) == 0.75


@pytest.mark.parametrize("sentence,expected", [
    # a product named in a credit line, and an outlet's name: names, not hedges (issue 11, item 20)
    ("[Illustrative article written for the reportedly demo; events, people, places and quotes are invented.]", []),
    ("The story first appeared on Allegedly News, a satirical site.", []),
    # the same words used as adverbs stay hedges, in Title Case headlines too (PolNeAR train headline)
    ("Anthony Weiner Reportedly Caught In Yet Another Sext Scandal", ["Reportedly"]),
    ("The deal is reportedly worth more than $1 billion over the life of the contract.", ["reportedly"]),
])
def test_a_hedge_word_used_as_a_name_is_no_hedge(nlp, sentence, expected) -> None:
    assert [h.text for h in find_hedges(nlp(sentence))] == expected
