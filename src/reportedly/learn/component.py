"""The learned attribution extractor: two CRFs over parser features plus structured decoding.

1. A cue tagger (BIO over each sentence) finds cue spans ("said", "according to", "told reporters").
2. For every cue, a role tagger labels the tokens of the cue's window (its sentence and up to two
   neighbouring sentences of the same paragraph) as source (``S``), content (``C``) or other (``O``),
   with features that describe each token relative to that cue. Conditioning on the cue is what lets
   nested attributions ("X said Y told him that Z") each get their own source and content.
3. Decoding groups the tags into attributions; a cue whose window gets no content is dropped (it was a
   false cue: gold attributions always have content).

The model directory holds ``cue.crfsuite``, ``role.crfsuite`` and ``meta.json`` (version, lexicon, scores).
``AttributionModel`` is also registered as the spaCy factory ``reportedly_attribution_model``.
(No ``from __future__ import annotations``: spaCy resolves the factory's type hints at run time.)
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.language import Language
from spacy.tokens import Doc

from reportedly.learn.data import TokenAttribution
from reportedly.learn.features import DocView, cue_features, doc_view, role_features, role_window
from reportedly.model import Attribution, Cue, Field, Offsets, Source

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "attribution_model"
MODEL_FORMAT = "reportedly-attribution-crf/1"
WINDOW_BEFORE = 2
WINDOW_AFTER = 2


class ModelError(Exception):
    """The model directory is missing or unreadable (one-line message naming the directory)."""


def bio_spans(tags: list[str], prefix: str = "") -> list[list[int]]:
    """Token groups of a BIO sequence (``B``/``I``/``O``, optionally ``B-X``); a stray ``I`` opens a group."""
    groups: list[list[int]] = []
    cur: list[int] | None = None
    for i, t in enumerate(tags):
        if t.startswith("B"):
            cur = [i]
            groups.append(cur)
        elif t.startswith("I"):
            if cur is None:
                cur = [i]
                groups.append(cur)
            else:
                cur.append(i)
        else:
            cur = None
    return groups


def decode_roles(cue: list[int], start: int, tags: list[str]) -> TokenAttribution | None:
    """Group one cue's role tags (``S``/``C``/``O`` over tokens ``start..``) into an attribution.

    Returns None when no token is content: every gold attribution has content, so such a cue is noise.
    """
    cue_set = set(cue)
    source = [start + k for k, t in enumerate(tags) if t == "S" and start + k not in cue_set]
    content = [start + k for k, t in enumerate(tags) if t == "C" and start + k not in cue_set]
    if not content:
        return None
    return TokenAttribution(cue=list(cue), content=content, source=nearest_run(source, cue))


def nearest_run(tokens: list[int], cue: list[int]) -> list[int]:
    """The run of consecutive tokens closest to the cue: a source is one phrase, so stray pieces are noise."""
    runs: list[list[int]] = []
    for i in tokens:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    if len(runs) <= 1:
        return tokens
    lo, hi = min(cue), max(cue)
    return min(runs, key=lambda r: min(abs(r[0] - hi), abs(r[-1] - lo)))


def token_runs(doc: Doc, tokens: Iterable[int]) -> Offsets:
    """Character spans of runs of consecutive tokens; runs separated only by whitespace tokens (a newline
    between two quoted paragraphs) are joined, and whitespace tokens never start or end a span."""
    idx = sorted(i for i in set(tokens) if not doc[i].is_space)
    runs: list[list[int]] = []
    for i in idx:
        if runs and all(doc[j].is_space for j in range(runs[-1][1] + 1, i)):
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(doc[a].idx, doc[b].idx + len(doc[b])) for a, b in runs]


def _text(text: str, spans: Offsets) -> str:
    return " … ".join(text[s:e] for s, e in spans)


def _kind(doc: Doc, ta: TokenAttribution, v: DocView) -> str:
    lemma = " ".join(v.lemma[i] for i in ta.cue)
    if lemma.startswith("accord"):
        return "according_to"
    quoted = sum(1 for i in ta.content if v.in_quote[i])
    if quoted == len(ta.content):
        return "direct"
    return "mixed" if quoted else "indirect"


def to_attribution(doc: Doc, ta: TokenAttribution, v: DocView, n: int) -> Attribution:
    """A report ``Attribution`` from token indices."""
    cue_spans = token_runs(doc, ta.cue)
    content_spans = token_runs(doc, ta.content)
    src_spans = token_runs(doc, ta.source)
    lemma = " ".join(v.lemma[i] for i in ta.cue)
    text = v.text
    return Attribution(
        id=f"a{n}",
        cue=Cue(_text(text, cue_spans), cue_spans, lemma),
        content=Field(_text(text, content_spans), content_spans),
        kind=_kind(doc, ta, v),
        source=Source(_text(text, src_spans), src_spans) if src_spans else None,
    )


def load_lexicon(path: Path) -> list[str]:
    """Cue words/phrases of the project's cue lexicon (``data/cues.json``: reporting verbs, speech nouns,
    phrase prepositions); a plain JSON list of strings is accepted too. Source nouns and label stop-words
    are not cues and are left out."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    if isinstance(raw, list):
        out.update(str(x) for x in raw)
    elif isinstance(raw, dict):
        for key in ("verbs", "speech_nouns", "phrase_prepositions", "nouns", "phrases"):
            val = raw.get(key)
            if isinstance(val, (dict, list)):
                out.update(str(x) for x in val)
    return sorted({w.strip().lower() for w in out if w.strip() and len(w) < 60})


@dataclass
class AttributionModel:
    """The two taggers and their settings, loaded from a model directory."""

    cue_tagger: pycrfsuite.Tagger
    role_tagger: pycrfsuite.Tagger
    lexicon: frozenset[str]
    meta: dict[str, Any]
    min_cue_marginal: float = 0.0

    @classmethod
    def load(cls, path: Path | str = DEFAULT_MODEL_DIR) -> "AttributionModel":
        path = Path(path)
        meta_path = path / "meta.json"
        if not meta_path.exists():
            raise ModelError(f"{path}: not an attribution model directory (no meta.json)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != MODEL_FORMAT:
            raise ModelError(f"{path}: unsupported model format {meta.get('format')!r}")
        cue, role = pycrfsuite.Tagger(), pycrfsuite.Tagger()
        try:
            cue.open(str(path / "cue.crfsuite"))
            role.open(str(path / "role.crfsuite"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: cannot open the CRF files ({exc})") from exc
        return cls(cue, role, frozenset(meta.get("lexicon", [])), meta)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "0"))

    def view(self, doc: Doc) -> DocView:
        return doc_view(doc, self.lexicon)

    @property
    def cue_threshold(self) -> float:
        """A token the Viterbi path leaves out still becomes a cue token when P(not O) reaches this."""
        return float(self.meta.get("cue_threshold", 1.0))

    @property
    def content_threshold(self) -> float:
        """When the Viterbi path has no content, tokens with P(C) at least this are taken as content."""
        return float(self.meta.get("content_threshold", 1.0))

    @property
    def source_threshold(self) -> float:
        """When the Viterbi path has no source, tokens with P(S) at least this are taken as source."""
        return float(self.meta.get("source_threshold", 1.0))

    def predict_cues(self, v: DocView, threshold: float | None = None) -> list[list[int]]:
        """Cue token groups of a document (tagged sentence by sentence)."""
        thr = self.cue_threshold if threshold is None else threshold
        cues: list[list[int]] = []
        tagger = self.cue_tagger
        for s, e in v.sent_bounds:
            feats = [cue_features(v, i) for i in range(s, e)]
            tags = tagger.tag(pycrfsuite.ItemSequence(feats))
            if thr < 1.0:
                for k, t in enumerate(tags):
                    if t == "O" and 1.0 - tagger.marginal("O", k) >= thr:
                        tags[k] = "I" if k and tags[k - 1] != "O" else "B"
            cues.extend([[s + k for k in g] for g in bio_spans(tags)])
        return cues

    def predict_roles(self, v: DocView, cue: list[int], threshold: float | None = None) -> TokenAttribution | None:
        """Source and content of one cue (None when the window holds no content for it)."""
        thr = self.content_threshold if threshold is None else threshold
        s, e = role_window(v, cue, WINDOW_BEFORE, WINDOW_AFTER)
        tagger = self.role_tagger
        tags = tagger.tag(pycrfsuite.ItemSequence(role_features(v, cue, s, e)))
        if thr < 1.0 and "C" not in tags:
            tags = ["C" if t == "O" and tagger.marginal("C", k) >= thr else t for k, t in enumerate(tags)]
        if self.source_threshold < 1.0 and "S" not in tags:
            tags = ["S" if t == "O" and tagger.marginal("S", k) >= self.source_threshold else t
                    for k, t in enumerate(tags)]
        return decode_roles(cue, s, tags)

    def predict_tokens(self, doc: Doc, cues: list[list[int]] | None = None) -> list[TokenAttribution]:
        """Token-level attributions of ``doc`` (pass ``cues`` to tag roles for given cues, e.g. gold ones)."""
        v = self.view(doc)
        out = []
        for cue in cues if cues is not None else self.predict_cues(v):
            ta = self.predict_roles(v, cue)
            if ta is not None:
                out.append(ta)
        return out

    def __call__(self, doc: Doc) -> list[Attribution]:
        """Attributions of ``doc`` in report form."""
        v = self.view(doc)
        out: list[Attribution] = []
        for cue in self.predict_cues(v):
            ta = self.predict_roles(v, cue)
            if ta is not None:
                out.append(to_attribution(doc, ta, v, len(out) + 1))
        return out


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> AttributionModel:
    """The model at ``path`` (default: the one shipped in ``reportedly/data/attribution_model``), cached."""
    return AttributionModel.load(Path(path) if path else DEFAULT_MODEL_DIR)


def learned_attributions(doc: Doc) -> list[Attribution]:
    """Attributions found by the shipped learned model alone (the hook the ``reportedly`` component can call)."""
    return load_model()(doc)


if not Doc.has_extension("learned_attributions"):
    Doc.set_extension("learned_attributions", default=None)


class AttributionModelComponent:
    """spaCy component: sets ``doc._.learned_attributions`` from the learned model."""

    def __init__(self, nlp: Language, name: str, model_dir: str | None) -> None:
        self.name = name
        self.model = load_model(model_dir)

    def __call__(self, doc: Doc) -> Doc:
        doc._.learned_attributions = self.model(doc)
        return doc


@Language.factory("reportedly_attribution_model", default_config={"model_dir": None})
def make_attribution_model(nlp: Language, name: str, model_dir: str | None) -> AttributionModelComponent:
    return AttributionModelComponent(nlp, name, model_dir)
