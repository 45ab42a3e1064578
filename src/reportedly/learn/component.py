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
QUOTE_CUES = {"say", "tell", "add", "write", "ask", "state", "note", "explain", "continue", "argue", "insist",
              "claim"}


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
    return TokenAttribution(cue=list(cue), content=content, source=source)


def token_runs(doc: Doc, tokens: Iterable[int]) -> Offsets:
    """Character spans of runs of consecutive tokens (whitespace tokens at the edges are left out)."""
    idx = sorted(i for i in set(tokens) if not doc[i].is_space)
    spans: Offsets = []
    run_start = run_end = None
    for i in idx:
        if run_end is not None and i == run_end + 1:
            run_end = i
            continue
        if run_start is not None and run_end is not None:
            spans.append((doc[run_start].idx, doc[run_end].idx + len(doc[run_end])))
        run_start = run_end = i
    if run_start is not None and run_end is not None:
        spans.append((doc[run_start].idx, doc[run_end].idx + len(doc[run_end])))
    # join pieces separated only by whitespace (a newline token between two quoted paragraphs)
    merged: Offsets = []
    for s, e in spans:
        if merged and not doc.text[merged[-1][1]:s].strip():
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _text(doc: Doc, spans: Offsets) -> str:
    return " … ".join(doc.text[s:e] for s, e in spans)


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
    return Attribution(
        id=f"a{n}",
        cue=Cue(_text(doc, cue_spans), cue_spans, lemma),
        content=Field(_text(doc, content_spans), content_spans),
        kind=_kind(doc, ta, v),
        source=Source(_text(doc, src_spans), src_spans) if src_spans else None,
    )


def load_lexicon(path: Path) -> list[str]:
    """Cue words/phrases from a JSON lexicon (a list, or a dict of lists / of entries keyed by cue)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    out: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, str):
            out.add(x.strip().lower())
        elif isinstance(x, list):
            for y in x:
                walk(y)
        elif isinstance(x, dict):
            for k, y in x.items():
                if isinstance(y, (list, dict)):
                    walk(y)
                elif k not in ("version", "schema", "comment", "description"):
                    out.add(str(k).strip().lower())

    walk(raw)
    return sorted(w for w in out if w and len(w) < 60)


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

    def predict_cues(self, v: DocView) -> list[list[int]]:
        """Cue token groups of a document (tagged sentence by sentence)."""
        cues: list[list[int]] = []
        for s, e in v.sent_bounds:
            feats = [cue_features(v, i) for i in range(s, e)]
            tags = self.cue_tagger.tag(pycrfsuite.ItemSequence(feats))
            cues.extend([[s + k for k in g] for g in bio_spans(tags)])
        return cues

    def predict_roles(self, v: DocView, cue: list[int]) -> TokenAttribution | None:
        s, e = role_window(v, cue, WINDOW_BEFORE, WINDOW_AFTER)
        tags = self.role_tagger.tag(pycrfsuite.ItemSequence(role_features(v, cue, s, e)))
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
