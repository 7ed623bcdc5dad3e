"""Password hashing with argon2id (argon2-cffi), and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from crosslink.errors import InvalidValue

MIN_LENGTH = 12
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
    """Refuse passwords that are short, equal to the user name, or the demo password."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"a password needs at least {MIN_LENGTH} characters")
    if password.casefold() == username.casefold():
        raise InvalidValue("a password must not be the user name")
    if password == DEMO_PASSWORD and not demo:
        raise InvalidValue("the demo password is accepted in demo mode only")
