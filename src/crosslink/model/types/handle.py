"""``handle``: online accounts, canonical as ``platform:name``.

"@name" -> ``handle:name`` (platform unknown); "t.me/name" -> ``telegram:name``;
"wa.me/32470123456" -> ``whatsapp:+32470123456``; "instagram.com/name" -> ``instagram:name``.
Job-ad recruiters often give only a messenger contact, so these are matched like phones.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from crosslink.errors import InvalidValue
from crosslink.model.types import phone
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = ["PLATFORMS", "TYPE", "clean", "compare", "fingerprint", "validate"]

# Host (without "www." / "m.") -> platform.
_HOSTS = {
    "t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
    "wa.me": "whatsapp", "api.whatsapp.com": "whatsapp", "whatsapp.com": "whatsapp",
    "instagram.com": "instagram", "instagr.am": "instagram",
    "facebook.com": "facebook", "fb.com": "facebook", "fb.me": "facebook",
    "tiktok.com": "tiktok", "twitter.com": "x", "x.com": "x",
    "snapchat.com": "snapchat", "vk.com": "vk", "linkedin.com": "linkedin",
}  # fmt: skip
PLATFORMS = frozenset(set(_HOSTS.values()) | {"handle", "signal", "viber"})
_ALIASES = {"tg": "telegram", "wa": "whatsapp", "ig": "instagram", "fb": "facebook"}
_NAME = re.compile(r"[a-z0-9._-]{1,64}")
# Paths that are pages of the platform, not accounts.
_NOT_ACCOUNTS = frozenset({"p", "reel", "reels", "stories", "explore", "share", "joinchat"})
_SAME_NAME_SCORE = 0.8  # "@name" with unknown platform vs a known platform
_OTHER_PLATFORM_SCORE = 0.6  # people reuse one name across platforms


def _account(platform: str, name: str, ctx: CleanContext) -> str:
    if platform in ("whatsapp", "signal", "viber"):
        digits = re.sub(r"[^\d+]", "", name)
        # wa.me links carry the international number without "+"; a leading 0 is national.
        number = digits if digits.startswith(("+", "0")) else "+" + digits
        return f"{platform}:{phone.clean(number, ctx)}"
    name = name.lower().lstrip("@")
    if not _NAME.fullmatch(name):
        raise InvalidValue(f"{name!r} is not a valid account name")
    return f"{platform}:{name}"


def _from_url(text: str, ctx: CleanContext) -> str | None:
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        host = (parts.hostname or "").lower()
    except ValueError as exc:  # unbalanced brackets read as a broken IPv6 host
        raise InvalidValue(f"malformed link {text!r}") from exc
    host = re.sub(r"^(?:www|m|mobile|web)\.", "", host)
    platform = _HOSTS.get(host)
    if platform is None:
        return None
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    if platform == "whatsapp" and "phone" in query:
        return _account(platform, query["phone"][0], ctx)
    if platform == "facebook" and segments[:1] == ["profile.php"] and "id" in query:
        return _account(platform, query["id"][0], ctx)
    if not segments or segments[0].lower() in _NOT_ACCOUNTS:
        raise InvalidValue(f"not an account link: {text!r}")
    return _account(platform, segments[0], ctx)


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    text = require(raw)
    prefix, sep, rest = text.partition(":")
    platform = _ALIASES.get(prefix.lower(), prefix.lower())
    if sep and platform in PLATFORMS and not rest.startswith("//"):
        return _account(platform, rest.strip(), ctx)
    if not text.startswith("@") and ("/" in text or "." in text):
        account = _from_url(text, ctx)
        if account is not None:
            return account
        if "/" in text:
            raise InvalidValue(f"unknown platform in {text!r}")
    return _account("handle", text, ctx)


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def fingerprint(cleaned: str) -> str:
    """The account name (or phone number) without the platform."""
    return cleaned.partition(":")[2]


def compare(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if fingerprint(a) != fingerprint(b):
        return 0.0
    if a.startswith("handle:") or b.startswith("handle:"):
        return _SAME_NAME_SCORE
    return _OTHER_PLATFORM_SCORE


TYPE = ValueType(name="handle", clean=clean, compare=compare, fingerprint=fingerprint)
