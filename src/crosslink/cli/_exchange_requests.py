"""crosslink exchange request add|state|due|show: requests and their legal clocks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import typer

from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import InvalidValue
from crosslink.exchange.requests import (
    NewRequest,
    Request,
    due_requests,
    register_request,
    set_state,
    show_request,
)

request_app = typer.Typer(
    help="Requests between agencies and their legal clocks.", no_args_is_help=True
)


def register(exchange_app: typer.Typer) -> None:
    exchange_app.add_typer(request_app, name="request")


def _when(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValue(
            f"--received {text!r}: give an ISO time, e.g. 2026-03-02T22:30+01:00"
        ) from None
    if value.tzinfo is None:
        raise InvalidValue(f"--received {text!r}: say its time zone, e.g. +01:00 or Z")
    return value


@request_app.command("add")
def request_add(
    ctx: typer.Context,
    direction: str = typer.Option(..., help="in (we answer) or out (a partner answers)."),
    partner: str = typer.Option(..., help="The partner agency."),
    reference: str = typer.Option(..., help="The request's reference."),
    basis: str = typer.Option("eu-2023-977", help="Legal basis: eu-2023-977, eu-uk-tca, …"),
    urgency: str = typer.Option("standard", help="urgent-direct, urgent-indirect, standard …"),
    summary: str = typer.Option(..., help="What is asked (may name a person)."),
    received: str = typer.Option(None, help="When it arrived or left (ISO, with zone)."),
    as_user: str = AS_USER,
) -> None:
    """Register a request; its legal basis and urgency start the clock."""
    new = NewRequest(direction, partner, reference, basis, urgency, summary, _when(received))
    with state(ctx).store().transaction() as conn:
        made = register_request(conn, who(conn, as_user, "register a request"), new)
    typer.echo(f"request {made.id} ({made.reference}) due {_local(made)}")


@request_app.command("state")
def request_state(
    ctx: typer.Context,
    request_id: int = typer.Argument(..., help="The request's number."),
    to: str = typer.Option(..., "--to", help="in_progress, answered or refused."),
    reason: str = typer.Option(None, help="The ground of a refusal."),
    package: str = typer.Option(None, help="The package that answered it."),
    as_user: str = AS_USER,
) -> None:
    """Move a request on."""
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user, "handle a request")
        moved = set_state(conn, subject, request_id, to, reason=reason, package_id=package)
    typer.echo(f"request {moved.id} is {moved.state}")


@request_app.command("due")
def request_due(
    ctx: typer.Context,
    within_hours: float = typer.Option(None, help="Only those due within so many hours."),
    as_user: str = AS_USER,
) -> None:
    """Open requests by deadline, the overdue ones marked."""
    within = dt.timedelta(hours=within_hours) if within_hours is not None else None
    with state(ctx).store().transaction() as conn:
        found = due_requests(conn, who(conn, as_user, "read requests"), within=within)
    now = dt.datetime.now(dt.UTC)
    print_table(
        ["id", "dir", "partner", "reference", "basis", "urgency", "due (local)", "status"],
        [
            [
                str(r.id),
                r.direction,
                r.partner,
                r.reference,
                r.legal_basis,
                r.urgency,
                _local(r),
                r.status(now),
            ]
            for r in found
        ],
    )


@request_app.command("show")
def request_show(
    ctx: typer.Context,
    request_id: int = typer.Argument(..., help="The request's number."),
    justification: str = typer.Option(..., help="Why you read it (it may name a person)."),
    as_user: str = AS_USER,
) -> None:
    """One request with its summary (the consultation is audited)."""
    with state(ctx).store().transaction() as conn:
        found, summary = show_request(
            conn, who(conn, as_user, "read a request"), request_id, justification
        )
    typer.echo(
        f"{found.reference} from/to {found.partner}: {found.status(dt.datetime.now(dt.UTC))}"
    )
    typer.echo(f"due {_local(found)}; {found.legal_basis}, {found.urgency}")
    if found.reason:
        typer.echo(f"refused: {found.reason}")
    typer.echo(summary)


def _local(request: Request) -> str:
    """The deadline on the answering agency's clock, with its offset."""
    return request.due_at.astimezone(ZoneInfo(request.time_zone)).isoformat(timespec="minutes")
