"""The bundled demo corpus (src/reportedly/data/demo/): every file analyzes, and the attributions each one was
written to exercise are found with the right cue, source, content and kind.

The expectations are what a careful reader finds in these invented articles (see the folder's README.md);
each is located by an anchor phrase in the text, so the test checks offsets, not only strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import reportedly
from reportedly.ingest.files import read_article
from reportedly.model import Attribution, Report, span_text

DEMO = Path(reportedly.__file__).resolve().parent / "data" / "demo"
FILES = sorted(p for p in DEMO.iterdir() if p.suffix in {".txt", ".html"})
QUOTE_MARKS = set('"“”')
MARKER = "[Illustrative article written for the reportedly demo"
PUBLISHED = {
    "brenna-dam-evacuation": "2024-03-14", "brenna-dam-followup": "2024-03-15", "brenna-dam-wire": "2024-03-14",
    "marlow-falls-budget": "2024-04-09", "st-aldric-nurses-strike": "2024-05-22",
    "kestrel-scooter-recall": "2024-06-06", "governor-debate": "2024-09-19", "harbour-contract": "2024-10-02",
    "ridgeline-wildfire": "2024-08-08",
}


@pytest.fixture(scope="module")
def reports(nlp) -> dict[str, Report]:
    """Every demo file analyzed once (``nlp`` makes the session's pipeline the one ``analyze`` reuses):
    plain text as a user passes it to ``analyze`` (date from the dateline), HTML through the file reader."""
    out = {}
    for path in FILES:
        if path.suffix == ".html":
            out[path.stem] = reportedly.analyze_article(read_article(path))
        else:
            out[path.stem] = reportedly.analyze(path.read_text(encoding="utf-8"), id=path.stem)
    return out


def test_corpus_is_complete() -> None:
    assert len(FILES) >= 8
    assert {p.stem for p in FILES} == set(PUBLISHED)
    assert sum(p.suffix == ".html" for p in FILES) == 1
    assert (DEMO / "README.md").exists()
    for p in FILES:
        assert p.stem in (DEMO / "README.md").read_text(encoding="utf-8"), p.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_analyzes(reports: dict[str, Report], path: Path) -> None:
    rep = reports[path.stem]
    text = rep.article.text
    assert rep.article.title and text.startswith(rep.article.title)
    assert rep.article.published == PUBLISHED[path.stem]
    assert MARKER in text
    assert len(rep.attributions) >= 4, [a.cue.text for a in rep.attributions]
    for a in rep.attributions:  # offsets point into the text exactly as read
        for f in (a.cue, a.content, a.source):
            if f is None:
                continue
            assert f.spans and all(0 <= s < e <= len(text) for s, e in f.spans), (f.text, f.spans)
        assert a.kind in {"direct", "indirect", "mixed", "according_to"}
        if len(a.cue.spans) == 1:
            assert span_text(text, a.cue.spans) == a.cue.text
    # the illustrative marker is the authors' note, never somebody's claim
    mark = text.index(MARKER)
    assert not any(a.content.start >= mark for a in rep.attributions)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fields_well_formed(reports: dict[str, Report], path: Path) -> None:
    rep = reports[path.stem]
    text = rep.article.text
    for a in rep.attributions:
        # a content piece stays inside one paragraph (a quote over paragraphs is one piece per paragraph)
        for s, e in a.content.spans:
            piece = text[s:e].strip()
            assert "\n" not in piece and any(ch.isalnum() for ch in piece), (a.cue.text, piece)
        # cue, source and content are disjoint: a cue is never inside its own content
        cue, content = _chars(a.cue.spans), _chars(a.content.spans)
        source = _chars(a.source.spans) if a.source else set()
        assert not (cue & content or cue & source or source & content), (a.cue.text, a.content.text)
        if a.source:
            src = a.source.text.strip()
            assert src[:1] not in QUOTE_MARKS and src[-1:] not in QUOTE_MARKS, src


def test_html_boilerplate_is_dropped(reports: dict[str, Report]) -> None:
    text = reports["ridgeline-wildfire"].article.text
    for junk in ("cookies", "Subscribe", "More from Local", "morning briefing", "All rights reserved", "Share on"):
        assert junk not in text, junk
    assert "Fire Chief Nadia Orlov told a press conference" in text
    art = reports["ridgeline-wildfire"].article
    assert art.byline == "Rosa Lindgren" and art.outlet == "The Cedar Valley Sentinel"
    assert art.title and text.count(art.title) == 1, "the page's <h1> repeats the title: keep it once"


def test_corpus_yields_every_kind(reports: dict[str, Report]) -> None:
    kinds: dict[str, int] = {}
    for rep in reports.values():
        for a in rep.attributions:
            kinds[a.kind] = kinds.get(a.kind, 0) + 1
    for kind in ("direct", "indirect", "mixed", "according_to"):
        assert kinds.get(kind, 0) >= 2, kinds


@dataclass(frozen=True)
class Expect:
    """One attribution a reader finds: ``anchor`` locates it, ``cue`` is the cue word inside the anchor,
    ``source`` lists acceptable source strings (a pronoun or the name it stands for; empty: no source),
    ``content`` the passages the content must cover (several for a quote over sentences or paragraphs)."""

    file: str
    anchor: str
    cue: str
    source: tuple[str, ...]
    content: tuple[str, ...]
    kind: str | None = None


EXPECTED = [
    Expect("brenna-dam-evacuation", "according to the Ministry of Water", "according",
           ("Ministry of Water Resources of Veloria",), ("residents of villages below the Brenna Dam",),
           "according_to"),
    Expect("brenna-dam-evacuation", "the ministry said inspectors", "said", ("ministry",),
           ("inspectors had detected",)),
    Expect("brenna-dam-evacuation", "Telegram post stated", "stated", ("Telegram post",),
           ("Our engineers are working around the clock",
            "There is no immediate threat to the city of Dresk"), "direct"),
    Expect("brenna-dam-evacuation", "post added that", "added", ("post",),
           ("has been lowered by nearly two metres",), "mixed"),
    Expect("brenna-dam-evacuation", "chances,\" he said", "said", ("he", "Kessel"),
           ("We are not taking any chances",), "direct"),
    Expect("brenna-dam-evacuation", "said Mira Halden", "said", ("Mira Halden",),
           ("We heard about it on television",), "direct"),
    Expect("brenna-dam-evacuation", "who say it was never", "say", ("environmental groups",),
           ("it was never designed for the heavier storms",)),
    Expect("brenna-dam-evacuation", "It was reported last year", "reported", (),
           ("its maintenance budget had been cut by a third",)),
    Expect("brenna-dam-followup", "He said that a parliamentary", "said", ("he", "Reyne"),
           ("a parliamentary committee had been told",), "mixed"),
    Expect("brenna-dam-followup", "spokesperson said in a text message", "said", ("spokesperson",),
           ("Officials reviewed every recommendation",)),
    Expect("brenna-dam-wire", "the country's water ministry said", "said", ("ministry",),
           ("Authorities in Veloria have evacuated several hundred people",)),
    Expect("marlow-falls-budget", "Arkwright said", "said", ("Arkwright",),
           ("I did not run for this office to close libraries", "every department has been asked to cut",
            "What I will not do is pretend the money is there"), "direct"),
    Expect("marlow-falls-budget", "telling a packed press conference", "telling", ("Arkwright",),
           ("simply cannot pay for buildings nobody visits",), "mixed"),
    Expect("marlow-falls-budget", "said Councilman Raul Ibarra", "said", ("Raul Ibarra",),
           ("These branches are the only quiet place",), "direct"),
    Expect("marlow-falls-budget", "organisers said", "said", ("organisers",),
           ("More than 1,000 residents have signed a petition",)),
    Expect("st-aldric-nurses-strike", "the Harbor Nurses Association said", "said",
           ("Harbor Nurses Association",), ("94 percent of its members had backed the strike",)),
    Expect("st-aldric-nurses-strike", "According to the union", "According", ("union",),
           ("at least 12 nurses have resigned",), "according_to"),
    Expect("st-aldric-nurses-strike", "Several nurses said they", "said", ("Several nurses",),
           ("they were allegedly warned by supervisors",)),
    Expect("kestrel-scooter-recall", "The company said that a faulty", "said", ("company",),
           ("a faulty connector in the battery pack may short-circuit",), "indirect"),
    Expect("kestrel-scooter-recall", "the notice said", "said", ("notice",),
           ("Owners should stop charging the affected models",)),
    Expect("governor-debate", "and said it \"would bankrupt", "said", ("Harlan Voss", "Voss"),
           ("would bankrupt every farm in the valley",), "mixed"),
    Expect("governor-debate", "He told viewers that", "told", ("he", "Voss"),
           ("the bonds would add at least $2 billion",)),
    Expect("harbour-contract", "according to two people familiar", "according",
           ("two people familiar with the negotiations",), ("Kingsbridge Port Authority is close to awarding",),
           "according_to"),
    Expect("harbour-contract", "a spokesperson said in an email", "said", ("spokesperson",),
           ("We do not comment on ongoing procurement",), "direct"),
    Expect("ridgeline-wildfire", "according to the Cedar County Fire District", "according",
           ("Cedar County Fire District",), ("at least 12 homes near Pell Creek",), "according_to"),
    Expect("ridgeline-wildfire", "Orlov said", "said", ("Orlov",),
           ("The next 48 hours are critical", "we will have to pull crews back"), "direct"),
    Expect("ridgeline-wildfire", "the district said in a statement", "said", ("district",),
           ("Several hundred firefighters from neighbouring counties",)),
]


def _chars(spans: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def _source_names(rep: Report, a: Attribution) -> list[str]:
    """The source as written plus, when resolved, the name of the entity it stands for."""
    names = [a.source.text] if a.source else []
    if a.source and a.source.entity:
        names += [e.name for e in rep.entities if e.id == a.source.entity]
    return names


@pytest.mark.parametrize("exp", EXPECTED, ids=lambda e: f"{e.file}:{e.anchor[:28]}")
def test_expected_attribution(reports: dict[str, Report], exp: Expect) -> None:
    rep = reports[exp.file]
    text = rep.article.text
    assert text.count(exp.anchor) == 1, f"anchor {exp.anchor!r} must occur once"
    cue_at = text.index(exp.anchor) + exp.anchor.index(exp.cue)
    hits = [a for a in rep.attributions if any(s <= cue_at < e for s, e in a.cue.spans)]
    assert hits, (f"no attribution with cue {exp.cue!r} at {exp.anchor!r}", [a.cue.text for a in rep.attributions])
    a = hits[0]
    names = _source_names(rep, a)
    if not exp.source:
        assert a.source is None, names
    assert not exp.source or any(want.lower() in n.lower() for want in exp.source for n in names), (names, exp.source)
    covered = _chars(a.content.spans)
    for passage in exp.content:
        start = text.index(passage)
        want = set(range(start, start + len(passage)))
        assert len(want & covered) >= 0.9 * len(want), (passage, a.content.text)
    assert not _chars(a.cue.spans) & covered, "cue inside its own content"
    if exp.kind:
        assert a.kind == exp.kind, (a.kind, a.content.text)


# phrases with a reporting word that are not attributions: a hypothetical inside a quote, "add" as arithmetic
NOT_ATTRIBUTIONS = [
    ("brenna-dam-evacuation", "If the engineers tell me", "tell"),
    ("governor-debate", "bonds would add at least", "add"),
]


@pytest.mark.parametrize("file,anchor,cue", NOT_ATTRIBUTIONS, ids=[a for _, a, _ in NOT_ATTRIBUTIONS])
def test_not_an_attribution(reports: dict[str, Report], file: str, anchor: str, cue: str) -> None:
    rep = reports[file]
    at = rep.article.text.index(anchor) + anchor.index(cue)
    assert not [a.cue.text for a in rep.attributions if any(s <= at < e for s, e in a.cue.spans)]


@pytest.mark.parametrize("file", ["brenna-dam-evacuation", "brenna-dam-followup"])
def test_chain_of_custody(reports: dict[str, Report], file: str) -> None:
    """The ministry's Telegram post, relayed by the Tessaly Herald, relayed by the article: the ministry's
    attribution has the Herald's as parent, and the report's chain runs ministry -> Herald -> article."""
    rep = reports[file]
    text = rep.article.text
    said = text.index("the ministry said inspectors") + len("the ministry ")
    reported = text.index("the Tessaly Herald reported") + len("the Tessaly Herald ")
    ministry = [a for a in rep.attributions if any(s <= said < e for s, e in a.cue.spans)]
    herald = [a for a in rep.attributions if any(s <= reported < e for s, e in a.cue.spans)]
    assert ministry and herald
    assert ministry[0].parent == herald[0].id
    assert herald[0].parent is None
    names = {e.id: e.name.lower() for e in rep.entities}
    chain = [c for c in rep.chains if c.claim == ministry[0].id]
    assert chain, [c.claim for c in rep.chains]
    hops = chain[0].hops
    assert len(hops) == 3 and hops[-1].article
    assert "ministry" in names.get(hops[0].entity or "", "") and hops[0].channel == "social_post"
    assert hops[0].date == "2024-03-13"
    assert "tessaly herald" in names.get(hops[1].entity or "", "")
