"""What leaves Crosslink: exports for partners and spreadsheets, under the one policy."""

from crosslink.exchange.spreadsheet import EXPORT_COLUMNS, ExportRequest, export_values_csv

__all__ = ["EXPORT_COLUMNS", "ExportRequest", "export_values_csv"]
