"""Content-derived identifiers: the same fact always gets the same uid."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

_SEP = "\x1f"


def digest(parts: Iterable[str | None]) -> str:
    """A 128-bit hex digest of the parts, unambiguous however the parts are split."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(b"\x00" if part is None else part.encode("utf-8"))
        h.update(_SEP.encode())
    return h.hexdigest()


def file_sha256(path: str) -> tuple[str, int]:
    """SHA-256 and size of a file, read in blocks so memory stays flat."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size
