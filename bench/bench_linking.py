"""Claim linking on the (partial) real AllSides ledger, all in one run so the ratios compare like with like:

- relink from scratch (no stored vectors) of the first N articles and of N/10: the time ratio for 10x;
- incremental: a ledger of the first N - B articles, linked, then a batch of B = N/37.5 more (the issue's
  1,000 into 36.5k, scaled) and the incremental pass after it (link.incremental: only what the batch can
  reach is read and rewritten), against the relink from scratch of the same N (ratio), and whether the two
  leave the same link tables;
- claims/s of a relink before (every claim embedded) and after (vectors read back from the ledger);
- the embedding options behind that choice, on the same distinct claim texts: one claim per ONNX call with
  1 or 2 threads, padded batches of 32 with an attention mask (speed, and how far a batched vector drifts
  from the claim's own: dynamic int8 quantisation scales by the whole batch), and a stored vector read back;
- cross-article clusters made only of no-comment statements (must be 0); peak RSS.

Ledgers are fresh SQLite files built from a read-only copy's stored articles (no re-analysis); the original
is never written.

    .venv/bin/python bench/bench_linking.py /work/ledgers/allsides.db 300
"""

from __future__ import annotations

import json
import re
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench._report import table, write_section  # noqa: E402
from reportedly.link import claims, embed  # noqa: E402
from reportedly.link.incremental import relink  # noqa: E402
from reportedly.link.origins import LinkRows  # noqa: E402
from reportedly.link.vectors import claim_vectors, text_key  # noqa: E402
from reportedly.store import ArticleRecord, open_store  # noqa: E402

NO_COMMENT = re.compile(r"\b(?:respond\w*|repl\w*|return\w*)\b.{0,40}\b(?:comment|request|inquir\w*|email|call)s?\b|"
                        r"\bdeclin\w* to (?:comment|say|elaborate|discuss)|\bno comment\b|could not be reached", re.I)
NO_COMMENT_LEAD = 4  # content words before the non-answer: its subject ("The US ambassador, Jane Roe,"), no more
_CLAUSE = re.compile(r"\b(?:but|and|while|although|though)\b|[;:]", re.I)


def is_no_comment(content: str) -> bool:
    """A no-comment statement: the non-answer is what the claim says, after at most its subject ("the ministry
    declined to say whether ...", "did not respond to a request for comment"), not a clause after another
    statement ("he would hold the agency accountable but declined to say whether ..." states something). The
    pattern alone, anywhere in the claim, flagged two such statements on the whole corpus."""
    m = NO_COMMENT.search(content)
    if not m:
        return False
    lead = content[:m.start()]
    return len(claims.claim_terms(lead)) <= NO_COMMENT_LEAD and not _CLAUSE.search(lead)


LINK_TABLES = ("recycled", "clusters", "claim_clusters", "origins", "relays")
PROBE_TEXTS = 300
BATCH = 32


def _records(db: str, n: int) -> list[ArticleRecord]:
    """The first n stored articles (by seq) of a read-only ledger, as ingest hands them to a store."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    arts = con.execute("SELECT id, report, text, content_hash FROM articles ORDER BY seq LIMIT ?", (n,)).fetchall()
    out = [stored_record(con, *a) for a in arts]
    con.close()
    return out


def stored_record(con: sqlite3.Connection, aid: str, report: str, text: str, chash: str) -> ArticleRecord:
    """One stored article (its ``articles`` row and paragraph signatures) as ingest hands it to a store."""
    paras = [(int(i), int(s), int(e), bytes(sig)) for i, s, e, sig in con.execute(
        "SELECT idx, start_char, end_char, minhash FROM paragraphs WHERE article_id = ? ORDER BY idx", (aid,))]
    return ArticleRecord(json.loads(report), text, chash, paras)


def _cold() -> None:
    for cache in (embed.embed, claims._features, claims._band_codes, claims.stem):
        cache.cache_clear()


def _ledger(records: list[ArticleRecord]) -> Any:
    store = open_store(tempfile.mkdtemp(prefix="bench-linking-") + "/ledger.db")
    store.put_articles(records)
    return store


def _timed_relink(store: Any, full: bool = True) -> tuple[LinkRows, float]:
    _cold()
    t = time.perf_counter()
    rows = relink(store, full=full)
    return rows, time.perf_counter() - t


def link_tables(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The five link tables' rows, sorted: two ledgers link alike when these are equal."""
    return {t: sorted(map(tuple, store._query(f"SELECT * FROM {t}"))) for t in LINK_TABLES}


def cluster_members(rows: Iterable[Sequence[Any]]) -> dict[Any, list[tuple[str, str]]]:
    """Each cluster's (article, attribution) members, in row order, from (article, attribution, cluster id, ...)
    rows: ``LinkRows.members`` or the ``claim_clusters`` table."""
    by: dict[Any, list[tuple[str, str]]] = {}
    for art, attr, cid, *_ in rows:
        by.setdefault(cid, []).append((art, attr))
    return by


def cross_article_counts(clusters: Iterable[Sequence[tuple[str, str]]],
                         content: Mapping[tuple[str, str], str | None]) -> tuple[int, int]:
    """The clusters of more than one article, and those of them whose every member is a no-comment statement
    (``is_no_comment``; a claim without content counts as empty): the two counts the linking benches report."""
    multi = [ms for ms in clusters if len({a for a, _ in ms}) > 1]
    return len(multi), sum(1 for ms in multi if all(is_no_comment(content.get(m) or "") for m in ms))


def _session(threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
    return ort.InferenceSession(str(embed.MODEL_DIR / "model.onnx"), opts, providers=["CPUExecutionProvider"])


def _pool(states: np.ndarray, mask: np.ndarray) -> np.ndarray:
    v = (states * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _run(sess: Any, encs: list[Any]) -> np.ndarray:
    width = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encs):
        ids[i, : len(e.ids)], mask[i, : len(e.ids)] = e.ids, 1
    return _pool(sess.run(["states"], {"input_ids": ids, "attention_mask": mask})[0], mask.astype(np.float32))


def embedding_options(texts: list[str], store: Any) -> list[list[object]]:
    """ms per claim of each way to embed ``texts``, and the batched vectors' drift from the claim's own."""
    tok, _ = embed._session()
    encs = [tok.encode(t[: embed.MAX_CHARS]) for t in texts]
    rows: list[list[object]] = []
    alone = None
    for threads in (1, 2):
        sess = _session(threads)
        t = time.perf_counter()
        vecs = np.vstack([_run(sess, [e]) for e in encs])
        ms = (time.perf_counter() - t) / len(texts) * 1000
        rows.append([f"one claim per call, {threads} thread{'s' if threads > 1 else ''}", ms,
                     "0 (the reference)" if alone is None else f"{float(np.abs(vecs - alone).max()):.2g}"])
        alone = vecs if alone is None else alone
    assert alone is not None
    sess = _session(1)
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))  # similar lengths: little padding
    t = time.perf_counter()
    batched = np.zeros_like(alone)
    for s in range(0, len(order), BATCH):
        idx = order[s: s + BATCH]
        batched[idx] = _run(sess, [encs[i] for i in idx])
    ms = (time.perf_counter() - t) / len(texts) * 1000
    cos = (batched * alone).sum(axis=1)
    planes = claims._planes()
    flips = sum(bool(((planes @ a) > 0).tolist() != ((planes @ b) > 0).tolist()) for a, b in zip(batched, alone,
                                                                                               strict=True))
    rows.append([f"padded batches of {BATCH}, 1 thread", ms,
                 f"cosine to own vector min {float(cos.min()):.4f}; LSH signature changed for {flips}/{len(texts)}"])
    known = claim_vectors(texts, store.claim_vectors)  # stored by the relinks above
    t = time.perf_counter()
    again = claim_vectors(texts, store.claim_vectors)
    rows.append(["stored vector read back (claim_vectors)", (time.perf_counter() - t) / len(texts) * 1000,
                 "0 (bytes as stored)" if again.by_text == known.by_text else "differs"])
    return rows


def main(db: str, n: int) -> None:
    records = _records(db, n)
    n, small_n, batch = len(records), max(1, len(records) // 10), max(1, round(len(records) / 37.5))
    content = {(r.id, str(x.get("id"))): " ".join(str((x.get(k) or {}).get("text", "")) for k in ("cue", "content"))
               for r in records for x in r.report.get("attributions") or [] if isinstance(x, dict)}
    embed.embed("warm up")  # the model is loaded once per process, before any timed pass
    small, t_small = _timed_relink(_ledger(records[:small_n]))
    full_store = _ledger(records)
    full, t_full = _timed_relink(full_store)
    inc_store = _ledger(records[: n - batch])
    # the ledger before the batch, linked untimed; its claims' vectors copied from the full ledger (where the
    # first pass stored them) so the model is not run again; the batch's new texts are not copied
    before = {text_key(c) for r in records[: n - batch] for x in r.report.get("attributions") or []
              if isinstance(x, dict) for c in [str((x.get("content") or {}).get("text") or "")]}
    inc_store.put_claim_vectors(sorted(full_store.claim_vectors(sorted(before)).items()))
    relink(inc_store)
    again, t_again = _timed_relink(full_store)  # vectors stored by the first pass
    inc_store.put_articles(records[n - batch:])
    inc, t_inc = _timed_relink(inc_store, full=False)
    assert inc.incremental
    same = link_tables(inc_store) == link_tables(full_store)
    texts = sorted({c for c in (x[2] for x in full_store._query("SELECT article_id, attr_id, content FROM"
                                                                " attributions")) if claims.needs_vector(c)})
    texts = texts[:: max(1, len(texts) // PROBE_TEXTS)][:PROBE_TEXTS]
    options = embedding_options(texts, full_store)
    multi, no_comment = cross_article_counts(cluster_members(full.members).values(), content)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_claims = len(full.members)
    runs = [[f"from scratch, {small_n} articles", len(small.members), len(small.new_vectors), t_small, ""],
            [f"from scratch, {n} articles", n_claims, len(full.new_vectors), t_full,
             f"**{t_full / t_small:.1f}x** the time for {n / small_n:.0f}x the articles"],
            [f"again, {n} articles (vectors stored)", n_claims, len(again.new_vectors), t_again,
             f"{t_again / t_full:.3f}x from scratch"],
            [f"incremental: {batch} new into {n - batch}",
             f"{len(inc.member_keys)} new ({len(inc.members)} in clusters rewritten)", len(inc.new_vectors), t_inc,
             f"**{t_inc / t_full:.3f}x** from scratch; links equal to it: {'yes' if same else 'NO'}"]]
    body = (table(["relink (SQLite, includes loading and writing the links)", "claims", "texts embedded",
                   "seconds", "ratio"], runs) + "\n\n"
            + table(["embedding option", "ms per claim", "difference from one claim per call, 1 thread"], options)
            + "\n\n"
            + table(["measure", "value"], [
                ["articles (first by seq of the partial AllSides ledger)", n],
                ["claims/s, from scratch vs vectors stored", f"{n_claims / t_full:.0f} vs {n_claims / t_again:.0f}"],
                ["phase seconds from scratch (passages / claims / origins)",
                 " / ".join(f"{full.timings[k]:.1f}" for k in ("passages", "claims", "origins"))],
                ["phase seconds incremental (passages / claims / origins)",
                 " / ".join(f"{inc.timings[k]:.1f}" for k in ("passages", "claims", "origins"))],
                ["cross-article clusters", multi],
                ["formulaic claims kept out of clusters", full.formulaic],
                ["cross-article clusters made only of no-comment statements", no_comment],
                ["peak RSS MB", rss]])
            + f"\n\nThe embedding options are measured on {len(texts)} distinct claim texts of these articles."
            " The machine was shared (2 cores, a niced ingest and other engineers' jobs): absolute seconds are"
            " inflated; the ratios are from this one run.")
    print(body)
    write_section("linking", "Claim linking on real news (AllSides, partial ledger)",
                  f"python bench/bench_linking.py {db} {n}", body)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300)
