"""Merging the rule extractor's attributions with the learned model's.

Strategies (picked by PolNeAR dev measurements, see docs/benchmarks.md, section ``learned``):

- ``rules``: the rules alone; ``learned``: the model alone.
- ``union``: the model's attributions plus every rule attribution whose cue no model cue overlaps.
- ``rules_first``: the rules' attributions plus every model attribution whose cue no rule cue overlaps.
- ``cues_union``: cues from both; every cue's source and content come from the model's role tagger (rule
  cues the model did not find are tagged too), falling back to the rule's own fields when the tagger finds
  no content for a rule cue.

The default is ``union``: on PolNeAR dev it gave the best triple F1 and content character F1 of the five
(the model finds most cues; the rules add cues the model misses, with their own spans).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from reportedly.learn.component import AttributionModel, load_model, to_attribution
from reportedly.learn.data import span_tokens
from reportedly.model import Attribution, char_set

STRATEGIES = ("rules", "learned", "union", "rules_first", "cues_union")
DEFAULT_STRATEGY = "union"




def _renumber(atts: list[Attribution]) -> list[Attribution]:
    atts.sort(key=lambda a: (a.cue.start, a.cue.end))
    for n, a in enumerate(atts, 1):
        a.id = f"a{n}"
    return atts


def merge(primary: list[Attribution], secondary: list[Attribution]) -> list[Attribution]:
    """``primary`` plus the ``secondary`` attributions whose cue shares no character with a primary cue."""
    taken: set[int] = set()
    for a in primary:
        taken |= char_set(a.cue.spans)
    out = list(primary)
    for a in secondary:
        chars = char_set(a.cue.spans)
        if chars and not chars & taken:
            out.append(a)
            taken |= chars
    return _renumber(out)


def cues_union(doc: Doc, rules: list[Attribution], model: AttributionModel) -> list[Attribution]:
    """Model cues plus rule cues, all given roles by the model's role tagger (see module doc)."""
    v = model.view(doc)
    cues = model.predict_cues(v)
    taken = {i for c in cues for i in c}
    out: list[Attribution] = []
    for cue in cues:
        ta = model.predict_roles(v, cue)
        if ta is not None:
            out.append(to_attribution(doc, ta, v, len(out) + 1))
    for a in rules:
        toks = span_tokens(doc, a.cue.spans)
        if not toks or taken & set(toks):
            continue
        taken |= set(toks)
        ta = model.predict_roles(v, toks)
        if ta is not None:
            out.append(to_attribution(doc, ta, v, len(out) + 1))
        else:
            out.append(a)
    return _renumber(out)


def combine(doc: Doc, rules: list[Attribution], strategy: str = DEFAULT_STRATEGY,
            model: AttributionModel | None = None) -> list[Attribution]:
    """Attributions of ``doc`` from the rule output ``rules`` and the learned model, by ``strategy``."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown combination strategy {strategy!r} (one of {', '.join(STRATEGIES)})")
    if strategy == "rules":
        return rules
    m = model or load_model()
    if strategy == "cues_union":
        return cues_union(doc, rules, m)
    learned = m(doc)
    if strategy == "learned":
        return learned
    if strategy == "union":
        return merge(learned, rules)
    return merge(rules, learned)


def combined_attributions(doc: Doc, strategy: str = DEFAULT_STRATEGY,
                          rules: Callable[[Doc], list[Attribution]] | None = None) -> list[Attribution]:
    """The hook for the ``reportedly`` component: rules + shipped model, merged by the chosen strategy."""
    if rules is None:
        from reportedly.extract.attributions import extract_attributions

        rules = extract_attributions
    return combine(doc, rules(doc), strategy)
