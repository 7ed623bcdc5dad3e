"""Contacts found in ads tied to the entities already known, by their normalised values.

A phone, e-mail or account in an ad is looked up among the other records' values by the
value type's own fingerprint (the one the resolver compares; the keys of
:func:`~crosslink.screen.run.contact_keys` carry it), restricted to records the user may
view; each hit names the resolved entity the record belongs to (or the record alone when it
was never resolved).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.resolve.schema import entity_members
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import links, record_values, records

# Which properties hold each kind of contact key, across the data model's entity types.
_PROPS = {
    "phone": ("number", "phone"),
    "email": ("address", "email"),
    "account": ("handle",),
}


def _fingerprints(keys: set[str]) -> dict[tuple[str, str], list[str]]:
    """(kind, fingerprint) -> the contact keys that have it (keys carry fingerprints)."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in keys:
        kind, _, value = key.partition(":")
        if kind in _PROPS and value:
            out[(kind, value)].append(key)
    return out


def known_entities(
    conn: Connection, subject: Subject, keys: set[str]
) -> dict[str, list[dict[str, str]]]:
    """Contact key -> the visible non-ad records (and their entities) sharing its value."""
    wanted = _fingerprints(keys)
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for kind, props in _PROPS.items():
        prints = sorted({fp for k, fp in wanted if k == kind})
        for start in range(0, len(prints), MAX_IN_PARAMS):
            chunk = prints[start : start + MAX_IN_PARAMS]
            rows = conn.execute(
                select(
                    record_values.c.fingerprint,
                    records.c.uid,
                    records.c.schema,
                    entity_members.c.entity_id,
                )
                .join(records, records.c.uid == record_values.c.record_uid)
                .outerjoin(entity_members, entity_members.c.record_uid == records.c.uid)
                .where(
                    record_values.c.prop.in_(props),
                    record_values.c.fingerprint.in_(chunk),
                    records.c.schema != "Ad",
                    # An ad's own contact records are the ad speaking, not something known.
                    records.c.uid.not_in(
                        select(links.c.target_uid).where(links.c.link_type == "ad_contact")
                    ),
                    records.c.uid.in_(visible_records(subject, "view")),
                )
                .order_by(records.c.uid)
            ).all()
            for fingerprint, uid, schema, entity in rows:
                for key in wanted[(kind, fingerprint)]:
                    hit = {"value": key, "record": uid, "type": schema, "entity": entity or ""}
                    if hit not in found[key]:
                        found[key].append(hit)
    return dict(found)
