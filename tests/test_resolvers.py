"""The resolver table (resolve/resolvers.py): one passage per resolver (PolNeAR train text unless said
otherwise) where that resolver decides the source, checked through the explanation it leaves; the
explanation in the report, the CLI's --explain, the engine, and the table in docs/design.md.

The attributions are built by hand (as in test_sources.py) so that these tests check resolution alone.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from reportedly.resolve.engine import Context, Mention, Rule, Verdict, run
from reportedly.resolve.resolvers import RESOLVERS
from reportedly.resolve.sources import LATE_PASSES, resolve_sources
from tests.conftest import ROOT, SEED
from tests.provenance_helpers import attr

# (resolver, text, attribution: (source, cue, content, lemma[, text the cue comes after[, where the body
# starts]]), words its evidence must hold)
CASES: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("cue_names_speaker",  # west-journal
     "Bob Woodward, an associate editor for the Post, revealed the plan.\n\nAccording to Woodward, “The New York "
     "real estate world is more complex than the CIA,” presumably meaning this will be a focal point.",
     ("According to", "According to", "“The New York real estate world is more complex than the CIA,”",
      "according to"), ("the cue names", "Woodward", "person_in_span")),
    ("qa_transcript",  # politico: a Q&A with the person named in the title
     "Q&A with Vice President Joe Biden\n\nQ: Do you think the party is ready?\n\nA: I think it is ready, "
     "and I think we will win.\n\nQ: Why?\n\nA: Because the voters know us.",
     ("A", ":", "I think it is ready", ":", "\n\nA:", "Q: Do"), ("“A”", "Q&A")),
    ("transcript_label",  # breitbart: a CNN interview transcript
     "JAKE TAPPER: Donald Trump released a video on Friday talking about racial healing. Take a listen.\n\n"
     "TAPPER: Do you think Donald Trump has campaigned as a racial healer?",
     ("JAKE TAPPER", ":", "Donald Trump released a video on Friday talking about racial healing", ":"),
     ("speaker label", "JAKE TAPPER")),
    ("pronoun",  # AP "The Latest" shape
     "Donald Trump's campaign is defending his early-morning tweets. It's denouncing what it calls \"the "
     "single-biggest coordinated media attack in history.\"",
     ("It", "denouncing", "what it calls", "denounce"), ("pronoun", "“It”")),
    ("relative_pronoun",  # nyt
     "The fringe injects its ideas into the mainstream through sources popular among conservatives, such as Fox "
     "News and the Drudge Report, which devoted attention to rumors that the exercises were a pretext.",
     ("which", "devoted attention", "to rumors that the exercises were a pretext", "devote"),
     ("relative “which”", "Drudge Report")),
    ("indefinite_apposition",  # nyt
     "''Americans wake up every day to more bad news,'' said Mark Dubowitz, executive director of the Foundation "
     "for Defense of Democracies, a policy institute focused on national security.",
     ("a policy institute", "focused", "on national security", "focus"),
     ("description right after the name", "Foundation for Defense of Democracies")),
    ("owned_organisation",  # AP "The Latest" shape
     "Donald Trump's campaign is defending his early-morning tweets.",
     ("Donald Trump's campaign", "is defending", "his early-morning tweets", "defend"),
     ("“campaign” owned by", "Donald Trump")),
    ("outlet_person",  # politico
     "Fox News' Megyn Kelly confronted him with remarks he had made about women, Kelly said.",
     ("Fox News' Megyn Kelly", "confronted", "him with remarks he had made about women", "confront"),
     ("of the outlet", "Fox News")),
    ("name_with_role",  # politico
     "An email from Neera Tanden reveals a regret. In a May 2012 message to Clinton, Tanden, head of the Center "
     "for American Progress, recounted a conversation she had at a dinner.",
     ("Tanden, head of the Center for American Progress,", "recounted", "a conversation", "recount"),
     ("“Tanden”", "with the role")),
    ("channel_author",  # seed article shape: a body's post
     "The Ministry of Defence of Ukraine said the dam was hit. The ministry's post said the water was rising.",
     ("The ministry's post", "said", "the water was rising", "say"), ("“post” by", "definite_description")),
    ("named_group",  # nyt
     "Back when the Berlin Wall fell, Britain and France in particular feared the re-emergence of a German "
     "colossus in Europe.",
     ("Britain and France", "feared", "the re-emergence of a German colossus in Europe", "fear"),
     ("names joined by",)),
    ("person_in_span",  # seed-article shape
     "NBC News correspondent Erin McLaughlin said the strike hit the dam.",
     ("NBC News correspondent Erin McLaughlin", "said", "the strike hit the dam", "say"),
     ("the person's name", "Erin McLaughlin", "correspondent")),
    ("outlet_in_span",  # nyt shape
     "The New York Post reported that the mayor would resign.",
     ("The New York Post", "reported", "that the mayor would resign", "report"), ("the outlet name", "New York Post")),
    ("organisation_in_span",  # nyt
     "Planes must be inspected regularly, the F.A.A. said in a statement.",
     ("the F.A.A.", "said", "Planes must be inspected regularly", "say"), ("the ORG name", "F.A.A.")),
    ("counted_group",  # politico
     "For an hour, Donald Trump sat face to face with House Speaker Paul Ryan. And soon after it was over, both "
     "men issued a statement expressing optimism about working together.",
     ("both men", "issued a statement expressing", "optimism about working together", "issue"),
     ("“both men”", "counts names")),
    ("definite_description",  # politico shape
     "Sen. Marco Rubio spoke in Iowa on Monday. The senator said the race was far from over.",
     ("The senator", "said", "the race was far from over", "say"), ("definite “senator”", "Marco Rubio")),
    ("unknown_name",  # nyt
     "To that, Schilling added: ''A man is a man no matter what they call themselves.''",
     ("Schilling", "added", "''A man is a man no matter what they call themselves.''", "add"),
     ("untagged proper name", "Schilling")),
    ("apposition_to_name",  # nyt
     "Mr. Kim, an anthropologist and physician well known for his work addressing health issues in poor "
     "countries, said the bank would change.",
     ("an anthropologist", "said", "the bank would change", "say"), ("in apposition to", "Kim")),
    ("bare_surname",  # politico
     "Bernie Sanders spoke in Iowa. \"It tells you that one of us is a candidate of the establishment,\" Sanders "
     "remarked.",
     ("Sanders", "remarked", "\"It tells you that one of us is a candidate of the establishment,\"", "remark"),
     ("the surname “Sanders”",)),
    ("role_with_name",  # a constructed sentence of the shape of PolNeAR's "his wife, NAME"
     "The candidate's wife, Melania, said she was proud.",
     ("The candidate's wife, Melania,", "said", "she was proud", "say"), ("“wife” named", "Melania")),
    ("social_handle",  # no PolNeAR train source is an account; a constructed sentence of that shape
     "@SenateGOP wrote that the vote would be held on Tuesday.",
     ("@SenateGOP", "wrote", "that the vote would be held on Tuesday", "write"), ("the account", "@SenateGOP")),
    ("body_of_named",  # none in PolNeAR train either; a constructed sentence of that shape
     "A special investigative panel of the U.N. said the election had been fair.",
     ("A special investigative panel of the U.N.", "said", "the election had been fair", "say"),
     ("“panel” of", "U.N.")),
    ("unnamed_role",  # nyt, politico
     "Hillary Clinton campaigned in Des Moines. One Obama insider said the race was close.",
     ("One Obama insider", "said", "the race was close", "say"), ("unnamed", "anonymous")),
]

# the whole-document passes after the table, in the same form
LATE_CASES: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("late_surnames",  # politico: the headline speaker is named in full only in the body
     "Lewandowski: FBI director acted as 'judge and jury' on Clinton.\n\nCorey Lewandowski, Donald Trump’s fired "
     "campaign manager, ripped FBI Director James Comey for acting as “the judge and the jury”.",
     ("Lewandowski", "acted", "FBI director acted as 'judge and jury' on Clinton", "act", "", "Corey"),
     ("surname named later",)),
    ("named_later",  # wash-post: the judge named in the next sentence is the judge who ruled
     "A federal judge has ordered the release of internal Trump University documents. The Friday ruling, in "
     "which Judge Gonzalo Curiel cited heightened public interest, was issued in response to a request.",
     ("A federal judge", "has ordered", "the release of internal Trump University documents", "order"),
     ("named later", "unnamed_role")),
]


def _explained(nlp, text: str, spec: tuple[str, ...]) -> dict[str, str]:
    source, cue, content, lemma, *marks = spec
    after = text.index(marks[0]) if marks and marks[0] else 0
    start = text.index(marks[1]) if len(marks) > 1 else 0
    a1 = attr(text, "a1", source, cue, content, after=after, lemma=lemma)
    res = resolve_sources(nlp(text), [a1], None, start=start)
    return res.explanations["a1"]


@pytest.mark.parametrize("case", CASES + LATE_CASES, ids=[c[0] for c in CASES + LATE_CASES])
def test_each_resolver_explains_its_verdict(nlp, case) -> None:
    name, text, spec, words = case
    ex = _explained(nlp, text, spec)
    assert ex["resolver"] == name, ex
    for w in words:
        assert w in ex["evidence"], (w, ex["evidence"])


# resolvers no sentence was found for: "COUNTRY's state-owned giant NAME" needs a final name the tagger leaves
# untagged (PolNeAR's "China's ... giant CITIC" is now tagged ORG, and organisation_in_span takes it first)
NO_CASE_FOUND = {"owned_name"}


def test_every_resolver_and_late_pass_has_a_case() -> None:
    covered = {c[0] for c in CASES + LATE_CASES} | NO_CASE_FOUND
    assert [r.name for r in RESOLVERS if r.name not in covered] == []
    missing = [name for name, _, _ in LATE_PASSES if name not in covered and name != "headline_roles"
               and name != "merge_descriptions"]
    assert missing == []


def test_run_takes_the_first_verdict_and_names_its_rule() -> None:
    calls: list[str] = []

    def never(m: Mention, ctx: Context) -> Verdict | None:
        calls.append("never")
        return None

    def always(m: Mention, ctx: Context) -> Verdict | None:
        calls.append("always")
        return Verdict(None, "", "because")

    def unreached(m: Mention, ctx: Context) -> Verdict | None:
        raise AssertionError("a later rule ran after a verdict")

    table = [Rule("never", never, ""), Rule("always", always, ""), Rule("later", unreached, "")]
    v = run(table, None, None)  # type: ignore[arg-type]
    assert v is not None and (v.resolver, v.evidence) == ("always", "because") and calls == ["never", "always"]
    assert run(table[:1], None, None) is None  # type: ignore[arg-type]


def test_explanations_are_in_the_json_only_when_asked(seed_report) -> None:
    plain = json.dumps(seed_report.to_dict())
    assert "explanation" not in plain
    explained = seed_report.to_dict(explain=True)
    sources = [a["source"] for a in explained["attributions"] if a["source"] is not None]
    assert sources and all(set(s["explanation"]) == {"resolver", "evidence"} for s in sources)
    names = {r.name for r in RESOLVERS} | {name for name, _, _ in LATE_PASSES}
    assert {s["explanation"]["resolver"] for s in sources} <= names


def test_analyze_explain_shows_the_resolver_of_every_source(tmp_path) -> None:
    from reportedly.serve.cli import app

    out = CliRunner().invoke(app, ["analyze", str(SEED), "--explain"], terminal_width=200)
    assert out.exit_code == 0, out.output
    blocks = re.split(r"\n(?=a\d+ )", out.output.split("Attributions (")[1].split("Entities (")[0])
    with_source = [b for b in blocks if re.match(r"a\d+ ", b) and "(no source)" not in b.splitlines()[0]]
    assert with_source and all("why: " in b for b in with_source)
    names = {r.name for r in RESOLVERS} | {name for name, _, _ in LATE_PASSES}
    shown = set(re.findall(r"why: (\w+) — ", out.output))
    assert shown and shown <= names
    plain = CliRunner().invoke(app, ["analyze", str(SEED)], terminal_width=200)
    assert "why: " not in plain.output


def test_a_spacy_user_gets_resolved_sources_from_the_component(nlp) -> None:
    doc = nlp("The Ministry of Defence of Ukraine said on Monday that the dam would hold.")
    report = doc._.report
    assert report is not None and report.attributions
    src = report.attributions[0].source
    assert src is not None and src.entity is not None
    kinds = {e.id: e.kind for e in report.entities}
    assert kinds[src.entity] == "government"


def test_design_doc_lists_the_resolver_table_in_order() -> None:
    doc = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \d+ \| `(\w+)` \|", doc, re.M)
    assert listed == [r.name for r in RESOLVERS]
