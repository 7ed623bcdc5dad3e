"""What migrations that change how names are fingerprinted share: recomputing stored ones."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa

from crosslink.model import load_model

_FINGERPRINT_LENGTH = 200  # the column's width


def refingerprint_names(
    conn: sa.Connection, fingerprint: Callable[[str], str], containing: Iterable[str]
) -> int:
    """Recompute the fingerprints of name values whose cleaned text contains one of
    ``containing`` (the only ones a change of the name type alters); returns how many
    changed."""
    columns = ("record_uid", "prop", "idx", "cleaned", "fingerprint")
    values = sa.table("record_values", *(sa.column(c) for c in columns))
    records = sa.table("records", sa.column("uid"), sa.column("schema"))
    found = conn.execute(
        sa.select(
            values.c.record_uid,
            values.c.prop,
            values.c.idx,
            values.c.cleaned,
            values.c.fingerprint,
            records.c.schema,
        )
        .join_from(values, records, records.c.uid == values.c.record_uid)
        .where(sa.or_(*(values.c.cleaned.contains(needle) for needle in sorted(set(containing)))))
    ).all()
    model = load_model()
    changed = []
    for uid, prop, idx, cleaned, old, schema in found:
        spec = model.entities.get(schema)
        kind = spec.properties.get(prop) if spec else None
        if kind is None or kind.type != "name":
            continue
        new = fingerprint(cleaned)[:_FINGERPRINT_LENGTH]
        if new != old:
            changed.append({"b_fp": new, "b_uid": uid, "b_prop": prop, "b_idx": idx})
    if changed:
        conn.execute(
            sa.update(values)
            .where(
                values.c.record_uid == sa.bindparam("b_uid"),
                values.c.prop == sa.bindparam("b_prop"),
                values.c.idx == sa.bindparam("b_idx"),
            )
            .values(fingerprint=sa.bindparam("b_fp")),
            changed,
        )
    return len(changed)
