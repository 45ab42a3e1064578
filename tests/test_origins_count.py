"""Counting a cluster's independent origins (link.origins.resolve_cluster) on small excerpts of judged
AllSides clusters: one speaker under several keys, unnamed sources, and one statement extracted twice in one
article. Reports are built by hand in Report.to_dict() shape, so these tests need no model."""

from __future__ import annotations

from typing import Any

from reportedly.link.origins import members_of, origin_reason, resolve_cluster
from reportedly.store.base import LinkArticle


def _article(aid: str, seq: int, published: str, outlet: str, *claims: tuple[str | None, str],
             byline: str | None = None) -> LinkArticle:
    """An article whose attributions are (speaker or None, content), each in its own sentence."""
    attrs: list[dict[str, Any]] = []
    ents: list[dict[str, Any]] = []
    for i, (who, content) in enumerate(claims):
        at = 500 * i
        a: dict[str, Any] = {"id": f"a{i}", "kind": "indirect", "cue": {"text": "said", "spans": [[at, at + 4]]},
                             "content": {"text": content, "spans": [[at + 10, at + 10 + len(content)]]}}
        if who:
            a["source"] = {"text": who, "spans": [[at - 20, at - 1]], "entity": f"e{i}"}
            ents.append({"id": f"e{i}", "name": who, "kind": "person"})
        attrs.append(a)
    return LinkArticle(aid, seq, published, outlet, {"attributions": attrs, "entities": ents}, [], byline)


def _count(*articles: LinkArticle) -> tuple[int, dict[tuple[str, str], str], list[Any]]:
    origins, keys = resolve_cluster(members_of(articles))
    return len(origins), keys, origins


PROUD = "he would be proud to shut down the government for border security"


def test_one_speaker_under_nested_names_is_one_origin() -> None:
    # "trump" is inside "donald trump", which is inside "donald j trump": one person, one key (the commoner
    # middle key must not keep "trump" apart from the full one)
    n, keys, _ = _count(_article("wt", 1, "2018-12-11", "The Washington Times", ("Trump", PROUD)),
                        _article("npr", 2, "2018-12-11", "NPR", ("Donald Trump", PROUD)),
                        _article("nr", 3, "2018-12-12", "National Review", ("Donald J. Trump", PROUD)),
                        _article("hill", 4, "2018-12-12", "The Hill", ("Donald Trump", PROUD)))
    assert n == 1 and set(keys.values()) == {"donald j trump"}


def test_two_people_sharing_a_name_stay_two_origins() -> None:
    # "trump" merges into one of them, but the two full names are never merged with each other
    n, keys, _ = _count(_article("a", 1, "2019-01-10", "NPR", ("Donald Trump", PROUD)),
                        _article("b", 2, "2019-01-10", "CNN", ("Ivanka Trump", PROUD)),
                        _article("c", 3, "2019-01-11", "Fox News", ("Trump", PROUD)))
    assert n == 2 and {keys[("a", "a0")], keys[("b", "a0")]} == {"donald trump", "ivanka trump"}


CONCERN = "concern about the president's claim of authority to override state restrictions"


def test_an_unnamed_source_is_counted_with_the_named_origin() -> None:
    n, keys, origins = _count(_article("cnn", 1, "2020-04-14", "CNN", ("Ron Johnson", CONCERN)),
                              _article("fox", 2, "2020-04-15", "Fox News", (None, CONCERN)))
    assert n == 1 and keys[("fox", "a0")] == "johnson ron"
    steps = [{"article_id": s.article, "outlet": s.outlet, "via": s.via, "relayed_from": s.relayed_from}
             for s in origins[0].relays]
    reason = origin_reason(origins[0].name, steps)
    assert "unnamed in Fox News: counted with Ron Johnson" in reason["reason"]
    assert reason["counted"]["unnamed"] and reason["counted"]["first_hand"] == ["CNN"]


def test_an_unnamed_source_joins_the_named_origin_closest_in_date() -> None:
    n, keys, _ = _count(_article("a", 1, "2019-01-02", "NPR", ("Mark Herring", CONCERN)),
                        _article("b", 2, "2019-03-01", "CNN", ("Ralph Northam", CONCERN)),
                        _article("c", 3, "2019-02-27", "Politico", (None, CONCERN)))
    assert n == 2 and keys[("c", "a0")] == "northam ralph"


def test_wire_copy_of_an_agency_named_elsewhere_is_that_agency() -> None:
    deal = "the budget deal would raise spending caps by $300 billion over two years"
    n, keys, _ = _count(_article("fox", 1, "2018-02-07", "Fox News", (None, deal), byline="Associated Press"),
                        _article("npr", 2, "2018-02-08", "NPR", ("The Associated Press", deal)))
    assert n == 1 and keys[("fox", "a0")] == keys[("npr", "a0")]


def test_one_statement_extracted_twice_in_one_article_is_one_origin() -> None:
    # the same sentence read twice, once without its source, next to another speaker's claim elsewhere
    said = "the Foreign Office confirmed that the teacher died in the attacks"
    n, keys, _ = _count(_article("cnn", 1, "2015-06-27", "CNN", (None, said), ("the Foreign Office", said)),
                        _article("bbc", 2, "2015-06-29", "BBC News", ("the family", said)))
    assert n == 2 and keys[("cnn", "a0")] == keys[("cnn", "a1")] == "foreign office"


def test_a_described_unnamed_source_of_its_own_stays_an_origin() -> None:
    # "he said" names nobody and is counted with the named origin; "residents said" may be independent
    n, keys, _ = _count(_article("a", 1, "2019-01-02", "NPR", ("Mark Herring", CONCERN)),
                        _article("b", 2, "2019-01-03", "CNN", ("he", CONCERN)),
                        _article("c", 3, "2019-01-03", "Politico", ("residents", CONCERN)))
    assert n == 2 and keys[("b", "a0")] == "herring mark" and keys[("c", "a0")].startswith("anonymous")


ANNOUNCED = "the bureau stopped short of saying the group directed the gunman's attack"


def test_outlets_that_say_nothing_of_who_spoke_are_one_unknown_origin() -> None:
    # no article names the source: nothing shows the outlets had independent ones, so one origin, not one per
    # outlet; a described unnamed source ("officials") in its own article may be independent and keeps its own
    n, keys, origins = _count(_article("cnn", 1, "2020-01-13", "CNN", (None, ANNOUNCED)),
                              _article("wt", 2, "2020-01-14", "The Washington Times", (None, ANNOUNCED)),
                              _article("npr", 3, "2020-01-14", "NPR", (None, ANNOUNCED)))
    assert n == 1 and len(set(keys.values())) == 1
    steps = [{"article_id": s.article, "outlet": s.outlet, "via": s.via, "relayed_from": s.relayed_from}
             for s in origins[0].relays]
    assert "unnamed in NPR: counted with CNN" in origin_reason(origins[0].name, steps)["reason"]
    n, _, _ = _count(_article("cnn", 1, "2020-01-13", "CNN", (None, ANNOUNCED)),
                     _article("wt", 2, "2020-01-14", "The Washington Times", ("officials", ANNOUNCED)))
    assert n == 2
