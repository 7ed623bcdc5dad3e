"""Short labels of records: a name, number, registration … as the source wrote it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection, select

from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import record_values

LABEL_PROPS = (
    "name",
    "full",
    "number",
    "registration",
    "iban",
    "handle",
    "title",
    "address",
    "kind",
)


def record_labels(conn: Connection, uids: Iterable[str]) -> dict[str, str]:
    """A short label per record: its name, number, registration … as the source wrote it."""
    wanted = list(dict.fromkeys(uids))
    if not wanted:
        return {}
    found: dict[str, dict[str, str]] = {}
    props = list(LABEL_INPUTS)
    for start in range(0, len(wanted), MAX_IN_PARAMS):
        rows = conn.execute(
            select(record_values.c.record_uid, record_values.c.prop, record_values.c.original)
            .where(
                record_values.c.record_uid.in_(wanted[start : start + MAX_IN_PARAMS]),
                record_values.c.prop.in_(props),
            )
            .order_by(record_values.c.record_uid, record_values.c.idx)
        )
        for uid, prop, original in rows:
            found.setdefault(uid, {}).setdefault(prop, original)
    return {uid: label_of(values, uid) for uid, values in found.items()}


LABEL_INPUTS = (*LABEL_PROPS, "first_name", "last_name", "street", "city", "date", "reference")
"""The properties :func:`label_of` reads."""


def label_of(values: dict[str, str], default: str) -> str:
    """A record's label from its first value of each property (``values`` is extended)."""
    if "first_name" in values or "last_name" in values:
        values.setdefault(
            "name",
            " ".join(v for v in (values.get("first_name"), values.get("last_name")) if v),
        )
    if "street" in values:
        values.setdefault("full", ", ".join(v for k in ("street", "city") if (v := values.get(k))))
    if "kind" in values and ("date" in values or "reference" in values):
        # an event is named by what, when and its reference, not by its kind alone
        when = " ".join(v for k in ("kind", "date") if (v := values.get(k)))
        ref = values.get("reference")
        values["kind"] = f"{when} ({ref})" if ref else when
    return next((values[p] for p in LABEL_PROPS if values.get(p)), default)


def count_names(names: Iterable[tuple[str, str]]) -> list[tuple[str, int]]:
    """Names with how many records give each, the most given first.

    ``names`` are (cleaned, as written) pairs, one per record: spellings that clean alike
    ("AKAR", "Akar") count as one name, shown as most records write it.
    """
    counts: Counter[str] = Counter()
    written: dict[str, Counter[str]] = {}
    for cleaned, original in names:
        counts[cleaned] += 1
        written.setdefault(cleaned, Counter())[original] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(_most_written(written[key]), n) for key, n in ranked]


def _most_written(spellings: Counter[str]) -> str:
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]
