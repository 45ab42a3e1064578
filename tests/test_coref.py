"""``coref.nominal_target`` asks its steps (``NOMINAL_STEPS``) in order: each step here decides what a definite
description points back to in a PolNeAR train passage (wash-post, west-journal, nyt; the senator's one is the
politico shape of tests/test_resolvers.py). The steps are watched, not replaced: each still runs as it is."""

from __future__ import annotations

import pytest

import reportedly.resolve.coref as coref
from reportedly.resolve.sources import resolve_sources
from tests.provenance_helpers import attr

# (step, text, attribution (source, cue, content, lemma), the entity it must find)
CASES = [
    ("_fresh_subject",  # wash-post: the subject of the sentence before, whom the article has given no title yet
     "For the Republicans, the character of the race appeared to change over the weekend after a debate in which "
     "Rubio faltered in the face of blistering attacks from Christie. The senator from Florida appeared to have "
     "gained some momentum from his strong third-place finish in Iowa.",
     ("The senator", "appeared", "to have gained some momentum", "appear"), "Rubio"),
    ("_earlier_mention",  # a person who holds the title, mentioned just before
     "Sen. Marco Rubio spoke in Iowa on Monday. The senator said the race was far from over.",
     ("The senator", "said", "the race was far from over", "say"), "Marco Rubio"),
    ("_past_office_holder",  # west-journal: a past office, never a sitting holder
     "Sanders started a petition this week calling on Democratic candidates to support the $15 minimum wage, "
     "which appeared to be directed at Clinton. The former secretary of state has supported localities deciding "
     "whether the $15 minimum wage is right for them.",
     ("The former secretary of state", "has supported", "localities deciding whether", "support"), "Clinton"),
    ("_generic_head",  # nyt: "the company" is the last named organisation (data/word_lists.json)
     "The Dow was held back partly by a drop in the oil giant Exxon Mobil. The company reported its smallest "
     "quarterly profit in 17 years, well below what analysts were looking for.",
     ("The company", "reported", "its smallest quarterly profit in 17 years", "report"), "Exxon Mobil"),
]


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str, str]]:
    """(description's position, step, entity found) for every step that found an entity, in call order."""
    log: list[tuple[int, str, str]] = []

    def watched(step):
        def run(d):
            found = step(d)
            if found is not None:
                log.append((d.pos, step.__name__, found.name))
            return found
        return run

    monkeypatch.setattr(coref, "NOMINAL_STEPS", tuple(watched(s) for s in coref.NOMINAL_STEPS))
    return log


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_step_decides_a_description(nlp, decided, case) -> None:
    step, text, (source, cue, content, lemma), name = case
    a1 = attr(text, "a1", source, cue, content, lemma=lemma)
    res = resolve_sources(nlp(text), [a1], None, start=0)
    assert res.explanations["a1"]["resolver"] == "definite_description", res.explanations["a1"]
    assert f"“{name}”" in res.explanations["a1"]["evidence"]
    assert a1.source is not None
    at = a1.source.spans[0][0]
    assert (at, step, name) in decided, decided


def test_steps_run_in_the_documented_order() -> None:
    from pathlib import Path

    design = (Path(__file__).resolve().parents[1] / "docs" / "design.md").read_text(encoding="utf-8")
    names = [s.__name__ for s in coref.NOMINAL_STEPS]
    assert [n for n in sorted(names, key=design.find)] == names and all(f"`{n}`" in design for n in names)


def test_generic_head_words_are_data_one_kind_each() -> None:
    from reportedly.lexicon import words

    kinds = coref.generic_kinds()
    for kind, key in coref._GENERIC_HEADS.items():
        assert words("word_lists", key) and all(kinds[w] == kind for w in words("word_lists", key)), key
