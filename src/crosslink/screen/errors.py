"""Errors of the screening room, under the one root :class:`~crosslink.errors.CrosslinkError`.

The subtree::

    CrosslinkError
    ├── ModelError
    │   └── RuleError               an indicator or lexicon file is invalid: file, line, reason
    └── ScreenError                 screening cannot do what was asked (500)
        └── NoScreening             no screening run, or no such ad in the user's view (404)

An ad the user may not see is reported exactly like one that does not exist.
"""

from __future__ import annotations

from crosslink.errors import CrosslinkError, ModelError

__all__ = ["NoScreening", "RuleError", "ScreenError"]


class RuleError(ModelError):
    """A rule or word-list file that cannot be used; the message names file, line and reason."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


class ScreenError(CrosslinkError):
    http_status = 500
    title = "Screening error"


class NoScreening(ScreenError):
    http_status = 404
    title = "Not screened"
