"""name fingerprints that keep a word with an ayn whole

Revision ID: 0010
Revises: 0009

Ayn (Arabic ع, and the ʿ or ʻ of Latin transliterations) becomes a backtick in ASCII, which
the name type used to read as a boundary between words: سعيد gave "s yd", not "syd" (Said).
It is now a mark inside the word, as an apostrophe is. Stored fingerprints of names that
contain one are recomputed, so that a search finds records imported before and after alike.
"""

from __future__ import annotations

import re

from alembic import op

from crosslink.model.types import name
from crosslink.model.types._util import ascii_lower
from crosslink.store._refingerprint import refingerprint_names

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Letters that turn into a backtick in ASCII and may be written in a name (names are stored
# NFKC-normalised, so Arabic presentation forms are among the ع).
_AYNS = ["ع", "ʻ", "ʽ", "ʿ", "ʕ", "ˁ", "ˋ", "ꜥ", "Ꜥ", "ܥ", "ჸ", "ჺ", "ჾ", "ᴥ"]


def upgrade() -> None:
    refingerprint_names(op.get_bind(), name.fingerprint, _AYNS)


def downgrade() -> None:
    refingerprint_names(op.get_bind(), _split_fingerprint, _AYNS)


def _split_fingerprint(cleaned: str) -> str:
    """The fingerprint as revision 0009's code made it: words split at the backtick."""
    text = ascii_lower(re.sub(r"(?<!\w)ال(?=\w\w)", "ال ", cleaned)).replace("'", "")
    parts = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(sorted([p for p in parts if p not in name.PARTICLES] or parts))
