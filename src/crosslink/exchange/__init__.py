"""What leaves Crosslink: exports for partners and spreadsheets, under the one policy."""

from crosslink.exchange.entities import (
    ENTITY_COLUMNS,
    EntityExportRequest,
    export_entities,
    read_entities,
    write_entities,
)
from crosslink.exchange.spreadsheet import EXPORT_COLUMNS, ExportRequest, export_values_csv

__all__ = [
    "ENTITY_COLUMNS",
    "EXPORT_COLUMNS",
    "EntityExportRequest",
    "ExportRequest",
    "export_entities",
    "export_values_csv",
    "read_entities",
    "write_entities",
]
