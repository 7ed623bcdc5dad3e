"""Investigation cases: their members and records (a case shares its records with its
members under the policy)."""

from crosslink.cases.investigations import (
    CaseSummary,
    add_member,
    add_records,
    close_case,
    list_cases,
    open_case,
)

__all__ = ["CaseSummary", "add_member", "add_records", "close_case", "list_cases", "open_case"]
