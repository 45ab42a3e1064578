"""The passage pass after a batch: place the batch's paragraphs in the stored leader clustering and re-place
only the texts whose outcome that can change, with the notes a pass over the whole corpus would give.

The pass (link.passages) runs over distinct signatures ("texts") in order of first occurrence; a text's
outcome (its group and whether it is indexed) is a function of the indexed texts before it that share an
LSH band with it and are similar enough. So a batch changes:

- its new texts, and stored texts it holds an earlier occurrence of (their rank moves earlier);
- a text after a changed one that shares a band with it and passes the threshold, when the changed one is
  or was indexed (a representative appeared, went, moved or changed group).

Those are re-placed in rank order from a queue (a change only ever reaches later texts, so each text is
placed once, after everything before it is final); a re-placed text whose outcome did not change stops the
chain there. Every other text keeps its stored outcome. The groups any changed text left or joined, the
groups that gained paragraphs, and the groups whose boilerplate verdict the corpus's growth flips are then
read whole and their notes rewritten: all of a group's paragraphs when its first paragraph or its verdict
changed, else only the batch's and the changed texts' paragraphs. Batches published before stored
articles are therefore as exact as batches appended at the end; the cost grows with what they change.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportedly.link.origins import PassageLinks, links_of_rows
from reportedly.link.passages import (
    THRESHOLD,
    Para,
    Rank,
    Text,
    band_matrix,
    decide,
    group_notes,
    is_boilerplate,
    paras_of,
    rank_of,
    shares_band,
    sig_key,
    similarity,
)
from reportedly.store.link_state import LinkState, StateWrite, StoredText

Placed = tuple[Rank, str, bool]  # a text's (rank, group, indexed)


def placement_rows(w: StateWrite, placement: Any) -> None:
    """The passage state a relink from scratch writes (link.passages.Placement)."""
    w.passage_texts = placement.text_rows()
    w.passage_bands = placement.band_rows()
    w.passage_paras = sorted(placement.paras)
    w.passage_articles = placement.corpus_articles


@dataclass
class PassageUpdate:
    """What the passage pass after a batch changed, and how much it read."""

    placed: int = 0  # texts placed (the batch's new ones and the stored ones re-placed)
    changed: int = 0  # texts whose outcome changed
    groups: int = 0  # groups whose notes were recomputed
    notes: list[tuple[Any, ...]] = field(default_factory=list)


class _Pass:
    """One batch's passage pass over the stored state."""

    def __init__(self, state: LinkState, new_ids: Sequence[str]) -> None:
        self.state = state
        self.batch: list[Para] = paras_of(state.paragraph_inputs(new_ids))
        self.batch_keys = [sig_key(p.sig) for p in self.batch]
        self.texts: dict[str, Text] = {}  # every text read or made, with its outcome as it now stands
        self.stored: dict[str, Placed | None] = {}  # the stored outcome (None: new in this batch)
        self.spans: dict[str, int] = {}  # stored articles-spanned count of each text read
        self.first: dict[str, tuple[str, int]] = {}  # (article, idx) of each text's first occurrence
        self.neighbours: dict[str, list[str]] = {}  # texts sharing a band, read when a text is placed
        self.new_bands: dict[int, set[str]] = defaultdict(set)  # band -> the batch's new texts in it
        self.new_rows: list[tuple[int, str]] = []  # (band, text) of the batch's new texts
        self.changed: set[str] = set()
        self.placed = 0

    # --- reading stored texts ----------------------------------------------------------------------------
    def _read(self, keys: Iterable[str]) -> None:
        """Stored texts not read yet, with their stored outcome."""
        for r in self.state.passage_texts(set(keys) - set(self.texts)):
            self._keep(r)

    def _keep(self, r: StoredText) -> None:
        rank = (r.published or "9999", r.seq, r.idx)
        self.texts[r.key] = Text(r.key, r.sig, rank, r.leader, r.indexed)
        self.stored[r.key] = (rank, r.leader, r.indexed)
        self.spans[r.key] = r.articles
        self.first[r.key] = (r.article, r.idx)

    def _fetch_neighbours(self, keys: Sequence[str]) -> None:
        """The texts sharing an LSH band with each of ``keys`` (stored ones read by band, new ones in memory)."""
        matrix = band_matrix([self.texts[k].sig for k in keys])
        bands = {k: [int(v) for v in row] for k, row in zip(keys, matrix, strict=True)}
        in_band: dict[int, set[str]] = defaultdict(set)
        for b, k in self.state.passage_bands({b for bs in bands.values() for b in bs}):
            in_band[b].add(k)
        self._read({k for ks in in_band.values() for k in ks})
        for k, bs in bands.items():
            near = set().union(*(in_band[b] | self.new_bands.get(b, set()) for b in bs)) - {k}
            sig = self.texts[k].sig
            self.neighbours[k] = sorted(n for n in near if n in self.texts and shares_band(sig, self.texts[n].sig))

    # --- placing -------------------------------------------------------------------------------------------
    def _seed(self) -> list[tuple[Rank, str]]:
        """The texts the batch changes directly: its new texts, and stored ones it holds an earlier copy of."""
        self._read(set(self.batch_keys))
        seeds: set[str] = set()
        for p, k in sorted(zip(self.batch, self.batch_keys, strict=True), key=lambda x: rank_of(x[0])):
            r = rank_of(p)
            t = self.texts.get(k)
            if t is None:
                self.texts[k] = Text(k, p.sig, r)
                self.stored[k] = None
            elif r >= t.rank:
                continue
            else:
                t.rank = r
            self.first[k] = (p.article, p.idx)
            seeds.add(k)
        new = sorted(k for k, s in self.stored.items() if s is None)
        for k, row in zip(new, band_matrix([self.texts[k].sig for k in new]), strict=True):
            self.new_rows += [(int(b), k) for b in row]
            for b in row:
                self.new_bands[int(b)].add(k)
        return sorted((self.texts[k].rank, k) for k in seeds)

    def place(self) -> None:
        """Re-place, in rank order, every text whose outcome the batch can change (module doc)."""
        heap = self._seed()
        heapq.heapify(heap)
        queued = {k for _, k in heap}
        unread = set(queued)
        while heap:
            _, key = heapq.heappop(heap)
            if key in unread:  # read the neighbours of every queued text in one go
                self._fetch_neighbours(sorted(unread))
                unread.clear()
            for n in self._place(key):
                if n not in queued:
                    queued.add(n)
                    unread.add(n)
                    heapq.heappush(heap, (self.texts[n].rank, n))

    def _place(self, key: str) -> list[str]:
        """Place one text; the later texts to place again when its outcome changed."""
        t = self.texts[key]
        near = [self.texts[n] for n in self.neighbours[key]]
        t.leader, t.indexed = decide(t, (c for c in near if c.rank < t.rank and c.indexed))
        self.placed += 1
        before = self.stored[key]
        if before == (t.rank, t.leader, t.indexed):
            return []
        self.changed.add(key)
        if not (t.indexed or (before is not None and before[2])):
            return []  # neither then nor now a representative: no later text could see it
        return [c.key for c in near if c.rank > t.rank and similarity(t.sig, c.sig) >= THRESHOLD]


class _Notes:
    """The notes of the groups a batch touched, compared with the stored ones."""

    def __init__(self, run: _Pass, before: int, after: int) -> None:
        self.run, self.before, self.after = run, before, after
        self.group_spans: dict[str, int] = {}

    def affected(self) -> set[str]:
        """Groups whose notes may differ: those a changed text left or joined, those the batch's paragraphs
        joined, and those whose boilerplate verdict flips as the corpus grows (module doc)."""
        run = self.run
        out = {run.texts[k].leader for k in run.changed} | {run.texts[k].leader for k in run.batch_keys}
        out |= {s[1] for k in run.changed if (s := run.stored[k]) is not None}
        low = max(_half(self.before), 5)
        out |= set(run.state.passage_groups_spanning(low, _half(self.after)))
        run._read(out)
        return out

    def members(self, groups: set[str]) -> dict[str, list[tuple[Para, str]]]:
        """Each group's paragraphs (with their text key) in pass order, as the groups now stand."""
        run = self.run
        run._read(run.state.passage_members(groups))
        keys = {k for k, t in run.texts.items() if t.leader in groups}
        paras = [(Para(p.article, (p.published or "9999", p.seq), p.published, p.idx, p.start, p.end, p.sig), p.key)
                 for p in run.state.passage_paras(keys)]
        paras += [(p, k) for p, k in zip(run.batch, run.batch_keys, strict=True) if k in keys]
        out: dict[str, list[tuple[Para, str]]] = {g: [] for g in groups}
        for p, k in sorted(paras, key=lambda x: rank_of(x[0])):
            out[run.texts[k].leader].append((p, k))
        return out

    def notes(self, groups: set[str]) -> dict[tuple[str, int], tuple[Any, ...] | None]:
        """Per paragraph whose note may have changed, its note row now (None: no note)."""
        run = self.run
        fresh = run.changed | set(run.batch_keys)
        out: dict[tuple[str, int], tuple[Any, ...] | None] = {}
        for g, ms in self.members(groups).items():
            paras = [p for p, _ in ms]
            self.group_spans[g] = len({p.article for p in paras})
            whole = self._renewed(g, paras)
            notes = {(n.article, n.idx): (n.article, n.idx, n.start, n.end, n.source, n.source_idx, n.similarity,
                                          int(n.earlier)) for n in group_notes(paras, self.after)}
            for p, k in ms:
                if whole or k in fresh:
                    out[(p.article, p.idx)] = notes.get((p.article, p.idx))
        return out

    def _renewed(self, group: str, paras: Sequence[Para]) -> bool:
        """Whether every note of the group may differ: a new founder, a new first paragraph, another
        boilerplate verdict. Otherwise only its new and re-placed paragraphs' notes can."""
        run = self.run
        was = run.stored.get(group)
        if was is None or was[1] != group or run.texts[group].rank != was[0]:
            return True
        old = is_boilerplate(run.spans[group], self.before)
        return old != is_boilerplate(len({p.article for p in paras}), self.after)


def _half(n: int) -> int:
    """The smallest article count that is at least half of ``n`` (is_boilerplate's share, in integers)."""
    return (n + 1) // 2


def link_passages_new(state: LinkState, new_ids: Sequence[str], w: StateWrite) -> PassageUpdate:
    """Place the batch ``new_ids`` in the stored passage state and fill ``w`` with the recycled rows of the
    articles whose notes changed and the passage state rows that changed."""
    run = _Pass(state, new_ids)
    run.place()
    before = state.passage_articles()
    after = before + len({p.article for p in run.batch})
    notes = _Notes(run, before, after)
    groups = notes.affected()
    touched = notes.notes(groups)
    _recycled_rows(state, touched, w)
    _state_rows(run, notes, w, after)
    return PassageUpdate(run.placed, len(run.changed), len(groups), w.recycled)


def _recycled_rows(state: LinkState, touched: dict[tuple[str, int], tuple[Any, ...] | None],
                   w: StateWrite) -> None:
    """The recycled rows of each article with a touched paragraph, kept only for the articles they changed."""
    old: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in state.recycled_of({a for a, _ in touched}):
        old[str(r[0])].append(tuple(r))
    new: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for a in {a for a, _ in touched}:
        new[a] = [r for r in old.get(a, []) if (a, int(r[1])) not in touched]
    for note in touched.values():
        if note is not None:
            new[str(note[0])].append(note)
    changed = sorted(a for a in new if sorted(old.get(a, [])) != sorted(new[a]))
    w.recycled_articles = changed
    w.recycled = [r for a in changed for r in sorted(new[a])]


def _state_rows(run: _Pass, notes: _Notes, w: StateWrite, after: int) -> None:
    """The link_passages rows that changed (placement or the span of a founder's group), the new texts'
    bands and the batch's paragraphs."""
    rows = []
    for k, t in run.texts.items():
        span = 0 if t.leader != k else notes.group_spans.get(k, run.spans.get(k, 0))
        if k in run.changed or run.stored[k] is None or span != run.spans.get(k, 0):
            rows.append((k, *run.first[k], t.leader, int(t.indexed), span))
    w.passage_texts = sorted(rows)
    w.passage_bands = sorted(run.new_rows)
    w.passage_paras = [(p.article, p.idx, k) for p, k in zip(run.batch, run.batch_keys, strict=True)]
    w.passage_articles = after


def links_for(state: LinkState, articles: Iterable[str], w: StateWrite) -> PassageLinks:
    """What origin resolution reads of the passage pass for ``articles``: their recycled rows as this pass
    leaves them (the stored ones, or the ones it rewrites) and the spans of the paragraphs they copied."""
    arts = set(articles)
    rewritten = set(w.recycled_articles)
    rows = [tuple(r) for r in state.recycled_of(arts - rewritten)]
    rows += [r for r in w.recycled if r[0] in arts]
    spans = state.paragraph_spans({(str(r[4]), int(r[5])) for r in rows})
    return links_of_rows(rows, spans)
