"""The learned attribution extractor: data conversion, decoding, the shipped model, the train command."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from reportedly.eval.polnear import read_ann
from reportedly.learn.combine import merge
from reportedly.learn.component import (
    AttributionModel,
    bio_spans,
    decode_roles,
    load_model,
    to_attribution,
    token_runs,
)
from reportedly.learn.data import span_tokens, token_attributions
from reportedly.learn.features import doc_view
from reportedly.model import Attribution, Cue, Field

from .conftest import POLNEAR

STEM = "breitbart_2015-11-11_the-ninth-circle-the-hellish-vie"
TRAIN = POLNEAR / "train"


@pytest.fixture(scope="module")
def ninth_circle(nlp):
    text = (TRAIN / "text" / f"{STEM}.txt").read_text(encoding="utf-8")
    gold = read_ann(TRAIN / "attributions" / f"{STEM}_d473.ann")
    return text, nlp(text), gold


def test_converter_maps_gold_spans_of_a_real_ann_file(ninth_circle):
    text, doc, gold = ninth_circle
    tas = token_attributions(doc, gold)
    assert len(tas) == len(gold) > 20
    first = tas[0]  # T1-T3: "we" "mocked" "the presidential ambitions ... Donald Trump"
    assert [doc[i].text for i in first.cue] == ["mocked"]
    assert [doc[i].text for i in first.source] == ["we"]
    assert token_runs(doc, first.content) == [(120, 211)]
    assert text[120:211].startswith("the presidential ambitions") and text[120:211].endswith("Donald Trump")
    # every gold span that lies on token boundaries comes back exactly from its tokens
    exact = total = 0
    for g, ta in zip(gold, tas, strict=True):
        for spans, toks in ((g.cue, ta.cue), (g.content, ta.content), (g.source, ta.source)):
            if spans and len(spans) == 1:
                total += 1
                exact += token_runs(doc, toks) == [tuple(spans[0])]
    assert exact >= 0.9 * total


def test_span_tokens_ignores_whitespace_and_bad_offsets(nlp):
    doc = nlp.make_doc("He said  it.")
    assert [doc[i].text for i in span_tokens(doc, [(3, 7)])] == ["said"]
    assert span_tokens(doc, [(500, 510)]) == []
    assert span_tokens(doc, None) == []


def _doc(words: list[str]) -> Doc:
    from spacy.vocab import Vocab

    return Doc(Vocab(), words=words, spaces=[w not in ("“",) for w in words[:-1]] + [False])


def test_decoding_groups_tags_into_attributions():
    #          0    1        2       3      4    5      6       7         8       9    10      11      12
    words = ["“", "Taxes", "will", "rise", ",", "”", "the", "minister", "said", ",", "citing", "a", "report"]
    doc = _doc(words)
    cue_tags = ["O"] * 8 + ["B"] + ["O"] * 4
    assert bio_spans(cue_tags) == [[8]]
    assert bio_spans(["B", "I", "O", "I", "B", "B"]) == [[0, 1], [3], [4], [5]]
    role_tags = ["O", "C", "C", "C", "O", "O", "S", "S", "O", "O", "O", "O", "O"]
    ta = decode_roles([8], 0, role_tags)
    assert ta is not None
    assert ta.content == [1, 2, 3] and ta.source == [6, 7] and ta.cue == [8]
    assert [doc.text[s:e] for s, e in token_runs(doc, ta.content)] == ["Taxes will rise"]
    assert [doc.text[s:e] for s, e in token_runs(doc, ta.source)] == ["the minister"]
    # a window that starts later shifts the indices; a cue's own tokens are never its content
    ta2 = decode_roles([2], 2, ["C", "C", "O"])
    assert ta2 is not None and ta2.content == [3]
    # no content: not an attribution
    assert decode_roles([8], 0, ["O"] * 7 + ["S"] + ["O"] * 5) is None
    # discontinuous content: two pieces
    assert len(token_runs(doc, [1, 2, 3, 10, 11, 12])) == 2


def test_merge_keeps_primary_and_adds_non_overlapping():
    def att(cue: tuple[int, int], content: tuple[int, int]) -> Attribution:
        return Attribution(id="x", cue=Cue("c", [cue], "c"), content=Field("t", [content]), kind="indirect")

    primary = [att((10, 14), (20, 30))]
    secondary = [att((12, 16), (40, 50)), att((60, 64), (70, 80))]
    out = merge(primary, secondary)
    assert [a.cue.spans for a in out] == [[(10, 14)], [(60, 64)]]
    assert [a.id for a in out] == ["a1", "a2"]


@pytest.fixture(scope="module")
def model() -> AttributionModel:
    return load_model()


def test_shipped_model_has_version_and_is_small(model):
    from reportedly.learn.component import DEFAULT_MODEL_DIR

    assert model.version and model.meta["format"].startswith("reportedly-attribution-crf")
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size < 50 * 1024 * 1024


def test_shipped_model_tags_a_real_polnear_sentence(nlp, model, ninth_circle):
    text, _, _ = ninth_circle
    # a real train paragraph: ... she said: “Unlike Hillary Clinton, I know that flying is an activity ...” (cue 1674)
    start = text.rfind("\n", 0, 1674) + 1
    end = text.find("\n", 1674)
    doc = nlp(text[start:end])
    atts = model(doc)
    said = [a for a in atts if any(s <= 1674 - start < e for s, e in a.cue.spans)]
    assert said, [a.cue.text for a in atts]
    a = said[0]
    assert a.source is not None and a.source.text == "she"
    assert "flying is an activity" in a.content.text


def test_learned_attributions_on_real_article(model, ninth_circle):
    _, doc, gold = ninth_circle
    atts = model(doc)
    v = doc_view(doc, model.lexicon)
    assert atts and all(a.cue.spans and a.content.spans for a in atts)
    # round trip: token attributions → report attributions keep the offsets of the text
    for a in atts:
        for s, e in a.content.spans:
            assert doc.text[s:e].strip() == doc.text[s:e]
    assert to_attribution(doc, token_attributions(doc, gold)[0], v, 1).cue.text == "mocked"


def test_train_command_rejects_a_bad_split(tmp_path):
    import typer
    from typer.testing import CliRunner

    from reportedly.serve.cli_train import register

    app = typer.Typer()
    register(app)

    @app.command()
    def noop() -> None:  # a second command keeps "train" a sub-command group
        pass

    result = CliRunner().invoke(app, ["train", "polnear", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "not a PolNeAR split directory" in result.output


def test_spacy_factory_sets_learned_attributions(nlp, ninth_circle):
    from reportedly.learn.component import make_attribution_model

    _, doc, _ = ninth_circle
    component = make_attribution_model(nlp, "reportedly_attribution_model", None)
    assert component(doc) is doc
    assert doc._.learned_attributions and doc._.learned_attributions[0].cue.text
