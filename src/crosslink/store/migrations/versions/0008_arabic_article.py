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

from alembic import op

from crosslink.model.types import name
from crosslink.model.types._util import ascii_lower
from crosslink.store._refingerprint import refingerprint_names

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    refingerprint_names(op.get_bind(), name.fingerprint, ["ال"])


def downgrade() -> None:
    refingerprint_names(op.get_bind(), _glued_fingerprint, ["ال"])


def _glued_fingerprint(cleaned: str) -> str:
    """The fingerprint as revision 0007's code made it: the article left glued."""
    parts = re.sub(r"[^a-z0-9]+", " ", ascii_lower(cleaned).replace("'", "")).split()
    return " ".join(sorted([p for p in parts if p not in name.PARTICLES] or parts))
