"""Login rate limiting, per user and per address, persisted in ``login_attempts``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, update

from crosslink.access.schema import login_attempts
from crosslink.clock import as_utc


@dataclass(frozen=True)
class Limit:
    """``max_failures`` within ``window`` lock the key for ``lockout``."""

    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    lockout: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class RateLimits:
    per_user: Limit = Limit()
    per_address: Limit = Limit(max_failures=20)


DEFAULT_LIMITS = RateLimits()


def user_key(username: str) -> str:
    return "user:" + username.casefold()[:290]


def address_key(address: str) -> str:
    return "addr:" + address[:290]


def locked_for(conn: Connection, keys: list[str], now: dt.datetime) -> int:
    """Seconds until every key in ``keys`` is unlocked (0: none is locked)."""
    rows = conn.execute(
        select(login_attempts.c.locked_until).where(
            login_attempts.c.key.in_(keys), login_attempts.c.locked_until.is_not(None)
        )
    ).scalars()
    waits = [(as_utc(until) - now).total_seconds() for until in rows]
    return max([math.ceil(w) for w in waits if w > 0], default=0)


def record_failure(conn: Connection, key: str, limit: Limit, now: dt.datetime) -> None:
    row = conn.execute(
        select(login_attempts.c.failures, login_attempts.c.window_start).where(
            login_attempts.c.key == key
        )
    ).first()
    if row is None:
        failures, start = 1, now
        conn.execute(
            login_attempts.insert().values(key=key, failures=1, window_start=now, locked_until=None)
        )
    else:
        start = as_utc(row.window_start)
        failures = row.failures + 1
        if now - start > limit.window:
            failures, start = 1, now
    locked = now + limit.lockout if failures >= limit.max_failures else None
    conn.execute(
        update(login_attempts)
        .where(login_attempts.c.key == key)
        .values(failures=failures, window_start=start, locked_until=locked)
    )


def clear(conn: Connection, key: str) -> None:
    conn.execute(delete(login_attempts).where(login_attempts.c.key == key))
