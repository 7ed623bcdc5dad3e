"""Value types: one small module per kind of value, each with clean / validate / compare /
fingerprint and a ``TYPE`` record.

Modules are imported on first :func:`get`, and each builds its lookup tables on first use, so
importing this package stays cheap.
"""

from __future__ import annotations

import importlib
import logging

from crosslink.errors import ModelError
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType

__all__ = ["DEFAULT_CONTEXT", "CleanContext", "ValueType", "get", "names"]

log = logging.getLogger(__name__)

# Type name -> module in this package (the same, as it happens; kept explicit so a rename of
# a module is not a rename of a type that mappings and stored data refer to).
_MODULES = {
    "address": "address",
    "boolean": "boolean",
    "country": "country",
    "date": "date",
    "email": "email",
    "handle": "handle",
    "iban": "iban",
    "identifier": "identifier",
    "name": "name",
    "national_id": "national_id",
    "number": "number",
    "phone": "phone",
    "plate": "plate",
    "postcode": "postcode",
    "string": "string",
    "text": "text",
    "url": "url",
}
_loaded: dict[str, ValueType] = {}


def names() -> list[str]:
    """Every value type name, sorted."""
    return sorted(_MODULES)


def get(name: str) -> ValueType:
    """The value type called ``name``; :class:`ModelError` listing the known ones if none."""
    found = _loaded.get(name)
    if found is not None:
        return found
    module_name = _MODULES.get(name)
    if module_name is None:
        raise ModelError(f"unknown value type {name!r}; known types: {', '.join(names())}")
    module = importlib.import_module(f"{__name__}.{module_name}")
    value_type = module.TYPE
    if not isinstance(value_type, ValueType) or value_type.name != name:
        raise ModelError(f"module {module.__name__} does not define value type {name!r}")
    log.debug("loaded value type %s", name)
    _loaded[name] = value_type
    return value_type
