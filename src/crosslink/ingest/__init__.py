"""Partner-file import: readers, declarative mappings, validation, idempotent batches."""

from crosslink.ingest._drafts import Issue
from crosslink.ingest._importer import (
    ImportRequest,
    ImportSummary,
    Progress,
    auto_workers,
    import_file,
)
from crosslink.ingest._progress import ImportClock, ProgressLine
from crosslink.ingest.mapping import Mapping, bundled_mappings, load_mapping, parse_mapping

__all__ = [
    "ImportClock",
    "ImportRequest",
    "ImportSummary",
    "Issue",
    "Mapping",
    "Progress",
    "ProgressLine",
    "auto_workers",
    "bundled_mappings",
    "import_file",
    "load_mapping",
    "parse_mapping",
]
