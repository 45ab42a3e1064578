"""The bench's boilerplate check (issue 12: zero cross-article clusters made only of no-comment statements)
must flag non-answers and only them: a statement with a non-answer clause in it is a statement."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_linking import is_no_comment  # noqa: E402


@pytest.mark.parametrize("content", [
    "did not immediately respond to a request for comment on the lawsuit",
    "that the ministry declined to say whether more troops would be sent",
    "The US ambassador, Jane Roe, declined to comment on being summoned to the ministry",
    "could not be reached for comment",
    "no comment on the nature of the injuries",
])
def test_non_answers_are_no_comment(content: str) -> None:
    assert is_no_comment(content)


@pytest.mark.parametrize("content", [
    "he would hold the agency \u201caccountable\u201d but declined to say whether he would bring charges",
    "there is no plausible alternative explanation for the attack and that the failure to respond to a legitimate "
    "request for an explanation shows the state's responsibility",
    "the bridge would reopen on Monday after inspections found no damage",
])
def test_statements_are_not_no_comment(content: str) -> None:
    assert not is_no_comment(content)
