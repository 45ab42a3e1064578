"""The Parquet schemas of a run's outputs (Spark StructTypes, built on demand: pyspark is optional).

- ``reports``: one row per analyzed article (the report@1 JSON, the text, paragraph signatures).
- ``facts``: one row per attribution as analyzed (the linking's input, with the claim embeddings).
- ``claims``: one row per attribution, with the ledger's per-attribution facts and, after linking, its
  cluster, the cluster's independent-origin count and its origin key.
- ``clusters``, ``origins``, ``relays``, ``recycled``: the ledger's link tables, column for column.
- ``errors``: one text line per bad record.
"""

from __future__ import annotations

from typing import Any


def _struct(*fields: tuple[str, str]) -> Any:
    from pyspark.sql import types as T

    kinds = {"string": T.StringType(), "long": T.LongType(), "int": T.IntegerType(), "double": T.DoubleType(),
             "bool": T.BooleanType(), "binary": T.BinaryType(), "strings": T.ArrayType(T.StringType())}
    out = []
    for name, kind in fields:
        if kind == "paragraphs":
            para = _struct(("idx", "int"), ("start", "int"), ("end", "int"), ("sig", "binary"))
            out.append(T.StructField(name, T.ArrayType(para)))
        else:
            out.append(T.StructField(name, kinds[kind]))
    return T.StructType(out)


def reports() -> Any:
    return _struct(("pos", "long"), ("id", "string"), ("content_hash", "string"), ("url", "string"),
                   ("outlet", "string"), ("title", "string"), ("byline", "string"), ("published", "string"),
                   ("wire", "string"), ("report", "string"), ("text", "string"), ("paragraphs", "paragraphs"))


def errors() -> Any:
    return _struct(("pos", "long"), ("message", "string"))


FACT_FIELDS = (("attr_id", "string"), ("source_text", "string"), ("source_name", "string"),
               ("source_kind", "string"), ("source_key", "string"), ("cue", "string"), ("cue_lemma", "string"),
               ("kind", "string"), ("content", "string"), ("channel_type", "string"), ("claim_date", "string"),
               ("n_hedges", "int"), ("hedge_max", "double"), ("parent", "string"), ("relayed", "bool"),
               ("is_relay", "bool"), ("origin_name", "string"), ("origin_kind", "string"),
               ("origin_key", "string"), ("origin_date", "string"), ("via", "strings"), ("start", "long"))


def facts() -> Any:
    """Per attribution, before linking: where it is (article position, index), its AttrFacts, and the
    embedding of its content (float32 bytes; null when the claim matcher wants none)."""
    return _struct(("pos", "long"), ("fact_idx", "int"), ("article_id", "string"), ("published", "string"),
                   ("outlet", "string"), ("wire", "string"), *FACT_FIELDS, ("vector", "binary"))


def claims() -> Any:
    """The ``claims`` output: facts plus cluster, independent origins and the claim's origin key."""
    return _struct(("pos", "long"), ("fact_idx", "int"), ("article_id", "string"), ("published", "string"),
                   ("outlet", "string"), *[f for f in FACT_FIELDS if f[0] != "origin_key"],
                   ("fact_origin_key", "string"), ("cluster_id", "long"), ("n_origins", "int"),
                   ("origin_key", "string"))


def clusters() -> Any:
    return _struct(("cluster_id", "long"), ("label", "string"), ("n_claims", "int"), ("n_articles", "int"),
                   ("n_origins", "int"), ("first_published", "string"), ("first_article_id", "string"))


def members() -> Any:
    return _struct(("article_id", "string"), ("attr_id", "string"), ("cluster_id", "long"), ("origin_key", "string"))


def origins() -> Any:
    return _struct(("cluster_id", "long"), ("origin_key", "string"), ("name", "string"), ("kind", "string"),
                   ("channel", "string"), ("origin_date", "string"), ("first_published", "string"),
                   ("first_article_id", "string"), ("n_articles", "int"))


def relays() -> Any:
    return _struct(("cluster_id", "long"), ("origin_key", "string"), ("position", "int"), ("article_id", "string"),
                   ("outlet", "string"), ("published", "string"), ("via", "string"), ("relayed_from", "string"))


def recycled() -> Any:
    return _struct(("article_id", "string"), ("para_idx", "int"), ("start_char", "int"), ("end_char", "int"),
                   ("source_article_id", "string"), ("source_para_idx", "int"), ("similarity", "double"),
                   ("earlier", "int"))


def names(schema: Any) -> list[str]:
    """Column names in order (the store's link tables take rows in this order)."""
    return [f.name for f in schema.fields]
