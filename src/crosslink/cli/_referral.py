"""crosslink referral …: the victim referral mechanism from the command line.

Every command acts ``--as`` a user; the library asks the policy and writes the audit log. A
refused step or page is committed (its ``denied`` entry stays in the log) before the error
is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from sqlalchemy import Connection

from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import AccessDenied, InvalidValue
from crosslink.referral import (
    JURISDICTIONS,
    Move,
    NewReferral,
    ReferralView,
    due_clocks,
    list_referrals,
    load_procedure,
    move,
    open_referral,
    retrafficking_alerts,
    show_referral,
)
from crosslink.referral.views import parse_scope

T = TypeVar("T")


def register(app: typer.Typer) -> None:
    referral_app = typer.Typer(
        help="Victim referrals: procedures (BE, NL, UK), cases, clocks, alerts.",
        no_args_is_help=True,
    )
    for name, command in (
        ("open", referral_open),
        ("show", referral_show),
        ("list", referral_list),
        ("move", referral_move),
        ("due", referral_due),
        ("alerts", referral_alerts),
        ("procedure", referral_procedure),
    ):
        referral_app.command(name)(command)
    app.add_typer(referral_app, name="referral")


def _committing_refusal(ctx: typer.Context, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one transaction; a refusal is committed with its audit entry, then
    raised."""
    refused: AccessDenied | None = None
    result: T | None = None
    with state(ctx).store().transaction() as conn:
        try:
            result = work(conn)
        except AccessDenied as exc:
            refused = exc
    if refused is not None:
        raise refused
    assert result is not None
    return result


def _documents(pairs: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        kind, sep, reference = pair.partition("=")
        if not sep or not kind.strip() or not reference.strip():
            raise InvalidValue(f"--document {pair!r}: write KIND=REFERENCE")
        found[kind.strip()] = reference.strip()
    return found


def referral_open(
    ctx: typer.Context,
    record_uid: str = typer.Argument(..., help="The presumed victim's record."),
    jurisdiction: str = typer.Option(..., help=f"One of {', '.join(JURISDICTIONS)}."),
    destination: str = typer.Option(None, help="Where it goes (BE: payoke, pag-asa, surya)."),
    minor: bool = typer.Option(False, "--minor", help="The person is a minor."),
    guardian: str = typer.Option(None, help="The minor's guardian."),
    exploitation: str = typer.Option(None, help="Form of exploitation (model category)."),
    sector: str = typer.Option(None, help="Labour sector (model category)."),
    means: list[str] = typer.Option([], "--means", help="A means of control (repeatable)."),
    as_user: str = AS_USER,
) -> None:
    """Open a referral for a victim's record under the jurisdiction's procedure."""
    new = NewReferral(
        record_uid, jurisdiction, destination, minor, guardian, exploitation, sector, tuple(means)
    )
    rid = _committing_refusal(ctx, lambda conn: open_referral(conn, who(conn, as_user), new))
    typer.echo(f"referral {rid} opened")


def referral_move(
    ctx: typer.Context,
    referral_id: int = typer.Argument(...),
    transition: str = typer.Argument(..., help="The step (see `crosslink referral show`)."),
    document: list[str] = typer.Option([], "--document", "-d", help="KIND=REFERENCE."),
    reason: str = typer.Option(None, help="Why, in words."),
    destination: str = typer.Option(None, help="A transfer's new destination."),
    caseworker: str = typer.Option(None, help="A transfer's new caseworker."),
    outcome: str = typer.Option(None, help="The outcome, when the step closes the referral."),
    as_user: str = AS_USER,
) -> None:
    """Make one step of the procedure; the policy checks the role, the log keeps it."""
    step = Move(transition, _documents(document), reason, destination, caseworker, outcome)
    new_state = _committing_refusal(
        ctx, lambda conn: move(conn, who(conn, as_user), referral_id, step)
    )
    typer.echo(f"referral {referral_id} is now {new_state}")


def referral_show(
    ctx: typer.Context,
    referral_id: int = typer.Argument(...),
    justification: str = typer.Option(..., help="Why you consult the case (LED art. 25)."),
    as_user: str = AS_USER,
) -> None:
    """One referral: its state, timeline, clocks and the next steps."""
    view = _committing_refusal(
        ctx,
        lambda conn: show_referral(
            conn, who(conn, as_user), referral_id, justification=justification
        ),
    )
    _print_view(view)


def _print_view(view: ReferralView) -> None:
    s = view.summary
    typer.echo(f"referral {s.id} ({s.jurisdiction}): {s.state_label}")
    typer.echo(f"record {view.record_uid}; destination {s.destination}; caseworker {s.caseworker}")
    if view.minor:
        typer.echo(f"minor, guardian: {view.guardian}")
    if view.outcome:
        typer.echo(f"outcome: {view.outcome}")
    if view.conditions:
        typer.echo(f"handling conditions: {view.conditions}")
    print_table(
        ["at", "step", "from", "to", "by", "version", "documents", "reason"],
        [
            [
                st.at.strftime("%Y-%m-%d %H:%M"),
                st.transition,
                st.from_state or "",
                st.to_state,
                st.actor,
                st.version,
                "; ".join(f"{k}={v}" for k, v in st.documents.items()),
                st.reason or "",
            ]
            for st in view.steps
        ],
    )
    for c in view.clocks:
        typer.echo(f"clock {c.clock_id}: {c.label}, {c.due_on.isoformat()} ({c.status})")
    for n in view.next_steps:
        needs = f" needs {', '.join(n.requires)}" if n.requires else ""
        typer.echo(f"next: {n.transition} by {n.role}{needs}")


def referral_list(
    ctx: typer.Context,
    scope: str = typer.Option("agency", help="mine or agency."),
    open_only: bool = typer.Option(False, "--open", help="Only referrals not closed."),
    as_user: str = AS_USER,
) -> None:
    """The referrals you may see."""
    with state(ctx).store().transaction() as conn:
        found = list_referrals(
            conn,
            who(conn, as_user),
            scope=parse_scope(scope),
            open_only=open_only,
        )
    print_table(
        ["id", "jur.", "state", "destination", "caseworker", "agency", "opened", "closed"],
        [
            [
                str(s.id),
                s.jurisdiction,
                s.state,
                s.destination,
                s.caseworker,
                s.agency_id,
                s.opened_at.strftime("%Y-%m-%d"),
                s.closed_at.strftime("%Y-%m-%d") if s.closed_at else "",
            ]
            for s in found
        ],
    )


def referral_due(
    ctx: typer.Context,
    scope: str = typer.Option("mine", help="mine, agency, or role (what your roles must do)."),
    within: int = typer.Option(7, help="Days ahead counted as due."),
    as_user: str = AS_USER,
) -> None:
    """Deadlines due soon or overdue: the reminders of the desk."""
    with state(ctx).store().transaction() as conn:
        found = due_clocks(
            conn,
            who(conn, as_user),
            scope=parse_scope(scope),
            within_days=within,
        )
    print_table(
        ["referral", "jur.", "clock", "owner", "due", "status", "when it runs out"],
        [
            [
                str(c.referral_id),
                c.jurisdiction,
                c.label,
                c.owner_role,
                c.due_on.isoformat(),
                c.status,
                c.on_expiry,
            ]
            for c in found
        ],
    )


def referral_alerts(
    ctx: typer.Context,
    scope: str = typer.Option("mine", help="mine, agency, or role."),
    as_user: str = AS_USER,
) -> None:
    """Re-trafficking alerts: the person of a referral appears in records that came later."""
    with state(ctx).store().transaction() as conn:
        found = retrafficking_alerts(
            conn,
            who(conn, as_user),
            scope=parse_scope(scope),
        )
    print_table(
        ["referral", "state", "closed", "source", "agency", "new records", "first seen"],
        [
            [
                str(a.referral_id),
                a.state,
                "yes" if a.closed else "no",
                a.source_id,
                a.agency_id or "",
                str(a.new_records),
                a.first_seen.strftime("%Y-%m-%d"),
            ]
            for a in found
        ],
    )


def referral_procedure(
    jurisdiction: str = typer.Argument(..., help=f"One of {', '.join(JURISDICTIONS)}."),
) -> None:
    """The procedure as data: states, clocks and the steps between them."""
    p = load_procedure(jurisdiction.upper())
    typer.echo(f"{p.title} (version {p.version}); starts at {p.start}")
    for name, spec in p.states.items():
        clocks = ", ".join(
            f"{c.id} ({c.kind}, {c.length.model_dump(exclude_none=True)}, owner {c.owner})"
            for c in spec.clocks
        )
        typer.echo(f"state {name}: {spec.label}" + (f" [clocks: {clocks}]" if clocks else ""))
    print_table(
        ["step", "from", "to", "role", "needs"],
        [[t.id, ", ".join(t.from_), t.to, t.role, ", ".join(t.requires)] for t in p.transitions],
    )
