"""Stored fingerprints recomputed with the code in force.

A value's fingerprint (the key that search and blocking read) is computed from its cleaned
form when it is imported. When a value type changes how it fingerprints (the name type
setting the Arabic article apart, keeping a word with an ayn whole), the values stored before
keep the old key until they are recomputed: :func:`recompute_fingerprints`, run by
``crosslink fingerprints recompute`` after an upgrade, not a migration each time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from crosslink.model import load_model
from crosslink.model import types as value_types
from crosslink.store.schema import record_values, records

log = logging.getLogger(__name__)

_FINGERPRINT_LENGTH = 200  # the column's width, as the importer cuts it
_BATCH = 5_000


@dataclass(frozen=True)
class RecomputeSummary:
    """How many stored values of the types asked for were read, and how many changed."""

    checked: int
    changed: int


def recompute_fingerprints(
    conn: sa.Connection, value_types_: Iterable[str] = ("name",), *, batch: int = _BATCH
) -> RecomputeSummary:
    """Recompute the stored fingerprints of every value of the given value types (default:
    names) from its cleaned form; returns what was read and changed. The caller owns the
    transaction. Reads one property of one entity type at a time, in pages of ``batch``."""
    wanted = {kind: value_types.get(kind).fingerprint for kind in value_types_}  # ModelError
    checked = changed = 0
    for schema, entity in sorted(load_model().entities.items()):
        for prop, spec in sorted(entity.properties.items()):
            if spec.type in wanted:
                fingerprint = wanted[spec.type]
                read, written = _recompute_property(conn, schema, prop, fingerprint, batch)
                checked, changed = checked + read, changed + written
    log.info("fingerprints: %d values checked, %d changed", checked, changed)
    return RecomputeSummary(checked, changed)


def _recompute_property(
    conn: sa.Connection,
    schema: str,
    prop: str,
    fingerprint: Callable[[str], str],
    batch: int,
) -> tuple[int, int]:
    """Recompute one property of one entity type, page by page in (record, index) order."""
    values = record_values.c
    query = (
        sa.select(values.record_uid, values.idx, values.cleaned, values.fingerprint)
        .join_from(record_values, records, records.c.uid == values.record_uid)
        .where(records.c.schema == schema, values.prop == prop, values.cleaned.is_not(None))
        .order_by(values.record_uid, values.idx)
        .limit(batch)
    )
    update = (
        sa.update(record_values)
        .where(
            values.record_uid == sa.bindparam("b_uid"),
            values.prop == prop,
            values.idx == sa.bindparam("b_idx"),
        )
        .values(fingerprint=sa.bindparam("b_fp"))
    )
    key = (values.record_uid, values.idx)
    checked = changed = 0
    after: tuple[str, int] | None = None
    while True:
        page = query if after is None else query.where(sa.tuple_(*key) > sa.tuple_(*after))
        rows = conn.execute(page).all()
        if not rows:
            return checked, changed
        new = [
            {"b_uid": uid, "b_idx": idx, "b_fp": fingerprint(cleaned)[:_FINGERPRINT_LENGTH]}
            for uid, idx, cleaned, _ in rows
        ]
        differ = [n for n, row in zip(new, rows, strict=True) if n["b_fp"] != row[3]]
        if differ:
            conn.execute(update, differ)
        checked, changed = checked + len(rows), changed + len(differ)
        after = (rows[-1][0], rows[-1][1])
