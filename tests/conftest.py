"""Shared fixtures: the pipeline is loaded once per test session; ../shared is located beside the clone."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
POLNEAR = SHARED / "data" / "polnear"
SEED = SHARED / "examples" / "seed-article.txt"


@pytest.fixture(scope="session")
def nlp():
    from reportedly.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def seed_report():
    import reportedly

    return reportedly.analyze(SEED.read_text(encoding="utf-8"), published="2022-04-01", id="seed-article")
