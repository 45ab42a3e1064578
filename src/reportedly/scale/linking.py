"""Linking the corpus with Spark's operators: the same clusters, recycled passages and independent origins
as ``link.origins.link_articles``, without collecting the corpus on the driver.

Each linking problem is the same four steps: per-item features, deterministic candidate keys (exact copies
first, then LSH band keys; ``rules.py``), candidate pairs by a join on the keys (bounded per bucket), each
pair checked by the project's pure predicate in the executors, and connected components of the verified
pairs by iterative joins (``components.py``). Per group work (the notes of a group of recycled paragraphs,
the independent origins of a claim cluster) runs in executors on each group. The only things the driver
holds are counts and the formulaic claim shapes (a few thousand at most), broadcast to every executor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reportedly.scale import rules, schemas
from reportedly.scale.components import connected_components

NO_DATE = "9999"  # the single-machine order puts undated articles last


# --- per article: attribution facts -------------------------------------------------------------------------

def facts_frame(spark: Any, out: Path, reports: Any) -> Any:
    """The facts rows the analysis wrote (``scale.analyze.fact_rows``) of the articles in ``reports`` (a
    superseded row's facts are dropped with it)."""
    from reportedly.scale.chunks import FACTS

    if not any((out / FACTS).glob("*.parquet")):
        return spark.createDataFrame([], schemas.facts())
    every = spark.read.schema(schemas.facts()).parquet(str(out / FACTS))
    return every.join(reports.select("pos"), "pos", "left_semi")


# --- candidate pairs ------------------------------------------------------------------------------------

def bucket_pairs(keyed: Any, limit: int = rules.MAX_CANDIDATES) -> Any:
    """Distinct (a, b) with a < b that share a key, each node paired with at most ``limit`` nodes before it
    in its bucket: buckets are cut in blocks of ``limit`` and joined block to next block, so a huge bucket
    costs linear work, not quadratic. ``keyed`` has columns ``key`` and ``node``."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy("key").orderBy("node")
    ranked = keyed.distinct().withColumn("rn", F.row_number().over(w)) \
        .withColumn("blk", F.floor((F.col("rn") - 1) / limit))
    left = ranked.select("key", F.col("rn").alias("rn_b"), F.col("node").alias("b"),
                         F.explode(F.array(F.col("blk"), F.col("blk") - 1)).alias("blk"))
    right = ranked.select("key", "blk", F.col("rn").alias("rn_a"), F.col("node").alias("a"))
    pairs = left.join(right, ["key", "blk"]).where((F.col("rn_a") < F.col("rn_b")) &
                                                  (F.col("rn_b") - F.col("rn_a") <= limit))
    return pairs.select("a", "b").distinct()


def exact_edges(frame: Any, key: str) -> tuple[Any, Any]:
    """Star edges from each node to the smallest node with the same ``key`` value, and those smallest nodes
    (the representatives the LSH step works on)."""
    from pyspark.sql import functions as F

    reps = frame.groupBy(key).agg(F.min("node").alias("rep"))
    joined = frame.join(reps, key)
    edges = joined.where(F.col("node") != F.col("rep")).select(F.col("node").alias("src"), F.col("rep").alias("dst"))
    return edges, joined.where(F.col("node") == F.col("rep")).select("node")


def _label_all(spark: Any, nodes: Any, edges: Any) -> Any:
    """(node, label) for every node: its component's smallest node, itself when it has no edge."""
    from pyspark.sql import functions as F

    labels = connected_components(edges)
    return nodes.select("node").join(labels, "node", "left") \
        .select("node", F.coalesce("label", "node").alias("label"))


def _numbered(rdd: Any, key: Any) -> Any:
    """``rdd`` sorted by ``key`` and numbered 0.. (a distributed sort; no collect)."""
    return rdd.sortBy(key).zipWithIndex()


# --- formulaic claims ------------------------------------------------------------------------------------

def _shape_row(r: Any) -> tuple[str, str | None, str | None, str | None]:
    from reportedly.link.formulaic import shape
    from reportedly.link.origins import is_generic
    from reportedly.link.outlets import canonical_outlet

    sh = shape(r.cue, r.content)
    month = r.published[:7] if r.published and len(r.published) >= 7 and r.published[:4].isdigit() else None
    return ("\x1f".join(sorted(sh)), None if is_generic(r.source_key) else r.source_key or None,
            canonical_outlet(r.outlet), month)


def formulaic_stats(spark: Any, members: Any) -> Any:
    """The statistics (link.formulaic.FormulaStats) of the formulaic shapes only: computed per shape in the
    executors, and only the shapes that are formulaic come back to be broadcast."""
    from pyspark.sql import functions as F

    from reportedly.link.formulaic import FormulaStats, ShapeSeen

    shapes = spark.createDataFrame(members.rdd.map(_shape_row), "shape string, speaker string, outlet string,"
                                                                " month string").where("shape != ''")
    per = shapes.groupBy("shape").agg(F.collect_set("speaker").alias("speakers"),
                                      F.collect_set("outlet").alias("outlets"), F.collect_set("month").alias("months"))

    def formula(r: Any) -> bool:
        key = frozenset(r.shape.split("\x1f"))
        return FormulaStats({key: ShapeSeen(set(r.speakers), set(r.outlets), set(r.months))}).is_formulaic(key)

    stats = FormulaStats()
    for r in per.rdd.filter(formula).toLocalIterator():
        stats.seen[frozenset(r.shape.split("\x1f"))] = ShapeSeen(set(r.speakers), set(r.outlets), set(r.months))
    return stats


# --- claim clusters --------------------------------------------------------------------------------------

def _signed(hexdigest: str) -> int:
    """A feature digest's first 64 bits as a Spark long (components are labelled by the smallest node)."""
    v = int(hexdigest[:16], 16)
    return v - (1 << 64) if v >= 1 << 63 else v


def _bucket_edges(members: list[Any]) -> list[tuple[int, int]]:
    """The verified pairs of one candidate bucket (the job sends only quotation buckets here; band buckets go
    by time slot, ``_slot_edges``) as (src, dst) graph nodes: the project's bucket rule on the bucket's
    digests, its pairs checked together (``rules.claims_verified``) on the pickled features the bucket row
    carries. Each claim travels once per bucket it is in, not once per pair it is in: a join that shipped both
    sides' features to every pair moved ~3.6 kB a pair. A pair in several buckets is checked in each (the
    check is pure) and its edge deduplicated."""
    import pickle

    by_digest = {m.digest: m for m in members}
    pairs = rules.claim_bucket_pairs(list(by_digest))
    items = {d: pickle.loads(bytes(by_digest[d].item)) for d in sorted({d for p in pairs for d in p})}
    return [(by_digest[a].gid, by_digest[b].gid) for a, b in rules.claims_verified(pairs, items)]


def _slot_edges(slot: int, members: Iterable[tuple[str, int, Any]]) -> list[tuple[int, int]]:
    """The matches of one time slot's band buckets as (src, dst) graph nodes, from the slot's claims (digest,
    node, pickled features): every band bucket lies in one slot, so the single-machine pass over the slot's
    claims in digest order finds exactly its pairs (``rules.claim_slot_edges``)."""
    import pickle

    by_digest = {d: (gid, item) for d, gid, item in members}
    names = sorted(by_digest)
    items = [pickle.loads(bytes(by_digest[d][1])) for d in names]
    return [(by_digest[names[i]][0], by_digest[names[j]][0]) for i, j in rules.claim_slot_edges(items, slot)]


def claim_clusters(spark: Any, members: Any) -> Any:
    """(node, cluster_id) for every member claim. Graph nodes are feature digests (``rules.claim_node``) of
    the claim items ``link.origins.link_articles`` builds (content, named sources, publication day); buckets
    of a candidate key are turned into pairs by the project's bucket rule and verified by its predicate in the
    executors, on the pickled items (no second embedding); clusters are numbered in order of their smallest
    member key (article id, attribution id), as ``link.claims.cluster_claims`` numbers them."""
    import pickle

    from pyspark.sql import functions as F

    stats = spark.sparkContext.broadcast(formulaic_stats(spark, members))

    def features(r: Any) -> tuple[int, str | None, int | None, list[int], list[str], bytes | None]:
        from reportedly.link.formulaic import shape

        formulaic = stats.value.verdicts([shape(r.cue, r.content)], [rules.claim_quoting(_member(r))])[0]
        content = rules.linkable_content(_member(r), formulaic)
        vector = bytes(r.vector) if content and r.vector is not None else None  # the analysis embedded it
        it = rules.claim_item(r.article_id, r.attr_id, content, rules.claim_sources(_member(r)), r.published,
                              vector)
        if not rules.claim_eligible(it):
            return r.node, None, None, [], [], None
        d = rules.claim_node(it)
        return (r.node, d, _signed(d), list(rules.claim_slots(it)), list(rules.claim_quote_keys(it)),
                pickle.dumps(it, protocol=5))

    feats = spark.createDataFrame(members.rdd.map(features), "node long, digest string, gid long, slots array<long>,"
                                                             " keys array<string>, item binary").cache()
    nodes = feats.where("digest IS NOT NULL").groupBy("digest", "gid").agg(
        F.first("item").alias("item"), F.first("slots").alias("slots"), F.first("keys").alias("keys"))
    # band buckets: one group per time slot (a claim is in two), matched in the executor as the single machine
    # does; a claim's features travel twice, not once per band bucket (64 of them: tens of GB on a corpus)
    by_slot = nodes.select("digest", "gid", "item", F.explode("slots").alias("slot")).rdd \
        .map(lambda r: (r.slot, (r.digest, r.gid, r.item))).groupByKey() \
        .flatMap(lambda kv: _slot_edges(kv[0], kv[1]))
    # quotation buckets (no time slot): one row per bucket, as few claims quote at length
    buckets = nodes.select("digest", "gid", "item", F.explode("keys").alias("key")).groupBy("key") \
        .agg(F.collect_list(F.struct("digest", "gid", "item")).alias("ms")).where(F.size("ms") > 1)
    checked = by_slot.union(buckets.rdd.flatMap(lambda r: _bucket_edges(r.ms)))
    labels = connected_components(spark.createDataFrame(checked, "src long, dst long"))
    keyed = feats.join(members.select("node", "article_id", "attr_id"), "node") \
        .join(labels.withColumnRenamed("node", "gid"), "gid", "left")
    # a claim's component: its digest's label; an ineligible claim is alone (its own node, kept apart)
    comp = keyed.select("node", "article_id", "attr_id", F.when(F.col("gid").isNull(), F.concat(F.lit("n"), F.col(
        "node").cast("string"))).otherwise(F.concat(F.lit("g"), F.coalesce("label", "gid").cast("string")))
                        .alias("comp"))
    first = comp.groupBy("comp").agg(F.min(F.struct("article_id", "attr_id")).alias("k"))
    numbered = _numbered(first.rdd.map(lambda r: ((r.k.article_id, r.k.attr_id), r.comp)), lambda kv: kv[0])
    ids = spark.createDataFrame(numbered.map(lambda kv: (kv[0][1], kv[1])), "comp string, cluster_id long")
    return comp.join(ids, "comp").select("node", "cluster_id")


# --- recycled passages -----------------------------------------------------------------------------------

def paragraph_frame(spark: Any, reports: Any) -> Any:
    """Every stored paragraph signature, numbered (``node``) in the single-machine pass's chronological order
    (undated articles last): increasing in that order, not consecutive (a distributed sort; nothing goes
    through Python)."""
    from pyspark.sql import functions as F

    paras = reports.select(F.col("id").alias("article_id"), "published", "pos",
                           F.explode("paragraphs").alias("p"))
    ordered = paras.orderBy(F.coalesce("published", F.lit(NO_DATE)), "pos", F.col("p.idx"))
    return ordered.select(F.monotonically_increasing_id().alias("node"), "article_id", "published", "pos",
                          F.col("p.idx").alias("idx"), F.col("p.start").alias("start"), F.col("p.end").alias("end"),
                          F.col("p.sig").alias("sig"))


def recycled_passages(spark: Any, paras: Any) -> Any:
    """The ``recycled`` rows: groups by exact signature, LSH band keys and the similarity predicate, then
    each group's notes (``rules.group_notes``) in the executors."""
    from pyspark.sql import functions as F

    from reportedly.link.passages import Para

    paras = paras.cache()
    star, reps = exact_edges(paras, "sig")
    keyed = spark.createDataFrame(
        paras.join(reps, "node").rdd.flatMap(lambda r: [(r.node, k) for k in rules.passage_keys(bytes(r.sig))]),
        "node long, key string")
    sa = paras.select(F.col("node").alias("a"), F.col("sig").alias("sa"))
    sb = paras.select(F.col("node").alias("b"), F.col("sig").alias("sb"))
    checked = bucket_pairs(keyed).join(sa, "a").join(sb, "b").rdd \
        .filter(lambda r: rules.passages_match(bytes(r.sa), bytes(r.sb))).map(lambda r: (r.a, r.b))
    edges = star.union(spark.createDataFrame(checked, "src long, dst long"))
    grouped = connected_components(edges).join(paras, "node")
    corpus_articles = paras.select("article_id").distinct().count()

    def notes(group: Iterable[Any]) -> list[tuple[Any, ...]]:
        ms = sorted(group, key=lambda r: r.node)
        ps = [Para(r.article_id, (r.published or NO_DATE, r.pos), r.published, r.idx, r.start, r.end, bytes(r.sig))
              for r in ms]
        return [(n.article, n.idx, n.start, n.end, n.source, n.source_idx, n.similarity, int(n.earlier))
                for n in rules.group_notes(ps, corpus_articles)]

    rows = grouped.rdd.map(lambda r: (r.label, r)).groupByKey().flatMap(lambda kv: notes(kv[1]))
    return spark.createDataFrame(rows, schemas.recycled())


# --- independent origins ---------------------------------------------------------------------------------

def _member(r: Any) -> Any:
    from reportedly.link.origins import AttrFacts, Member
    from reportedly.link.outlets import canonical_outlet

    f = AttrFacts(**{name: getattr(r, name) for name, _ in schemas.FACT_FIELDS})
    f.via = list(r.via or [])
    return Member(r.article_id, r.attr_id, (r.published or NO_DATE, r.pos), r.published, canonical_outlet(r.outlet),
                  f, r.wire)


def origin_tables(spark: Any, members: Any, clusters: Any, recycled: Any, paras: Any) -> dict[str, Any]:
    """clusters / members / origins / relays rows, each cluster resolved (``rules.cluster_rows``) in the
    executors with the recycled passages of its articles."""
    from pyspark.sql import functions as F

    from reportedly.link.origins import CopiedSpan

    spans = paras.select(F.col("article_id").alias("source_article_id"), F.col("idx").alias("source_para_idx"),
                         F.col("start").alias("ss"), F.col("end").alias("se"))
    copies = recycled.join(spans, ["source_article_id", "source_para_idx"], "left") \
        .groupBy("article_id").agg(F.collect_list(F.struct("start_char", "end_char", "source_article_id", "ss",
                                                           "se")).alias("copies"))
    rows = members.join(clusters, "node").join(copies, "article_id", "left")

    def resolve(kv: tuple[int, Iterable[Any]]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        cid, group = kv
        ms, recycled_from, cps = [], defaultdict(set), defaultdict(list)
        for r in sorted(group, key=lambda x: x.node):
            ms.append(_member(r))
            if r.copies and r.article_id not in cps:
                for c in sorted(r.copies, key=lambda c: (c.start_char, c.end_char, c.source_article_id)):
                    recycled_from[r.article_id].add(c.source_article_id)
                    cps[r.article_id].append(CopiedSpan(c.start_char, c.end_char, c.source_article_id, c.ss or 0,
                                                        c.se or 0))
        for table, out in rules.cluster_rows(cid, ms, recycled_from, cps).items():
            for row in out:
                yield table, row

    resolved = rows.rdd.map(lambda r: (r.cluster_id, r)).groupByKey().flatMap(resolve).cache()
    return {t: spark.createDataFrame(resolved.filter(lambda kv, t=t: kv[0] == t).map(lambda kv: kv[1]),
                                     getattr(schemas, t)())
            for t in ("clusters", "members", "origins", "relays")}
