"""The word lists are data (``src/reportedly/data/*.json``, one loader: ``reportedly/lexicon.words``): each list
is a list of non-empty strings without repeats; two lists of a file share a word only where the file's
``_overlaps`` declares it (a word with two roles), and lists declared ``_disjoint`` (they contradict each
other: a male and a female first name, a journalist's and an official's title) share none."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from reportedly.lexicon import load, words

DATA = Path(__file__).resolve().parents[1] / "src" / "reportedly" / "data"
FILES = ("source_kinds", "word_lists", "link_words")
NOT_WORDS = {"us_states"}  # rows "name;abbrev;code", read by resolve/registry._states


def _lists(name: str) -> dict[str, list[str]]:
    data = load(name)
    return {k: v for k, v in data.items() if not k.startswith("_") and isinstance(v, list) and k not in NOT_WORDS}


def shared_words(lists: dict[str, list[str]]) -> dict[str, list[str]]:
    """"a|b" -> the words (lower-cased) two lists share, for every pair that shares any."""
    low = {k: {w.lower() for w in v} for k, v in lists.items()}
    return {f"{a}|{b}": sorted(low[a] & low[b]) for a, b in itertools.combinations(sorted(low), 2)
            if low[a] & low[b]}


@pytest.mark.parametrize("name", FILES)
def test_every_list_is_clean_words_and_documented(name: str) -> None:
    data = load(name)
    assert isinstance(data.get("_doc"), str) and data["_doc"]
    for key, values in _lists(name).items():
        assert all(isinstance(w, str) and w.strip() == w and w for w in values), key
        low = [w.lower() for w in values]
        assert len(low) == len(set(low)), f"{name}.{key} repeats {sorted({w for w in low if low.count(w) > 1})}"
        assert words(name, key) == frozenset(values)


@pytest.mark.parametrize("name", FILES)
def test_lists_share_only_declared_words(name: str) -> None:
    declared = load(name).get("_overlaps", {})
    found = shared_words(_lists(name))
    undeclared = {pair: ws for pair, ws in found.items() if set(ws) - set(declared.get(pair, []))}
    stale = {pair: ws for pair, ws in declared.items() if set(ws) - set(found.get(pair, []))}
    assert undeclared == {}, "lists share words not declared in _overlaps"
    assert stale == {}, "_overlaps declares words the lists no longer share"


@pytest.mark.parametrize("name", FILES)
def test_contradicting_lists_share_nothing(name: str) -> None:
    lists = _lists(name)
    for a, b in load(name)["_disjoint"]:
        assert {w.lower() for w in lists[a]} & {w.lower() for w in lists[b]} == set(), (a, b)


def test_the_check_finds_a_shared_word() -> None:
    assert shared_words({"x": ["Said", "told"], "y": ["said"], "z": ["wrote"]}) == {"x|y": ["said"]}


def test_lexicon_files_are_valid_json_as_shipped() -> None:
    for name in FILES:
        json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def test_first_names_come_from_the_census_lists_not_from_a_hand_kept_one() -> None:
    from reportedly.lexicon import GENDER_SHARE, first_name_gender, first_names, is_first_name

    assert not {"male_names", "female_names"} & set(load("source_kinds"))  # no era's names kept by hand
    assert len(first_names()) > 2000
    assert first_name_gender("John") == "m" and first_name_gender("Mary") == "f"  # "Mary" is in the men's list too
    assert is_first_name("Leslie") and first_name_gender("Leslie") is None  # about 2 in 3 women: no sex told
    assert 0.5 < GENDER_SHARE <= 1
    for word in ("King", "Major", "Aide", "Virginia", "Will", "May"):  # titles, roles, states, function words
        assert not is_first_name(word), word
    assert not is_first_name("john")  # as written: a first name is capitalised
