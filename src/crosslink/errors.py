"""Every error Crosslink raises on purpose derives from :class:`CrosslinkError`.

The tree::

    CrosslinkError
    ├── ConfigurationError          settings that cannot work (bad URL, placeholder secret)
    ├── ModelError                  the data model (YAML) is invalid, or a name is unknown
    ├── InvalidValue                one value failed cleaning (phone, IBAN, date …); has .reason
    ├── StoreError                  the store cannot do what was asked
    │   ├── NotFound                no such source, batch, record …
    │   ├── Conflict                the thing exists already (a source id, say)
    │   └── ServiceUnavailable      a required database server is missing or down
    ├── IngestError                 a partner file cannot be imported
    │   ├── ReaderError             the file itself is unreadable (encoding, empty, not a list …)
    │   ├── MappingError            the mapping file is invalid or does not fit the file
    │   └── BatchRejected           --strict import with rejected rows: nothing was written
    ├── AccessDenied                the policy said no (403); has .reason
    │   ├── JustificationRequired   consulting a person's data without a justification (422)
    │   └── CsrfRejected            a form came without the session's CSRF token
    ├── AuthenticationFailed        unknown user, wrong password, expired session or token (401)
    │   └── RateLimited             too many failed logins; has .retry_after seconds (429)
    ├── AuditError                  the audit log cannot be written or read as asked
    ├── ResolveError                entity resolution cannot do what was asked
    │   └── InvalidJudgement        a judgement that cannot stand (no reason, unknown record,
    │                               records of different entity types) (422)
    ├── GraphError                  (crosslink.graph.errors) the network cannot do what was asked
    │   ├── UnknownNode             no such subject in the network the user may see (404)
    │   ├── UnknownNetwork          no detected network with that id in the user's view (404)
    │   ├── InvalidGraphOption      an option out of range, an unknown format or objective (422)
    │   └── NetworkBuilding         the network is being built; ask again shortly (503)
    └── ExchangeError               (crosslink.exchange.errors) a key, package or receipt
        ├── KeyUnusable             cannot be used: unknown or revoked key, wrong passphrase;
        └── PackageRefused          a package altered, expired, misaddressed or replayed (422)

``http_status`` is a class attribute so the web layer can turn any of these into an RFC 9457
problem response in one place. Messages are one plain line for a person to read: no colour
codes, no tracebacks.
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "AuditError",
    "AuthenticationFailed",
    "BatchRejected",
    "ConfigurationError",
    "Conflict",
    "CrosslinkError",
    "CsrfRejected",
    "IngestError",
    "InvalidJudgement",
    "InvalidValue",
    "JustificationRequired",
    "MappingError",
    "ModelError",
    "NotFound",
    "RateLimited",
    "ReaderError",
    "ResolveError",
    "ServiceUnavailable",
    "StoreError",
]


class CrosslinkError(Exception):
    """Root of every deliberate Crosslink error."""

    http_status: int = 500
    title: str = "Crosslink error"


class ConfigurationError(CrosslinkError):
    http_status = 500
    title = "Configuration error"


class ModelError(CrosslinkError):
    http_status = 500
    title = "Data model error"


class InvalidValue(CrosslinkError, ValueError):
    """A single value could not be cleaned; ``reason`` says why, for the rejection report."""

    http_status = 422
    title = "Invalid value"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreError(CrosslinkError):
    http_status = 500
    title = "Store error"


class NotFound(StoreError):
    http_status = 404
    title = "Not found"


class Conflict(StoreError):
    http_status = 409
    title = "Conflict"


class ServiceUnavailable(StoreError):
    http_status = 503
    title = "Service unavailable"


class IngestError(CrosslinkError):
    http_status = 422
    title = "Import error"


class ReaderError(IngestError):
    """The file cannot be read at all; ``file`` and (when known) ``row`` say where."""

    title = "Unreadable file"

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None) -> None:
        where = file or ""
        if row is not None:
            where = f"{where}, row {row}" if where else f"row {row}"
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.row = row


class MappingError(IngestError):
    title = "Invalid mapping"


class BatchRejected(IngestError):
    """Raised by strict imports; ``rejected`` counts the rows that failed validation."""

    title = "Batch rejected"

    def __init__(self, message: str, *, rejected: int) -> None:
        super().__init__(message)
        self.rejected = rejected


class AccessDenied(CrosslinkError):
    """The policy refused; ``reason`` says why, in words a user can act on."""

    http_status = 403
    title = "Access denied"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JustificationRequired(AccessDenied):
    http_status = 422
    title = "Justification required"


class CsrfRejected(AccessDenied):
    title = "Form rejected"


class AuthenticationFailed(CrosslinkError):
    """Login, session or token refused; ``reason`` is safe to show (it names no account)."""

    http_status = 401
    title = "Authentication failed"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RateLimited(AuthenticationFailed):
    http_status = 429
    title = "Too many attempts"

    def __init__(self, reason: str, *, retry_after: int) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class AuditError(CrosslinkError):
    http_status = 500
    title = "Audit log error"


class ResolveError(CrosslinkError):
    http_status = 500
    title = "Entity resolution error"


class InvalidJudgement(ResolveError):
    http_status = 422
    title = "Invalid judgement"
