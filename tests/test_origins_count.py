"""Counting a cluster's independent origins (link.origins.resolve_cluster) on small excerpts of judged
AllSides clusters: one speaker under several keys, unnamed sources, and one statement extracted twice in one
article. Reports are built by hand in Report.to_dict() shape, so these tests need no model."""

from __future__ import annotations

from typing import Any

from reportedly.link.origins import linkable_content, members_of, origin_reason, resolve_cluster
from reportedly.store.base import LinkArticle


def _article(aid: str, seq: int, published: str, outlet: str, *claims: tuple[str | None, str],
             byline: str | None = None, kind: str = "person", resolved: dict[str, str] | None = None
             ) -> LinkArticle:
    """An article whose attributions are (speaker or None, content), each in its own sentence; the named
    speakers are entities of ``kind``, named as written unless ``resolved`` maps the written words ("she")
    to the name the resolver gave them."""
    attrs: list[dict[str, Any]] = []
    ents: list[dict[str, Any]] = []
    for i, (who, content) in enumerate(claims):
        at = 500 * i
        a: dict[str, Any] = {"id": f"a{i}", "kind": "indirect", "cue": {"text": "said", "spans": [[at, at + 4]]},
                             "content": {"text": content, "spans": [[at + 10, at + 10 + len(content)]]}}
        if who:
            a["source"] = {"text": who, "spans": [[at - 20, at - 1]], "entity": f"e{i}"}
            ents.append({"id": f"e{i}", "name": (resolved or {}).get(who, who), "kind": kind})
        attrs.append(a)
    return LinkArticle(aid, seq, published, outlet, {"attributions": attrs, "entities": ents}, [], byline)


def _count(*articles: LinkArticle) -> tuple[int, dict[tuple[str, str], str], list[Any]]:
    origins, keys = resolve_cluster(members_of(articles))
    return len(origins), keys, origins


PROUD = "he would be proud to shut down the government for border security"
SHUTDOWN = "the partial government shutdown would last into the new year unless the border wall was funded"


def test_one_speaker_under_nested_names_is_one_origin() -> None:
    # "trump" is inside "donald trump", which is inside "donald j trump": one person, one key (the commoner
    # middle key must not keep "trump" apart from the full one)
    n, keys, _ = _count(_article("wt", 1, "2018-12-11", "The Washington Times", ("Trump", PROUD)),
                        _article("npr", 2, "2018-12-11", "NPR", ("Donald Trump", PROUD)),
                        _article("nr", 3, "2018-12-12", "National Review", ("Donald J. Trump", PROUD)),
                        _article("hill", 4, "2018-12-12", "The Hill", ("Donald Trump", PROUD)))
    assert n == 1 and set(keys.values()) == {"donald j trump"}


def test_people_sharing_a_surname_are_one_origin() -> None:
    # judged cluster (sample2.md, 218): one statement's speaker resolved as "Graham", "Lindsey Graham" and
    # "Billy Graham"; a shared surname shows no second speaker, while two surnames stay two
    n, keys, _ = _count(_article("a", 1, "2019-12-16", "The Hill", ("Lindsey Graham", PROUD)),
                        _article("b", 2, "2019-12-17", "The Hill", ("Billy Graham", PROUD)),
                        _article("c", 3, "2019-12-17", "Fox News", ("Graham", PROUD)))
    assert n == 1 and len(set(keys.values())) == 1
    n, _, _ = _count(_article("a", 1, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                     _article("b", 2, "2019-12-17", "Politico", ("Adam Schiff", SHUTDOWN)))
    assert n == 2


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
    n, keys, _ = _count(_article("a", 1, "2019-02-24", "NPR", ("Mark Herring", SHUTDOWN)),
                        _article("b", 2, "2019-03-01", "CNN", ("Ralph Northam", SHUTDOWN)),
                        _article("c", 3, "2019-02-28", "Politico", (None, SHUTDOWN)))
    assert n == 2 and keys[("c", "a0")] == "northam ralph"


def test_wire_copy_of_an_agency_named_elsewhere_is_that_agency() -> None:
    deal = "the budget deal would raise spending caps by $300 billion over two years"
    n, keys, _ = _count(_article("fox", 1, "2018-02-07", "Fox News", (None, deal), byline="Associated Press"),
                        _article("npr", 2, "2018-02-08", "NPR", ("The Associated Press", deal)))
    assert n == 1 and keys[("fox", "a0")] == keys[("npr", "a0")]


def test_one_statement_extracted_twice_in_one_article_is_one_origin() -> None:
    # the same sentence read twice, once without its source, next to another speaker's claim elsewhere: the
    # unnamed reading is the Foreign Office's (its own article's origin), which makes it the larger origin; the
    # family's short claim does not show a second source (link.claims.corroborates), so it is counted with it
    said = "the Foreign Office confirmed that the teacher died in the attacks"
    n, keys, origins = _count(_article("cnn", 1, "2015-06-27", "CNN", (None, said), ("the Foreign Office", said)),
                              _article("bbc", 2, "2015-06-29", "BBC News", ("the family", said)))
    assert n == 1 and keys[("cnn", "a0")] == keys[("cnn", "a1")] == keys[("bbc", "a0")] == "foreign office"
    assert [s.via for s in origins[0].relays if s.article == "bbc"] == [
        "not shown apart: the family in BBC: counted with the Foreign Office"]


def test_described_unnamed_sources_are_counted_with_the_named_origin() -> None:
    # "he said" and "residents said" name nobody: neither shows a second origin next to a named one
    n, keys, _ = _count(_article("a", 1, "2019-01-02", "NPR", ("Mark Herring", CONCERN)),
                        _article("b", 2, "2019-01-03", "CNN", ("he", CONCERN)),
                        _article("c", 3, "2019-01-03", "Politico", ("residents", CONCERN)))
    assert n == 1 and keys[("b", "a0")] == keys[("c", "a0")] == "herring mark"


def test_an_outlet_named_as_the_source_is_counted_with_the_speaker() -> None:
    # judged cluster (sample2.md, 3571): "the Times reported" next to the speaker whose account it carried
    n, keys, origins = _count(_article("a", 1, "2020-01-26", "Slate", ("John Bolton", CONCERN)),
                              _article("b", 2, "2020-01-27", "Vox", ("The Daily Ledger", CONCERN), kind="outlet"))
    assert n == 1 and keys[("b", "a0")] == "bolton john"
    steps = [{"article_id": s.article, "outlet": s.outlet, "via": s.via, "relayed_from": s.relayed_from}
             for s in origins[0].relays]
    assert origin_reason(origins[0].name, steps)["counted"]["outlet_source"]
    n, _, _ = _count(_article("b", 2, "2020-01-27", "Vox", ("The Daily Ledger", CONCERN), kind="outlet"),
                     _article("c", 3, "2020-01-28", "NPR", (None, CONCERN)))
    assert n == 1  # nobody else named: the outlet is the origin


ANNOUNCED = "the bureau stopped short of saying the group directed the gunman's attack"


def test_outlets_that_say_nothing_of_who_spoke_are_one_unknown_origin() -> None:
    # no article names the source: nothing shows the outlets had independent ones, so one origin, not one per
    # outlet, and described unnamed sources ("officials") are no more evidence of a second one
    n, keys, origins = _count(_article("cnn", 1, "2020-01-13", "CNN", (None, ANNOUNCED)),
                              _article("wt", 2, "2020-01-14", "The Washington Times", (None, ANNOUNCED)),
                              _article("npr", 3, "2020-01-14", "NPR", (None, ANNOUNCED)))
    assert n == 1 and len(set(keys.values())) == 1
    steps = [{"article_id": s.article, "outlet": s.outlet, "via": s.via, "relayed_from": s.relayed_from}
             for s in origins[0].relays]
    assert "unnamed in NPR: counted with CNN" in origin_reason(origins[0].name, steps)["reason"]
    n, _, _ = _count(_article("cnn", 1, "2020-01-13", "CNN", (None, ANNOUNCED)),
                     _article("wt", 2, "2020-01-14", "The Washington Times", ("officials", ANNOUNCED)))
    assert n == 1


def test_a_claim_naming_a_topic_links_only_with_a_named_speaker() -> None:
    # judged cluster (sample2.md, 162028): "... stopped short of endorsing the presumptive Democratic nominee"
    # with no speaker found joined unrelated endorsements; "said" claims and named endorsers still link
    nominee = "the presumptive Democratic nominee for president over the Republican candidate"

    def member(who: str | None, cue: str, lemma: str) -> Any:
        art = _article("a", 1, "2016-06-11", "The Washington Times", (who, nominee))
        art.report["attributions"][0]["cue"].update(text=cue, lemma=lemma)
        return members_of([art])[0]

    assert linkable_content(member(None, "endorsing", "endorse"), formulaic=False) == ""
    assert linkable_content(member("he", "endorsing", "endorse"), formulaic=False) == ""
    assert linkable_content(member("Meg Whitman", "endorsing", "endorse"), formulaic=False) == nominee
    assert linkable_content(member(None, "said", "say"), formulaic=False) == nominee
    assert linkable_content(member(None, "said", "say"), formulaic=True) == ""


# --- a second named origin is a finding, not a chain (link.origins._fold_unshown) ------------------------------

BARR = ("Special counsel Robert Mueller did not find evidence that President Trump's campaign conspired with Russia "
        "to influence the 2016 election")
INVESTIGATORS = ("Trump did not commit an obstruction of justice offense because of difficult issues presented by "
                 "the evidence collected over nearly two years")


def test_two_speakers_joined_by_a_chain_are_one_origin() -> None:
    # judged cluster (sample3.md, 6677, 21 "origins"): the attorney general's summary and the special counsel's
    # investigators on obstruction, joined through other claims; neither claim shows a second source
    n, keys, origins = _count(_article("npr", 1, "2019-03-24", "NPR", ("William Barr", BARR)),
                              _article("npr2", 2, "2019-03-24", "NPR", ("William Barr", BARR)),
                              _article("hill", 3, "2019-03-25", "The Hill", ("Mueller's investigators",
                                                                             INVESTIGATORS)))
    assert n == 1 and set(keys.values()) == {"barr william"}
    hill = next(s for s in origins[0].relays if s.article == "hill")
    assert hill.via == "not shown apart: Mueller's investigators in The Hill: counted with William Barr"
    assert origin_reason(origins[0].name, [vars(s) | {"article_id": s.article} for s in origins[0].relays]
                         )["counted"]["unshown"] == [hill.via]


RUSSIA = ("\"Russia, if you're listening, I hope you're able to find the 30,000 emails that are missing,\" at a news "
          "conference in Florida")


def test_one_quotation_under_two_names_is_one_origin() -> None:
    # judged cluster (sample3.md, 23740): one quotation, its speaker resolved differently by two outlets; the
    # same words are one speaker's, however close the rest of the claims are
    n, _, _ = _count(_article("npr", 1, "2016-07-27", "NPR", ("Donald Trump", RUSSIA)),
                     _article("vox", 2, "2016-07-28", "Vox", ("Mike Pence", RUSSIA)))
    assert n == 1


def test_two_speakers_stating_one_thing_are_two_origins() -> None:
    # the same statement in the reporter's words from two named speakers in two articles: shown apart
    n, _, origins = _count(_article("a", 1, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                           _article("b", 2, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                           _article("c", 3, "2019-12-17", "Politico", ("Nancy Pelosi", SHUTDOWN)))
    assert n == 2 and [o.name for o in origins] == ["Lindsey Graham", "Nancy Pelosi"]


def test_a_speaker_known_only_by_a_pronoun_shows_no_second_origin() -> None:
    # judged cluster (sample4.md, 6877): one accuser's statement, with "She alleges" in one article resolved
    # to another woman; a resolved pronoun is a guess, not a second speaker the article names
    n, _, origins = _count(_article("a", 1, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                           _article("b", 2, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                           _article("c", 3, "2019-12-17", "Politico", ("She", SHUTDOWN),
                                    resolved={"She": "Nancy Pelosi"}))
    assert n == 1 and origins[0].name == "Lindsey Graham"
    politico = next(s for s in origins[0].relays if s.article == "c")
    assert politico.via == "not shown apart: Nancy Pelosi in Politico: counted with Lindsey Graham"
    n, _, _ = _count(_article("a", 1, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                     _article("b", 2, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                     _article("c", 3, "2019-12-17", "Politico", ("Speaker Pelosi", SHUTDOWN),
                              resolved={"Speaker Pelosi": "Nancy Pelosi"}))
    assert n == 2  # the article's own words name her: shown apart as before


def test_an_official_under_two_first_names_is_one_origin() -> None:
    # judged cluster (sample4.md, 8026): one attorney general as "Bill Barr" and "William Barr"
    n, _, _ = _count(_article("a", 1, "2019-04-10", "BBC News", ("William Barr", SHUTDOWN), kind="official"),
                     _article("b", 2, "2019-04-10", "Fox News", ("Bill Barr", SHUTDOWN), kind="official"))
    assert n == 1


REQUEST = ("to end the investigation into the former national security adviser after he fired him for lying to "
           "the vice president")


def test_a_request_and_a_document_show_no_second_origin() -> None:
    # judged clusters (fifth draw's ledger, 36113 and 214391): the man asked "to end the investigation" beside
    # the one who said he was asked; a report described twice ("the report", "briefings given to the committee")
    from reportedly.link.claims import corroborates, statement

    told = ("he had been directed to end the investigation into the national security adviser after the adviser was "
            "fired for lying to the vice president")
    assert not corroborates(statement(REQUEST, "2017-05-17"), statement(told, "2017-05-17"))
    assert corroborates(statement(REQUEST[3:], "2017-05-17"), statement(told, "2017-05-17"))  # both assert
    n, _, _ = _count(_article("a", 1, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                     _article("b", 2, "2019-12-16", "The Hill", ("Lindsey Graham", SHUTDOWN)),
                     _article("c", 3, "2019-12-17", "Politico", ("the Inspector General report", SHUTDOWN),
                              kind="document"))
    assert n == 1
