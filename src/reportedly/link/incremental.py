"""Linking a new batch against a linked ledger by touching only what the batch can change, with the result a
relink from scratch would write (tests/test_link_incremental.py checks it on SQLite and PostgreSQL).

A relink from scratch (``link_all``) runs link.origins.link_articles over the whole ledger and keeps its
state (store.link_state): each claim's graph node (its feature digest), shape and formulaic verdict, each
node's features and LSH buckets, the shape statistics, and the passage pass's placement of every distinct
paragraph signature. The pass after a batch (``link_new``) then:

1. places the batch's paragraphs in the stored passage clustering, re-placing only the stored paragraph
   texts the batch can change (link.incremental_passages), and replaces the recycled rows of the articles
   whose notes changed;
2. updates the shape statistics of the batch's shapes only; a shape that has just become formulaic turns
   the stored claims it covers formulaic too (formulas only grow, link.formulaic.verdicts);
3. embeds the batch's new texts, and updates the buckets the new (or vanished) nodes are in. A pair's
   candidacy depends only on its bucket's members (link.claims.bucket_pairs), so comparing each touched
   bucket's pairs before and after (link.claims.bucket_pair_changes) gives every pair that appeared or
   disappeared (millions: held as arrays of node numbers). Before any stored embedding is read, the pairs
   are narrowed on what the stored features say: band-code signs and dates (link.claims.near_by_signs,
   days_close, on arrays), then the word, name and speaker rules (link.claims.may_match); only the pairs
   left are verified (link.claims.verified: cosines in numpy, same_claim on the close ones);
4. re-clusters only the region those pairs reach: clusters joined by a new verified pair are united; the
   clusters that lost a verified pair or a member (now formulaic) are split again from their own nodes'
   candidate pairs; every other cluster is untouched, since no pair into it changed;
5. resolves origins only for the clusters that changed, and for those holding an article whose recycled
   notes changed.

Clusters are numbered by their first claim (the smallest attributions.seq): a cluster the batch does not
touch keeps its number, so its rows are never rewritten.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import Any

import numpy as np

from reportedly.lexicon import load
from reportedly.link.claims import (
    BUCKET_CAP,
    ClaimItem,
    Key,
    UnionFind,
    band_code_bytes,
    bucket_pair_changes,
    bucket_pairs,
    bucket_rows,
    candidate_keys,
    day_array,
    days_close,
    forget_codes,
    home_buckets,
    home_keys,
    may_match,
    near_by_signs,
    remember_codes,
    verified,
)
from reportedly.link.formulaic import (
    QUOTED_MARK,
    FormulaStats,
    ShapeSeen,
    capped,
    claim_shape_text,
    learn,
    parse_claim_shape,
    reach,
    shape,
    shape_of_text,
    shape_text,
    verdicts,
)
from reportedly.link.incremental_passages import link_passages_new, links_for, placement_rows
from reportedly.link.origins import (
    ClaimState,
    LinkRows,
    Member,
    claim_items,
    cluster_rows,
    is_generic,
    link_members,
    members_of,
    quoting,
)
from reportedly.link.vectors import DIM, text_key
from reportedly.store.link_state import ClaimRow, ConcurrentLink, LinkState, StateWrite

Pair = tuple[str, str]
LOAD_CHUNK = 500  # articles whose reports a relink from scratch holds at once
STATE_FORMAT = 8  # raise when what the state tables hold changes meaning (2: time-slotted bucket keys;
# 3: quotation keys and carriers among a node's sources; 4: the passage pass's state; 5: band codes in features;
# 6: a claim quoting a long passage is formulaic only when formulas make up all of its shape, and its stored
# shape is marked; 7: ... and phrases of two words or more make up at least half of it; 8: a node is stored in
# one time slot per band, link.claims.home_slot)


def features_json(it: ClaimItem) -> str:
    """What ``same_claim`` reads of a node besides its vector, as stored in link_nodes."""
    return json.dumps({"t": sorted(it.terms), "a": sorted(it.anchors), "s": sorted(it.sources), "d": it.day,
                       "q": sorted(it.quotes), "c": band_code_bytes(it.vector).hex()})


def item_of(features: str, vector: bytes) -> ClaimItem:
    f = json.loads(features)
    if vector:
        remember_codes(vector, bytes.fromhex(f["c"]))
    return ClaimItem(("", ""), frozenset(f["t"]), frozenset(f["a"]), vector, frozenset(f["s"]), f["d"],
                     frozenset(f.get("q", ())))


def _speaker(m: Member) -> str | None:
    return None if is_generic(m.facts.source_key) else m.facts.source_key


def _shape_row(text: str, seen: ShapeSeen, stats: FormulaStats) -> tuple[str, str, str, str, int]:
    return (text, json.dumps(capped(seen.speakers)), json.dumps(capped(seen.outlets)), json.dumps(capped(seen.months)),
            int(stats.is_formulaic(shape_of_text(text))))


def rules_fingerprint() -> str:
    """A digest of every rule the link state depends on: candidate keys (bands, seed, time slots), the bucket
    cap, the pair rules' thresholds, the formula thresholds, the linker's word lists (data/link_words.json:
    generic sources, object cues, key forms ...) and the claim model. State stamped with another
    digest was built by other code and is rebuilt, never extended."""
    from reportedly.link import claims, formulaic, passages
    from reportedly.link.vectors import model_digest

    params = {f"{mod.__name__}.{name}": getattr(mod, name) for mod in (claims, formulaic, passages) for name in dir(mod)
              if name.isupper() and not name.startswith("_") and isinstance(getattr(mod, name), (int, float, str))}
    text = json.dumps({"params": params, "words": load("link_words"), "model": model_digest(),
                       "version": STATE_FORMAT}, sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def relink(store: Any, *, full: bool = False, workers: int = 1) -> LinkRows:
    """Bring the ledger's links up to date in one transaction: only what the articles stored since the last
    pass can change (``link_new``), or everything from scratch (``link_all``) when ``full``, on a ledger never
    linked with this state, or after an article was replaced. Both leave the same links; claim vectors are
    read back from the store either way, so only texts new to the ledger are embedded (in ``workers``
    processes when there are many: link.vectors). New vectors are stored as they are computed, outside that
    transaction: a pass killed while it embeds leaves them for the next one."""
    try:
        if full or not LinkState(store).usable(rules_fingerprint()):
            return link_all(store, workers)
        try:
            return link_new(store, workers)
        except (StaleState, ConcurrentLink):  # a damaged state, or a pass that ran alongside: start over
            return link_all(store, workers)
    finally:
        forget_codes()


# --- a relink from scratch ----------------------------------------------------------------------------------

def link_all(store: Any, workers: int = 1) -> LinkRows:
    """Relink the whole ledger (stored vectors reused, new ones stored as they are computed) and rebuild the
    incremental state, in one transaction."""
    state = LinkState(store)
    t = time.perf_counter()
    members, paragraphs = read_claims(store, state.article_ids())
    read_s = time.perf_counter() - t
    rows = link_members(members, paragraphs, store.claim_vectors, workers, store.put_claim_vectors)
    del members, paragraphs
    t = time.perf_counter()
    seqs = state.claim_seqs({a for a, _ in rows.member_keys})
    renumber(rows, seqs)
    st = rows.state
    w = StateWrite(recycled=rows.recycled, clusters=rows.clusters, members=rows.members, origins=rows.origins,
                   relays=rows.relays)
    w.articles = state.hashes()
    w.claims = [ClaimRow(a, x, seqs[(a, x)], node, claim_shape_text(sh, q), fm) for (a, x), node, sh, q, fm
                in zip(rows.member_keys, st.nodes, st.shapes, st.quoted, st.formulaic, strict=True)]
    _add_nodes(w, st.items, st.texts)
    placement_rows(w, rows.placement)
    stats: FormulaStats = st.stats
    w.shapes = [_shape_row(shape_text(sh), seen, stats) for sh, seen in stats.seen.items()]
    state.write(w, replace_all=True, rules=rules_fingerprint())
    rows.timings.update(read=read_s, write=time.perf_counter() - t)  # the phases outside link_members
    return rows


def read_claims(store: Any, ids: list[str]) -> tuple[list[Member], list[Any]]:
    """The claims and paragraph signatures of the articles ``ids`` (in ingest order), their reports read
    LOAD_CHUNK articles at a time and dropped once read: a corpus's reports are never all in memory."""
    members: list[Member] = []
    paragraphs: list[Any] = []
    for i in range(0, len(ids), LOAD_CHUNK):
        arts = store.load_link_inputs(ids[i:i + LOAD_CHUNK])
        members += members_of(arts)
        paragraphs += [(a.id, a.published, a.seq, a.paragraphs) for a in arts]
    return members, paragraphs


def renumber(rows: LinkRows, seqs: dict[Key, int]) -> None:
    """Number each cluster by its first claim (smallest attributions.seq) instead of 0..: stable across passes."""
    first: dict[int, int] = {}
    for a, x, cid, _ in rows.members:
        first[cid] = min(first.get(cid, seqs[(a, x)]), seqs[(a, x)])
    rows.clusters = [(first[r[0]], *r[1:]) for r in rows.clusters]
    rows.members = [(*r[:2], first[r[2]], *r[3:]) for r in rows.members]
    rows.origins = [(first[r[0]], *r[1:]) for r in rows.origins]
    rows.relays = [(first[r[0]], *r[1:]) for r in rows.relays]


def _add_nodes(w: StateWrite, items: dict[str, ClaimItem], texts: dict[str, str]) -> None:
    for node, it in items.items():
        w.nodes.append((node, text_key(texts[node]), features_json(it)))
    w.buckets = bucket_rows(items)  # sorted, written as it goes


# --- the pass after a batch ---------------------------------------------------------------------------------

@dataclass
class _Batch:
    """The new claims of one pass and what they change."""

    members: list[Member]
    seqs: dict[Key, int]
    state: ClaimState = field(default_factory=ClaimState)
    flipped: list[ClaimRow] = field(default_factory=list)  # stored claims that have just become formulaic
    shape_rows: list[tuple[str, str, str, str, int]] = field(default_factory=list)


def link_new(store: Any, workers: int = 1) -> LinkRows:
    """Link the articles the link tables do not cover yet against the ledger (module doc); the caller has
    checked ``LinkState.usable``."""
    state = LinkState(store)
    rows = LinkRows(incremental=True)
    t0 = time.perf_counter()
    new_ids = state.new_articles()
    if not new_ids:  # links depend on the articles only: nothing new, nothing to change
        return rows
    w = StateWrite(articles=state.hashes(new_ids))
    rows.passages_placed = link_passages_new(state, new_ids, w).placed
    t1 = time.perf_counter()
    arts = store.load_link_inputs(new_ids)
    batch = _Batch(members_of(arts), state.claim_seqs(new_ids))
    _formulaic(state, batch)
    _, vectors = claim_items(batch.members, batch.state.formulaic, store.claim_vectors, batch.state, workers,
                             store.put_claim_vectors)
    graph = _Graph(state, batch)
    comps = graph.regroup()
    t2 = time.perf_counter()
    _resolve(store, state, batch, comps, graph.replaced, w, rows)
    t3 = time.perf_counter()
    _state_rows(w, batch, graph)
    state.write(w)
    rows.recycled = w.recycled
    rows.timings = {"passages": t1 - t0, "claims": t2 - t1, "origins": t3 - t2, "embed": vectors.seconds,
                    "write": time.perf_counter() - t3}
    rows.formulaic = sum(batch.state.formulaic) + len(batch.flipped)
    rows.new_vectors, rows.reused_vectors = vectors.new, vectors.reused
    rows.member_keys = [(m.article, m.attr_id) for m in batch.members]
    return rows


def _formulaic(state: LinkState, batch: _Batch) -> None:
    """Verdicts for the batch's claims, the updated statistics of its shapes, and the stored claims that a
    shape turned formulaic by this batch now covers."""
    st = batch.state
    st.shapes = [shape(m.facts.cue, m.facts.content) for m in batch.members]
    texts = {shape_text(sh) for sh in st.shapes if sh}
    stats = FormulaStats()
    for text, (speakers, outlets, months, _) in state.shape_rows(texts).items():
        stats.seen[shape_of_text(text)] = ShapeSeen(set(speakers), set(outlets), set(months))
    stats.merge(learn((sh, _speaker(m), m.outlet, m.published) for sh, m in zip(st.shapes, batch.members,
                                                                                 strict=True)))
    before = set(state.formulaic_shapes())
    now = {t for t in texts if stats.is_formulaic(shape_of_text(t))}
    formulas = {shape_of_text(t) for t in before | now}
    st.quoted = [quoting(m) for m in batch.members]
    st.formulaic = verdicts(formulas, st.shapes, st.quoted)
    batch.shape_rows = [_shape_row(t, stats.seen[shape_of_text(t)], stats) for t in sorted(texts)]
    batch.flipped = _flipped(state, formulas, now - before)


def _flipped(state: LinkState, formulas: set[frozenset[str]], new: set[str]) -> list[ClaimRow]:
    """The stored claims that the ``new`` formulas (shape texts; ``formulas`` are all of them now) turn
    formulaic: looked for among the stored shapes a new formula covers (claims quoting no long passage) or is
    inside (claims quoting one, whose stored shape is marked: link.formulaic.claim_shape_text), then judged
    with every formula, as a relink from scratch judges them."""
    if not new:
        return []
    firsts = {min(shape_of_text(t)) for t in new if shape_of_text(t)}
    stored = [t for t in state.shapes() if not firsts.isdisjoint(t.split())]  # a formula inside holds its first word
    hits = reach([shape_of_text(t) for t in sorted(new)], [shape_of_text(t) for t in stored])
    keys = {t for t, (covered, _) in zip(stored, hits, strict=True) if covered}
    keys |= {QUOTED_MARK + t for t, (_, inside) in zip(stored, hits, strict=True) if inside}
    found = [c for c in state.claims_by("shape", keys) if not c.formulaic]
    parsed = [parse_claim_shape(c.shape) for c in found]
    judged = verdicts(formulas, [sh for sh, _ in parsed], [q for _, q in parsed])
    return [c for c, hit in zip(found, judged, strict=True) if hit]


class _Graph:
    """The claim graph around the batch: nodes added and dropped, the bucket pairs that changed, and the
    clusters to unite or split again."""

    def __init__(self, state: LinkState, batch: _Batch) -> None:
        self.state, self.batch = state, batch
        st = batch.state
        self.items: dict[str, ClaimItem] = dict(st.items)
        self.texts = dict(st.texts)
        self.rows: dict[str, tuple[str, str]] = {}  # stored nodes' (text key, features) read by _signs_pass
        self.num = _Numbered()
        self.light: dict[str, ClaimItem] = {}  # stored nodes' features without their embedding (_words_pass)
        stored = state.nodes(set(st.items))
        self.added = sorted(set(st.items) - set(stored))
        self.joined = sorted(set(st.items) & set(stored))  # new claims on a node the ledger has
        flipped_keys = {(c.article, c.attr_id) for c in batch.flipped}
        old_nodes = {c.node for c in batch.flipped if c.node}
        left = {c.node for c in state.claims_by("node", old_nodes) if (c.article, c.attr_id) not in flipped_keys}
        self.dropped = sorted(old_nodes - left - set(st.items))
        self._load(self.dropped)
        self.replaced: set[int] = set()  # cluster ids whose rows this pass replaces
        self.cluster_of_node: dict[str, int] = {}

    def _load(self, nodes: Iterable[str]) -> None:
        """Items of stored nodes (features and stored vector); a node without a usable vector is an error
        of the state, which only a relink from scratch repairs."""
        want = sorted(set(nodes) - set(self.items))
        if not want:
            return
        rows = {n: self.rows[n] for n in want if n in self.rows}
        rows.update(self.state.nodes([n for n in want if n not in rows]))
        vecs = self.state.store.claim_vectors(sorted({k for k, _ in rows.values()}))
        for node, (key, feats) in rows.items():
            vec = vecs.get(key)
            if vec is None or len(vec) != DIM * 4:
                raise StaleState(f"link state: node {node} has no stored vector")
            light = self.light.get(node)
            if light is None:
                self.items[node] = item_of(feats, vec)
            else:
                remember_codes(vec, stored_keys(feats)[0])
                self.items[node] = replace(light, vector=vec)

    def _words_pass(self, pairs: list[Pair]) -> list[Pair]:
        """The pairs ``may_match`` leaves, judged on the stored features alone (no embedding read): two named
        speakers who cannot be one, or dates too far apart, rule out most pairs the band codes kept."""
        def get(node: str) -> ClaimItem:
            it = self.items.get(node) or self.light.get(node)
            if it is None:
                it = self.light[node] = item_of(self.rows[node][1], b"")
            return it
        return [p for p in pairs if may_match(get(p[0]), get(p[1]))]

    def _bucket_changes(self) -> tuple[np.ndarray, np.ndarray, set[Pair]]:
        """The candidate pairs that appear (as two arrays of node numbers, ``_Numbered``: a batch adds
        millions) and those that go (a few: a node dropped, an oversized bucket's window shifted), with the
        members of each touched bucket after the pass kept for ``_inner_edges``."""
        add: dict[str, set[str]] = defaultdict(set)
        drop: dict[str, set[str]] = defaultdict(set)
        for n in self.added:
            for b in candidate_keys(self.items[n]):
                add[b].add(n)
        for n in self.dropped:
            for b in candidate_keys(self.items[n]):
                drop[b].add(n)
        before = self._candidate_members(set(add) | set(drop))
        after: dict[str, set[str]] = {}
        left: list[int] = []
        right: list[int] = []
        gone: set[Pair] = set()
        none: set[str] = set()
        for b in set(add) | set(drop):
            old, fresh, went = before.get(b, none), add.get(b, none), drop.get(b, none)
            after[b] = new = (old | fresh) - went
            if not went and len(new) <= BUCKET_CAP:  # only pairs with an added member appear
                if fresh and len(new) > 1:
                    members = self.num.ids(new)
                    for x in self.num.ids(fresh):
                        left.extend(repeat(x, len(members)))
                        right.extend(members)
                continue
            came, lost = bucket_pair_changes(old, new)
            for pair in came:
                i, j = self.num.ids(pair)
                left.append(i)
                right.append(j)
            gone |= lost
        self.after = after
        return (*distinct_pairs(np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)), gone)

    def _candidate_members(self, keys: set[str]) -> dict[str, set[str]]:
        """The stored members of these candidate buckets, each the union of its stored buckets
        (``home_buckets``); empty buckets left out."""
        homes = {k: home_buckets(k) for k in keys}
        stored = self.state.bucket_members({h for hs in homes.values() for h in hs})
        out: dict[str, set[str]] = {}
        for k, hs in homes.items():
            found = [stored[h] for h in hs if h in stored]
            if found:
                out[k] = found[0].union(*found[1:]) if len(found) > 1 else found[0]
        return out

    def _clusters_of(self, nodes: Iterable[str]) -> None:
        want = sorted(set(nodes) - set(self.cluster_of_node) - set(self.added))
        claims = self.state.claims_by("node", want)
        ids = self.state.cluster_of((c.article, c.attr_id) for c in claims)
        for c in claims:
            if (c.article, c.attr_id) in ids:
                self.cluster_of_node[c.node] = ids[(c.article, c.attr_id)]

    def _signs_pass(self, lo: np.ndarray, hi: np.ndarray) -> list[Pair]:
        """The pairs (node numbers) whose band codes leave them a chance (``near_by_signs``), read from the
        stored features of the nodes not loaded yet; only the kept pairs' nodes are then loaded with their
        embeddings. Returned as node pairs, the smaller name first."""
        if not len(lo):
            return []
        ids = np.unique(np.concatenate([lo, hi]))
        nodes = [self.num.names[i] for i in ids.tolist()]
        want = sorted({n for n in nodes if n not in self.items and n not in self.rows})
        self.rows.update(self.state.nodes(want))
        codes, quoting, days = [], [], []
        for node in nodes:
            if node in self.items:
                it = self.items[node]
                code, quotes, day = band_code_bytes(it.vector), bool(it.quotes), it.day
            elif node in self.rows:
                code, quotes, day = stored_keys(self.rows[node][1])
            else:
                raise StaleState(f"link state: bucketed node {node} has no stored features")
            codes.append(code)
            quoting.append(quotes)
            days.append(day)
        matrix = np.frombuffer(b"".join(codes), dtype=np.uint16).reshape(len(nodes), -1)
        a, b = np.searchsorted(ids, lo), np.searchsorted(ids, hi)
        quotes_, days_ = np.array(quoting, dtype=bool), day_array(days)
        # a pair that is not two quoting claims needs its dates close (may_match), signs or no signs
        keep = np.flatnonzero(near_by_signs(matrix, quotes_, a, b)
                              & ((quotes_[a] & quotes_[b]) | days_close(days_[a], days_[b])))
        return [(x, y) if x < y else (y, x) for x, y in ((nodes[i], nodes[j]) for i, j in
                                                         zip(a[keep].tolist(), b[keep].tolist(), strict=True))]

    def _pairs_as_numbers(self, pairs: Iterable[Pair]) -> tuple[np.ndarray, np.ndarray]:
        flat = self.num.ids(n for p in pairs for n in p)
        return np.array(flat[0::2], dtype=np.int64), np.array(flat[1::2], dtype=np.int64)

    def regroup(self) -> list[list[Key]]:
        """The clusters of the region the batch reaches, as member keys (old and new claims)."""
        lo, hi, gone = self._bucket_changes()
        dropped = set(self.dropped)
        appeared_kept = self._signs_pass(lo, hi)
        gone_kept = self._signs_pass(*self._pairs_as_numbers(p for p in gone if p[0] not in dropped
                                                             and p[1] not in dropped))
        appeared_kept, gone_kept = self._words_pass(appeared_kept), self._words_pass(gone_kept)
        self._load({n for pairs in (appeared_kept, gone_kept) for p in pairs for n in p})
        edges = verified(appeared_kept, self.items)
        lost = verified(gone_kept, self.items)
        self._clusters_of({n for p in edges + lost for n in p} | set(self.joined) | set(self.dropped))
        flipped_keys = [(c.article, c.attr_id) for c in self.batch.flipped]
        split = {self.cluster_of_node[p[0]] for p in lost} | set(self.state.cluster_of(flipped_keys).values())
        joined = {self.cluster_of_node[n] for p in edges for n in p if n in self.cluster_of_node}
        joined |= {self.cluster_of_node[n] for n in self.joined if n in self.cluster_of_node}
        self.replaced = split | joined
        return self._components(split, edges)

    def _components(self, split: set[int], edges: list[Pair]) -> list[list[Key]]:
        members = self.state.cluster_members(self.replaced)
        rows = {(c.article, c.attr_id): c for c in self.state.claims_by("article_id", {a for ms in members.values()
                                                                                     for a, _ in ms})}
        flipped = {(c.article, c.attr_id) for c in self.batch.flipped}
        uf = _UnionFind()
        split_nodes: set[str] = set()
        for cid, ms in members.items():
            for k in ms:
                node = "" if k in flipped else rows[k].node
                if cid in split:
                    uf.add(("n", node) if node else ("k", k), k)
                    if node:
                        split_nodes.add(node)
                else:
                    uf.add(("c", cid), k)
                    if node:
                        self.cluster_of_node[node] = cid
        for m, node in zip(self.batch.members, self.batch.state.nodes, strict=True):
            k = (m.article, m.attr_id)
            uf.add(self._unit(node, split) if node else ("k", k), k)
        for a, b in edges + self._inner_edges(split_nodes):
            uf.union(self._unit(a, split), self._unit(b, split))
        return uf.groups()

    def _unit(self, node: str, split: set[int]) -> tuple[str, Any]:
        cid = self.cluster_of_node.get(node)
        return ("c", cid) if cid is not None and cid not in split else ("n", node)

    def _inner_edges(self, nodes: set[str]) -> list[Pair]:
        """Verified candidate pairs among the nodes of the clusters split again, with the buckets as they
        are after this pass."""
        if not nodes:
            return []
        self._load(nodes)
        keys = {n: candidate_keys(self.items[n]) for n in nodes}
        wanted = {b for ks in keys.values() for b in ks} - set(self.after)
        buckets = {**self._candidate_members(wanted), **self.after}
        pairs: set[Pair] = set()
        for b in {b for ks in keys.values() for b in ks}:
            inside = buckets.get(b, set())
            if len(inside) > 1:
                pairs.update(p for p in bucket_pairs(sorted(inside)) if p[0] in nodes and p[1] in nodes)
        return verified(pairs, self.items)


class _Numbered:
    """Node names as numbers, given in the order first met: a batch's candidate pairs are millions, held as
    two arrays of numbers instead of a set of string pairs."""

    def __init__(self) -> None:
        self.at: dict[str, int] = {}
        self.names: list[str] = []

    def ids(self, nodes: Iterable[str]) -> list[int]:
        at, names, out = self.at, self.names, []
        for n in nodes:
            i = at.get(n)
            if i is None:
                i = at[n] = len(names)
                names.append(n)
            out.append(i)
        return out


def distinct_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct unordered pairs of (a[i], b[i]), without a == b, as (smaller, larger) number arrays: a
    pair met in several buckets is verified once."""
    keep = a != b
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    if not len(lo):
        return lo, hi
    top = int(hi.max()) + 1
    both = np.unique(lo * top + hi)
    return both // top, both % top


_CODES_AT, _QUOTES_AT, _DAY_AT = '"c": "', '"q": ', '"d": '


def stored_keys(features: str) -> tuple[bytes, bool, int | None]:
    """A stored node's band codes, whether it quotes and its day, read from its ``features_json`` without
    parsing all of it: "d", "q" and "c" are its last keys, in that order (a string inside it holds no bare
    quote mark), and a batch's pass reads this for half a million stored nodes."""
    at, q, d = features.rfind(_CODES_AT), features.rfind(_QUOTES_AT), features.rfind(_DAY_AT)
    if at < 0 or q < 0 or d < 0 or not features.endswith('"}'):
        f = json.loads(features)
        return bytes.fromhex(f["c"]), bool(f.get("q")), f["d"]
    day = features[d + len(_DAY_AT):q].rstrip(", ")
    return (bytes.fromhex(features[at + len(_CODES_AT):-2]), not features.startswith("[]", q + len(_QUOTES_AT)),
            None if day == "null" else int(day))


class StaleState(Exception):
    """The stored link state disagrees with the ledger: relink from scratch."""


class _UnionFind(UnionFind):
    """Units (a kept cluster, a node, a lone claim) and the claims each one holds."""

    def __init__(self) -> None:
        super().__init__()
        self.claims: dict[Any, list[Key]] = defaultdict(list)

    def add(self, unit: Any, claim: Key) -> None:
        self.parent.setdefault(unit, unit)
        self.claims[unit].append(claim)

    def groups(self) -> list[list[Key]]:
        out: dict[Any, list[Key]] = defaultdict(list)
        for u, ks in self.claims.items():
            out[self.find(u)].extend(ks)
        return [sorted(set(ks)) for ks in out.values()]


def _resolve(store: Any, state: LinkState, batch: _Batch, comps: list[list[Key]], replaced: set[int],
             w: StateWrite, rows: LinkRows) -> None:
    """Cluster rows for the regrouped clusters and for the untouched ones holding an article whose recycled
    notes changed."""
    touched = state.clusters_of_articles(w.recycled_articles) - replaced
    comps = comps + list(state.cluster_members(touched).values())
    w.clusters_replaced = sorted(replaced | touched)
    arts = {a for c in comps for a, _ in c}
    new_ids = {m.article for m in batch.members}
    loaded = members_of(store.load_link_inputs(sorted(arts - new_ids))) + batch.members
    loaded.sort(key=lambda m: m.order[1])  # ingest order, attributions in report order (stable sort)
    place = {(m.article, m.attr_id): i for i, m in enumerate(loaded)}
    seqs = {**state.claim_seqs(arts - new_ids), **batch.seqs}
    passages = links_for(state, arts, w)
    out = LinkRows()
    cluster_rows(out, sorted(((min(seqs[k] for k in c), [loaded[i] for i in sorted(place[k] for k in c)])
                              for c in comps), key=lambda x: x[0]),
                 passages.recycled_from, passages.copies)
    w.clusters, w.members, w.origins, w.relays = out.clusters, out.members, out.origins, out.relays
    rows.clusters, rows.members, rows.origins, rows.relays = out.clusters, out.members, out.origins, out.relays


def _state_rows(w: StateWrite, batch: _Batch, graph: _Graph) -> None:
    st = batch.state
    w.claims = [ClaimRow(m.article, m.attr_id, batch.seqs[(m.article, m.attr_id)], node, claim_shape_text(sh, q), fm)
                for m, node, sh, q, fm in zip(batch.members, st.nodes, st.shapes, st.quoted, st.formulaic,
                                              strict=True)]
    w.updated_claims = [ClaimRow(c.article, c.attr_id, c.seq, "", c.shape, True) for c in batch.flipped]
    _add_nodes(w, {n: graph.items[n] for n in graph.added}, {n: graph.texts[n] for n in graph.added})
    w.dropped_nodes = list(graph.dropped)
    w.dropped_buckets = [(k, n) for n in graph.dropped for k in home_keys(graph.items[n])]
    w.shapes = batch.shape_rows

