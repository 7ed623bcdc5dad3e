"""Every view or export of a network is logged as a consultation (or disclosure) of its records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from crosslink.access.audit import Event, append
from crosslink.access.policy import Subject
from crosslink.clock import Clock
from crosslink.errors import JustificationRequired


def log_network_access(
    conn: Connection,
    subject: Subject,
    records: Iterable[str],
    *,
    what: Mapping[str, Any],
    justification: str | None,
    disclosure: bool = False,
    recipients: Iterable[str] = (),
    clock: Clock | None = None,
) -> None:
    """One audit entry naming every record behind what was shown (or exported), and why.

    A network names persons, so a justification is always required (LED art. 25).
    """
    if not (justification or "").strip():
        raise JustificationRequired(
            "viewing or exporting a network needs a justification (LED art. 25)"
        )
    event = Event(
        "disclosure" if disclosure else "consultation",
        {"records": sorted(set(records)), **what},
        justification=justification,
        recipients=recipients,
        personal=True,
    )
    append(conn, subject, event, clock=clock)
