"""Records of one entity type out of the store, as one Arrow table of cleaned, derived columns.

Every read of records for resolution goes through :func:`iter_records`, which applies the
access policy in the query when a subject is given: resolution sees only what that subject may
see. Linked records add evidence: a person's phones, documents, bank accounts, online
accounts and addresses may arrive as their own records joined by a link.

Records stream in uid order and become rows a batch at a time, so a million records never sit
in memory as Python objects: the own values and the linked evidence come as two queries
ordered the same way, merged as they arrive.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator, Mapping
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Select, and_, func, select
from sqlalchemy.orm import aliased

from crosslink._processes import ordered_map
from crosslink.access import Subject, visible_records
from crosslink.errors import ModelError, StoreError
from crosslink.resolve._rows import (
    MODELS,
    Model,
    RawRecord,
    Row,
    address_keys,
    address_row,
    birth_parts,
    clear_caches,
    derive_batch,
    metaphone,
    organisation_row,
    person_row,
    skeleton,
    split_name,
    vehicle_row,
)
from crosslink.store.schema import links, record_values, records

__all__ = [
    "ENTITY_TYPES",
    "RawRecord",
    "Row",
    "address_keys",
    "address_row",
    "appearances",
    "birth_parts",
    "count_records",
    "extract",
    "iter_records",
    "metaphone",
    "organisation_row",
    "person_row",
    "read_values",
    "skeleton",
    "split_name",
    "to_table",
    "vehicle_row",
]

log = logging.getLogger(__name__)

ENTITY_TYPES = ("Person", "Organisation", "Address", "Vehicle")
"""The entity types resolution knows a model for."""

# Properties of linked records that count as the linking record's own evidence.
_LINKED = {
    "Phone": {"number": "phone"},
    "Email": {"address": "email"},
    "BankAccount": {"iban": "iban"},
    "OnlineAccount": {"handle": "handle"},
    "IdentityDocument": {"number": "id_number"},
    "Address": {
        "full": "address",
        "street": "linked_street",
        "postcode": "linked_postcode",
        "city": "linked_locality",
    },
    # An employer, a company run or owned: a tie, not an identity (see namesakes).
    "Organisation": {"registration_number": "linked_registration", "vat_number": "linked_vat"},
}
# Linked schemas read by one query each: SQLite plans a query over all seven from the
# persons, not from the linked records (at a million records 43 s instead of 22 + 2).
_QUERIES = (frozenset(_LINKED) - {"Organisation"}, frozenset({"Organisation"}))
_FETCH = 5000
_BATCH = 10_000  # rows per Arrow record batch
_PARALLEL_FROM = 50_000


def iter_records(
    conn: Connection,
    entity_type: str,
    subject: Subject | None = None,
    props: Iterable[str] | None = None,
) -> Iterator[RawRecord]:
    """The records of ``entity_type`` with their values and linked evidence, in uid order (the
    store's collation); only the properties ``props`` (own or linked as) when given.

    The one door of resolution to the records: with a ``subject``, records (and linked
    records) the subject may not view never leave the store.
    """
    wanted = None if props is None else sorted(set(props))
    streams = [_linked_groups(conn, entity_type, subject, wanted, part) for part in _QUERIES]
    pending = [next(stream, None) for stream in streams]
    try:
        for raw in _own_records(conn, entity_type, subject, wanted):
            for i, found in enumerate(pending):
                if found is not None and found[0] == raw.uid:
                    for prop, cleaned in found[1]:
                        raw.values[prop].append(cleaned)
                    pending[i] = next(streams[i], None)
            yield raw
    finally:
        for stream in streams:
            stream.close()  # a reader that stops early releases the other cursors too
    for found in pending:
        if found is not None:
            # The queries order by the same column under the same collation; evidence left
            # over means they did not, and rows would silently lack it.
            raise StoreError(f"linked evidence of {found[0]} arrived out of order")


def read_values(
    conn: Connection, entity_type: str, subject: Subject | None = None
) -> dict[str, RawRecord]:
    """Every record of ``entity_type`` by uid, with all its values (see :func:`iter_records`)."""
    return {raw.uid: raw for raw in iter_records(conn, entity_type, subject)}


def appearances(
    conn: Connection,
    uids: pa.Array | pa.ChunkedArray,
    subject: Subject | None,
    link_types: Iterable[str],
    crowd: int,
) -> pa.Table:
    """Which of the records ``uids`` (those of one type a run extracted) appear in which
    report: ``uid`` and ``report``, the record it is linked to by one of ``link_types`` (a
    bank report, a police report, an inspection), of reports naming at most ``crowd`` of
    them (a raid's two hundred workers hardly know each other); as ``subject`` may see.

    Read at once, as two columns, by one pass over the links: at a million demo records,
    1,047,587 links of all types, 787,288 of them persons', in 2.5 s (the query alone 1 s).
    Joined to the persons in the store, the query alone took 3.5 s; asked for the records a
    rule weighs, a few thousand at a time, 150 s (a register address with 166 residents
    came back with each of them).
    """
    found: list[pa.Array] = []
    reports: list[pa.Array] = []
    result = conn.execute(
        _appearances_query(subject, link_types).execution_options(yield_per=_FETCH)
    )
    for part in result.partitions():
        found.append(pa.array([row[0] for row in part], pa.string()))
        reports.append(pa.array([row[1] for row in part], pa.string()))
    table = pa.table(
        {
            "uid": pa.chunked_array(found, pa.string()),
            "report": pa.chunked_array(reports, pa.string()),
        }
    )
    table = table.filter(
        pc.is_in(table["uid"], value_set=pa.chunked_array([uids]).combine_chunks())
    )
    table = table.group_by(["uid", "report"]).aggregate([])  # one link to a report counts once
    sizes = table.group_by("report").aggregate([("uid", "count")])
    small = sizes.filter(pc.less_equal(sizes["uid_count"], crowd))["report"]
    log.info("read %d appearances in reports", table.num_rows)
    return table.filter(pc.is_in(table["report"], small))


def _appearances_query(subject: Subject | None, link_types: Iterable[str]) -> Select[Any]:
    """(record, the record it is linked to by one of ``link_types``): one pass over the
    links, whose records' types are told in Arrow (a join to them, per link, took longer)."""
    stmt = select(links.c.source_uid, links.c.target_uid).where(
        links.c.link_type.in_(sorted(set(link_types)))
    )
    return _visible(stmt, subject, links.c.source_uid, links.c.target_uid)


def _visible(stmt: Select[Any], subject: Subject | None, *uids: Any) -> Select[Any]:
    """Only the records ``subject`` may view (``uids``: the statement's record uid columns)."""
    if subject is None:
        return stmt
    return stmt.where(*(uid.in_(visible_records(subject)) for uid in uids))


def _own_records(
    conn: Connection, entity_type: str, subject: Subject | None, props: list[str] | None
) -> Iterator[RawRecord]:
    on = and_(record_values.c.record_uid == records.c.uid, record_values.c.cleaned.is_not(None))
    if props is not None:
        # An expression, not the column: SQLite reads the record's values in one range
        # instead of seeking each property (a quarter less time on a big store).
        on = and_(on, record_values.c.prop.concat("").in_(props))
    stmt = (
        select(records.c.uid, records.c.source_id, record_values.c.prop, record_values.c.cleaned)
        .select_from(records.outerjoin(record_values, on))  # records without values too
        .where(records.c.schema == entity_type)
        .order_by(records.c.uid, record_values.c.prop, record_values.c.idx)
    )
    rows = _rows(conn, _visible(stmt, subject, records.c.uid))
    for (uid, source_id), values in groupby(rows, key=itemgetter(0, 1)):
        raw = RawRecord(uid, source_id, defaultdict(list))
        for _, _, prop, cleaned in values:
            if prop is not None:
                raw.values[prop].append(cleaned)
        yield raw


def _linked_groups(
    conn: Connection,
    entity_type: str,
    subject: Subject | None,
    props: list[str] | None,
    linked_schemas: frozenset[str],
) -> Generator[tuple[str, list[tuple[str, str]]]]:
    """(record uid, [(property it counts as, value)]) in the order of :func:`_own_records`,
    from linked records of ``linked_schemas``."""
    mapped = _linked_props(entity_type, props, linked_schemas)
    if not mapped:
        return
    stmt = _linked_query(conn, entity_type, subject, mapped)
    for uid, values in groupby(_rows(conn, stmt), key=itemgetter(0)):
        found = [(mapped[s, p], cleaned) for _, s, p, cleaned in values if (s, p) in mapped]
        if found:
            yield uid, found


def _linked_props(
    entity_type: str, props: list[str] | None, linked_schemas: frozenset[str]
) -> dict[tuple[str, str], str]:
    """(linked schema, its property) -> the property it counts as, of those wanted."""
    return {
        (schema, prop): as_prop
        for schema, found in _LINKED.items()
        if schema in linked_schemas
        if schema != "Address" or entity_type != "Address"  # no evidence of another address
        for prop, as_prop in found.items()
        if props is None or as_prop in props
    }


def _linked_query(
    conn: Connection,
    entity_type: str,
    subject: Subject | None,
    mapped: Mapping[tuple[str, str], str],
) -> Select[Any]:
    """The query of the linked evidence ``mapped`` (:func:`_linked_props`) of the records of
    ``entity_type``: (record uid, linked schema, property, value), in record uid order."""
    src, tgt, val = records, aliased(records), aliased(record_values)
    schemas = sorted({schema for schema, _ in mapped})
    # The value filters are expressions (|| ''), not columns: on a big SQLite store the planner
    # would otherwise start from every linked value of the property index, all entity types.
    # It starts from the linked records (phones, accounts …) of those types, right for the
    # many persons who hold most of them; for the few organisations, it must start from
    # them (at a million records: 1 s instead of 10).
    few = _few(conn, entity_type, schemas)
    target_schema = tgt.c.schema.concat("") if few else tgt.c.schema
    # From the linked records, their links are read through the covering index on their
    # target (the source an expression): SQLite, without statistics, would otherwise walk
    # every record of the type for each link, sure that source and target find one row.
    source = links.c.source_uid if few else links.c.source_uid.concat("")
    stmt = (
        select(src.c.uid, tgt.c.schema, val.c.prop, val.c.cleaned)
        .join(links, source == src.c.uid)
        .join(tgt, tgt.c.uid == links.c.target_uid)
        .join(val, val.c.record_uid == tgt.c.uid)
        .where(
            src.c.schema == entity_type,
            target_schema.in_(schemas),
            val.c.prop.concat("").in_(sorted({prop for _, prop in mapped})),
            val.c.cleaned.is_not(None),
        )
        .order_by(src.c.uid.concat(""), links.c.uid, val.c.idx)
    )
    return _visible(stmt, subject, src.c.uid, tgt.c.uid)


def _few(conn: Connection, entity_type: str, linked_schemas: list[str]) -> bool:
    """Whether the records of ``entity_type`` are far fewer than those of ``linked_schemas``."""
    return count_records(conn, entity_type) * 4 < count_records(conn, *linked_schemas)


def count_records(conn: Connection, *schemas: str) -> int:
    """Records of the entity types (schemas) ``schemas``."""
    count = select(func.count()).select_from(records).where(records.c.schema.in_(schemas))
    return int(conn.execute(count).scalar_one())


def derive_processes(records: int) -> int:
    """Processes that derive rows while the store is read: one, for enough records on more
    than one core (at a million demo records, persons took 77 s in one process, 64 in two:
    the reading, mostly SQLite's, is the larger half). Below :data:`_PARALLEL_FROM`
    records, starting a process costs more than it saves."""
    return 1 if records >= _PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 0


def _rows(conn: Connection, stmt: Select[Any]) -> Iterator[tuple[Any, ...]]:
    result = conn.execute(stmt.execution_options(yield_per=_FETCH))
    try:
        for part in result.partitions():
            yield from part
    finally:
        result.close()


def _model(entity_type: str) -> Model:
    if entity_type not in MODELS:
        raise ModelError(
            f"no resolution model for {entity_type!r}; known: {', '.join(ENTITY_TYPES)}"
        )
    return MODELS[entity_type]


def to_table(
    entity_type: str, raws: Iterable[RawRecord], batch_rows: int = _BATCH, processes: int = 0
) -> pa.Table:
    """The Arrow table Splink reads: ``unique_id``, ``source_id`` and the derived columns,
    built ``batch_rows`` records at a time (the records need not all be in memory); by
    ``processes`` other processes when more than 0, while this one reads on."""
    model = _model(entity_type)
    jobs = _jobs(entity_type, raws, batch_rows)
    if processes > 0:
        batches = [batch for _, batch in ordered_map(derive_batch, jobs, processes, collect=False)]
    else:
        batches = [derive_batch(job) for job in jobs]
    if not batches:
        batches.append(model.batch([]))
    return pa.Table.from_batches(batches, schema=model.schema())


def _jobs(
    entity_type: str, raws: Iterable[RawRecord], size: int
) -> Iterator[tuple[str, list[RawRecord]]]:
    it = iter(raws)
    while chunk := list(islice(it, size)):
        yield entity_type, chunk


def extract(
    conn: Connection,
    entity_type: str,
    subject: Subject | None = None,
    processes: int | None = None,
) -> pa.Table:
    """Records of ``entity_type`` (those ``subject`` may see) as a table for Splink, ordered by
    uid; derived in ``processes`` other processes (``None``: one when there are enough records
    and cores to repay starting it, :func:`derive_processes`)."""
    model = _model(entity_type)
    if processes is None:
        processes = derive_processes(count_records(conn, entity_type))
    try:
        raws = iter_records(conn, entity_type, subject, model.props)
        table = to_table(entity_type, raws, processes=processes)
    finally:
        clear_caches()
    uids = table["unique_id"]
    if len(uids) > 1 and not pc.all(pc.less(uids[:-1], uids[1:])).as_py():
        # The store's collation is not code-point order (PostgreSQL with a locale).
        table = table.take(pc.sort_indices(uids))
    log.info("extracted %d %s records", table.num_rows, entity_type)
    return table
