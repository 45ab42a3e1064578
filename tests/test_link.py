"""Cross-article linking on real text: the relay fixtures (four outlets relaying one Ministry of Defence
Telegram post, one of them recycling a paragraph of an earlier article), plus the pure functions behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportedly.ingest.batch import ingest, iter_articles
from reportedly.link.claims import item, same_claim
from reportedly.link.origins import entity_key, infer_parents, link_articles
from reportedly.link.passages import Para, recycled_passages, signatures, similarity
from reportedly.store import ClaimFilter, open_store
from reportedly.store.base import LinkArticle

RELAY = Path(__file__).parent / "fixtures" / "relay"
A, B, C, D = "eastern-wire-0329", "daily-ledger-0330", "metro-courier-0331", "harbor-times-0401"


@pytest.fixture(scope="module")
def relay_store(tmp_path_factory, nlp):
    db = tmp_path_factory.mktemp("relay") / "ledger.db"
    store = open_store(str(db))
    stats = ingest(store, iter_articles([str(RELAY)]), workers=1)
    assert stats.written == 4 and not stats.failed
    yield store
    store.close()


def _cluster_of(store, article: str, words: str) -> int:
    rows = [r for r in store.claims(ClaimFilter(search=words, limit=None)) if r["article_id"] == article]
    assert rows, f"no claim about {words!r} in {article}"
    return int(rows[0]["cluster_id"])


def test_one_origin_relayed_in_order(relay_store) -> None:
    cid = _cluster_of(relay_store, A, "recaptured Staryi Lyman")
    members = [r for r in relay_store.claims(ClaimFilter(limit=None)) if r["cluster_id"] == cid]
    assert {r["article_id"] for r in members} == {A, B, C, D}
    origins = relay_store.cluster_origins(cid)
    assert len(origins) == 1, origins
    origin = origins[0]
    assert "ministry" in origin["origin_key"] and "defence" in origin["origin_key"]
    assert origin["first_published"] == "2022-03-29" and origin["first_article_id"] == A
    relays = origin["relays"]
    assert [r["article_id"] for r in relays] == [A, B, C, D]
    relayed_from = {r["article_id"]: r["relayed_from"] for r in relays}
    assert relayed_from == {A: None, B: A, C: A, D: B}  # B names Eastern Wire, D names the Daily Ledger,
    via = {r["article_id"]: r["via"] for r in relays}  # C copied a paragraph of A
    assert via[B] == "Eastern Wire" and via[C] == "recycled text" and "Daily Ledger" in via[D]


def test_unrelated_claims_stay_apart(relay_store) -> None:
    main = _cluster_of(relay_store, A, "recaptured Staryi Lyman")
    assert _cluster_of(relay_store, C, "buses evacuated") != main
    assert _cluster_of(relay_store, B, "electricity restored") != main
    assert _cluster_of(relay_store, D, "shipping insurance") != main


def test_recycled_paragraph_names_its_earlier_source(relay_store) -> None:
    show = relay_store.show(C)
    assert show is not None
    notes = show["recycled"]
    assert len(notes) == 1
    note = notes[0]
    assert note["source_article_id"] == A and note["earlier"] == 1 and note["similarity"] >= 0.9
    text = relay_store._query("SELECT text FROM articles WHERE id = ?", (C,))[0][0]
    assert text[note["start"]:note["end"]].startswith("Kharkiv, Ukraine's second-largest city")
    for other in (A, B, D):
        assert relay_store.show(other)["recycled"] == []


def _field_report(source: str) -> LinkArticle:
    return LinkArticle("field-report", 99, "2022-03-30", "Kyiv Dispatch", {
        "article": {"id": "field-report"},
        "attributions": [{"id": "a1", "source": {"text": source, "spans": [[0, len(source)]]},
                          "cue": {"text": "said", "spans": [[len(source) + 1, len(source) + 5]]},
                          "content": {"text": "Ukrainian troops had recaptured the village of Staryi Lyman east of "
                                              "Kharkiv", "spans": [[len(source) + 6, len(source) + 81]]},
                          "kind": "indirect"}]}, [])


def test_unnamed_residents_are_no_second_origin(relay_store) -> None:
    """The ministry's claim, and a field report of it from unnamed "residents": one cluster, one origin.
    The residents may be independent, but nothing shows it (per-outlet unnamed sources for one statement
    were the commonest overcount in the judged samples, docs/judging), so they are counted with the ministry
    and the relay step says so."""
    base = {a.id: a for a in relay_store.load_link_inputs()}
    rows = link_articles([*sorted(base.values(), key=lambda a: a.seq), _field_report("Residents")])
    cid = next(m[2] for m in rows.members if m[:2] == ("field-report", "a1"))
    assert {m[0] for m in rows.members if m[2] == cid} >= {A, B, C, D, "field-report"}
    cluster = next(c for c in rows.clusters if c[0] == cid)
    assert cluster[4] == 1  # n_origins
    step = next(r for r in rows.relays if r[0] == cid and r[3] == "field-report")
    assert str(step[6]).startswith("unnamed in Kyiv Dispatch: counted with")


def test_entity_keys_unify_spellings() -> None:
    assert entity_key("Ukraine's Defense Ministry") == entity_key("the Ministry of Defence of Ukraine")
    assert entity_key("the Ukrainian Ministry of Defence") == entity_key("Ministry of Defence of Ukraine")
    assert entity_key("Newsweek") != entity_key("NBC News")
    assert entity_key("the Ninth Amendment") == entity_key("9th Amendment") != entity_key("the 19th Amendment")


def test_claim_matching_survives_paraphrase() -> None:
    a = item("x", "a1", "Ukrainian forces had recaptured the village of Staryi Lyman, about 20 kilometres east "
                        "of Kharkiv, after two days of fighting")
    b = item("y", "a1", "Ukrainian troops had retaken Staryi Lyman, a village east of Kharkiv")
    other_place = item("z", "a1", "Ukrainian troops had retaken Mala Rohan, a village east of Kharkiv")
    unrelated = item("w", "a1", "20 buses had evacuated residents from the northern districts overnight")
    assert same_claim(a, b)
    assert not same_claim(b, other_place)  # same words, another village: not the same claim
    assert not same_claim(a, unrelated)
    # sources: the same speaker, one relaying the other, or an unnamed one are compatible; two named people not
    text = "Ukrainian troops had retaken Staryi Lyman, a village east of Kharkiv"
    ministry = item("x", "a1", text, ["defence ministry"], "2022-03-29")
    assert same_claim(ministry, item("y", "a1", text, ["defence ministry ukraine"], "2022-03-30"))
    assert same_claim(ministry, item("y", "a2", text, [], "2022-03-30"))
    assert not same_claim(ministry, item("y", "a3", text, ["marchenko olena"], "2022-03-30"))
    assert not same_claim(ministry, item("y", "a4", text, ["defence ministry"], "2022-06-30"))  # months later



def test_two_speakers_quoted_by_one_outlet_are_two_claims() -> None:
    """Issue 12 (judged AllSides clusters): the article's outlet is a carrier, not a speaker. Two people's
    remarks in the same outlet's stories do not join on the outlet; a speaker of one claim that carries the
    other ("the Daily Ledger reported that ...") still does, and so do "Mr. Reyne" and "Tomas Reyne"."""
    said = "the talks could resume as soon as the government reopens for three weeks of negotiations"
    reyne = item("x", "a1", said, ["reyne tomas", "~daily ledger"], "2019-01-20")
    halden = item("y", "a1", said, ["halden mira", "~daily ledger"], "2019-01-21")
    assert not same_claim(reyne, halden)
    assert same_claim(reyne, item("z", "a1", said, ["daily ledger"], "2019-01-21"))  # the Ledger's own report
    assert same_claim(item("z", "a2", said, [entity_key("Mr. Reyne"), "~evening post"], "2019-01-21"), reyne)
    assert entity_key("Sen. Mira Halden") == entity_key("Mira Halden")


def test_topic_phrases_do_not_join_statements() -> None:
    """A few shared words are a topic, not a statement: "tougher sanctions against the northern republic" is
    in many different claims. Short claims join only in the same words or between two named speakers;
    content words nearly all shared count only for claims of six or more of them."""
    topic = item("x", "a1", "tougher sanctions against the northern republic", [], "2017-08-05")
    longer = item("y", "a1", "the council voted to impose tougher sanctions against the northern republic over its "
                  "missile tests", ["security council"], "2017-08-06")
    assert not same_claim(topic, longer)
    short_a = item("x", "a2", "the direction of the corruption inquiry", [], "2017-06-01")
    short_b = item("y", "a2", "the pace of the corruption inquiry", [], "2017-06-02")
    assert not same_claim(short_a, short_b)
    assert same_claim(short_a, item("z", "a2", "the direction of the corruption inquiry", [], "2017-06-03"))


def test_the_same_long_quotation_is_one_statement() -> None:
    """Issue 12 (judged AllSides relays): outlets cut a quoted statement differently, date it or not, and
    spell or record the speaker differently; the same ten words quoted verbatim still make it one claim. A
    shorter or different quotation does not."""
    from reportedly.link.claims import claim_quotes, quoted_alike

    quote = ("\u201cThe voters will pronounce a verdict in nine months and I trust them to get it right. "
             "That is the only verdict that matters to me now and always.\u201d")
    a = item("x", "a1", f"{quote} she said after the vote, adding that she had made up her mind weeks ago",
             ["halden mira", "~daily ledger"], "2020-02-03")
    b = item("y", "a1", quote, ["halden mira", "~evening post"], None)  # undated copy
    assert a.quotes and a.quotes == b.quotes
    assert quoted_alike(a, b) and same_claim(a, b)
    later = item("z", "a1", "\u201cThat is the only verdict that matters now, and the voters will pronounce it in "
                 "November,\u201d", ["halden mira"], "2020-02-04")
    assert not later.quotes & a.quotes
    other = item("w", "a1", quote, ["reyne tomas"], "2020-02-03")
    assert same_claim(a, other)  # another recorded speaker: one statement all the same (origins keep one)
    # a quotation taken up from its second sentence on shares that sentence's key
    second = claim_quotes("\u201cI trust them. That is the only verdict that matters to me now and always, "
                          "whatever the Senate decides today.\u201d")
    assert second & claim_quotes(quote)
    assert not claim_quotes("\u201cThe voters will decide.\u201d")  # too short to be a fingerprint
    # months later under a speaker who cannot be the first: a stock phrase, not the statement relayed
    assert not same_claim(a, item("v", "a1", quote, ["reyne tomas"], "2021-07-15"))
    assert same_claim(a, item("v", "a1", quote, ["mira halden"], "2021-07-15"))  # her words, quoted later
    # ... under her first name written short: still her
    assert same_claim(a, item("v", "a1", quote, [entity_key("Mir Halden")], "2021-07-15"))
    assert not same_claim(a, item("v", "a1", quote, [entity_key("Mi Halden")], "2021-07-15"))  # too short
    assert not same_claim(a, item("v", "a1", quote, [entity_key("Miranda Holt")], "2021-07-15"))


def test_an_unnamed_speaker_needs_closer_contents() -> None:
    """Issue 12 (fourth judged draw): an unnamed speaker is compatible with anyone, so such pairs must be
    closer in meaning than two claims of one named speaker; the words' route is unchanged."""
    from reportedly.link.claims import COSINE, COSINE_UNNAMED, cosine

    orders = "the White House could use executive orders to deal with gun control"
    enact = "the president could enact plans to crack down on gun violence through executive orders"
    a, b = item("x", "a1", orders, ["dana lee"], "2013-01-10"), item("y", "a1", enact, ["lee dana"], "2013-01-10")
    assert COSINE <= cosine(a, b) < COSINE_UNNAMED
    assert same_claim(a, b)
    assert not same_claim(a, item("y", "a1", enact, [], "2013-01-10"))
    talks = item("x", "a2", "the trade talks with China had made significant progress over the weekend", [],
                 "2019-05-01")
    weekend = item("y", "a2", "negotiators made substantial progress in the weekend's trade talks with China", [],
                   "2019-05-02")
    assert same_claim(talks, weekend)  # nearly all its content words in the other

def test_near_duplicate_paragraphs(seed_report) -> None:
    from tests.conftest import SEED

    text = SEED.read_text(encoding="utf-8")
    sigs = signatures(text)
    assert sigs, "the seed article has linkable paragraphs"
    idx, s, e, sig = sigs[0]
    edited = text[s:e].replace("Several hundred", "Hundreds of").replace("Kyiv's", "Ukraine's")
    sig2 = signatures(edited)[0][3]
    assert similarity(sig, sig2) >= 0.6
    later = [Para("copy", ("2022-04-03", 2), "2022-04-03", 0, 0, len(edited), sig2)]
    earlier = [Para("seed", ("2022-04-01", 1), "2022-04-01", i, a, b, g) for i, a, b, g in sigs]
    notes = recycled_passages(later + earlier)
    assert [(n.article, n.source, n.source_idx, n.earlier) for n in notes] == [("copy", "seed", idx, True)]


@pytest.mark.parametrize("first", ["a", "b"])
def test_a_paragraph_as_close_to_two_passages_joins_the_earlier_ones_group(first: str) -> None:
    """Signatures built to tie: "a" and "b" agree on 38 of 64 hash values (two passages, below the 0.6
    threshold); "p" agrees with each on 51 (0.797). It must join the earlier passage's group whichever that is
    (LSH candidates come back as a set, whose order the process's string hashing decides)."""
    import numpy as np

    base = np.arange(64, dtype=np.uint32)
    sig = {"a": base.copy(), "b": base.copy(), "p": base.copy()}
    sig["b"][38:] += 1000
    sig["p"][51:] += 1000
    assert similarity(sig["a"].tobytes(), sig["b"].tobytes()) < 0.6
    assert similarity(sig["p"].tobytes(), sig["a"].tobytes()) == similarity(sig["p"].tobytes(), sig["b"].tobytes())
    day = {first: "2024-01-01", ({"a", "b"} - {first}).pop(): "2024-01-02", "p": "2024-01-03"}
    paras = [Para(k, (day[k], n), day[k], 0, 0, 10, sig[k].tobytes()) for n, k in enumerate(("a", "b", "p"))]
    notes = recycled_passages(paras)
    assert [(n.article, n.source) for n in notes] == [("p", first)]


def test_nesting_inferred_from_spans_when_parent_missing() -> None:
    text = "Newsweek reported that the ministry said the legion was training."
    attrs = [
        {"id": "a1", "cue": {"spans": [[9, 17]]}, "content": {"spans": [[18, 65]]}},
        {"id": "a2", "cue": {"spans": [[36, 40]]}, "content": {"spans": [[41, 65]]}},
    ]
    assert text[9:17] == "reported" and text[36:40] == "said"
    assert infer_parents(attrs) == {"a1": None, "a2": "a1"}



def _paras_with_footer(with_footer: set[int]) -> tuple[list[Para], dict[str, int]]:
    """Paragraphs of six PolNeAR train articles; those in ``with_footer`` end with one shared footer.
    Returns the paragraphs and, per article, where its footer starts."""
    from tests.conftest import POLNEAR

    footer = ("Copyright 2016 The Daily Ledger. All rights reserved. This material may not be published, "
              "broadcast, rewritten or redistributed without permission.")
    paras: list[Para] = []
    footer_at: dict[str, int] = {}
    for n, path in enumerate(sorted((POLNEAR / "train" / "text").glob("*.txt"))[:6]):
        text = path.read_text(encoding="utf-8")
        if n in with_footer:
            footer_at[path.stem] = len(text) + 2
            text = text + "\n\n" + footer + "\n"
        date = f"2016-01-{n + 1:02d}"
        paras += [Para(path.stem, (date, n), date, i, a, b, g) for i, a, b, g in signatures(text)]
    return paras, footer_at


def test_a_paragraph_in_most_articles_is_boilerplate_not_recycling() -> None:
    paras, footer_at = _paras_with_footer(set(range(6)))
    notes = recycled_passages(paras)
    assert not [x for x in notes if x.start == footer_at.get(x.article)]


def test_a_paragraph_in_a_few_articles_is_recycling() -> None:
    paras, footer_at = _paras_with_footer({1, 4})
    notes = [x for x in recycled_passages(paras) if x.start == footer_at.get(x.article)]
    assert len(notes) == 1 and notes[0].earlier and notes[0].source in footer_at


def _linkable(aid: str, seq: int, published: str, text: str) -> LinkArticle:
    import reportedly

    report = reportedly.analyze(text, published=published, id=aid).to_dict()
    return LinkArticle(aid, seq, published, None, report, signatures(text))


def test_a_recycled_paragraph_is_no_extra_origin(nlp) -> None:
    """Issue 11, item 13: an unnamed claim in a paragraph that a later article copied (and that is flagged as
    recycled) is one origin relayed as text; the same claim in an article's own words from unnamed "people
    who saw the figures" is no second origin either, but it is counted as unnamed, not as copied text."""
    copied = ("The refinery, which opened in 1985, has long been criticised by residents, who say it was never "
              "designed for the larger tankers now using the port. It was reported last year that its safety "
              "budget had been cut by a third after inspectors found leaking valves.")
    first = _linkable("first", 1, "2024-03-14", f"Refinery Fire Forces Evacuations\n\n{copied}\n")
    later = _linkable("later", 2, "2024-03-15", "Refinery Reopens After Fire\n\nWorkers returned to the site on "
                      f"Friday after a two-day shutdown.\n\n{copied}\n")
    rows = link_articles([first, later])
    assert [(n[0], n[4]) for n in rows.recycled] == [("later", "first")]
    budget = [c for c in rows.clusters if "safety" in c[1] and "budget" in c[1]]
    assert len(budget) == 1 and budget[0][3] == 2, budget  # one claim cluster, found in both articles
    assert budget[0][4] == 1  # n_origins: one, relayed by the copy
    relays = [r for r in rows.relays if r[0] == budget[0][0]]
    assert [(r[3], r[6], r[7]) for r in relays][-1] == ("later", "recycled text", "first")
    own = _linkable("own", 3, "2024-03-16", "Refinery Under Scrutiny\n\nIt was reported last year that the "
                    "refinery's safety budget had been cut by a third after inspectors found leaking valves, "
                    "according to people who saw the figures.\n")
    rows = link_articles([first, later, own])
    cluster = [c for c in rows.clusters if c[0] == next(m[2] for m in rows.members if m[0] == "own")]
    assert cluster and cluster[0][4] == 1, cluster
    steps = {r[3]: r[6] for r in rows.relays if r[0] == cluster[0][0]}
    assert steps["later"] == "recycled text" and str(steps["own"]).startswith("unnamed in")


def test_clusters_are_a_function_of_the_claim_set(relay_store) -> None:
    """The same claims in any order (or with a duplicate) give the same clusters and the same numbers: the
    property full relink, incremental linking and a partitioned (Spark) pass all rely on."""
    import random

    from reportedly.link.claims import candidate_keys, cluster_claims, components, same_claim

    claims = [item(r["article_id"], r["attr_id"], r["content"]) for r in relay_store.claims(ClaimFilter(limit=None))]
    assert len(claims) > 8
    base = dict(zip([c.key for c in claims], cluster_claims(claims), strict=True))
    assert len(set(base.values())) < len(claims)  # some claims do join across the relay articles
    rng = random.Random(7)
    for _ in range(5):
        shuffled = claims[:]
        rng.shuffle(shuffled)
        assert dict(zip([c.key for c in shuffled], cluster_claims(shuffled), strict=True)) == base
        assert components(shuffled + shuffled[:3]) == components(claims)
    rows = relay_store.claims(ClaimFilter(limit=None))
    for r, a in zip(rows, claims, strict=False):
        again = item("another-article", "a99", r["content"])
        assert candidate_keys(again) == candidate_keys(a)  # keys depend on the content only
        for b in claims[:15]:
            assert same_claim(a, b) == same_claim(b, a)


def test_claim_embeddings_are_a_function_of_the_text() -> None:
    """The shipped model: unit vectors, the same vector for the same text in any call, paraphrases closer
    than unrelated claims, and a hostile megabyte of text embedded within bounds."""
    import numpy as np

    from reportedly.link.embed import MODEL_DIR, cosine, embed

    assert (MODEL_DIR / "model.onnx").stat().st_size < 25_000_000
    a = "the company's safety budget had been cut by a third"
    b = "its safety budget was cut by a third, according to people who saw the figures"
    c = "the governor signed a bill raising the minimum wage"
    va = embed(a)
    assert abs(float(np.linalg.norm(va)) - 1) < 1e-4
    assert np.array_equal(embed.__wrapped__(a), va)  # uncached: bit-identical
    assert cosine(va, embed(b)) > cosine(va, embed(c)) + 0.3
    assert embed("word " * 300_000).shape == (384,)


def test_one_speakers_like_statements_a_week_apart_are_two_claims() -> None:
    """Issue 12 (fourth judged draw): one spokesman's line and his like line eleven days later are two
    statements; the same words within a week are one, and a long quotation stays one across weeks."""
    text = "the administration's numbers on the budget just do not add up for working families"
    first = item("x", "a1", text, ["carney jay"], "2013-03-12")
    assert not same_claim(first, item("y", "a1", text, ["carney jay"], "2013-03-23"))
    assert same_claim(first, item("z", "a1", text, ["jay carney"], "2013-03-15"))
    quote = f"\u201c{text}, and that is the problem the Senate has to fix this week\u201d"
    assert same_claim(item("x", "a2", quote, ["carney jay"], "2013-03-12"),
                      item("y", "a2", quote, ["carney jay"], "2013-04-05"))
