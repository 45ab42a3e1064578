"""The headline check (issue 11, item 17): numbers are compared only with numbers of the same unit, and the
reason names what was matched. Real news phrasing."""

from __future__ import annotations

import reportedly

BODY = ("The Kingsbridge Port Authority is close to awarding a contract worth {} to a consortium led by Aldern "
        "Logistics, two officials said on Tuesday.\n\nThe terminal cost the city an "
        "estimated $600 million to build.\n")


def _headline(title: str, amount: str) -> tuple[str, str]:
    h = reportedly.analyze(f"{title}\n\n{BODY.format(amount)}", published="2024-10-02").headline
    return h.support, h.why


def test_unrelated_numbers_are_not_compared(nlp) -> None:
    support, why = _headline("Port Deal Worth $2 Billion, Officials Say", "$2 billion")
    assert support == "supported", why
    assert "two" not in why and "exceeds" not in why


def test_a_larger_number_of_the_same_unit_is_overstated(nlp) -> None:
    support, why = _headline("Port Deal Worth $2 Billion, Officials Say", "$1.5 billion")
    assert support == "overstated"
    assert "($2 Billion) exceeds the body's ($1.5 billion)" in why


def test_people_against_minutes_is_no_comparison(nlp) -> None:
    text = ("Every 72 Minutes, a Veteran Dies by Suicide\n\nMany Americans have heard by now that 20 veterans die "
            "by suicide each day, a figure cited by both candidates last week.\n")
    h = reportedly.analyze(text, published="2016-09-16").headline
    assert "exceeds" not in h.why, h.why


def test_a_sentence_that_is_a_claim_is_named_as_the_claim(nlp) -> None:
    support, why = _headline("Port Authority Close to $2 Billion Deal, Officials Say", "$2 billion")
    assert "claim a" in why and "unattributed" not in why, why
