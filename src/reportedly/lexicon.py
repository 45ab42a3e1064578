"""Bundled, editable lexicons (``reportedly/data/*.json``), loaded once per process.

Kept as data rather than code so that users can add an outlet or a title without touching the rules.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed JSON file ``reportedly/data/<name>.json``."""
    raw = resources.files("reportedly").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    type: str  # wire | newspaper | magazine | tv | radio | online
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    return tuple(Outlet(o["name"], o.get("domain", ""), o.get("type", ""), tuple(o.get("aliases", [])))
                 for o in load("outlets")["outlets"])


@lru_cache(maxsize=1)
def outlet_forms() -> dict[str, list[Outlet]]:
    """Surface form -> outlets it may name (a form such as "the Post" names several)."""
    out: dict[str, list[Outlet]] = {}
    for o in outlets():
        for form in (o.name, *o.aliases):
            out.setdefault(form, []).append(o)
            if form.startswith("The "):
                out.setdefault("the " + form[4:], []).append(o)
            if form.startswith("the "):
                out.setdefault("The " + form[4:], []).append(o)
    return out


@lru_cache(maxsize=1)
def context_only() -> frozenset[str]:
    """Outlet forms that are also ordinary words or names: they count only in a reporting context."""
    forms = set(load("outlets").get("context_only", []))
    # "the Times", "the Post": a definite short form is ambiguous by nature
    forms |= {f for f in outlet_forms() if f.startswith("the ")}
    forms |= {"The " + f[4:] for f in forms if f.startswith("the ")}
    return frozenset(forms)


@lru_cache(maxsize=1)
def outlet_regex() -> re.Pattern[str]:
    """Longest-first alternation of all outlet forms, matched as whole words (case-sensitive)."""
    forms = sorted(outlet_forms(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")


@lru_cache(maxsize=256)
def words(name: str, key: str) -> frozenset[str]:
    """A word list of a lexicon file as a set, built once (it is looked up per token)."""
    return frozenset(load(name)[key])


def doc_ents(doc: Any) -> tuple[Any, ...]:
    """``doc.ents`` built once per Doc (spaCy builds new Span objects on every access)."""
    cached = doc.user_data.get("reportedly_ents")
    if cached is None:
        cached = tuple(doc.ents)
        doc.user_data["reportedly_ents"] = cached
    return tuple(cached)


def ents_between(doc: Any, start: int, end: int) -> list[Any]:
    """The named entities lying within characters ``start``..``end``, found by bisection over the Doc's
    entities (sorted by position), not by a scan of all of them for every mention."""
    ents = doc_ents(doc)
    starts = doc.user_data.get("reportedly_ent_starts")
    if starts is None:
        starts = [x.start_char for x in ents]
        doc.user_data["reportedly_ent_starts"] = starts
    out = []
    for k in range(bisect.bisect_left(starts, start), len(ents)):
        x = ents[k]
        if x.start_char >= end:
            break
        if x.end_char <= end:
            out.append(x)
    return out


def ent_at(doc: Any, i: int) -> Any | None:
    """The named entity covering token ``i``, if any, by bisection over the entities' first tokens."""
    ents = doc_ents(doc)
    firsts = doc.user_data.get("reportedly_ent_firsts")
    if firsts is None:
        firsts = [x.start for x in ents]
        doc.user_data["reportedly_ent_firsts"] = firsts
    k = bisect.bisect_right(firsts, i) - 1
    return ents[k] if k >= 0 and i < ents[k].end else None


def outlet_matches(doc: Any) -> list[tuple[int, int, str]]:
    """Every outlet-name match in the Doc's text, in text order, found once per Doc (the cached list itself:
    a copy per call made long articles quadratic; callers slice it, never change it)."""
    cached = doc.user_data.get("reportedly_outlets")
    if cached is None:
        cached = [(m.start(), m.end(), m.group(0)) for m in outlet_regex().finditer(doc_text(doc))]
        doc.user_data["reportedly_outlets"] = cached
    return cached


def doc_text(doc: Any) -> str:
    """``doc.text`` computed once per Doc (spaCy rebuilds the string on every access)."""
    cached = doc.user_data.get("reportedly_text")
    if cached is None:
        cached = doc.text
        doc.user_data["reportedly_text"] = cached
    return str(cached)


# First names come from a general, maintained source, not from the articles read: the US Census 1990 first-name
# lists by sex (1,219 male, 4,275 female names with each name's share of people of that sex, in percent) shipped by
# the ``names`` package (MIT). Two rules make them fit for reading news:
MIN_SHARE = 0.005  # % of that sex: below it the lists' tail holds rare names and recording slips
GENDER_SHARE = 0.8  # a name tells a gender when 4 in 5 of its bearers are of one sex ("Mary" is also a man's name)
_CENSUS = {"m": "dist.male.first", "f": "dist.female.first"}


@lru_cache(maxsize=1)
def first_names() -> dict[str, str | None]:
    """Title-case first name -> "m", "f" or None (common to both sexes: "Jordan", "Robin").

    A name that is also a title, a role, a US state or a function word ("King", "Major", "Aide", "Virginia",
    "Will") is left out: capitalised in a headline or before a name it is no evidence of a person."""
    from spacy.lang.en.stop_words import STOP_WORDS

    shares: dict[str, dict[str, int]] = {}  # in thousandths of a percent, as the lists give them (exact sums)
    for sex, file in _CENSUS.items():
        for line in resources.files("names").joinpath(file).read_text(encoding="ascii").splitlines():
            name, share = line.split()[:2]
            shares.setdefault(name.title(), {})[sex] = round(float(share) * 1000)
    kinds = load("source_kinds")
    taken = set(STOP_WORDS) | {w for key in _NOT_NAMES for w in kinds[key]}
    taken |= {form for row in kinds["us_states"] for form in row.split(";")}
    out: dict[str, str | None] = {}
    for name, by_sex in shares.items():
        if max(by_sex.values()) < MIN_SHARE * 1000 or name.lower() in taken:
            continue
        total = sum(by_sex.values())
        out[name] = next((sex for sex, v in by_sex.items() if v >= GENDER_SHARE * total), None)
    return out


_NOT_NAMES = ("official_titles", "weak_titles", "person_roles", "journalist_titles", "anonymous_heads")


def is_first_name(word: str) -> bool:
    """Is ``word`` (as written) a common first name?"""
    return word in first_names()


def first_name_gender(word: str) -> str | None:
    """"m" or "f" when the first name ``word`` is mostly one sex's, else None."""
    return first_names().get(word)
