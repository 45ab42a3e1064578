"""The linker at corpus scale: candidate pairs verified in numpy and united as they stream, time-slotted
candidate keys, and the bucket pair changes the incremental linker reads, each checked against the plain
definition it replaces (all candidate pairs listed, every one sent to ``same_claim``)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from reportedly.ingest.batch import ingest, iter_articles
from reportedly.link import claims
from reportedly.link.claims import ClaimItem, Key, item
from reportedly.store import ClaimFilter, open_store

RELAY = Path(__file__).parent / "fixtures" / "relay"
OFFSETS = (0, 12, 29, 31, 61, 400, None)  # days after the first publication; None = undated


@pytest.fixture(scope="module")
def dated_claims(tmp_path_factory, nlp) -> list[ClaimItem]:
    """The relay fixtures' claims, each republished at several distances in time and once undated."""
    store = open_store(str(tmp_path_factory.mktemp("scale") / "ledger.db"))
    stats = ingest(store, iter_articles([str(RELAY)]), workers=1)
    assert stats.written == 4 and not stats.failed
    rows = store.claims(ClaimFilter(limit=None))
    store.close()
    out = []
    for n, off in enumerate(OFFSETS):
        day = None if off is None else (date(2024, 3, 29) + timedelta(days=off)).isoformat()
        out += [item(f"{r['article_id']}-{n}", r["attr_id"], r["content"], [], day) for r in rows]
    return out


def _reference(items: list[ClaimItem]) -> list[list[Key]]:
    """Connected components of every candidate pair ``same_claim`` accepts, the pairs listed all at once."""
    groups: dict[str, list[ClaimItem]] = defaultdict(list)
    for it in items:
        groups[claims.digest(it) if claims.eligible(it) else "\x00" + repr(it.key)].append(it)
    uf = claims.UnionFind()
    for d in groups:
        uf.find(d)
    for a, b in claims.candidate_pairs({d: g[0] for d, g in groups.items() if claims.eligible(g[0])}):
        if claims.same_claim(groups[a][0], groups[b][0]):
            uf.union(a, b)
    comps: dict[str, set[Key]] = defaultdict(set)
    for d, g in groups.items():
        comps[uf.find(d)].update(it.key for it in g)
    return sorted((sorted(c) for c in comps.values()), key=lambda c: c[0])


@pytest.mark.parametrize("cap, window", [(claims.BUCKET_CAP, claims.WINDOW), (3, 1)])
def test_streaming_components_equal_all_pairs_verified(dated_claims, monkeypatch, cap, window) -> None:
    """Same clusters as listing every candidate pair, in any order, with buckets all-pairs and (small cap)
    windowed; and the streaming pass sends fewer pairs to the exact predicate."""
    monkeypatch.setattr(claims, "BUCKET_CAP", cap)
    monkeypatch.setattr(claims, "WINDOW", window)
    expected = _reference(dated_claims)
    assert any(len({a.rsplit("-", 1)[0] for a, _ in c}) < len(c) for c in expected)  # copies do join
    calls = {"n": 0}
    exact = claims.same_claim

    def counted(a: ClaimItem, b: ClaimItem) -> bool:
        calls["n"] += 1
        return exact(a, b)

    monkeypatch.setattr(claims, "same_claim", counted)
    shuffled = dated_claims[:]
    random.Random(3).shuffle(shuffled)
    assert claims.components(shuffled) == expected
    streamed = calls["n"]
    calls["n"] = 0
    _reference(dated_claims)
    assert streamed < calls["n"]


def test_clusters_never_mix_undated_with_dated_or_span_more_than_the_window(dated_claims) -> None:
    days = {it.key: it.day for it in dated_claims}
    for comp in claims.components(dated_claims):
        ds = [days[k] for k in comp]
        if None in ds:
            assert set(ds) == {None}, comp
        else:  # a chain of steps of at most MAX_DAYS: the copies 400 days later stay apart
            ds.sort()
            assert all(b - a <= claims.MAX_DAYS for a, b in zip(ds, ds[1:], strict=False)), comp


def test_time_slots_share_one_exactly_for_claims_the_predicate_may_match() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        a = rng.randrange(-1000, 30000)
        b = a + rng.randrange(-3 * claims.MAX_DAYS, 3 * claims.MAX_DAYS)
        share = bool(set(claims.time_slots(a)) & set(claims.time_slots(b)))
        if claims.dates_close(a, b):
            assert share, (a, b)
    assert claims.dates_close(None, None) and not claims.dates_close(None, 3) and not claims.dates_close(3, None)
    assert not set(claims.time_slots(None)) & set(claims.time_slots(0))


def test_bucket_pair_changes_equal_the_pair_lists_compared(monkeypatch) -> None:
    monkeypatch.setattr(claims, "BUCKET_CAP", 6)
    monkeypatch.setattr(claims, "WINDOW", 2)
    rng = random.Random(11)
    pool = [f"{rng.getrandbits(40):010x}" for _ in range(12)]
    for _ in range(400):
        old = set(rng.sample(pool, rng.randrange(0, 10)))
        new = (old | set(rng.sample(pool, rng.randrange(0, 3)))) - set(rng.sample(sorted(old) or pool, 1))
        p0, p1 = set(claims.bucket_pairs(sorted(old))), set(claims.bucket_pairs(sorted(new)))
        assert claims.bucket_pair_changes(old, new) == (p1 - p0, p0 - p1), (sorted(old), sorted(new))


def test_verified_is_same_claim_on_every_pair(dated_claims) -> None:
    by_digest = {claims.digest(it): it for it in dated_claims if claims.eligible(it)}
    names = sorted(by_digest)
    pairs = {(a, b) for i, a in enumerate(names) for b in names[i + 1:]}
    expected = [p for p in sorted(pairs) if claims.same_claim(by_digest[p[0]], by_digest[p[1]])]
    assert expected and claims.verified(pairs, by_digest) == expected


def test_bucket_rows_are_the_home_keys_in_sorted_order(dated_claims) -> None:
    """The rows a relink writes to link_buckets: exactly each eligible node's home keys (one time slot per
    band), sorted."""
    by_digest = {claims.digest(it): it for it in dated_claims}
    expected = sorted((k, n) for n, it in by_digest.items() for k in claims.home_keys(it))
    assert len({n for _, n in expected}) > 10 and list(claims.bucket_rows(by_digest)) == expected


def test_stored_buckets_make_up_each_candidate_bucket(dated_claims) -> None:
    """A candidate bucket read back from the stored rows (the union of its ``home_buckets``) holds exactly
    the claims whose ``candidate_keys`` name it: storing one slot per band changes no pair. The claims are
    spread over several time slots and some are undated, so buckets of neighbouring slots really are joined."""
    by_digest = {claims.digest(it): it for it in dated_claims}
    stored: dict[str, set[str]] = {}
    for key, node in claims.bucket_rows(by_digest):
        stored.setdefault(key, set()).add(node)
    wanted: dict[str, set[str]] = {}
    for node, it in by_digest.items():
        for key in claims.candidate_keys(it):
            wanted.setdefault(key, set()).add(node)
    assert len({claims.home_slot(it.day) for it in dated_claims}) > 3
    assert sum(len(v) for v in stored.values()) < sum(len(v) for v in wanted.values())
    rebuilt = {k: set().union(*(stored.get(h, set()) for h in claims.home_buckets(k))) for k in wanted}
    assert rebuilt == wanted


def test_spark_bucket_edges_are_the_pairs_same_claim_accepts(dated_claims) -> None:
    """Spark's per-bucket check (scale.linking._bucket_edges, pure: no Spark needed) on one bucket holding
    every eligible claim: exactly the bucket rule's pairs that ``same_claim`` accepts, as graph node ids."""
    import pickle
    from types import SimpleNamespace

    from reportedly.scale.linking import _bucket_edges

    by_digest = {claims.digest(it): it for it in dated_claims if claims.eligible(it)}
    gid = {d: n for n, d in enumerate(sorted(by_digest))}
    rows = [SimpleNamespace(digest=d, gid=gid[d], item=pickle.dumps(it)) for d, it in by_digest.items()]
    expected = sorted((gid[a], gid[b]) for a, b in claims.bucket_pairs(sorted(by_digest))
                      if claims.same_claim(by_digest[a], by_digest[b]))
    assert expected and sorted(_bucket_edges(rows)) == expected


@pytest.mark.parametrize("cap, window", [(claims.BUCKET_CAP, claims.WINDOW), (3, 1)])
def test_spark_slot_groups_give_the_single_machine_components(dated_claims, monkeypatch, cap, window) -> None:
    """Spark matches the band buckets one time slot at a time (scale.linking._slot_edges over each slot's
    claims) and the quotation buckets one bucket at a time (_bucket_edges), all pure (no Spark needed): the
    union of their edges has the components of every candidate pair verified at once, buckets all-pairs and
    (small cap) windowed."""
    import pickle
    from types import SimpleNamespace

    from reportedly.scale import rules
    from reportedly.scale.linking import _bucket_edges, _slot_edges

    monkeypatch.setattr(claims, "BUCKET_CAP", cap)
    monkeypatch.setattr(claims, "WINDOW", window)
    groups: dict[str, list[ClaimItem]] = defaultdict(list)
    for it in dated_claims:
        groups[claims.digest(it) if claims.eligible(it) else "\x00" + repr(it.key)].append(it)
    gid = {d: n for n, d in enumerate(sorted(groups))}
    slots: dict[int, list[tuple[str, int, bytes]]] = defaultdict(list)
    quotes: dict[str, list[SimpleNamespace]] = defaultdict(list)
    for d, g in groups.items():
        for s in rules.claim_slots(g[0]):
            slots[s].append((d, gid[d], pickle.dumps(g[0])))
        for k in rules.claim_quote_keys(g[0]):
            quotes[k].append(SimpleNamespace(digest=d, gid=gid[d], item=pickle.dumps(g[0])))
    assert len(slots) > 2  # dated in several slots, and undated
    uf = claims.UnionFind()
    for s, ms in slots.items():
        for a, b in _slot_edges(s, reversed(ms)):
            uf.union(a, b)
    for ms in quotes.values():
        for a, b in _bucket_edges(ms) if len(ms) > 1 else []:
            uf.union(a, b)
    comps: dict[int, set[Key]] = defaultdict(set)
    for d, g in groups.items():
        comps[uf.find(gid[d])].update(it.key for it in g)
    assert sorted((sorted(c) for c in comps.values()), key=lambda c: c[0]) == _reference(dated_claims)


def test_parallel_embedding_gives_the_serial_bytes(monkeypatch) -> None:
    """Workers (spawned, one claim per call, one thread) return the very bytes the in-process model does."""
    import json
    import re

    from reportedly.link import vectors

    lines = (RELAY / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    text = " ".join(json.loads(line)["text"] for line in lines if line.strip())
    sentences = sorted({s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 4})[:24]
    assert len(sentences) >= 8
    monkeypatch.setattr(vectors, "PARALLEL_MIN", 4)
    pooled = vectors.claim_vectors(sentences, workers=2)
    serial = vectors.claim_vectors(sentences, workers=1)
    assert pooled.by_text == serial.by_text and len(pooled.new) == len(sentences)
    assert len({v for v in pooled.by_text.values()}) == len(sentences)  # a vector per text, not one for all


def test_band_codes_read_back_with_a_stored_node_are_the_computed_ones(dated_claims):
    """An incremental pass takes a stored node's band codes from its features (computing them again for half
    a million stored nodes was a tenth of a batch's pass), and they are the codes its buckets were keyed by."""
    import json

    from reportedly.link.incremental import features_json, item_of

    it = next(c for c in dated_claims if claims.eligible(c))
    feats = features_json(it)
    assert bytes.fromhex(json.loads(feats)["c"]) == claims.band_code_bytes(it.vector)
    claims._CODES.clear()
    back = item_of(feats, it.vector)
    assert it.vector in claims._CODES  # read from the features, not computed
    assert claims.candidate_keys(back) == claims.candidate_keys(it)


def test_stored_keys_read_without_parsing_are_the_parsed_ones(dated_claims):
    """The pass reads half a million stored nodes' codes and quoting flags by slicing their features; the
    slice must give what parsing gives, for quoting and non-quoting claims, and for text that looks like a key."""
    import json

    from reportedly.link.incremental import features_json, stored_keys

    eligible = [c for c in dated_claims if claims.eligible(c)]
    base = eligible[0]
    tricky = frozenset({'"c": "ab"}', '"q": []'})  # text that looks like the keys sliced on
    quoting = claims.ClaimItem(base.key, base.terms, base.anchors, base.vector, tricky, base.day,
                               frozenset({'x "q": [] "c": "'}))
    silent = claims.ClaimItem(base.key, base.terms, tricky, base.vector, tricky, None)
    seen = set()
    for it in [*eligible, quoting, silent]:
        feats = features_json(it)
        f = json.loads(feats)
        assert stored_keys(feats) == (bytes.fromhex(f["c"]), bool(f["q"]), f["d"])
        seen.add(bool(f["q"]))
    assert seen == {True, False}


def test_distinct_pairs_are_each_unordered_pair_once() -> None:
    import numpy as np

    from reportedly.link.incremental import distinct_pairs

    rng = random.Random(3)
    a = [rng.randrange(50) for _ in range(2000)]
    b = [rng.randrange(50) for _ in range(2000)]
    lo, hi = distinct_pairs(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64))
    assert sorted(zip(lo.tolist(), hi.tolist(), strict=True)) == sorted({(min(x, y), max(x, y))
                                                                         for x, y in zip(a, b, strict=True) if x != y})
    empty = distinct_pairs(np.array([4], dtype=np.int64), np.array([4], dtype=np.int64))
    assert [len(x) for x in empty] == [0, 0]


def test_near_by_signs_keeps_every_pair_verified_accepts(dated_claims) -> None:
    """The incremental pass reads embeddings only for the pairs the band codes leave (``near_by_signs``):
    every pair ``verified`` accepts must be among them, and the codes must rule some pairs out (otherwise
    the stage saves nothing and this test would pass on a stage that keeps all)."""
    import numpy as np

    by_digest = {claims.digest(it): it for it in dated_claims if claims.eligible(it)}
    names = sorted(by_digest)
    pairs = sorted((a, b) for i, a in enumerate(names) for b in names[i + 1:])
    codes = np.frombuffer(b"".join(claims.band_code_bytes(by_digest[n].vector) for n in names),
                          dtype=np.uint16).reshape(len(names), claims.BANDS)
    quoting = np.array([bool(by_digest[n].quotes) for n in names], dtype=bool)
    at = {n: i for i, n in enumerate(names)}
    a, b = (np.array([at[p[k]] for p in pairs], dtype=np.int64) for k in (0, 1))
    keep = claims.near_by_signs(codes, quoting, a, b)
    kept = [p for p, k in zip(pairs, keep.tolist(), strict=True) if k]
    accepted = claims.verified(set(pairs), by_digest)
    assert accepted and set(accepted) <= set(kept)
    assert len(kept) < len(pairs)
    assert claims.verified(set(kept), by_digest) == accepted


def test_may_match_never_drops_a_pair_same_claim_accepts(dated_claims) -> None:
    """The incremental pass reads embeddings only for pairs ``may_match`` keeps, judged without them: every
    pair ``same_claim`` accepts must be kept, and some pairs must be dropped (else the stage saves nothing)."""
    from dataclasses import replace

    names = {name for name, _ in claims._RULES}
    assert set(claims.VECTOR_RULES) <= names
    its = [it for it in dated_claims if claims.eligible(it)]
    light = [replace(it, vector=b"") for it in its]
    accepted = dropped = 0
    for i in range(len(its)):
        for j in range(i + 1, len(its)):
            keep = claims.may_match(light[i], light[j])
            if claims.same_claim(its[i], its[j]):
                accepted += 1
                assert keep, (its[i].key, its[j].key)
            dropped += not keep
    assert accepted and dropped


def test_days_close_on_arrays_is_dates_close() -> None:
    import numpy as np

    days = [None, None, 0, 7, 8, -3, 19000, 19007, 19008]
    arr = claims.day_array(days)
    a, b = np.repeat(np.arange(len(days)), len(days)), np.tile(np.arange(len(days)), len(days))
    got = claims.days_close(arr[a], arr[b]).tolist()
    assert got == [claims.dates_close(days[i], days[j]) for i, j in zip(a.tolist(), b.tolist(), strict=True)]
    assert True in got and False in got
