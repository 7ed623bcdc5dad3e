"""What leaves Crosslink: exports for partners and spreadsheets, and packages for partner
Crosslinks (signed, encrypted, received with receipts), all under the one policy."""

from crosslink.exchange.entities import (
    ENTITY_COLUMNS,
    EntityExportRequest,
    export_entities,
    read_entities,
    write_entities,
)
from crosslink.exchange.errors import ExchangeError, KeyUnusable, PackageRefused
from crosslink.exchange.keys import (
    AgencyKey,
    create_keys,
    import_partner_key,
    list_keys,
    publish_key,
    revoke_key,
    rotate_keys,
)
from crosslink.exchange.packages import Outgoing, PackageRequest, build_package, preview
from crosslink.exchange.receipts import accept_receipt
from crosslink.exchange.receive import Received, open_package
from crosslink.exchange.selection import Selection
from crosslink.exchange.spreadsheet import EXPORT_COLUMNS, ExportRequest, export_values_csv

__all__ = [
    "ENTITY_COLUMNS",
    "EXPORT_COLUMNS",
    "AgencyKey",
    "EntityExportRequest",
    "ExchangeError",
    "ExportRequest",
    "KeyUnusable",
    "Outgoing",
    "PackageRefused",
    "PackageRequest",
    "Received",
    "Selection",
    "accept_receipt",
    "build_package",
    "create_keys",
    "export_entities",
    "export_values_csv",
    "import_partner_key",
    "list_keys",
    "open_package",
    "preview",
    "publish_key",
    "read_entities",
    "revoke_key",
    "rotate_keys",
    "write_entities",
]
