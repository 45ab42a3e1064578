"""Voices that name nobody in the sentence: the "I" of an opinion piece (the byline's writer, with the kind
the article's author line gives), the interviewer of a Q&A, and the speaker labels of a broadcast transcript
("TAPPER: ..."). Pure functions of the Doc, the byline and the registry.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from reportedly.lexicon import (
    doc_text,
)
from reportedly.resolve.kinds import (
    kind_from_titles,
    outlet_for,
    untitled,
)
from reportedly.resolve.registry import (
    PRONOUNS,
    Ent,
    Registry,
)

_TURN = re.compile(r"^([A-Z][A-Z.'’ -]{0,40}[A-Z]):(.*)$", re.M)


def transcript_speaker(reg: Registry, core: Span, mention: tuple[int, int]) -> Ent | None:
    """"TAPPER: Do you think ...": a capitalised label at the start of a line in a broadcast transcript is the
    person of that surname ("JAKE TAPPER" first, "TAPPER" after). An untitled one who opens the transcript and
    asks questions, or whose turns are mostly questions, is the interviewer: a journalist."""
    text = doc_text(reg.doc)
    label = core.text.strip()
    words = label.replace(".", " ").split()
    if not (label.isupper() and 1 <= len(words) <= 3 and all(w.isalpha() for w in words)) \
            or text[core.end_char:core.end_char + 1] != ":" or text[text.rfind("\n", 0, core.start_char) + 1:
                                                                  core.start_char].strip():
        return None
    if label in ("Q", "A") or label.lower() in PRONOUNS:
        return None
    names = [w.capitalize() for w in words]
    surname = names[-1].lower()
    turns = list(_TURN.finditer(text))
    mine = [m for m in turns if m.group(1).split()[-1].lower() == surname]
    if len(turns) < 2 or not mine:
        return None  # one "CORRECTION:" or "UPDATE:" line is no transcript
    ent = reg.find_person(surname, names[0].lower() if len(names) > 1 else None)
    if ent is None:
        ent = reg.new(" ".join(names), "person", mention, surname=surname)
    else:
        reg.add_mention(ent, mention)
    asks = sum("?" in m.group(2) for m in mine)
    if ent.kind == "person" and untitled(ent) and asks and (asks * 2 >= len(mine) or turns[0] in mine):
        ent.kind = "journalist"
    return ent


def article_author(reg: Registry, pos: int) -> Ent | None:
    """"I" in the article's own voice (an opinion piece: "I learned that the hard way"), outside every
    quote and attributed content, is the article's author: the person of the byline's name when the article
    names them, else the byline's writer (a journalist), else an unnamed "the author"."""
    if pos < reg.start or reg.content_set().holding(pos):
        return None
    text = doc_text(reg.doc)
    para = text[text.rfind("\n", 0, pos) + 1:pos]
    if para.count("“") > para.count("”") or para.count('"') % 2:
        return None  # inside a quotation
    name = _byline(reg)
    if not name:
        prev = next((e for e in reg.ents if e.name == "the author" and not e.named), None)
        return prev or reg.new("the author", "person", (pos, pos + 1), named=False, heads={"author"})
    if not _one_writer(reg, name):
        return None  # a wire service ("AP") or no single name
    return _writer(reg, name, pos, people=True)


def _byline(reg: Registry) -> str:
    """The byline's name without "By" ("" when there is none)."""
    name = re.sub(r"^\s*[Bb]y\s+", "", reg.byline or "").strip()
    return "" if name.lower() == "none" else name


def _one_writer(reg: Registry, name: str) -> bool:
    """Does a byline name one writer (not a wire service such as "AP", nor a list of names)?"""
    return len(name.split()) <= 4 and outlet_for(name, reg, True) is None


def _writer(reg: Registry, name: str, pos: int, people: bool = False) -> Ent:
    """The entity of the byline's writer: the one of that name (with ``people``, also the person of that
    surname the article names), else a new journalist: a byline the article never names otherwise is its
    writer's (a guest writer is usually introduced in the text, "Ruth Adler is a mother of ...")."""
    prev = next((e for e in reg.ents if e.named and e.name.lower() == name.lower()), None)
    if prev is None and people:
        toks = name.split()
        prev = reg.find_person(toks[-1].lower(), toks[0].lower() if len(toks) > 1 else None)
    if prev is not None:
        return prev
    return reg.new(name, _bio_kind(reg, name), (pos, pos + 1), surname=name.split()[-1].lower())


def _bio_kind(reg: Registry, name: str) -> str:
    """The kind of a byline's writer from the article's own line about them ("Lena Novak is a playwright",
    "Jane Doe, a columnist for ..."): a guest writer is a person unless the line says journalist or office;
    without such a line the byline is the outlet's journalist."""
    text = doc_text(reg.doc)
    m = re.search(re.escape(name) + r"(?:\s+(?:is|was)|,)\s+(?:a|an|the)\s+([^.\n]{0,120})", text)
    if m is None:
        return "journalist"
    words = {w.lower().strip(",;:()") for w in m.group(1).split()}
    words |= {w[:-1] for w in words if w.endswith("s")}  # "a member of USA TODAY's Board of Contributors"
    low = m.group(1).lower().split()
    words |= {" ".join(p) for p in zip(low, low[1:], strict=False)}  # "staff writer", "bureau chief"
    return kind_from_titles(words) or "person"


def interviewer_of(reg: Registry, pos: int) -> Ent | None:
    """Who asks the questions of a Q&A transcript: the byline's journalist, else the article's outlet."""
    name = _byline(reg)
    if name and _one_writer(reg, name):
        return _writer(reg, name, pos)
    o = outlet_for(reg.article_outlet, reg, True) if reg.article_outlet else None
    if o is None:
        return None
    return reg.find_outlet(o) or reg.new(o.name, "outlet", (pos, pos + 1), outlet=o)
