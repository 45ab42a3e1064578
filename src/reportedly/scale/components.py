"""Connected components of a graph held as a Spark DataFrame of edges, by iterative joins (min-label
propagation): every node starts with its own id as label and takes the smallest label among its neighbours
until no label changes. The number of rounds is the graph's diameter; each round's labels are checkpointed
locally (lazily: the round's one count materializes them, so a round is one job, not two) so the plan does
not grow with the rounds. Nothing is collected on the driver but one count a round.
"""

from __future__ import annotations

from typing import Any

MAX_ROUNDS = 200  # a bound, not a tuning knob: clusters are near-cliques, their diameter is small


def connected_components(edges: Any) -> Any:
    """A DataFrame (node, label) for every node that has an edge; ``label`` is the smallest node id of its
    component. ``edges`` has long columns ``src`` and ``dst``."""
    from pyspark.sql import functions as F

    both = edges.select("src", "dst").union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
    both = both.where(F.col("src") != F.col("dst")).distinct().localCheckpoint(eager=False)
    # start from the smallest neighbour (or self): one round saved, and stars converge at once
    labels = both.groupBy("src").agg(F.least(F.min("dst"), F.first("src")).alias("label")) \
        .withColumnRenamed("src", "node").localCheckpoint(eager=False)
    for _ in range(MAX_ROUNDS):
        offers = both.join(labels.withColumnRenamed("node", "src"), "src") \
            .groupBy(F.col("dst").alias("node")).agg(F.min("label").alias("offer"))
        nxt = labels.join(offers, "node", "left") \
            .select("node", F.least("label", F.coalesce("offer", "label")).alias("label"),
                    (F.coalesce("offer", "label") < F.col("label")).alias("moved")).localCheckpoint(eager=False)
        moved = nxt.where("moved").count()
        labels = nxt.select("node", "label")
        if moved == 0:
            return labels
    raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
