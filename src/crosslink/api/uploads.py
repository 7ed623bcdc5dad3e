"""Import through the web: stage an upload, validate it by a dry run, then commit it.

A staged file lives under ``<data_dir>/uploads/<owner>/<id>/`` with a name made harmless by
:func:`crosslink.access.safe_upload_name`; only its owner can reach it by its random id. A dry
run imports inside a savepoint and rolls it back, so the report is exactly what the real import
would say. Only bundled mappings can be chosen: a mapping named by path would read a file of
the server's choosing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Connection

from crosslink.access import Subject, authorize, safe_upload_name
from crosslink.access.grants import provider_of
from crosslink.access.policy import SourceResource
from crosslink.access.uploads import owner_folder, sweep_uploads
from crosslink.errors import InvalidValue, MappingError, NotFound
from crosslink.ingest import (
    ImportRequest,
    ImportSummary,
    Mapping,
    bundled_mappings,
    import_file,
)
from crosslink.ingest import load_mapping as _load_mapping
from crosslink.ingest.limits import InputLimits
from crosslink.store.sources import Source, list_sources

_ID = re.compile(r"^[0-9a-f]{32}$")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StagedUpload:
    id: str
    name: str
    path: Path
    size: int


def _owner_dir(root: Path, owner: Subject) -> Path:
    return owner_folder(root, owner.username)


def stage(
    root: Path,
    owner: Subject,
    name: str,
    data: BinaryIO,
    *,
    max_bytes: int,
    keep: dt.timedelta = dt.timedelta(hours=1),
) -> StagedUpload:
    """Copy an uploaded stream into a fresh folder of ``owner``; refuse it if too large.
    Uploads of anyone abandoned longer than ``keep`` are deleted first."""
    sweep_uploads(root, keep)
    upload_id = secrets.token_hex(16)
    folder = _owner_dir(root, owner) / upload_id
    folder.mkdir(parents=True, exist_ok=False)
    target = folder / safe_upload_name(name)
    size = 0
    with target.open("wb") as out:
        while chunk := data.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise InvalidValue(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
            out.write(chunk)
    if size == 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise InvalidValue("the file is empty")
    return StagedUpload(upload_id, target.name, target, size)


def staged(root: Path, owner: Subject, upload_id: str) -> StagedUpload:
    """The upload ``upload_id`` of ``owner``; NotFound for anyone else's or an unknown id."""
    folder = _owner_dir(root, owner) / upload_id
    files = sorted(folder.iterdir()) if _ID.match(upload_id) and folder.is_dir() else []
    if len(files) != 1:
        raise NotFound(f"no staged upload {upload_id}")
    return StagedUpload(upload_id, files[0].name, files[0], files[0].stat().st_size)


def discard(upload: StagedUpload) -> None:
    shutil.rmtree(upload.path.parent, ignore_errors=True)


def mapping(name: str) -> Mapping:
    """A bundled mapping by name (never a path)."""
    if name not in bundled_mappings():
        raise MappingError(f"no bundled mapping {name!r}")
    return _load_mapping(name)


def importable_sources(conn: Connection, subject: Subject) -> list[Source]:
    """The sources ``subject`` may import into, as the policy decides."""
    return [
        s
        for s in list_sources(conn)
        if authorize(subject, "import", SourceResource(s.id, provider_of(conn, s.id)))
    ]


def run_import(
    conn: Connection,
    subject: Subject,
    upload: StagedUpload,
    *,
    mapping_name: str,
    source_id: str,
    dry_run: bool,
    chunk_size: int = 2000,
    limits: InputLimits | None = None,
) -> ImportSummary:
    """Import ``upload`` as ``subject`` (authorized by the importer); a dry run writes nothing."""
    request = ImportRequest(
        path=upload.path,
        mapping=mapping(mapping_name),
        source_id=source_id,
        subject=subject,
        chunk_size=chunk_size,
        workers=1,
        limits=limits or InputLimits(),
    )
    if not dry_run:
        return import_file(conn, request)
    savepoint = conn.begin_nested()
    try:
        return import_file(conn, request)
    finally:
        savepoint.rollback()
