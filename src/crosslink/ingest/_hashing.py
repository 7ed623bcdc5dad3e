"""Content-derived identifiers: the same fact always gets the same uid."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def digest(parts: Iterable[str | None]) -> str:
    """A 128-bit hex digest of the parts, unambiguous however the parts are split.

    Each part is length-prefixed (None is marked apart from ""), so no choice of separator
    inside a value can make two different part lists collide.
    """
    # A list, not a generator: join builds one anyway, and this runs several times a row.
    text = "".join(["\x00" if p is None else f"{len(p)}:{p}" for p in parts])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_sha256(path: str) -> tuple[str, int]:
    """SHA-256 and size of a file, read in blocks so memory stays flat."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size
