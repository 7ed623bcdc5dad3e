"""``email``: e-mail addresses, lowercase; the fingerprint undoes aliasing tricks."""

from __future__ import annotations

import re

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = ["TYPE", "clean", "compare", "fingerprint", "validate"]

_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_LABEL = re.compile(r"(?!-)[\w-]{1,63}(?<!-)")
_TLD = re.compile(r"[^\W\d_]{2,63}|xn--[a-z0-9-]+")
_GMAIL = frozenset({"gmail.com", "googlemail.com"})
# Same mailbox, different spelling of the address: scores high but not 1.0.
_SAME_MAILBOX = 0.9


def _unwrap(raw: str) -> str:
    text = _MAILTO.sub("", require(raw)).split("?", 1)[0].strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    return text.lower()


def _check_domain(domain: str) -> None:
    if not domain:
        raise InvalidValue("email has nothing after @")
    labels = domain.split(".")
    if len(labels) < 2:
        raise InvalidValue(f"email domain {domain!r} has no dot")
    if any(not _LABEL.fullmatch(label) for label in labels):
        raise InvalidValue(f"email domain {domain!r} is not a valid host name")
    if not _TLD.fullmatch(labels[-1]):
        raise InvalidValue(f"email domain {domain!r} has no valid top-level domain")


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """Trimmed, lowercase, without ``mailto:``; syntax checked."""
    text = _unwrap(raw)
    if any(ch.isspace() for ch in text):
        raise InvalidValue("email contains spaces")
    if text.count("@") != 1:
        raise InvalidValue(f"email needs exactly one @ (found {text.count('@')})")
    local, domain = text.split("@")
    if not local:
        raise InvalidValue("email has nothing before @")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidValue("email local part has a misplaced dot")
    _check_domain(domain.rstrip("."))
    return f"{local}@{domain.rstrip('.')}"


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def fingerprint(cleaned: str) -> str:
    """The mailbox: ``+tag`` removed; for Gmail also dots, and googlemail.com -> gmail.com."""
    local, _, domain = cleaned.rpartition("@")
    local = local.split("+", 1)[0] or local
    if domain in _GMAIL:
        return f"{local.replace('.', '')}@gmail.com"
    return f"{local}@{domain}"


def compare(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return _SAME_MAILBOX if fingerprint(a) == fingerprint(b) else 0.0


TYPE = ValueType(name="email", clean=clean, compare=compare, fingerprint=fingerprint)
