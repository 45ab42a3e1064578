"""The passage pass after a batch (link.incremental_passages) leaves exactly the recycled rows and the passage
state of a relink from scratch, on SQLite and PostgreSQL, whether the batch comes after the stored articles
in time, before them (its paragraphs become the groups' first ones and take over their notes), or
interleaved with them, undated articles included.

Text: paragraphs of PolNeAR news articles, recombined into articles that copy each other's paragraphs
word for word, with the last word changed (a near-copy, not indexed), with one or two words changed (a
variant, indexed), plus a footer some articles carry (boilerplate once it is in most of them). The reports
hold no attributions: these tests are about passages, and need no pipeline."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from reportedly.link.incremental import relink
from reportedly.link.passages import MIN_WORDS, paragraphs, paras_of, passage_pass, signatures
from reportedly.store import ArticleRecord, open_store
from tests._ledger import BACKENDS, ledger_url
from tests.conftest import POLNEAR

PASSAGE_STATE = {
    "link_passages": "sig_key, first_article, first_idx, leader, indexed, articles",
    "link_passage_bands": "band, sig_key",
    "link_passage_paras": "article_id, idx, sig_key",
    "link_meta": "key, value",
}
RECYCLED = "article_id, para_idx, start_char, end_char, source_article_id, source_para_idx, similarity, earlier"
FOOTER = ("Copyright 2016 The Daily Ledger. All rights reserved. This material may not be published, broadcast, "
          "rewritten or redistributed without permission of the publisher.")


def _pool(n_texts: int) -> list[str]:
    """Linkable paragraphs of the first PolNeAR train articles."""
    out = []
    for path in sorted((POLNEAR / "train" / "text").glob("*.txt"))[:n_texts]:
        text = path.read_text(encoding="utf-8")
        out += [p for s, e in paragraphs(text) if len((p := text[s:e]).split()) >= MIN_WORDS + 4]
    return out


def _edited(para: str, rng: random.Random) -> str:
    """A copy of ``para``: word for word, its last word changed (a near-copy), or one or two words changed
    inside it (a variant, sometimes below the threshold)."""
    words = para.split()
    kind = rng.choice(["exact", "last", "one", "two"])
    if kind == "last":
        words[-1] = "today."
    elif kind != "exact":
        for _ in range(1 if kind == "one" else 2):
            words[rng.randrange(2, len(words) - 2)] = rng.choice(["reportedly", "officials", "Tuesday", "notably"])
    return " ".join(words)


def _corpus(seed: int, n: int = 36, undated: float = 0.0) -> list[dict[str, str | None]]:
    """``n`` articles of own paragraphs, copies and variants of earlier-made ones (in any date order), some
    with the footer; ``undated`` of them have no date."""
    rng = random.Random(seed)
    pool = _pool(14)
    made: list[str] = []
    out = []
    for i in range(n):
        body = [pool.pop(rng.randrange(len(pool))) for _ in range(rng.randint(1, 3))]
        for _ in range(rng.randint(0, 3) if made else 0):
            body.insert(rng.randrange(len(body) + 1), _edited(rng.choice(made), rng))
        made += body
        if rng.random() < 0.3:
            body.append(FOOTER)
        day = None if rng.random() < undated else f"2016-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
        out.append({"id": f"a{seed}-{i:02d}", "published": day, "text": "\n\n".join(body)})
    return out


def _record(a: dict[str, str | None]) -> ArticleRecord:
    text = str(a["text"])
    report = {"article": {"id": a["id"], "published": a["published"], "outlet": "Outlet " + str(a["id"])[-1]},
              "attributions": []}
    return ArticleRecord(report, text, hashlib.sha1(text.encode()).hexdigest(), signatures(text))


def _tables(store) -> dict[str, list[tuple]]:
    out = {t: store._query(f"SELECT {cols} FROM {t} ORDER BY {cols}") for t, cols in PASSAGE_STATE.items()}
    out["recycled"] = store._query(f"SELECT {RECYCLED} FROM recycled ORDER BY {RECYCLED}")
    return out


def _relinked(backend: str, tmp: Path, batches: list[list[dict[str, str | None]]]) -> dict[str, list[tuple]]:
    """Store and link ``batches`` one after another; after each, the ledger must hold what a relink from
    scratch of everything stored so far writes. Returns the last tables."""
    seen: list[ArticleRecord] = []
    (tmp / "inc").mkdir()
    with ledger_url(backend, tmp / "inc") as url, open_store(url) as inc:
        for n, batch in enumerate(batches):
            records = [_record(a) for a in batch]
            inc.put_articles(records)
            seen += records
            rows = relink(inc)
            assert rows.incremental == (n > 0)
            after = _tables(inc)
            (tmp / f"full{n}").mkdir()
            with ledger_url(backend, tmp / f"full{n}") as full_url, open_store(full_url) as full:
                full.put_articles(seen)
                relink(full, full=True)
                assert _tables(full) == after, f"batch {n}"
    return after


def _notes(batches: list[list[dict[str, str | None]]]) -> list[tuple]:
    """The recycled rows of the whole corpus, straight from link.passages (no store)."""
    arts = [(str(a["id"]), a["published"], seq, signatures(str(a["text"])))
            for seq, a in enumerate((a for b in batches for a in b), 1)]
    return sorted((n.article, n.source) for n in passage_pass(paras_of(arts))[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_batch_published_after_the_ledger_extends_its_groups(backend, tmp_path) -> None:
    """The batch's copies and variants join the stored groups, and the pass places only the batch's texts
    and the few it can reach."""
    corpus = sorted(_corpus(1), key=lambda a: str(a["published"]))
    stored, batch = corpus[:26], corpus[26:]
    after = _relinked(backend, tmp_path, [stored, batch])
    ids = {a["id"] for a in batch}
    assert any(r[0] in ids and r[4] not in ids for r in after["recycled"])  # a batch article copied the ledger


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_batch_published_before_the_ledger_takes_over_its_groups(backend, tmp_path) -> None:
    """The batch holds the earliest copies: its paragraphs become the first of stored groups, whose notes
    (and their first articles) must move to them, and stored texts re-placed behind them."""
    corpus = sorted(_corpus(2), key=lambda a: str(a["published"]))
    earliest, rest = corpus[:10], corpus[10:]
    stored_first = _relinked(backend, tmp_path, [rest, earliest])
    ids = {a["id"] for a in earliest}
    moved = [r for r in stored_first["recycled"] if r[0] not in ids and r[4] in ids]
    assert moved, "some stored article's paragraph now repeats one of the batch"
    leaders = {r[3] for r in stored_first["link_passages"] if r[0] == r[3]}
    assert any(first in ids for key, first, *_ in stored_first["link_passages"] if key in leaders)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", [3, 4])
def test_batches_in_any_date_order_link_like_a_full_relink(backend, seed, tmp_path) -> None:
    """Four batches cut from a corpus in ingest order while dates run in any order, a fifth of the articles
    undated (they sort last), against a relink from scratch after each batch."""
    corpus = _corpus(seed, n=40, undated=0.2)
    batches = [corpus[:16], corpus[16:24], corpus[24:32], corpus[32:]]
    after = _relinked(backend, tmp_path, batches)
    assert sorted((r[0], r[4]) for r in after["recycled"]) == _notes(batches) != []


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_footer_stops_being_boilerplate_as_the_corpus_grows(backend, tmp_path) -> None:
    """A footer in five of eight articles is boilerplate (no notes); four more articles without it make it
    a minority, and the stored footers' notes appear although the batch never touches their group."""
    corpus = _corpus(5, n=12)
    for n, a in enumerate(corpus):
        body = [p for p in str(a["text"]).split("\n\n") if p != FOOTER]
        a["text"] = "\n\n".join(body + ([FOOTER] if n < 5 else []))
        a["published"] = f"2016-01-{n + 1:02d}"
    footer_rows = [
        r for r in _relinked(backend, tmp_path, [corpus[:8], corpus[8:]])["recycled"] if r[2] > 0
        and str(next(a["text"] for a in corpus if a["id"] == r[0]))[r[2]:r[3]] == FOOTER]
    assert len(footer_rows) == 4


def _near(para: str, n: int) -> str:
    """``para`` with its last word changed (n picks the word): a near-copy."""
    return " ".join([*para.split()[:-1], ["today.", "yesterday.", "again.", "too.", "now."][n % 5]])


def _variant(para: str, i: int, j: int) -> str:
    """``para`` with words ``i`` and ``j`` changed: a variant, near the threshold."""
    words = para.split()
    words[i], words[j] = "reportedly", "officials"
    return " ".join(words)


def _matches(a: str, b: str) -> bool:
    """Whether the pass can match ``a`` and ``b``: an LSH candidate above the threshold."""
    from reportedly.link.passages import THRESHOLD, shares_band, similarity

    sa, sb = signatures(a)[0][3], signatures(b)[0][3]
    return shares_band(sa, sb) and similarity(sa, sb) >= THRESHOLD


def _copy(a: str, b: str) -> bool:
    from reportedly.link.passages import COPY, similarity

    return _matches(a, b) and similarity(signatures(a)[0][3], signatures(b)[0][3]) >= COPY


def _found(case: str) -> tuple[str, str, str]:
    """Real paragraphs for a case the random corpora rarely hold (x stored early, y stored later, p in a
    batch before both); searched for, as LSH bands decide them:

    - "unindexed": y is a variant of x; p is a near-copy of x that y cannot match. p takes x into its group
      as a copy, no longer indexed, so y loses its only match and founds its own group: only x's change
      reaches y.
    - "shrunk": y is a variant of x; p is a near-copy of y that x cannot match. y moves to p's group, and
      x's group, which keeps its founder, now spans one article instead of two."""
    for x in _pool(6):
        n = len(x.split())
        for i, j in ((2, n // 2), (3, n - 4), (n // 3, 2 * n // 3), (4, n // 2 + 1)):
            y = _variant(x, i, j)
            if not _matches(x, y) or _copy(x, y):
                continue
            for k in range(5):
                p = _near(x if case == "unindexed" else y, k)
                if case == "unindexed" and _copy(p, x) and not _matches(p, y):
                    return x, y, p
                if case == "shrunk" and _copy(p, y) and not _matches(p, x):
                    return x, y, p
    raise AssertionError(f"no paragraphs for {case}")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", ["unindexed", "shrunk"])
def test_a_batch_before_the_ledger_reaches_texts_only_through_changed_ones(backend, case, tmp_path) -> None:
    """The batch's paragraph p cannot match y, yet changes y's group ("unindexed") or the span of the group
    y leaves ("shrunk"); the stored state and notes must follow (``_found``)."""
    x, y, p = _found(case)
    filler = _pool(8)[-4:]
    stored = [{"id": "x", "published": "2016-03-01", "text": f"{filler[0]}\n\n{x}"},
              {"id": "y", "published": "2016-03-05", "text": f"{y}\n\n{filler[1]}"},
              {"id": "z", "published": "2016-03-07", "text": filler[2]}]
    batch = [{"id": "p", "published": "2016-02-01", "text": f"{filler[3]}\n\n{p}"}]
    after = _relinked(backend, tmp_path, [stored, batch])
    sources = {r[0]: r[4] for r in after["recycled"]}
    assert sources == ({"x": "p"} if case == "unindexed" else {"y": "p"})
