"""Errors of the statistics room, under the one root :class:`~crosslink.errors.CrosslinkError`.

The subtree::

    CrosslinkError
    └── StatsError                  statistics cannot do what was asked (500)
        ├── RulesError              the counting rules (YAML) are invalid: file, line, reason
        ├── InvalidStatsRequest     an unknown dimension, role, method or option (422)
        ├── DisclosureRefused       a release would reveal a protected cell, or exceed the
        │                           privacy budget (409)
        └── EstimateRefused         the lists are too small or too sparse to estimate (422)
"""

from __future__ import annotations

from crosslink.errors import CrosslinkError

__all__ = [
    "DisclosureRefused",
    "EstimateRefused",
    "InvalidStatsRequest",
    "RulesError",
    "StatsError",
]


class StatsError(CrosslinkError):
    http_status = 500
    title = "Statistics error"


class RulesError(StatsError):
    http_status = 500
    title = "Invalid counting rules"


class InvalidStatsRequest(StatsError):
    http_status = 422
    title = "Invalid statistics request"


class DisclosureRefused(StatsError):
    http_status = 409
    title = "Release refused by disclosure control"


class EstimateRefused(StatsError):
    http_status = 422
    title = "Estimate refused"
