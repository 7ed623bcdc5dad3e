"""Password hashing with argon2id (argon2-cffi), and the rules a new password must meet.

A new password needs :data:`MIN_LENGTH` characters, :data:`MIN_DISTINCT` different ones, no
long run of consecutive characters, and must not be built on a common password: the list
shipped as package data (``data/common-passwords.txt``, curated: no breached-password corpus
is available offline here), compared after removing digits and symbols around it, undoing
common letter-for-digit swaps and collapsing repetition (``Password1234!``, ``p4ssw0rd``,
``monkeymonkey`` all fail).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from crosslink.errors import InvalidValue

MIN_LENGTH = 12
MIN_DISTINCT = 5
_LEET = str.maketrans("0134578@$!|", "oieastbasil")
_AROUND = "0123456789!@#$%^&*()_-+=.,;:?/\\|~'\" "
DEMO_PASSWORD = "crosslink-demo"
"""The demo administrator's password; refused everywhere outside demo mode."""

# RFC 9106's second recommended option (64 MiB, 3 passes), argon2id.
_HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, type=Type.ID)


def hash_password(password: str) -> str:
    """An argon2id hash in PHC string form (salt and parameters included)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for a mismatch or an unusable hash."""
    if not stored_hash:
        _HASHER.hash(password)  # spend the same time, so timing does not reveal the user
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored_hash)


def check_new_password(password: str, *, username: str, demo: bool) -> None:
    """Refuse passwords that are short, guessable, built on the user name, or the demo
    password outside demo mode (which is allowed in demo mode only, as it is)."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"a password needs at least {MIN_LENGTH} characters")
    if password == DEMO_PASSWORD:
        if demo:
            return
        raise InvalidValue("the demo password is accepted in demo mode only")
    if username and username.casefold() in password.casefold():
        raise InvalidValue("a password must not contain the user name")
    if len(set(password.casefold())) < MIN_DISTINCT:
        raise InvalidValue(f"a password needs at least {MIN_DISTINCT} different characters")
    if _sequential(password.casefold()):
        raise InvalidValue("a password must not be a run of consecutive characters (1234, abcd)")
    if _bases(password) & common_passwords():
        raise InvalidValue("this password is built on a common password: choose another")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords and password bases (lower case)."""
    text = (
        resources.files("crosslink.access")
        .joinpath("data/common-passwords.txt")
        .read_text(encoding="utf-8")
    )
    words = (line.strip() for line in text.splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


def _bases(password: str) -> set[str]:
    """What ``password`` may be built on: itself, without digits and symbols around it or
    at all, with digit-for-letter swaps undone, and its repeated unit."""
    bases: set[str] = set()
    text = password.casefold()
    core = text.strip(_AROUND)
    for part in (text, core, core.translate(_LEET), re.sub(r"[^a-z]", "", text)):
        bases |= {part, _unit(part)}
    bases.discard("")
    return bases


def _unit(text: str) -> str:
    """The shortest piece ``text`` is a repetition of (``abcabc`` → ``abc``)."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def _sequential(text: str) -> bool:
    """Whether most neighbouring characters are consecutive (``123456789012``, ``zyxw…``)."""
    steps = [ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)]
    runs = sum(1 for step in steps if step in (1, -1))
    return runs >= 0.6 * len(steps)
