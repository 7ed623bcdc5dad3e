"""``url``: web addresses; scheme and host lowercased, fragment and tracking removed."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = ["TYPE", "clean", "compare", "fingerprint", "validate"]

_SCHEMES = frozenset({"http", "https", "ftp"})
_DANGEROUS = frozenset({"javascript", "data", "vbscript", "file", "blob"})
_TRACKING = re.compile(r"^(?:utm_.*|fbclid|gclid|dclid|msclkid|mc_eid|mc_cid|igshid|_ga)$")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SAFE = "%/:@?&=+$,;~!*'()[]"
_SAME_PAGE_SCORE = 0.9
_SAME_SITE_SCORE = 0.3


def _query(query: str) -> str:
    pairs = [p.partition("=") for p in query.split("&") if p]
    kept = [(k, v) for k, _, v in pairs if not _TRACKING.match(k.lower())]
    return urlencode(kept, safe="%/:@,+") if kept else ""


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """``scheme://host/path?query`` with a lowercase scheme and host; no fragment, no utm_*."""
    text = require(raw)
    scheme = _SCHEME.match(text)
    # "example.com:8080/x" is a host and port, not a scheme.
    if scheme and text[scheme.end() :][:1].isdigit() and "://" not in text:
        scheme = None
    name = scheme.group(1).lower() if scheme else "https"
    if name in _DANGEROUS:
        raise InvalidValue(f"{name}: URLs are not accepted")
    if name not in _SCHEMES:
        raise InvalidValue(f"not a web address (scheme {name}:)")
    if scheme is None:
        # "example.com/job" as typed in an ad.
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # unbalanced brackets read as a broken IPv6 host
        raise InvalidValue(f"malformed URL {raw.strip()!r}") from exc
    scheme_name = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if any(ch.isspace() for ch in host):
        raise InvalidValue(f"spaces in the host of URL {raw.strip()!r}")
    if "." not in host and host != "localhost" and not host.startswith("["):
        raise InvalidValue(f"no valid host in URL {raw.strip()!r}")
    netloc = host
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidValue(f"invalid port in URL {raw.strip()!r}") from exc
    if port is not None and port != _DEFAULT_PORTS.get(scheme_name):
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = quote(parts.path, safe=_SAFE) or "/"
    return urlunsplit((scheme_name, netloc, path, _query(quote(parts.query, safe=_SAFE)), ""))


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def fingerprint(cleaned: str) -> str:
    """Host without ``www.``, path without trailing slash, and query: scheme ignored."""
    parts = urlsplit(cleaned)
    host = re.sub(r"^www\.", "", parts.netloc.rpartition("@")[2])
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def compare(a: str, b: str) -> float:
    if a == b:
        return 1.0
    fa, fb = fingerprint(a), fingerprint(b)
    if fa == fb:
        return _SAME_PAGE_SCORE
    if fa.split("/")[0] == fb.split("/")[0]:
        return _SAME_SITE_SCORE
    return 0.0


TYPE = ValueType(name="url", clean=clean, compare=compare, fingerprint=fingerprint)
