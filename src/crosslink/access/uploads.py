"""Staged uploads: names that cannot leave the upload folder or surprise a file system, and
their deletion (abandoned, at logout, left by a crash)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import re
import shutil
import time
import unicodedata
from pathlib import Path

log = logging.getLogger(__name__)

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


def owner_folder(root: Path, username: str) -> Path:
    """The folder of one user's staged uploads (a hash: no user name on disk)."""
    return root / hashlib.sha256(username.encode("utf-8")).hexdigest()[:24]


def sweep_uploads(root: Path, older_than: dt.timedelta, *, now: float | None = None) -> int:
    """Delete staged uploads last touched longer than ``older_than`` ago (abandoned dry runs,
    what a crash left behind); return how many. Staged files hold personal data: they are
    kept only as long as it takes to look at a dry run's report and commit it."""
    if not root.is_dir():
        return 0
    limit = (time.time() if now is None else now) - older_than.total_seconds()
    removed = 0
    for owner in root.iterdir():
        if not owner.is_dir():
            continue
        for upload in owner.iterdir():
            if _last_touched(upload) < limit:
                shutil.rmtree(upload, ignore_errors=True)
                removed += 1
        with contextlib.suppress(OSError):
            owner.rmdir()  # only when empty
    if removed:
        log.info("deleted %d abandoned upload(s) from %s", removed, root)
    return removed


def discard_uploads_of(root: Path, username: str) -> None:
    """Delete every staged upload of one user (at logout: nobody can commit them after)."""
    shutil.rmtree(owner_folder(root, username), ignore_errors=True)


def _last_touched(path: Path) -> float:
    try:
        stamps = [path.stat().st_mtime, *(p.stat().st_mtime for p in path.rglob("*"))]
    except OSError:
        return 0.0
    return max(stamps)
