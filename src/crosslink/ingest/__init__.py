"""Partner-file import: readers, declarative mappings, validation, idempotent batches."""

from crosslink.ingest._importer import ImportRequest, ImportSummary, Progress, import_file
from crosslink.ingest._mapper import Issue
from crosslink.ingest.mapping import Mapping, bundled_mappings, load_mapping, parse_mapping

__all__ = [
    "ImportRequest",
    "ImportSummary",
    "Issue",
    "Mapping",
    "Progress",
    "bundled_mappings",
    "import_file",
    "load_mapping",
    "parse_mapping",
]
