"""Scraped ads into the store, through the import machinery and its guarantees.

The bundled mappings ``screen-ads`` (JSON Lines) and ``screen-ads-csv`` (the same columns)
make each ad an ``Ad`` record keyed by its URL, with its contacts as Phone, Email and
OnlineAccount records linked to it; so an ad's phone meets the same phone in a police file at
resolution. Every row is validated (file, row, column, reason), a batch is all or nothing, a
file imported again adds nothing, and the import is authorised and audited as the user who
runs it. The ads' text is stored as data, never fetched or followed.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from crosslink.access.policy import Subject
from crosslink.errors import ReaderError
from crosslink.ingest import ImportRequest, ImportSummary, Progress, import_file, load_mapping

COLUMNS = (
    "site",
    "url",
    "posted_at",
    "title",
    "body",
    "phone",
    "email",
    "whatsapp",
    "telegram",
    "location",
    "pay",
    "language",
    "image_hashes",
)
_MAPPINGS = {".jsonl": "screen-ads", ".ndjson": "screen-ads", ".csv": "screen-ads-csv"}


def mapping_for(path: Path) -> str:
    """The bundled mapping for a file of ads, by its extension."""
    name = _MAPPINGS.get(path.suffix.lower())
    if name is None:
        raise ReaderError(
            f"ads come as JSON Lines (.jsonl) or CSV (.csv), not {path.suffix or 'no extension'}",
            file=path.name,
        )
    return name


def import_ads(
    conn: Connection,
    path: Path,
    source_id: str,
    subject: Subject,
    *,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a file of scraped ads into ``source_id`` as ``subject``; the caller commits."""
    request = ImportRequest(
        path=path,
        mapping=load_mapping(mapping_for(path)),
        source_id=source_id,
        imported_by=subject.username,
        strict=strict,
        subject=subject,
    )
    return import_file(conn, request, progress)
