"""The transactional store's tables (SQLAlchemy Core).

Records are immutable facts with provenance: a correction arrives as a new record. Uids are
content-derived, so importing the same row twice finds the record already there.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

UID = 32  # hex of a 128-bit BLAKE2b digest

sources = Table(
    "sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("agency", String(200), nullable=False),
    Column("dataset", String(200), nullable=False),
    Column("jurisdiction", String(2), nullable=False),
    Column("default_region", String(2)),
    Column("handling_code", String(2), nullable=False),
    Column("handling_conditions", Text),
    Column("grading_system", String(8), nullable=False),
    Column("source_grade", String(1), nullable=False),
    Column("info_grade", String(1), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_size", BigInteger, nullable=False),
    Column("mapping", String(200), nullable=False),
    Column("mapping_sha256", String(64), nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("records_added", Integer, nullable=False),
    Column("records_existing", Integer, nullable=False),
    Column("links_added", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    UniqueConstraint("source_id", "file_sha256", "mapping_sha256"),
)

records = Table(
    "records",
    metadata,
    Column("uid", String(UID), primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("schema", String(40), nullable=False),
    Column("alias", String(64), nullable=False),
    Column("entity_key", String(UID), nullable=False),
    # The source's own key, readable: one key column's value as it is, several as a JSON
    # list; NULL for an entity the mapping gives no key, and for rows stored before 0011.
    Column("source_key", Text),
    Column("content_hash", String(UID), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("handling_code", String(2), nullable=False),
    Column("handling_conditions", Text),
    Column("source_grade", String(1), nullable=False),
    Column("info_grade", String(1), nullable=False),
    Column("person_category", String(16)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "source_id", "schema", "entity_key"),
    Index(None, "batch_id"),
    # Resolution reads one entity type in uid order, with the source: covered by this index.
    Index(None, "schema", "uid", "source_id"),
)

record_values = Table(
    "record_values",
    metadata,
    Column("record_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("prop", String(64), primary_key=True),
    Column("idx", SmallInteger, primary_key=True),
    Column("original", Text, nullable=False),
    Column("cleaned", Text),
    Column("fingerprint", String(200)),
    Index(None, "prop", "fingerprint"),
)

links = Table(
    "links",
    metadata,
    Column("uid", String(UID), primary_key=True),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("link_type", String(40), nullable=False),
    Column("source_uid", String(UID), ForeignKey("records.uid"), nullable=False),
    Column("target_uid", String(UID), ForeignKey("records.uid"), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("handling_code", String(2), nullable=False),
    Column("handling_conditions", Text),
    Column("source_grade", String(1), nullable=False),
    Column("info_grade", String(1), nullable=False),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "source_uid"),
    # Covering: resolution reads a linked record's links for the records they start from,
    # without a visit to each link's row (a million records: 14-25 s -> 10-13 s).
    Index(None, "target_uid", "source_uid", "uid"),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("column", String(200)),
    Column("value", Text),
    Column("reason", Text, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("raw", Text),
    Index(None, "batch_id"),
)


def all_tables() -> MetaData:
    """The metadata with every room's tables declared, for migrations and schema checks.

    The rooms (access, exchange, referral, resolve, screen, stats) declare their tables on
    :data:`metadata` in their own ``schema`` modules; importing them here, late, keeps the
    store free of import cycles.
    """
    import crosslink.access.schema
    import crosslink.exchange.schema
    import crosslink.referral.schema
    import crosslink.resolve.schema
    import crosslink.screen.schema
    import crosslink.stats.schema  # noqa: F401

    return metadata
