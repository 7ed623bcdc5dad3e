"""Errors of the exchange room, under the one root :class:`~crosslink.errors.CrosslinkError`.

The subtree::

    CrosslinkError
    └── ExchangeError               a key, package or receipt cannot be used as asked (422)
        ├── KeyUnusable             no usable key: unknown, revoked, wrong passphrase (422)
        └── PackageRefused          a package or receipt failed a check: altered, expired,
                                    misaddressed, replayed, signed by a revoked key (422)

A refused package leaves the store as it was; the refusal itself is audited.
"""

from __future__ import annotations

from crosslink.errors import CrosslinkError

__all__ = ["ExchangeError", "KeyUnusable", "PackageRefused"]


class ExchangeError(CrosslinkError):
    http_status = 422
    title = "Exchange error"


class KeyUnusable(ExchangeError):
    title = "Key unusable"


class PackageRefused(ExchangeError):
    title = "Package refused"
