"""The PolNeAR scorer on a hand-built example, and ``reportedly eval polnear`` on a slice of dev."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from reportedly.eval.polnear import GoldAttribution, GoldDoc, PredAttribution, Scores, char_f1, score_docs
from reportedly.serve.cli_eval import register
from tests.conftest import POLNEAR

TEXT = "Trump said the wall would be built. Polls show support is falling, aides said."


def _gold() -> list[GoldAttribution]:
    assert TEXT[73:77] == "said" and TEXT[67:72] == "aides" and TEXT[42:46] == "show"
    return [
        GoldAttribution(cue=[(6, 10)], content=[(11, 34)], source=[(0, 5)]),  # Trump said ...
        GoldAttribution(cue=[(42, 46)], content=[(47, 65)], source=[(36, 41)]),  # Polls show ...
        GoldAttribution(cue=[(73, 77)], content=[(36, 65)], source=[(67, 72)]),  # ..., aides said
    ]


def test_scorer_counts_matches_and_errors() -> None:
    preds = [
        PredAttribution(cue=[(6, 10)], content=[(11, 34)], source=[(0, 5)]),  # exact
        PredAttribution(cue=[(42, 46)], content=[(47, 50)], source=[(36, 41)]),  # content too short
        PredAttribution(cue=[(20, 25)], content=[(26, 34)], source=None),  # no such cue
    ]
    sc = Scores()
    found = sc.add(preds, _gold())
    assert (sc.cue.tp, sc.cue.fp, sc.cue.fn) == (2, 1, 1)
    assert (sc.triple.tp, sc.triple.fp, sc.triple.fn) == (1, 2, 2)
    assert sc.source.tp == 2 and sc.content.tp == 1
    assert sc.errors == {"content_wrong": 1, "cue_spurious": 1, "cue_missed": 1}
    assert {kind for kind, _ in found} == {"content_wrong", "cue_spurious", "cue_missed"}
    assert round(sc.cue.f1, 3) == round(2 / 3, 3)
    # character level: the cue chars of "said" (6-10) and "show" (42-46) are shared; "would" is not gold
    assert (sc.chars["cue"].tp, sc.chars["cue"].fp, sc.chars["cue"].fn) == (8, 5, 4)


def test_char_f1_edges() -> None:
    assert char_f1(None, None) == 1.0
    assert char_f1([(0, 4)], None) == 0.0
    assert char_f1([(0, 4)], [(2, 6)]) == 0.5


def test_score_docs_keeps_examples_per_type() -> None:
    gold = GoldDoc(stem="toy", text=TEXT, attributions=_gold())
    ev = score_docs([(gold, [PredAttribution(cue=[(6, 10)], content=[(11, 14)], source=[(0, 5)])])], examples=1)
    assert ev.scores.errors["cue_missed"] == 2
    assert len(ev.examples["cue_missed"]) == 1
    ex = ev.examples["content_wrong"][0]
    assert ex.gold is not None and ex.gold["content"] == "the wall would be built"
    assert ex.pred is not None and ex.pred["content"] == "the"
    assert ev.missed_cues["show"] == 1 and ev.missed_cues["said"] == 1


def test_eval_command_on_dev_slice(nlp) -> None:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["eval", "polnear", str(POLNEAR / "dev"), "--limit", "3", "--errors", "1"])
    assert result.exit_code == 0, result.output
    assert "(3 articles)" in result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("cue F1"))
    cue_f1 = float(line.split()[2])
    assert 0.3 < cue_f1 <= 1.0
    assert "attribution F1" in line
    assert "cue_missed" in result.output and "content_wrong" in result.output


def test_eval_command_rejects_a_bad_dir(tmp_path) -> None:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["eval", "polnear", str(tmp_path)])
    assert result.exit_code == 2
    assert f"error: {tmp_path}: not a PolNeAR split directory" in result.output
