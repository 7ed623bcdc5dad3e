"""A profile exported as CSV or JSON: a disclosure, decided per record and audited.

The records are given for ``export`` (not ``view``): the policy decides each, the disclosure
entry names the records, the justification and the recipients. CSV cells are disarmed against
formula injection (:func:`crosslink.store.export.safe_cell`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection

from crosslink.access import Subject
from crosslink.errors import InvalidValue
from crosslink.profiles.dossier import Dossier, dossier
from crosslink.profiles.read import Profile, profile
from crosslink.store.export import safe_cell

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
CSV_COLUMNS = ("section", "item", "property", "value", "count", "source", "detail")


def export_profile(
    conn: Connection,
    subject: Subject,
    ref: str,
    fmt: str,
    *,
    justification: str | None,
    recipients: tuple[str, ...] = (),
) -> bytes:
    """The profile of ``ref`` in ``fmt`` (csv or json), as ``subject`` may export it."""
    if fmt not in FORMATS:
        raise InvalidValue(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not (justification or "").strip():
        raise InvalidValue("an export is a disclosure: say why (a justification)")
    found = profile(
        conn, subject, ref, justification=justification, action="export", recipients=recipients
    )
    card = dossier(found)
    if fmt == "json":
        return json.dumps(_as_json(found, card), ensure_ascii=False, indent=2).encode()
    return _as_csv(found, card).encode("utf-8")


def _as_json(found: Profile, card: Dossier) -> dict[str, Any]:
    return {
        "ref": found.ref,
        "entity_id": found.entity_id,
        "entity_type": found.entity_type,
        "label": found.label,
        "confidence": found.confidence,
        "summary": {
            "names": [asdict(n) for n in card.names],
            **{f.key: [asdict(v) for v in f.values] for f in card.facets},
            "categories": card.categories,
            "sources": card.sources,
            "agencies": card.agencies,
        },
        "links": [asdict(g) for g in card.links],
        "timeline": [asdict(t) for t in found.timeline],
        "records": [{**asdict(r), "imported_at": r.imported_at.isoformat()} for r in found.records],
    }


def _rows(found: Profile, card: Dossier) -> list[tuple[str, ...]]:
    ident = found.entity_id or found.ref
    rows: list[tuple[str, ...]] = [
        ("summary", ident, "name", n.value, str(n.records), "", "") for n in card.names
    ]
    rows += [
        ("summary", ident, f.key, v.value, str(v.records), "", "")
        for f in card.facets
        for v in f.values
    ]
    rows += [("summary", ident, "category", c, "", "", "") for c in card.categories]
    for g in card.links:
        period = " – ".join(d for d in (g.first, g.last) if d)
        direction = "to" if g.outgoing else "from"
        rows.append(
            ("link", g.ref, f"{g.link_type} {direction}", g.label, str(g.count),
             ", ".join(g.sources), period)
        )  # fmt: skip
    for r in found.records:
        where = f"{r.file_name} row {r.row_number}"
        rows += [
            ("record", r.uid, prop, value, "", r.source_id, where)
            for prop, values in r.values.items()
            for value in values
        ]
    return rows


def _as_csv(found: Profile, card: Dossier) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in _rows(found, card):
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
