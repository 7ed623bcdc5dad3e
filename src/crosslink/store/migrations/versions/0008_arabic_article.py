"""name fingerprints without the Arabic article written in Arabic script

Revision ID: 0008
Revises: 0007

The name type now separates the Arabic article from the name it is written with (الجبوري:
"jbwry", as "Al Jubouri" gives "jubouri") and leaves it out of the fingerprint, as it always
left out a separate "Al" or "El". Stored fingerprints of names in Arabic script that carry it
are recomputed, so that a search finds records imported before and after alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

from crosslink.model import load_model
from crosslink.model.types import name
from crosslink.model.types._util import ascii_lower

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FINGERPRINT_LENGTH = 200  # the column's width


def upgrade() -> None:
    _refingerprint(name.fingerprint)


def downgrade() -> None:
    _refingerprint(_glued_fingerprint)


def _glued_fingerprint(cleaned: str) -> str:
    """The fingerprint as revision 0007's code made it: the article left glued."""
    parts = re.sub(r"[^a-z0-9]+", " ", ascii_lower(cleaned).replace("'", "")).split()
    return " ".join(sorted([p for p in parts if p not in name.PARTICLES] or parts))


def _refingerprint(fingerprint: Callable[[str], str]) -> None:
    """Recompute the fingerprints of name values written with the Arabic article."""
    conn = op.get_bind()
    model = load_model()
    found = conn.execute(
        sa.text(
            "SELECT v.record_uid, v.prop, v.idx, v.cleaned, v.fingerprint, r.schema "
            "FROM record_values v JOIN records r ON r.uid = v.record_uid "
            "WHERE v.cleaned LIKE :article"
        ),
        {"article": "%ال%"},
    ).all()
    changed = []
    for uid, prop, idx, cleaned, old, schema in found:
        spec = model.entities.get(schema)
        kind = spec.properties.get(prop) if spec else None
        if kind is None or kind.type != "name":
            continue
        new = fingerprint(cleaned)[:_FINGERPRINT_LENGTH]
        if new != old:
            changed.append({"fp": new, "uid": uid, "prop": prop, "idx": idx})
    if changed:
        conn.execute(
            sa.text(
                "UPDATE record_values SET fingerprint = :fp "
                "WHERE record_uid = :uid AND prop = :prop AND idx = :idx"
            ),
            changed,
        )
