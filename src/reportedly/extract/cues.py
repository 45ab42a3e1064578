"""The cue lexicon: which words introduce an attribution, and in which syntactic frames.

All lexical knowledge lives in ``data/cues.json`` (one file, reviewed as data). A verb is a cue only
in the frames listed for it: "say" introduces clauses, quotes and objects ("said no"), "want" only a
to-infinitive, "talk" only an "about" phrase. Frames keep low-precision verbs usable without letting
every "want" or "see" become an attribution.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# frames a verb entry may allow
CLAUSE = "clause"  # "said (that) ...", "..., she said", a quote next to the cue
OBJECT = "object"  # "announced his candidacy", "called him a liar"
XCOMP = "xcomp"  # "wants to win", "urged voters to stay home"
AS = "as"  # "sees him as a threat", "is widely seen as the favourite": an object and its "as" predicate
FRAMES = frozenset({CLAUSE, OBJECT, XCOMP, AS})


@dataclass(frozen=True)
class VerbCue:
    """How one reporting verb (by lemma) introduces content."""

    lemma: str
    frames: frozenset[str]
    preps: frozenset[str]  # prepositions whose object is the content ("talk about", "call for")
    recipient: str | None  # "dobj" (told X) or "to" (confirmed to X): whom it was said to
    nests: bool = False  # still an attribution inside another one's content ("..., the ministry said ...,
    # Newsweek reported"); attitude verbs there ("he said he believes ...") are part of the content
    agent_subject: bool = False  # a stance only with an agent-like subject ("the mayor seemed to agree"); with an
    # event or thing as subject ("the announcement appeared to serve as ...") it is the writer's own hedge
    naming: bool = False  # also a naming verb: "a group called X", "calls itself X" name things, nobody speaks


@dataclass(frozen=True)
class Lexicon:
    """The whole cue lexicon, loaded once from ``data/cues.json``."""

    verbs: dict[str, VerbCue]
    phrase_prepositions: frozenset[str]  # "according to": the head word of a source-first phrase
    source_nouns: frozenset[str]  # "in a poll": nouns whose "in" phrase is a source
    nouns: dict[str, VerbCue]  # "the claim that ...", "his remarks about ...": speech nouns and their frames
    passive_sourceless: frozenset[str]  # "it was reported", "is expected": cues without a source
    label_stopwords: frozenset[str]  # "Note:", "Update:": paragraph labels that are not speakers
    agent_nouns: frozenset[str] = frozenset()  # nouns denoting people or institutions ("official", "campaign")
    gloss_verbs: frozenset[str] = frozenset()  # "..., which refers to ...": the writer explaining a quoted term
    light_verbs: dict[str, frozenset[str]] = field(default_factory=dict)  # "make" -> {"case", "clear", ...}


def _frozen(raw: object) -> frozenset[str]:
    return frozenset(str(x) for x in raw) if isinstance(raw, list) else frozenset()


def _entry(lemma: str, props: dict[str, object]) -> VerbCue:
    frames = _frozen(props.get("frames", [CLAUSE]))
    unknown = frames - FRAMES
    if unknown:
        raise ValueError(f"data/cues.json: cue {lemma!r} has unknown frames {sorted(unknown)}")
    recipient = props.get("recipient")
    return VerbCue(lemma=lemma, frames=frames, preps=_frozen(props.get("preps", [])),
                   recipient=str(recipient) if recipient else None, nests=bool(props.get("nests", False)),
                   agent_subject=bool(props.get("agent_subject", False)), naming=bool(props.get("naming", False)))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon (cached: it is read once per process)."""
    raw = json.loads(resources.files("reportedly").joinpath("data/cues.json").read_text(encoding="utf-8"))
    return Lexicon(
        verbs={lemma: _entry(lemma, props) for lemma, props in raw["verbs"].items()},
        phrase_prepositions=_frozen(raw.get("phrase_prepositions", [])),
        source_nouns=_frozen(raw.get("source_nouns", [])),
        nouns={lemma: _entry(lemma, props) for lemma, props in raw.get("nouns", {}).items()},
        passive_sourceless=_frozen(raw.get("passive_sourceless", [])),
        label_stopwords=_frozen(raw.get("label_stopwords", [])),
        agent_nouns=_frozen(raw.get("agent_nouns", [])),
        gloss_verbs=_frozen(raw.get("gloss_verbs", [])),
        light_verbs={verb: _frozen(nouns) for verb, nouns in raw.get("light_verbs", {}).items()},
    )


def verb_cue(lemma: str) -> VerbCue | None:
    """The lexicon entry of a verb lemma, if it is a reporting verb."""
    return lexicon().verbs.get(lemma.lower())
