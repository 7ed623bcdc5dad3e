"""The workbench around the data: a home per role, and the lists of agencies, sources and
permissions. Search and profiles are :mod:`crosslink.search` and :mod:`crosslink.profiles`."""

from crosslink.workbench.homes import Home, HomeList, home, load_homes
from crosslink.workbench.registry import (
    PermissionRow,
    SourceRow,
    list_agencies,
    list_permissions,
    list_sources,
)

__all__ = [
    "Home",
    "HomeList",
    "PermissionRow",
    "SourceRow",
    "home",
    "list_agencies",
    "list_permissions",
    "list_sources",
    "load_homes",
]
