"""The ledger's one schema, as numbered migrations shared by SQLite and PostgreSQL.

SQL is written once; the few dialect differences (auto-increment key, binary type, full-text index) are
``{placeholders}`` filled per backend; migrations 2 (full-text search) and 5 (claims keyed by number) have
a body per backend because FTS5 and tsvector have nothing in common. A store records applied versions in
``schema_migrations`` and applies the missing ones in order, each in its own transaction, so an old ledger
upgrades in place.
"""

from __future__ import annotations

from dataclasses import dataclass

DIALECTS = {
    "sqlite": {"serial_pk": "INTEGER PRIMARY KEY", "blob": "BLOB", "real": "REAL"},
    "postgres": {"serial_pk": "BIGSERIAL PRIMARY KEY", "blob": "BYTEA", "real": "DOUBLE PRECISION"},
}


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    common: tuple[str, ...] = ()
    sqlite: tuple[str, ...] = ()
    postgres: tuple[str, ...] = ()

    def statements(self, dialect: str) -> list[str]:
        """The DDL of this migration for ``dialect`` ("sqlite" or "postgres"): the dialect's own statements
        first (they may rebuild a table), then the common ones (indexes over the result)."""
        subs = DIALECTS[dialect]
        own = self.sqlite if dialect == "sqlite" else self.postgres
        return [s.format(**subs) for s in (*own, *self.common)]


CORE = Migration(1, "articles, attributions, entities, paragraphs", common=(
    """CREATE TABLE articles (
        seq {serial_pk},
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        url TEXT, outlet TEXT, title TEXT, byline TEXT, published TEXT,
        chars INTEGER NOT NULL,
        n_attributions INTEGER NOT NULL,
        text TEXT NOT NULL,
        report TEXT NOT NULL,
        ingested_at TEXT NOT NULL)""",
    "CREATE INDEX articles_published ON articles (published)",
    "CREATE INDEX articles_outlet ON articles (outlet)",
    """CREATE TABLE attributions (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        attr_id TEXT NOT NULL,
        source_text TEXT, source_name TEXT, source_kind TEXT, source_key TEXT,
        cue TEXT NOT NULL, cue_lemma TEXT, kind TEXT NOT NULL,
        content TEXT NOT NULL,
        channel_type TEXT, claim_date TEXT,
        n_hedges INTEGER NOT NULL, hedge_max {real},
        parent TEXT,
        relayed INTEGER NOT NULL,
        PRIMARY KEY (article_id, attr_id))""",
    "CREATE INDEX attributions_source_key ON attributions (source_key)",
    """CREATE TABLE entities (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL, kind TEXT,
        PRIMARY KEY (article_id, entity_id))""",
    """CREATE TABLE paragraphs (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
        minhash {blob} NOT NULL,
        PRIMARY KEY (article_id, idx))""",
))

FULLTEXT = Migration(
    2, "full-text search over claims",
    sqlite=(
        """CREATE VIRTUAL TABLE claims_fts USING fts5(
            content, source_text, article_id UNINDEXED, attr_id UNINDEXED, tokenize='porter unicode61')""",
        """CREATE TRIGGER attributions_fts_ins AFTER INSERT ON attributions BEGIN
            INSERT INTO claims_fts (content, source_text, article_id, attr_id)
            VALUES (new.content, coalesce(new.source_text, ''), new.article_id, new.attr_id); END""",
        """CREATE TRIGGER attributions_fts_del AFTER DELETE ON attributions BEGIN
            DELETE FROM claims_fts WHERE article_id = old.article_id AND attr_id = old.attr_id; END""",
    ),
    postgres=(
        """ALTER TABLE attributions ADD COLUMN tsv tsvector GENERATED ALWAYS AS
            (to_tsvector('english', coalesce(content, '') || ' ' || coalesce(source_text, ''))) STORED""",
        "CREATE INDEX attributions_tsv ON attributions USING GIN (tsv)",
    ),
)

LINKS = Migration(3, "cross-article links: recycled passages, claim clusters, origins", common=(
    """CREATE TABLE recycled (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        para_idx INTEGER NOT NULL,
        start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
        source_article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        source_para_idx INTEGER NOT NULL,
        similarity {real} NOT NULL,
        earlier INTEGER NOT NULL,
        PRIMARY KEY (article_id, para_idx))""",
    """CREATE TABLE clusters (
        cluster_id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        n_claims INTEGER NOT NULL, n_articles INTEGER NOT NULL, n_origins INTEGER NOT NULL,
        first_published TEXT, first_article_id TEXT)""",
    """CREATE TABLE claim_clusters (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        attr_id TEXT NOT NULL,
        cluster_id INTEGER NOT NULL,
        origin_key TEXT NOT NULL,
        PRIMARY KEY (article_id, attr_id))""",
    "CREATE INDEX claim_clusters_cluster ON claim_clusters (cluster_id)",
    """CREATE TABLE origins (
        cluster_id INTEGER NOT NULL,
        origin_key TEXT NOT NULL,
        name TEXT NOT NULL, kind TEXT, channel TEXT,
        origin_date TEXT, first_published TEXT, first_article_id TEXT,
        n_articles INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, origin_key))""",
    """CREATE TABLE relays (
        cluster_id INTEGER NOT NULL,
        origin_key TEXT NOT NULL,
        position INTEGER NOT NULL,
        article_id TEXT NOT NULL,
        outlet TEXT, published TEXT,
        via TEXT,
        relayed_from TEXT,
        PRIMARY KEY (cluster_id, origin_key, position))""",
))

# the web's claim lists page in date order: with this index a page is an index walk over articles joined to
# their attributions by primary key, instead of a sort of every claim in the ledger
DATE_ORDER = Migration(4, "index for date-ordered claim lists", common=(
    "CREATE INDEX articles_published_seq ON articles (coalesce(published, ''), seq)",
))

_ATTR_COLUMNS = ("article_id, attr_id, source_text, source_name, source_kind, source_key, cue, cue_lemma, kind,"
                 " content, channel_type, claim_date, n_hedges, hedge_max, parent, relayed")

# Every claim gets a stable integer key, ``seq`` (ingest order), and the full-text index is keyed by it: a
# search walks the index's own rowids (newest first) instead of joining every match back by a text key. On
# SQLite that means rebuilding ``attributions`` with ``seq INTEGER PRIMARY KEY`` (a plain rowid may change on
# VACUUM, an INTEGER PRIMARY KEY never does) and an external-content FTS5 table over it; PostgreSQL keeps its
# tsvector column and only gains the key. The indexes serve the search page's filters and sorts.
CLAIM_KEYS = Migration(
    5, "claims keyed by seq: full text by claim key, indexes for the search filters and sorts",
    sqlite=(
        "DROP TRIGGER attributions_fts_ins",
        "DROP TRIGGER attributions_fts_del",
        "DROP TABLE claims_fts",
        """CREATE TABLE attributions_v5 (
            seq INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            attr_id TEXT NOT NULL,
            source_text TEXT, source_name TEXT, source_kind TEXT, source_key TEXT,
            cue TEXT NOT NULL, cue_lemma TEXT, kind TEXT NOT NULL,
            content TEXT NOT NULL,
            channel_type TEXT, claim_date TEXT,
            n_hedges INTEGER NOT NULL, hedge_max REAL,
            parent TEXT,
            relayed INTEGER NOT NULL,
            UNIQUE (article_id, attr_id))""",
        f"INSERT INTO attributions_v5 ({_ATTR_COLUMNS}) SELECT {_ATTR_COLUMNS} FROM attributions ORDER BY rowid",
        "DROP TABLE attributions",
        "ALTER TABLE attributions_v5 RENAME TO attributions",
        "CREATE INDEX attributions_source_key ON attributions (source_key)",
        """CREATE VIRTUAL TABLE claims_fts USING fts5(content, source_text, content='attributions',
            content_rowid='seq', tokenize='porter unicode61')""",
        "INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')",
        """CREATE TRIGGER attributions_fts_ins AFTER INSERT ON attributions BEGIN
            INSERT INTO claims_fts (rowid, content, source_text) VALUES (new.seq, new.content, new.source_text); END""",
        """CREATE TRIGGER attributions_fts_del AFTER DELETE ON attributions BEGIN
            INSERT INTO claims_fts (claims_fts, rowid, content, source_text)
            VALUES ('delete', old.seq, old.content, old.source_text); END""",
    ),
    postgres=(
        "ALTER TABLE attributions ADD COLUMN seq BIGSERIAL",
        "CREATE UNIQUE INDEX attributions_seq ON attributions (seq)",
    ),
    common=(
        "CREATE INDEX attributions_channel_seq ON attributions (channel_type, seq)",
        "CREATE INDEX attributions_hedge_seq ON attributions ((coalesce(hedge_max, 0)) DESC, seq)",
        "CREATE INDEX attributions_source_seq ON attributions ((coalesce(source_name, source_text, '')), seq)",
        "CREATE INDEX clusters_origins ON clusters (n_origins DESC, cluster_id)",
        "CREATE INDEX attributions_kind ON attributions (source_kind)",
        # the outlets' profiles count an article's claims by kind, hedging and relaying: index-only, never
        # reading the claims' text, nor (second index) the articles' text and reports
        "CREATE INDEX attributions_article_facts ON attributions (article_id, source_kind, n_hedges, relayed)",
        "CREATE INDEX articles_outlet_facts ON articles ((coalesce(outlet, '')), id, n_attributions)",
    ),
)

# Claim embeddings are the costly part of linking (link.vectors): each distinct claim text is embedded once,
# keyed by the model and the text, and every later link pass (a full relink, or the pass after ingesting a
# new batch) reads it back instead of running the model again. Keyed by text, not by claim: wire copy and
# recycled passages repeat a claim word for word, and an article re-ingested with the same claims re-uses them.
CLAIM_VECTORS = Migration(6, "stored claim embeddings, keyed by model and text", common=(
    """CREATE TABLE claim_vectors (
        text_key TEXT PRIMARY KEY,
        vector {blob} NOT NULL)""",
))

# A search joins up to 1,000 window claims (by number) to their articles and sorts them. On PostgreSQL each
# join was an index lookup plus a heap fetch of a wide row (claim text, tsvector; article text and report);
# with these covering indexes both are index-only scans (a quarter less database CPU per search on the
# AllSides ledger). SQLite needs none: its claims are keyed by number (a rowid lookup) and its planner would
# not take them over the unique key anyway.
WINDOW_JOINS = Migration(7, "covering indexes for the search window's joins (PostgreSQL)", postgres=(
    "CREATE INDEX attributions_seq_facts ON attributions (seq, article_id, attr_id, hedge_max, n_hedges)",
    "CREATE INDEX articles_id_facts ON articles (id, published, seq, outlet)",
))

# What incremental linking (link.incremental) needs to link a new batch without rereading the ledger: which
# articles (at which content hash) the link tables cover, each claim's graph node (its feature digest, or ''
# when it cannot join a cluster), claim shape and formulaic verdict, each node's features and LSH buckets, and
# the per-shape speaker/outlet/month sets the formulaic verdict is learned from (kept only up to the counts
# the verdict reads). Version 7 is the web's.
LINK_STATE = Migration(8, "incremental link state: linked articles, claim nodes, LSH buckets, shapes", common=(
    """CREATE TABLE link_articles (
        article_id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL)""",
    """CREATE TABLE link_claims (
        article_id TEXT NOT NULL,
        attr_id TEXT NOT NULL,
        claim_seq INTEGER NOT NULL,
        node TEXT NOT NULL,
        shape TEXT NOT NULL,
        formulaic INTEGER NOT NULL,
        PRIMARY KEY (article_id, attr_id))""",
    "CREATE INDEX link_claims_node ON link_claims (node)",
    "CREATE INDEX link_claims_shape ON link_claims (shape)",
    """CREATE TABLE link_nodes (
        node TEXT PRIMARY KEY,
        text_key TEXT NOT NULL,
        features TEXT NOT NULL)""",
    """CREATE TABLE link_buckets (
        bucket TEXT NOT NULL,
        node TEXT NOT NULL,
        PRIMARY KEY (bucket, node))""",
    """CREATE TABLE link_shapes (
        shape TEXT PRIMARY KEY,
        speakers TEXT NOT NULL, outlets TEXT NOT NULL, months TEXT NOT NULL,
        formulaic INTEGER NOT NULL)""",
    "CREATE INDEX link_shapes_formulaic ON link_shapes (formulaic)",
))

# The linker's rules the state was built with (link.incremental.rules_fingerprint: candidate keys, bucket
# cap, pair rules, formula thresholds, claim model). State built under other rules (older code) would make the
# next incremental pass compare new keys with old ones, so a mismatch means a relink from scratch.
LINK_RULES = Migration(9, "the linker rules the incremental state was built with", common=(
    """CREATE TABLE link_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL)""",
))

# On a linked ledger a search sorted by independent origins looks up the cluster of each of its 1,000 window
# claims, and that cluster's number of origins: two index lookups plus two heap fetches each on PostgreSQL.
# With these covering indexes both are index-only scans. SQLite is left as it is (a cluster is its rowid).
CLUSTER_JOINS = Migration(10, "covering indexes for the claims' cluster joins (PostgreSQL)", postgres=(
    "CREATE INDEX claim_clusters_cover ON claim_clusters (article_id, attr_id) INCLUDE (cluster_id)",
    "CREATE INDEX clusters_cover ON clusters (cluster_id) INCLUDE (n_origins)",
))

# What the incremental passage pass (link.incremental_passages) needs to place a batch's paragraphs without
# rerunning the leader clustering over the corpus: per distinct paragraph signature, where it first occurs,
# the group it joined (named by the signature that founded it), whether it is indexed, and (for a founder) how
# many articles its group spans; the LSH band keys of each signature (so the texts a new one can match, or
# change, are found by key); and which signature each linked paragraph has.
PASSAGE_STATE = Migration(11, "incremental passage state: paragraph signatures, their groups, LSH bands", common=(
    """CREATE TABLE link_passages (
        sig_key TEXT PRIMARY KEY,
        first_article TEXT NOT NULL,
        first_idx INTEGER NOT NULL,
        leader TEXT NOT NULL,
        indexed INTEGER NOT NULL,
        articles INTEGER NOT NULL)""",
    "CREATE INDEX link_passages_leader ON link_passages (leader)",
    "CREATE INDEX link_passages_articles ON link_passages (articles)",
    """CREATE TABLE link_passage_bands (
        band BIGINT NOT NULL,
        sig_key TEXT NOT NULL,
        PRIMARY KEY (band, sig_key))""",
    """CREATE TABLE link_passage_paras (
        article_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        sig_key TEXT NOT NULL,
        PRIMARY KEY (article_id, idx))""",
    "CREATE INDEX link_passage_paras_sig ON link_passage_paras (sig_key)",
))


def _clustered(table: str, columns: str, key: str) -> tuple[str, ...]:
    """SQLite statements that rebuild ``table`` keyed by its primary key alone (WITHOUT ROWID)."""
    return (f"CREATE TABLE {table}_v12 ({columns}, PRIMARY KEY ({key})) WITHOUT ROWID",
            f"INSERT INTO {table}_v12 SELECT {key} FROM {table} ORDER BY {key}",
            f"DROP TABLE {table}",
            f"ALTER TABLE {table}_v12 RENAME TO {table}")


# The two LSH key tables are nothing but their primary key (tens of millions of rows on a 37k-article corpus).
# As SQLite rowid tables every row was stored twice, in the table and in its key's index, and a relink from
# scratch wrote, and first freed, both: nearly a third of its time on the whole corpus. Keyed by the primary key
# alone each row is stored once. PostgreSQL keeps its heap and key index (no such table kind).
CLUSTERED_KEYS = Migration(12, "LSH key tables stored once, by their key (SQLite)", sqlite=(
    *_clustered("link_buckets", "bucket TEXT NOT NULL, node TEXT NOT NULL", "bucket, node"),
    *_clustered("link_passage_bands", "band BIGINT NOT NULL, sig_key TEXT NOT NULL", "band, sig_key"),
))

MIGRATIONS: tuple[Migration, ...] = (CORE, FULLTEXT, LINKS, DATE_ORDER, CLAIM_KEYS, CLAIM_VECTORS, WINDOW_JOINS,
                                     LINK_STATE, LINK_RULES, CLUSTER_JOINS, PASSAGE_STATE, CLUSTERED_KEYS)
LATEST = MIGRATIONS[-1].version

BOOTSTRAP = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"""
