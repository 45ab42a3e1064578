"""Cross-outlet linking on real multi-outlet news (issue 12, part): outlet labels, wire copy, relays between
outlets, formulaic claims and the reason each origin counts once. Articles are read from the AllSides corpus
in ../shared at test time (never copied into the repository); those tests skip when it is absent."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from reportedly.ingest.batch import ingest, iter_articles
from reportedly.link.formulaic import FormulaStats, learn, quotes_at_length, shape
from reportedly.link.origins import origin_reason
from reportedly.link.outlets import canonical_outlet, wire_agency
from reportedly.store import ClaimFilter, open_store
from tests._ledger import BACKENDS, ledger_url
from tests.conftest import SHARED

ALLSIDES = SHARED / "data" / "corpora" / "allsides" / "articles.jsonl.gz"
needs_corpus = pytest.mark.skipif(not ALLSIDES.exists(), reason=f"{ALLSIDES} is absent (shared AllSides corpus)")
WIRE_PAIR = ("BrOhhC9Ql8U6s0SC", "e87tQmBZ4AK1F8Sz")  # a Reuters story, and The Washington Times carrying it
CNN_RELAY = ("TM2Apk9USqAn094L", "62P5Hc23kcGUN4eq")  # a CNN story, and Foreign Policy citing "told CNN"
QUOTE_PAIR = ("nj28DeRkS5QXQeHk", "cvaavb0XAUCILt0K")  # one tweet quoted by Business Insider and The Hill


def _corpus(wanted: set[str] | None = None, first: int | None = None) -> list[dict[str, Any]]:
    """Rows of the corpus: those with the ``wanted`` ids, or the ``first`` N."""
    out = []
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if first is not None and i >= first:
                break
            row = json.loads(line)
            if wanted is None or row["id"] in wanted:
                out.append(row)
                if wanted is not None and len(out) == len(wanted):
                    break
    return out


def _ledger(url: str, rows: list[dict[str, Any]], tmp_path: Path) -> Any:
    src = tmp_path / "articles.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store = open_store(url)
    stats = ingest(store, iter_articles([str(src)]), workers=1)
    assert stats.written == len(rows) and not stats.failed
    return store


# --- outlet names ------------------------------------------------------------------------------------------

def test_outlet_labels_collapse_to_one_name() -> None:
    assert {canonical_outlet(x) for x in ("Fox News", "Fox Online News", "Fox News (Online)")} == {"Fox News"}
    assert {canonical_outlet(x) for x in ("CNN", "CNN (Web News)", "CNN - Editorial")} == {"CNN"}
    assert {canonical_outlet(x) for x in ("Reuters", "Thomson Reuters")} == {"Reuters"}
    assert canonical_outlet("New York Times - News") == canonical_outlet("The New York Times")
    assert canonical_outlet("  Some Local Gazette ") == "Some Local Gazette"  # unknown: kept, trimmed
    assert canonical_outlet("") is None and canonical_outlet(None) is None


@needs_corpus
def test_corpus_outlet_variants_get_fewer_names() -> None:
    labels = {r["outlet"] for r in _corpus(first=5000) if r.get("outlet")}
    names = {canonical_outlet(x) for x in labels}
    assert len(names) < len(labels)
    for variant, name in (("CNN (Web News)", "CNN"), ("Fox Online News", "Fox News")):
        if variant in labels:
            assert canonical_outlet(variant) == name


# --- wire copy ---------------------------------------------------------------------------------------------

def test_wire_credit_lines() -> None:
    assert wire_agency(None, "WASHINGTON (AP) — The Senate voted", "") == "Associated Press"
    assert wire_agency("Associated Press", "The Senate voted", "") == "Associated Press"
    assert wire_agency(None, "LONDON (Reuters) - Britain said", "") == "Reuters"
    assert wire_agency(None, "The Senate voted", "The Associated Press contributed to this report.") \
        == "Associated Press"
    # an agency quoted in the body is a source, not a carrier
    assert wire_agency("Jane Roe", "The Senate voted, the Associated Press reported.", "More later.") is None
    # a copyright mark may run into the name (the quick pre-check must not skip it)
    assert wire_agency(None, "The Senate voted", "Copyright (c)2019Reuters. All rights reserved.") == "Reuters"
    assert wire_agency(None, "A cheap map of the happy trap", "Reporting by our staff.") is None


@needs_corpus
@pytest.mark.parametrize("backend", BACKENDS)
def test_wire_carrier_is_a_relay_of_the_agency(backend, tmp_path, nlp) -> None:
    rows = _corpus(set(WIRE_PAIR))
    assert len(rows) == 2, "wire pair not in the corpus"
    agency, carrier = WIRE_PAIR
    by_id = {r["id"]: r for r in rows}
    assert wire_agency(by_id[carrier].get("byline"), by_id[carrier]["text"][:300], by_id[carrier]["text"][-400:]) \
        == canonical_outlet(by_id[agency]["outlet"]) == "Reuters"
    with ledger_url(backend, tmp_path) as url:
        store = _ledger(url, rows, tmp_path)
        try:
            shared = [r for r in store.claims(ClaimFilter(limit=None))
                      if r["article_id"] == carrier and (r["n_origins"] or 0) >= 1]
            cids = {int(r["cluster_id"]) for r in shared}
            joint = [cid for cid in cids if {m["article_id"] for m in store.claims(ClaimFilter(limit=None))
                                              if m["cluster_id"] == cid} == {agency, carrier}]
            assert joint, "the carrier's claims never joined the agency's"
            for cid in joint:  # the carrier adds no origin: each one starts at the agency's story
                for origin in store.cluster_origins(cid):
                    assert origin["first_article_id"] == agency, origin
                    steps = {s["article_id"]: s for s in origin["relays"]}
                    if carrier in steps:
                        assert steps[carrier]["relayed_from"] == agency
                        assert steps[carrier]["via"] == "wire copy (Reuters)"
                        assert "1 wire copy: The Washington Times" in origin["reason"]
        finally:
            store.close()


# --- outlet-to-outlet relays -------------------------------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("backend", BACKENDS)
def test_told_an_outlet_links_to_its_article(backend, tmp_path, nlp) -> None:
    """An unnamed official "told CNN": in a later article that is CNN's claim relayed, one origin."""
    rows = _corpus(set(CNN_RELAY))
    assert len(rows) == 2, "relay pair not in the corpus"
    original, relay = CNN_RELAY
    with ledger_url(backend, tmp_path) as url:
        store = _ledger(url, rows, tmp_path)
        try:
            claims = store.claims(ClaimFilter(limit=None))
            mine = [r for r in claims if r["article_id"] == relay and "concerned about the number" in r["content"]]
            assert mine, "the relayed claim was not extracted"
            cid = int(mine[0]["cluster_id"])
            assert {r["article_id"] for r in claims if r["cluster_id"] == cid} == {original, relay}
            origins = store.cluster_origins(cid)
            assert len(origins) == 1, origins
            steps = {s["article_id"]: s for s in origins[0]["relays"]}
            assert steps[relay]["relayed_from"] == original and steps[relay]["via"] == "CNN"
            assert "relayed: Foreign Policy via CNN" in origins[0]["reason"]
        finally:
            store.close()


@needs_corpus
@pytest.mark.parametrize("backend", BACKENDS)
def test_one_quotation_is_one_claim_whoever_is_recorded_as_its_speaker(backend, tmp_path, nlp) -> None:
    """Two outlets quote one congressman's tweet word for word; one outlet's speaker is read as the link
    headline beside it (a missed relay of the third judged draw's kind): the shared quotation makes them one
    claim and one origin all the same."""
    rows = _corpus(set(QUOTE_PAIR))
    assert len(rows) == 2, "quotation pair not in the corpus"
    with ledger_url(backend, tmp_path) as url:
        store = _ledger(url, rows, tmp_path)
        try:
            quoted = [c for c in store.claims(ClaimFilter(limit=None))
                      if "Eight men I served with are buried" in c["content"]]
            assert {c["article_id"] for c in quoted} == set(QUOTE_PAIR), quoted
            assert len({c["source_text"] for c in quoted}) == 2  # the recorded speakers differ
            assert len({c["cluster_id"] for c in quoted}) == 1 and {c["n_origins"] for c in quoted} == {1}
        finally:
            store.close()


# --- formulaic claims --------------------------------------------------------------------------------------

_NO_COMMENT = re.compile(r"[^.\n]{0,160}\b(?:did not (?:immediately )?respond to (?:a |an |our )?(?:request|email|call)"
                         r"s? for comment|declined to comment|could not be reached for comment)[^.\n]{0,80}\.")
_NO_COMMENT_CUES = ("respond to", "declined to comment", "could not be reached for comment")


def _no_comment(text: str) -> re.Match[str] | None:
    """The first no-comment sentence of ``text``. The regex is tried only on texts holding one of its cues:
    its bounded lead-in made a search of every corpus text most of this module's run time."""
    return _NO_COMMENT.search(text) if any(c in text for c in _NO_COMMENT_CUES) else None


def test_formula_needs_many_speakers_outlets_and_months() -> None:
    nc = shape("did not respond to", "a request for comment")
    assert nc == shape("did not respond to", "requests for comment on Friday")
    stats = learn((nc, f"speaker {i}", f"outlet {i}", f"2019-0{i + 1}-01") for i in range(4))
    assert stats.is_formulaic(nc)
    letter = shape("did not respond to", "a request for comment on the letter")
    assert stats.verdicts([letter, shape("said", "the letter asked for a recount of the vote")]) == [True, False]
    one_story = learn((nc, f"speaker {i}", f"outlet {i}", "2019-01-01") for i in range(8))
    assert not one_story.is_formulaic(nc)  # one event told widely is a claim, not a formula
    one_voice = learn((nc, "speaker", f"outlet {i}", f"2019-0{i + 1}-01") for i in range(8))
    assert not one_voice.is_formulaic(nc)
    # incremental: two halves merged give the verdict of the whole
    half = FormulaStats()
    half.merge(learn((nc, f"speaker {i}", f"outlet {i}", f"2019-0{i + 1}-01") for i in range(2)))
    assert not half.is_formulaic(nc)
    half.merge(learn((nc, f"speaker {i}", f"outlet {i}", f"2019-0{i + 1}-01") for i in range(2, 4)))
    assert half.is_formulaic(nc)


def test_a_long_quotation_is_formulaic_only_when_formulas_make_up_all_of_it() -> None:
    """A formula plus an object is a formula when reported ("did not know what hackers they meant"), but the
    speaker's own words quoted at length are one statement about one thing (an AllSides quotation)."""
    formula = shape("said", "they did not know what they were talking about")
    stats = learn((formula, f"speaker {i}", f"outlet {i}", f"2019-0{i + 1}-01") for i in range(4))
    quote = "“We don’t know what hackers they are talking about,”"
    reported = "they did not know what hackers they were talking about"
    assert quotes_at_length(quote) and not quotes_at_length(reported)
    claims = [shape("said", quote), shape("said", reported)]
    assert claims[0] - formula and formula < claims[0]  # the formula with words to spare, in both
    assert stats.verdicts(claims) == [True, True]
    assert stats.verdicts(claims, [True, False]) == [False, True]
    assert stats.verdicts([formula], [True]) == [True]  # quoted word for word, the formula is still one
    # two formulas and nothing else, quoted at length, are boilerplate all the same
    other = shape("said", "they were cooperating with the investigation")
    stats.merge(learn((other, f"speaker {i}", f"outlet {i}", f"2019-0{i + 1}-01") for i in range(4)))
    both = '"We do not know what they are talking about, and we are cooperating with the investigation,"'
    assert quotes_at_length(both) and shape("said", both) == formula | other
    assert stats.verdicts([shape("said", both), claims[0]], [True, True]) == [True, False]


def test_a_long_quotation_of_one_word_formulas_is_a_statement() -> None:
    """Words many speakers used alone ("the bridge", "the budget", "going") are formulas one by one, yet a
    quotation made of them says one thing; with a phrase formula making up half of it, it is boilerplate."""
    quote = "“There is not going to be any bridge money in the budget,”"
    words = [shape("said", w) for w in ("it is going", "the bridge", "the money", "the budget")]
    assert all(len(w) == 1 for w in words) and frozenset().union(*words) == shape("said", quote)
    stats = learn((w, f"speaker {i}", f"outlet {i}", f"2019-0{i + 1}-01") for w in words for i in range(4))
    assert quotes_at_length(quote)
    assert stats.verdicts([shape("said", quote)], [True]) == [False]
    phrase = shape("said", "the budget has bridge money")
    stats.merge(learn((phrase, f"speaker {i}", f"outlet {i}", f"2019-0{i + 1}-01") for i in range(4)))
    assert len(phrase) * 2 >= len(shape("said", quote)) and phrase < shape("said", quote)
    assert stats.verdicts([shape("said", quote)], [True]) == [True]


@needs_corpus
@pytest.mark.parametrize("backend", BACKENDS)
def test_no_comment_claims_never_link_across_articles(backend, tmp_path, nlp) -> None:
    """Real no-comment paragraphs from unrelated articles: each stays in a cluster of its own article."""
    rows = []
    for r in _corpus(first=8000):
        m = _no_comment(r.get("text") or "")
        if m and r.get("published"):
            rows.append({**r, "text": m.group(0).strip(), "byline": None})
        if len(rows) == 60:
            break
    assert len(rows) >= 30, "too few no-comment paragraphs in the corpus head"
    with ledger_url(backend, tmp_path) as url:
        store = _ledger(url, rows, tmp_path)
        try:
            claims = store.claims(ClaimFilter(limit=None))
            assert claims
            articles: dict[int, set[str]] = {}
            for c in claims:
                articles.setdefault(int(c["cluster_id"]), set()).add(c["article_id"])
            joined = {cid: arts for cid, arts in articles.items() if len(arts) > 1}
            assert not joined, [[c["content"] for c in claims if c["cluster_id"] == cid] for cid in joined]
        finally:
            store.close()


# --- reasons -----------------------------------------------------------------------------------------------

def test_origin_reason_names_each_kind_of_carrier() -> None:
    steps = [{"article_id": "a", "outlet": "CNN", "via": None, "relayed_from": None},
             {"article_id": "b", "outlet": "Foreign Policy", "via": "CNN", "relayed_from": "a"},
             {"article_id": "c", "outlet": "Daily Mail", "via": "recycled text", "relayed_from": "a"},
             {"article_id": "d", "outlet": "CBN", "via": "wire copy (Associated Press)", "relayed_from": None},
             {"article_id": "e", "outlet": "NPR", "via": "unnamed in NPR: counted with a White House official",
              "relayed_from": None},
             {"article_id": "f", "outlet": "Vox", "via": "outlet as source: CNN in Vox: counted with a White House "
                                                      "official", "relayed_from": None},
             {"article_id": "g", "outlet": "Politico", "via": "not shown apart: a senior official in Politico: counted "
                                                           "with a White House official", "relayed_from": None}]
    why = origin_reason("a White House official", steps)
    assert why["counted"] == {"first_hand": ["CNN"], "relays": ["Foreign Policy via CNN"], "copies": ["Daily Mail"],
                              "wire": ["CBN"], "unnamed": ["unnamed in NPR: counted with a White House official"],
                              "outlet_source": ["outlet as source: CNN in Vox: counted with a White House official"],
                              "unshown": ["not shown apart: a senior official in Politico: counted with a White "
                                          "House official"]}
    assert why["reason"].startswith("one origin (a White House official): ")


# --- paraphrase (a short real excerpt kept as a fixture) ------------------------------------------------------

EXCERPTS = Path(__file__).parent / "fixtures" / "excerpts"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_paraphrased_statement_is_one_claim_across_outlets(backend, tmp_path, nlp) -> None:
    """Two outlets quote one union negotiator in other words ("The No. 1 priority" / "The number one
    priority"), naming him differently: one cluster, one origin. A few sentences of each AllSides article
    (CNN and CNBC, 2019-10-16), kept in tests/fixtures/excerpts/paraphrase.jsonl."""
    rows = [json.loads(line) for line in (EXCERPTS / "paraphrase.jsonl").read_text(encoding="utf-8").splitlines()]
    with ledger_url(backend, tmp_path) as url:
        store = _ledger(url, rows, tmp_path)
        try:
            claims = store.claims(ClaimFilter(limit=None))
            quoted = [c for c in claims if "priority of the national negotiation team" in c["content"]]
            assert {c["article_id"] for c in quoted} == {r["id"] for r in rows}, claims
            assert len({c["cluster_id"] for c in quoted}) == 1
            assert {c["n_origins"] for c in quoted} == {1}
        finally:
            store.close()
