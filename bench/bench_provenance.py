"""Provenance benchmark on PolNeAR dev: relay-chain precision and source-kind accuracy, judged by hand.

The resolve layer is run on the GOLD attributions of each dev article (so that extraction errors do not
count against resolution); the article's outlet and date come from metadata.tsv. A seeded sample of
relay chains (chains with at least one hop between origin and article) and of sources is printed with
the sentence it comes from; verdicts given by a human reader live in ``bench/provenance_verdicts.json``
keyed by item, together with the prediction they judged. A prediction that changed since it was judged
counts as unjudged (never as correct). Results go to docs/benchmarks.md (section ``provenance``) and
the full list of judged items to docs/provenance-check.md.

    python bench/bench_provenance.py            # run, score with the stored verdicts, write the docs
    python bench/bench_provenance.py --dump     # also print the samples to judge (JSON lines)
    python bench/bench_provenance.py --split train --articles 60 --seed 1 --dump   # develop on train

Only a full dev run with the reporting seed writes the docs; train runs are for developing rules.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._report import SHARED, table, write_section  # noqa: E402
from reportedly.eval.polnear import GoldDoc, read_split  # noqa: E402
from reportedly.model import Article, Attribution, Cue, Field, Report, Source  # noqa: E402
from reportedly.nlp import load_base  # noqa: E402
from reportedly.report import build_report  # noqa: E402

POLNEAR = SHARED / "data" / "polnear"
VERDICTS = ROOT / "bench" / "provenance_verdicts.json"
CHECK_DOC = ROOT / "docs" / "provenance-check.md"
PUBLISHERS = {"breitbart": "Breitbart News", "huff-post": "The Huffington Post", "nyt": "The New York Times",
              "politico": "Politico", "usa-today": "USA Today", "wash-post": "The Washington Post",
              "west-journal": "The Western Journal"}
# How these samples came to be judged (kept with the numbers so that nobody reads them as blind):
HISTORY = """\
Judging history (all by hand, reading each sentence in its article):
- The rules were written while reading earlier dev samples (seed 13), so dev was partly used for tuning;
  the numbers below are therefore optimistic, not blind.
- A fresh source sample (seed 2026, 100 items) judged before the last rule changes scored 71/100.
- (Previous round) the seed-7 samples were first judged at 75/100 (sources) before a last small round of general
  fixes (party committees are organisations, "Bureau"/"Agency" names are government, Mr./Mrs. keep
  "Mrs. Clinton" apart from "Bill Clinton", journalists relay only what they broadcast or publish); that round
  changed 4 of these 100 source items, all to correct, and removed relay chains built on a bare TV affiliation.
- A second round of general rules was developed on PolNeAR TRAIN only (`--split train`, 60 articles drawn
  with seed 1, their 100 sampled sources read by hand, a rough count of about 70/100 before the round, not recorded
  item by item): titles stated anywhere
  in the article and in titled descriptions ("The Vermont senator has ...") reach the person; Title Case
  headlines give no titles; a capitalised "Chairman" after "campaign"/"party" is no government title and
  "party" no longer counts as government context; appositive titles only right after the name and never
  another person's; names the tagger calls ORG but that start with a known first name are people;
  "X and Y" named people form one plural group entity (kind shared by the members, else person); an
  indefinite description in apposition to a name ("Our Principles PAC, a group ...") is that name; a bare
  surname the tagger missed joins the person of that name; "it" after a document subject is the document.
- Then a fresh dev source sample (seed 4242) was drawn and judged once, by hand: 80/100. Its errors were then
  read and the rules committed in "Source kinds: US states on titles, past offices, quotes and clauses that
  name someone else, first names, families, Q&A transcripts, late surnames" were written while looking at
  them, so that sample is no longer blind; its verdicts are kept as history in bench/provenance_verdicts.json
  under "sources_seed4242" (the seed-7 sample of the round before, 79/100, under "sources_seed7").
- After that commit a fresh dev source sample (seed 31337, never used before) was drawn and judged once, by
  hand: 75/100 (8 of its items had also been in the seed-4242 or seed-7 samples; 68/92 on the others). Five
  of its 25 errors were close calls ("a group of black parents" and "a coalition of leaders" as organisation,
  critics "like Senators Grassley and Leahy" as anonymous, "the two countries" and "the city" left
  unresolved), counted as errors (80/100 if counted correct). Its verdicts are kept under "sources_seed31337".
- Below target, a third round of general rules was developed on PolNeAR TRAIN only (`--split train
  --articles 60 --seed 5 --dump`, its 100 sampled sources read by hand, roughly 12-14 wrong, not recorded
  item by item; no further dev items were looked at): a he/she resolved to a person gives that person a
  gender, so a later pronoun of the other gender looks elsewhere ("the host said ... he wanted to know ...
  she continued" is Clinton); a source span that is only the cue ("said" in "said Bolton", "According to"
  in "According to Woodward") is the speaker the cue names; a title before a known first name in a span the
  tagger calls an organisation ("Pastor Darrell Scott") is a person, and a clergy title makes "minister" no
  government title. Tests in tests/test_sources.py on the train sentences. On 150 train articles drawn
  with seed 99 (3297 sources) these rules changed 7 predictions (5 to correct, 2 from one wrong to another).
  (The seed-31337 errors had been read while judging; one of them, a gold span "said", is of the type the
  cue rule covers; that rule came from the train sample, where the type occurs 13 times in 18359 sources.)
- Then a FRESH dev source sample (seed 8675309, never used before) was drawn and judged once, by hand,
  reading each sentence (and the article where the sentence was not enough): 80/100 (it was the reported
  source-kind number until the next round; the rules were not changed after it was judged). The third rule round changed
  one of its 100 predictions ("said" -> Robert McAtee, now correct; 79/100 with the rules before the round).
  9 of its items had been in the seed-4242 or seed-7 samples used in development (8 correct): 72/91 on the
  others. 10 were also in the seed-31337 sample (judged the same way). Two of its entries are one source
  span with two attributions ("Obama and Clinton call them ... and describe"), so 99 distinct verdicts.
  Close calls: counted correct: a mixed group of a president and a candidate as person (those 2 entries),
  Pence as person where the article calls him only the vice-presidential nominee, "The Reuters/Ipsos poll"
  resolved to its owner Reuters, an unnamed arbitration panel as organisation; counted wrong: the lawyer
  of a state agency as person (official). With all of them flipped against the system it would be 75/100.
  Judging standard: the entity must be the one the span refers to, and the kind must fit the article's
  description of it at the time it speaks (a group of two senators is official; "I" in an op-ed is its
  author, not anonymous; a generic "media" is outlet; a description such as "the two countries" or "the
  city" must reach the entities it stands for).
- The relay-chain sample (seed 7) changed since it was last judged (the rules now build some different relay
  chains): its 5 new or changed chains were judged by hand in the same pass (4 correct; "Melanie said to the
  TV" makes the TV an invented relay).
- Still below target, a fourth round of general rules was developed on PolNeAR TRAIN only (`--split train
  --articles 60 --seed 77 --dump`, its 100 sampled sources read by hand, about 20 wrong, not recorded item by
  item, and whole-split diffs of all sources of 150 train articles drawn with seed 123). The notes on the wrong
  items of the already judged dev samples (seeds 8675309, 31337, 4242) were read to choose which categories to
  look for on train; no dev article was used to write or test a rule. Rules: a weak title's government context
  counts only in its own phrase (one mention's "commander in chief" no longer makes another mention's
  "president" an office); titles of private organisations are no office ("American Bridge President", "RNC
  Chief of Staff", "executive director of the House Majority PAC", "a minister with the Living Church of God",
  "San Diego chapter president", "Christian speaker"; "speaker" is a weak title); hypothetical offices are none
  ("a President Donald Trump", "the next Commander in Chief"); a title run with "of" reaches the name ("by
  Secretary of State John Kerry"); names joined by "and" speak as one group ("Britain and France", "Maine Sen.
  Susan Collins and Texas Rep. Louis Gohmert", "Fox News and the Drudge Report, which"), and a counted plural
  description ("The two lawmakers", "both countries") is such a group named just before; "she"/"he" is never a
  group; things, events and ideas cited as sources get a new kind "other" ("the talks", "the dollar",
  "history") and plural document heads count ("FEC records", "The legislation"); a possessor of records or
  returns is not their author, nor is a date ("Last year's FBI statistics"); "I" in an article's own voice is
  the byline's author (the bench now passes metadata.tsv's author as the byline; a byline the article does not
  name otherwise is typed journalist), "Q:"/"A:" are the interviewer and the interviewee; an outlet's name the
  tagger calls a person is the outlet ("Politico reported"); "Jr."/"Sr." suffixes do not hide the surname; "an
  official during George W. Bush's administration" holds no office now. Tests in tests/test_sources.py on the
  train sentences, each failing on the code before. Check on 120 train articles drawn with seed 555 (2811
  sources, not read before the check; only the last two small rules were written after it): the round changed
  80 predictions, judged by hand: 73 from wrong to right, 4 from one wrong to another, 3 the same person
  merged under one name, none from right to wrong.
- Then a FRESH dev source sample (seed 271828, never used before) was drawn and judged once, by hand, reading
  each sentence (and the article where the sentence was not enough): 80/100. That is the reported source-kind
  number below; the rules were not changed after it was drawn. The fourth round changed only 2 of its 100
  predictions (Jon Husted, Ohio's secretary of state, now official: correct; an AP "They" from one wrong entity
  to another), so the rules before the round give 79/100 on it. 22 of its items had been in earlier samples
  (18 correct): 62/78 on the others. Close calls counted wrong: Liz Wahl (an RT anchor resigning on air) as
  person, "A New York judge" in a lead (named later in the article) and "the governor" (North Carolina's,
  unnamed) as anonymous; counted correct: Pence as person where the article calls him only the
  vice-presidential nominee, "Obama and Clinton" as a person group, the IMF as organisation (83/100 or 77/100
  with all of them flipped). Most frequent remaining error: Trump typed official in two "The Latest" articles,
  where "The Indiana governor" (Pence) is linked to Trump (4 items, present before this round). Its verdicts are
  kept as history under "sources_seed271828"; the seed-8675309 sample (80/100) under "sources_seed8675309".
  The four new or changed relay chains of the seed-7 chain sample were judged in the same pass (all correct;
  Fox News as the relay of its own moderator's debate question is a close call).
- Round 5 (train only). The wrong items of all judged dev samples (seeds 7, 4242, 31337, 8675309, 271828; no
  longer blind, used only to rank error categories) were grouped: named people left anonymous or unresolved
  (about 20), things and documents typed anonymous (about 14), nominees/candidates/former officials typed
  official or linked wrongly (about 13; "Donald Trump [official]" 9 times, all in two "The Latest" articles,
  one of them "The Indiana governor"), plural sources resolved to one member
  or mistyped (about 9), officials typed person (about 9), journalists typed person (7). Rules were then written
  on PolNeAR TRAIN (150 articles drawn with seed 4040, all their sources diffed old vs new): a definite
  description with a past office ("The former secretary of state mocked Trump", "the former president")
  points back to the named person (kind person, no office now) last seen as subject or speaker, not when the
  title relates to someone else ("the former top aide to President George W. Bush"); a singular role
  followed by its holder's name after a comma at the end of the span ("An environmental protester of the
  armed occupation, Kieran Suckling") is that person; a bare plural noun phrase followed by names in
  apposition ("Two objectors, Lawrence Joyce and William Graham,", "the two leading Republicans, Donald J.
  Trump and Senator Ted Cruz,") is the group; "excerpts", "commentary" and ad "spots" are documents,
  "policies" things. Tried and dropped: refusing the recency link of a state-qualified title ("The Indiana
  governor") to a person not known by that title, which on train broke correct links ("the New Jersey
  governor" = Christie, "The Florida senator" = Rubio) and fixed none; the outlet-possessive journalist
  pattern ("Fox's Chris Wallace", "NBC's Ali Vitali") already worked on train. Tests in tests/test_sources.py
  on the train sentences, each failing on the code before. Check on train articles not used to write the
  rules (seed 6060): of 120 articles (2627 sources) 3 predictions changed, all wrong to right; of 400 articles
  (8661 sources) 21 distinct predictions changed, judged by hand: 19 wrong to right (one a close call: "the
  former vice president's spokeswoman" now Al Gore rather than an unnamed "former vice president"), 2 from
  one wrong entity to another, 1 the same journalist under his name instead of a description, none right to
  wrong.
- Then a FRESH dev source sample (seed 16180, never used before) was drawn and judged once, by hand, reading
  each sentence (and the article where needed): 78/100, the reported number below; no rule was changed after
  it was drawn. With the rules before round 5 it scores 73/100 (the round changed 5 of its items, all Trump
  in the "The Latest" article where "The Indiana governor" is now Pence, official to person, all correct).
  27 of its items had been in earlier samples (25 correct, all 26 with an unchanged prediction judged as
  before): 53/73 on the others. Close calls counted wrong (8): "They" (the endorsements) as the editorial
  boards, "At least one Democrat" and "The head of Sony Pictures Television" (each named in the next sentence)
  as anonymous, the Security Council's permanent members as anonymous, "the truck story" (an episode) as a
  document, the author's father (named once as one of "my parents, James and Olive Meehan") as anonymous, and
  the op-ed's author, a playwright, typed journalist (2 items); counted correct (4): a Quinnipiac poll as
  Quinnipiac University, "DNC rules" as the DNC, the Reuters/Ipsos poll as Reuters, Obama and Clinton as a
  person group (86/100 or 74/100 with all of them flipped). Still below the 0.85 target. Remaining errors
  include: pronouns unresolved or linked to the wrong person (3), descriptions named only in the next sentence
  (2), kinds of a company, a PAC and country groups (4), Trump official in the other "The Latest" article,
  Kevin Sullivan (Connecticut's tax commissioner) and Chris Wallace (transcript) typed person, "the bank" not
  linked to Wells Fargo (2), Aaron Kall resolved to his university, "The GOP candidate" to a group.
- Round 6 (train only: 60 articles drawn with seed 8080 read item by item, whole-split diffs of 150 articles
  with seeds 9191 and 3131 and of 250 with seed 777, every changed prediction judged by hand). The categories to
  look for came from the notes on the wrong items of the earlier dev samples; no dev article was used to write
  or test a rule. Rules: "he"/"she" is bound to the person subject of the clause that governs it ("A
  29-year-old Berlin woman received probation after she had posted"; not across a relative clause nor a
  paragraph break, nor from inside a quote to its speaker), else to the one person the sentence before names
  as subject or possessor when nothing else could be meant ("Mr. Sanders's proudest moments ... He said no to
  the Iraq war"); a bare office after a person's sentence is that person ("Rubio sought ... the senator said")
  unless somebody holds that title there or "a federal judge" was just introduced; transcript labels ("JAKE
  TAPPER:", "TAPPER:") are people and the untitled one asking is the journalist; an op-ed author's kind comes
  from the article's line about them ("Rick Scott is the Republican governor of Florida", "... is a Cold War
  historian"); platforms the tagger calls people are organisations ("Twitter said"); "the bank"/"the airline"
  reach the named company; "councilmember"/"alderman" are offices. On the 250 articles of seed 777 (5092
  sources), 27 predictions changed: 25 wrong to right, 2 from one wrong answer to another, none right to wrong.
- Then a FRESH dev source sample (seed 57721, never used before) was drawn and judged once: 85/100 (close calls
  75-87). Round 6 had changed none of its 100 predictions (the rules before it give the same 85/100); 37 of its
  items had been in earlier samples. Kept under "sources_seed57721".
- Round 7 (train only, whole-split diffs of all 840 train articles, every changed prediction judged), on the
  categories of the pooled wrong dev items: a headline's unnamed role is the person of the lead who holds that
  title ("Judge blocks ..." -> U.S. District Judge Carlton W. Reeves), its he/she the lead's subject; an
  unnamed group of people is anonymous ("a group of liberal Rabbis"), not an organisation; "X wrote in <outlet>"
  and "<outlet>'s X" are journalists; "both men"/"the two countries" are the two named just before; dotted
  agency initials ("the S.E.C.") and a name the tagger mostly calls a place are government; a courtesy title
  inside any quotation ("Secretary Clinton called them out") gives no office (45 train sources of Hillary
  Clinton from official to person); a name modifying a plural or indefinite role ("Clinton aides", "one Obama
  insider") is an unnamed group or person, not the candidate (63 train sources). Tests in tests/test_sources.py
  on the train sentences, each failing on the code before.
- Then a FRESH dev source sample (seed 141421, never used before) was drawn and judged once, by hand, reading
  each sentence and the article where needed: 87/100, the reported number below (close calls 81-89: counted
  correct, a group of states and industry groups as government, "The Europeans"/"European" as anonymous
  groups, generic "you"/"we"/"no one" as anonymous; counted wrong, Pagliano's attorney named later in the
  article and a doctor named in the next sentence, both left anonymous). 24 of its items had been in earlier
  samples. One later fix ("the two countries" never counts US states) changed none of its predictions.
- One more train-only rule after that sample: an unnamed single role that speaks ("A federal judge has ordered
  ...") is the person the next two sentences introduce with that role ("Judge Gonzalo Curiel"), when exactly
  one is and the names that qualify the role come back there ("a spokesperson for the Parks Department" is not
  "Trump spokesperson Ron Lieberman"). On all 840 train articles it changed 6 sources, all wrong to right; it
  changed no dev source (all dev reports byte-identical), so every sample below is unaffected.
- All six samples re-scored with the final rules (verdicts reused where the prediction is unchanged; the 29
  changed predictions of the older samples judged in the same pass, kept under "sources_rejudged"): seeds
  31337 84, 8675309 87, 271828 86, 16180 81, 57721 89, 141421 87 of 100; over the 520 distinct dev sources they
  cover, 441 correct (0.848). Only seed 141421 is blind for the final rules; the others informed the choice of
  error categories.
- Issue 15 (general lexicons only): first names from the Census lists of the `names` package instead of the
  hand-kept lists, "obama" out of the government-context words, host-named shows out of the outlets (changes to
  reports listed in docs/resolver-check.md). None of the 100 seed-141421 predictions changed (87/100, kept under
  "sources_seed141421"). Then a FRESH dev source sample (seed 1729, never used before) was drawn once with the
  new lexicons (`python bench/bench_provenance.py --seed 1729 --dump`) and judged once, by hand, reading each
  sentence and the article where needed: 86/100, the reported number below (close calls 84-88: counted correct,
  "Lawmakers" and "both presidential candidates" as unnamed groups, as such groups were judged before; counted
  wrong, "his company" left unresolved and two RT hosts typed person). The code before issue 15's lexicon change
  gives the same 100 predictions. Errors: candidates typed official (Trump in a "The Latest" article, 3 items),
  a pronoun or description that reaches the wrong entity (4), a group resolved to one member or to a named
  person (2), a House panel as the organisation "House", an op-ed's playwright typed journalist, CNS (an outlet)
  typed government, a headline's "Former White House Doctor" as the White House; every verdict is in
  docs/resolver-check.md and docs/provenance-check.md.
- Relay chains are a small population (54 in dev with gold attributions, 53 before the fourth round), so 50
  samples cover nearly all of them; PolNeAR annotates no nested attributions, so every dev relay comes from an
  outlet source, a recipient ("told CNN"), an outlet in the medium ("in an interview with The Washington Post")
  or a journalist's outlet."""
N_CHAINS = 50
N_SOURCES = 100
SEED = 7  # relay-chain sample (judged by the previous engineer; 50 of the 53 dev relay chains)
SOURCE_SEED = 1729  # source sample: a fresh seed (never used before), drawn and judged once after the last rules


def metadata() -> dict[str, dict[str, str]]:
    with open(POLNEAR / "metadata.tsv", encoding="utf-8") as f:
        return {row["filename"]: row for row in csv.DictReader(f, delimiter="\t")}


def gold_attributions(doc: Any, gd: GoldDoc) -> list[Attribution]:
    """PolNeAR gold spans as Attribution objects (what a perfect extractor would hand over)."""
    out = []
    text = gd.text
    for n, g in enumerate(sorted(gd.attributions, key=lambda g: g.cue[0][0]), 1):
        cue_text = " ".join(text[s:e] for s, e in g.cue)
        span = doc.char_span(g.cue[0][0], g.cue[0][1], alignment_mode="expand")
        lemma = "according to" if cue_text.lower().startswith("according") else (
            span[0].lemma_.lower() if span is not None and len(span) else cue_text.lower())
        content = " … ".join(text[s:e] for s, e in g.content)
        kind = "direct" if content[:1] in "\"“" else "indirect"
        src = Source(" … ".join(text[s:e] for s, e in g.source), list(g.source)) if g.source else None
        out.append(Attribution(id=f"a{n}", cue=Cue(cue_text, list(g.cue), lemma),
                               content=Field(content, list(g.content)), kind=kind, source=src))
    return out


def sentence_of(text: str, pos: int, limit: int = 400) -> str:
    s = max(text.rfind("\n", 0, pos) + 1, 0)
    e = text.find("\n", pos)
    e = len(text) if e < 0 else e
    para = text[s:e]
    if len(para) <= limit:
        return para
    rel = pos - s
    lo = max(0, rel - limit // 2)
    return ("…" if lo else "") + para[lo:lo + limit] + "…"


def describe_chain(rep: Report, claim: str) -> str:
    ents = {e.id: e for e in rep.entities}
    chain = next(c for c in rep.chains if c.claim == claim)
    parts = []
    for h in chain.hops:
        if h.article:
            parts.append("article")
            continue
        e = ents.get(h.entity or "")
        label = f"{e.name} [{e.kind}]" if e else "(no source)"
        extra = ",".join(x for x in (h.channel, h.date) if x)
        parts.append(label + (f" ({extra})" if extra else ""))
    return " -> ".join(parts)


def _parse(nlp: Any, stem: str, text: str, cache: Path | None) -> Any:
    """Parse one article, reusing a DocBin cache between runs when asked (the parse is the slow part)."""
    from spacy.tokens import DocBin

    if cache is None:
        return nlp(text)
    path = cache / f"{stem}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if docs and docs[0].text == text:
            return docs[0]
    doc = nlp(text)
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=[doc]).to_disk(path)
    return doc


def run(limit: int | None, cache: Path | None = None, split: str = "dev", articles: int | None = None,
        seed: int = SEED) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    nlp = load_base()
    meta = metadata()
    chains: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    stats = {"docs": 0, "attributions": 0, "chains": 0, "relay_chains": 0, "with_source": 0, "seconds": 0.0,
             "failed": []}
    t0 = time.perf_counter()
    docs = list(read_split(POLNEAR / split, limit=limit))
    if articles is not None and articles < len(docs):  # a seeded subset of articles (train is large)
        docs = sorted(random.Random(seed).sample(docs, articles), key=lambda d: d.stem)
    for gd in docs:
        row = meta.get(gd.stem, {})
        doc = _parse(nlp, gd.stem, gd.text, cache)
        doc._.attributions = gold_attributions(doc, gd)
        title = gd.text.splitlines()[0] if gd.text else None
        art = Article(id=gd.stem, text=gd.text, title=title, outlet=PUBLISHERS.get(row.get("publisher", "")),
                      published=row.get("publication_date") or None,
                      byline=row.get("author") if row.get("author") not in (None, "", "None") else None)
        try:
            rep = build_report(doc, art)
        except Exception as exc:  # a crash elsewhere in the pipeline: record the article, go on
            stats["failed"].append(f"{gd.stem}: {type(exc).__name__}: {exc}")
            continue
        stats["docs"] += 1
        stats["attributions"] += len(rep.attributions)
        stats["chains"] += len(rep.chains)
        ents = {e.id: e for e in rep.entities}
        by_id = {a.id: a for a in rep.attributions}
        for c in rep.chains:
            if c.first_hand is not False:  # relay chains: someone stands between origin and article
                continue
            stats["relay_chains"] += 1
            a = by_id[c.claim]
            chains.append({"key": f"{gd.stem}:{a.cue.start}", "file": gd.stem,
                           "sentence": sentence_of(gd.text, a.cue.start),
                           "claim": f"{a.source.text if a.source else '(none)'} | {a.cue.text} | "
                                    f"{a.content.text[:160]}",
                           "pred": describe_chain(rep, c.claim)})
        for a in rep.attributions:
            if a.source is None:
                continue
            stats["with_source"] += 1
            e = ents.get(a.source.entity or "")
            sources.append({"key": f"{gd.stem}:{a.source.start}", "file": gd.stem,
                            "sentence": sentence_of(gd.text, a.source.start), "source": a.source.text,
                            "pred": f"{e.name} [{e.kind}]" if e else "(unresolved)"})
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    return chains, sources, stats


def sample(items: list[dict[str, Any]], n: int, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    items = sorted(items, key=lambda x: x["key"])
    return sorted(rng.sample(items, min(n, len(items))), key=lambda x: x["key"])


def score(samples: list[dict[str, Any]], verdicts: dict[str, Any]) -> tuple[int, int, int]:
    ok = judged = stale = 0
    for s in samples:
        v = verdicts.get(s["key"])
        if v is None or v.get("pred") != s["pred"]:
            stale += 1
            s["verdict"], s["note"] = "unjudged", ""
            continue
        judged += 1
        ok += v["verdict"] == "ok"
        s["verdict"], s["note"] = v["verdict"], v.get("note", "")
    return ok, judged, stale


def write_check(chains: list[dict[str, Any]], sources: list[dict[str, Any]], summary: str) -> None:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = ["# Provenance check (PolNeAR dev, judged by hand)", "",
             "Written by `bench/bench_provenance.py` from `bench/provenance_verdicts.json`. The resolve layer ran on",
             "the gold attributions of PolNeAR dev; each sampled item below was read in its sentence and judged.",
             "A relay chain is correct when every hop names the right speaker/relay in the right order (origin",
             "first) and no relay is invented; a source kind is correct when the entity is the one the source",
             "refers to (pronouns and descriptions resolved) and its kind fits the article's description of it.",
             "", summary, "", f"## Relay chains ({len(chains)} sampled, seed {SEED})", "",
             "| # | file | sentence | claim (source / cue / content) | predicted chain | verdict | note |",
             "|---|---|---|---|---|---|---|"]
    for i, c in enumerate(chains, 1):
        lines.append(f"| {i} | {c['file']} | {esc(c['sentence'])} | {esc(c['claim'])} | {esc(c['pred'])} | "
                     f"{c['verdict']} | {esc(c['note'])} |")
    lines += ["", f"## Source kinds ({len(sources)} sampled, seed {SOURCE_SEED})", "",
              "| # | file | sentence | source span | predicted entity [kind] | verdict | note |",
              "|---|---|---|---|---|---|---|"]
    for i, s in enumerate(sources, 1):
        lines.append(f"| {i} | {s['file']} | {esc(s['sentence'])} | {esc(s['source'])} | {esc(s['pred'])} | "
                     f"{s['verdict']} | {esc(s['note'])} |")
    CHECK_DOC.parent.mkdir(parents=True, exist_ok=True)
    CHECK_DOC.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N dev articles (no docs written)")
    ap.add_argument("--dump", action="store_true", help="print the samples to judge as JSON lines")
    ap.add_argument("--cache", type=Path, default=None, help="directory for cached parses (DocBin)")
    ap.add_argument("--split", choices=("dev", "train"), default="dev", help="PolNeAR split (tune on train)")
    ap.add_argument("--articles", type=int, default=None, help="a seeded random subset of N articles")
    ap.add_argument("--seed", type=int, default=SEED, help="sampling seed (docs are written only with the default)")
    args = ap.parse_args()
    chains, sources, stats = run(args.limit, args.cache, args.split, args.articles, args.seed)
    source_seed = SOURCE_SEED if args.seed == SEED else args.seed
    cs, ss = sample(chains, N_CHAINS, args.seed), sample(sources, N_SOURCES, source_seed)
    verdicts = json.loads(VERDICTS.read_text(encoding="utf-8")) if VERDICTS.exists() else {}
    c_ok, c_j, c_stale = score(cs, verdicts.get("chains", {}))
    s_ok, s_j, s_stale = score(ss, verdicts.get("sources", {}))
    if args.dump:
        for kind, items in (("chain", cs), ("source", ss)):
            for it in items:
                print(json.dumps({"kind": kind, **it}, ensure_ascii=False))
    rows = [["relay-chain precision", f"{c_ok}/{c_j}", c_ok / c_j if c_j else 0.0, c_stale, 0.85],
            ["source-kind accuracy", f"{s_ok}/{s_j}", s_ok / s_j if s_j else 0.0, s_stale, 0.85]]
    body = (f"Resolve layer on PolNeAR dev **gold** attributions ({stats['docs']} articles, "
            f"{stats['attributions']} attributions, {stats['with_source']} with a source; {stats['chains']} chains, "
            f"{stats['relay_chains']} relay chains: first_hand false, i.e. >= 1 relay or another outlet as origin); "
            f"{stats['seconds']} s. Samples drawn with seed "
            f"{SEED} (relay chains) and {SOURCE_SEED} (sources) and judged by hand; the judged items are listed "
            "in docs/provenance-check.md.\n\n"
            + table(["measure", "correct/judged", "value", "unjudged", "target"], rows)
            + "\n\n" + HISTORY)
    if stats["failed"]:
        body += "\n\nArticles that crashed the pipeline (left out): " + "; ".join(stats["failed"])
    print(body)
    if args.limit is None and args.articles is None and args.split == "dev" and args.seed == SEED:
        write_section("provenance", "Provenance (chains, source kinds)", "python bench/bench_provenance.py", body)
        write_check(cs, ss, body)


if __name__ == "__main__":
    main()
