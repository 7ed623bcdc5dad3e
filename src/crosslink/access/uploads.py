"""Names for uploaded files that cannot leave the upload folder or surprise a file system."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^\w.\- ()+@]")
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
MAX_LENGTH = 200


def safe_upload_name(name: str) -> str:
    """One harmless file name from whatever a browser sent.

    Keeps only the last path component (``/`` and ``\\`` both separate), drops control
    characters, replaces anything unusual by ``_``, strips leading dots (no hidden files, no
    ``..``), avoids Windows device names and keeps the extension within 200 characters.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE.sub("_", text).strip(" .")
    text = text.lstrip(".-")
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if stem.split(".")[0].casefold() in _RESERVED:
        stem = "_" + stem
    ext = ext[:16]
    stem = stem[: MAX_LENGTH - len(ext) - 1]
    result = f"{stem}.{ext}" if ext and stem else (stem or ext)
    return result or "upload"
