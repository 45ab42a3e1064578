"""Names and kinds by general rules (issue 11, item 18): places the tagger calls people, titled names and
name particles the tagger calls organisations, and one body under one name within an article."""

from __future__ import annotations

import reportedly

DEBLASIO = (  # PolNeAR train, politico 2015-11-20 (first paragraphs)
    "De Blasio: Trust Bratton on security, not 'blowhard' Trump.\n\n"
    "Mayor Bill de Blasio rejected criticism from Republican presidential candidate Donald Trump that shutting "
    "down a controversial intelligence-gathering unit within the New York Police Department made the city less "
    "safe.\n\nDe Blasio said the move was made by NYPD commissioner Bill Bratton and said, \u201cWho are you "
    "going to trust on security and keeping people safe?\u201d\n\nWhen asked by a host if the revelations by "
    "Edward Snowden led to the Paris attacks, de Blasio said, \u201cI have not heard that particular "
    "concern\u201d from New York law enforcement officials.\n")


def _sources(text: str) -> list[tuple[str, str, str]]:
    r = reportedly.analyze(text, published="2024-03-15")
    ents = {e.id: e for e in r.entities}
    return [(a.source.text, ents[a.source.entity].name, ents[a.source.entity].kind)
            for a in r.attributions if a.source is not None and a.source.entity]


def _kinds(text: str) -> dict[str, str]:
    return {e.name: e.kind for e in reportedly.analyze(text, published="2024-03-15").entities}


def test_a_family_name_particle_is_no_first_name(nlp) -> None:
    blasio = [(name, kind) for text, name, kind in _sources(DEBLASIO) if "lasio" in text]
    assert len(blasio) >= 4 and set(blasio) == {("Bill de Blasio", "official")}, blasio
    vries = _sources("Study Questions Water Tests\n\nThe samples were contaminated before they reached the "
                     "laboratory, said researcher Anna de Vries of Utrecht University. \"We saw it in every "
                     "batch,\" de Vries said.\n")
    assert {name for text, name, _ in vries if "Vries" in text} == {"Anna de Vries"}, vries


def test_places_the_tagger_calls_people(nlp) -> None:
    kinds = _kinds("Ships Wait on the River\n\nAbout 300 people were staying at the gymnasium in Oskar Vale on "
                   "Thursday evening, according to the regional Red Cross. Ships were waiting near Izmail on the "
                   "Danube, Ukrainian officials said.\n")
    assert kinds.get("Danube") != "person" and kinds.get("Oskar Vale") != "person", kinds
    kinds = _kinds("Library Cuts Defended\n\nThe council met on Monday.\n\nMillbrook Mayor Denise Arkwright "
                   "defended her plan to close two branch libraries, telling reporters that the town could not "
                   "pay for them.\n")
    assert kinds.get("Millbrook") != "person" and kinds.get("Denise Arkwright") == "official", kinds
    from pathlib import Path

    demo = Path(reportedly.__file__).parent / "data" / "demo" / "marlow-falls-budget.txt"
    kinds = _kinds(demo.read_text(encoding="utf-8"))  # the tagger calls "Marlow Falls" a person here
    assert kinds.get("Marlow Falls") not in (None, "person"), kinds


def test_a_persons_surname_after_a_preposition_stays_a_person(nlp) -> None:
    kinds = _kinds("Senate Race Tightens\n\nVoters said they had more faith in Bernie Sanders than in the party. "
                   "Many still believe in Sanders, a local organiser said.\n")
    assert kinds.get("Bernie Sanders") in ("person", "official") and "Sanders" not in kinds, kinds


def test_a_titled_name_the_tagger_calls_an_organisation_is_a_person(nlp) -> None:
    text = ("Crews Hold Wildfire Line\n\nThe Cedar County Fire District said the fire had burned 2,300 acres.\n\n"
            "Fire Chief Nadia Orlov told reporters the blaze was 40 percent contained. Orlov said crews had worked "
            "through the night.\n")
    r = reportedly.analyze(text, published="2024-08-02")
    ents = {e.id: e for e in r.entities}
    orlov = {ents[a.source.entity].name: ents[a.source.entity].kind for a in r.attributions
             if a.source is not None and a.source.entity and "Orlov" in a.source.text}
    assert orlov and all(k in ("person", "official") for k in orlov.values()) and len(orlov) == 1, orlov


def test_one_body_one_source_within_an_article(nlp) -> None:
    text = ("Dam Damaged\n\nIn a post on its Telegram channel, the ministry said inspectors had detected "
            "structural damage. The Ministry of Water Resources has not said when residents can return. A "
            "spokesperson for the ministry did not respond to an email. Officials carried out urgent repairs, a "
            "ministry spokesperson said in a text message.\n")
    rows = _sources(text)
    names = {name for _, name, _ in rows}
    assert "Ministry of Water Resources" in names and "ministry" not in names, rows
    assert len({name for t, name, _ in rows if "spokesperson" in t}) <= 1, rows


def test_a_body_or_a_plural_after_a_first_name_is_no_person(nlp) -> None:
    # PolNeAR train sentences: "Clinton", "Emerson" and "Brooks" are first names in the Census lists too
    kinds = _kinds("Report on Meetings\n\nThe report published Tuesday showed that during the first two years of "
                   "her term as secretary of state, more than half of Clinton's non-government meetings were with "
                   "individuals or groups that had donated to the Clinton Foundation.\n\nThe two pollsters, Emerson "
                   "College and Opinion Savvy, both showed Donald Trump leading Ted Cruz by just one percentage "
                   "point.\n\nIt eventually became apparent to his fraternity brothers that Freddy, with Brooks "
                   "Brothers clothes that draped his thin frame, was wealthy.\n")
    for name in ("Clinton Foundation", "Emerson College", "Brooks Brothers"):
        assert kinds.get(name, "organisation") != "person", (name, kinds)
