"""crosslink case …, consent …, permission …, signal …: need-to-know doors and feedback."""

from __future__ import annotations

import typer

from crosslink.access.feedback import STATUSES, feedback_on_my_signals, give_feedback
from crosslink.access.grants import PermissionGrant, grant_permission, revoke_permission
from crosslink.cases import add_member, add_records, close_case, list_cases, open_case
from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.cli._workbench import permission_list
from crosslink.errors import AccessDenied
from crosslink.referral.consent import (
    ConsentGrant,
    list_consents,
    record_consent,
    withdraw_consent,
)
from crosslink.screen.inbox import incoming_signals


def register(app: typer.Typer) -> None:
    case_app = typer.Typer(
        help="Cases and investigations: members and records.", no_args_is_help=True
    )
    case_app.command("open")(case_open)
    case_app.command("add-member")(case_add_member)
    case_app.command("add-records")(case_add_records)
    case_app.command("close")(case_close)
    case_app.command("list")(case_list)
    app.add_typer(case_app, name="case")
    consent_app = typer.Typer(
        help="Consent or legal basis for a victim's record.", no_args_is_help=True
    )
    consent_app.command("record")(consent_record)
    consent_app.command("withdraw")(consent_withdraw)
    consent_app.command("list")(consent_list)
    app.add_typer(consent_app, name="consent")
    permission_app = typer.Typer(
        help="A provider's permission to disseminate (H2) or to disclose in court (H1).",
        no_args_is_help=True,
    )
    permission_app.command("grant")(permission_grant)
    permission_app.command("revoke")(permission_revoke)
    permission_app.command("list")(permission_list)
    app.add_typer(permission_app, name="permission")
    signal_app = typer.Typer(
        help="Municipal signals and the feedback they get.", no_args_is_help=True
    )
    signal_app.command("feedback")(signal_feedback_command)
    signal_app.command("list")(signal_list)
    signal_app.command("inbox")(signal_inbox)
    app.add_typer(signal_app, name="signal")


def case_open(
    ctx: typer.Context,
    case_id: str = typer.Argument(..., help="Case or investigation number."),
    title: str = typer.Option(..., help="A short title."),
    as_user: str = AS_USER,
) -> None:
    """Open a case led by your agency; you become its first member."""
    with state(ctx).store().transaction() as conn:
        open_case(conn, who(conn, as_user), case_id, title)
    typer.echo(f"case {case_id} opened")


def case_add_member(
    ctx: typer.Context,
    case_id: str = typer.Argument(...),
    username: str = typer.Argument(..., help="The user to add."),
    as_user: str = AS_USER,
) -> None:
    """Add a user to a case (members and administrators)."""
    with state(ctx).store().transaction() as conn:
        add_member(conn, who(conn, as_user), case_id, username)
    typer.echo(f"{username} is a member of case {case_id}")


def case_add_records(
    ctx: typer.Context,
    case_id: str = typer.Argument(...),
    uids: list[str] = typer.Argument(..., help="Record uids you may view."),
    as_user: str = AS_USER,
) -> None:
    """Put records in a case, sharing them with its members."""
    with state(ctx).store().transaction() as conn:
        added = add_records(conn, who(conn, as_user), case_id, uids)
    typer.echo(f"{added} record(s) added to case {case_id}")


def case_close(
    ctx: typer.Context, case_id: str = typer.Argument(...), as_user: str = AS_USER
) -> None:
    """Close a case: its records no longer open doors to its members."""
    with state(ctx).store().transaction() as conn:
        close_case(conn, who(conn, as_user), case_id)
    typer.echo(f"case {case_id} closed")


def consent_record(
    ctx: typer.Context,
    record_uid: str = typer.Argument(..., help="The victim's record."),
    basis: str = typer.Option("consent", help="consent or legal_basis."),
    recipient_agency: str = typer.Option(None, help="One recipient agency."),
    recipient_kind: str = typer.Option(None, help="Every agency of a kind (police …)."),
    reference: str = typer.Option(None, help="The signed form, or the article of law."),
    purpose: str = typer.Option(None, help="What the sharing is for (referral …)."),
    as_user: str = AS_USER,
) -> None:
    """Record a victim's consent (or a legal basis) to share the record with a recipient."""
    grant = ConsentGrant(record_uid, basis, recipient_agency, recipient_kind, reference, purpose)
    with state(ctx).store().transaction() as conn:
        consent_id = record_consent(conn, who(conn, as_user), grant)
    typer.echo(f"consent {consent_id} recorded")


def consent_withdraw(
    ctx: typer.Context, consent_id: int = typer.Argument(...), as_user: str = AS_USER
) -> None:
    """Withdraw a consent: the record stops reaching that recipient."""
    with state(ctx).store().transaction() as conn:
        withdraw_consent(conn, who(conn, as_user), consent_id)
    typer.echo(f"consent {consent_id} withdrawn")


def case_list(ctx: typer.Context, as_user: str = AS_USER) -> None:
    """The investigation cases you are a member of (all of them for an administrator)."""
    with state(ctx).store().transaction() as conn:
        found = list_cases(conn, who(conn, as_user))
    print_table(
        ["case", "title", "lead", "status", "members", "records", "opened"],
        [
            [
                c.id,
                c.title,
                c.lead_agency_id,
                c.status,
                str(c.members),
                str(c.records),
                c.created_at.strftime("%Y-%m-%d"),
            ]
            for c in found
        ],
    )


def consent_list(
    ctx: typer.Context,
    record_uid: str = typer.Option(None, "--record", help="Only this record's consents."),
    as_user: str = AS_USER,
) -> None:
    """Consents on your agency's records: recipient, purpose, given, withdrawn."""
    with state(ctx).store().transaction() as conn:
        found = list_consents(conn, who(conn, as_user), record_uid)
    print_table(
        ["id", "record", "basis", "recipient", "purpose", "reference", "by", "given", "withdrawn"],
        [
            [
                str(c.id),
                c.record_uid,
                c.basis,
                c.recipient,
                c.purpose or "any",
                c.reference or "",
                c.recorded_by,
                c.recorded_at.strftime("%Y-%m-%d %H:%M"),
                c.withdrawn_at.strftime("%Y-%m-%d %H:%M") if c.withdrawn_at else "",
            ]
            for c in found
        ],
    )


def permission_grant(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="disseminate (H2) or judicial (H1)."),
    recipient: str = typer.Argument(..., help="The recipient agency."),
    provider: str = typer.Option(..., help="Your agency, the provider."),
    source: str = typer.Option(None, help="One of your sources (default: all of them)."),
    scope: str = typer.Option(None, help="What the permission covers, in words."),
    as_user: str = AS_USER,
) -> None:
    """Grant a recipient agency permission for your agency's H2 or H1 data."""
    grant = PermissionGrant(kind, provider, recipient, source, scope)
    with state(ctx).store().transaction() as conn:
        permission_id = grant_permission(conn, who(conn, as_user), grant)
    typer.echo(f"permission {permission_id} granted")


def permission_revoke(
    ctx: typer.Context, permission_id: int = typer.Argument(...), as_user: str = AS_USER
) -> None:
    """Revoke a permission."""
    with state(ctx).store().transaction() as conn:
        revoke_permission(conn, who(conn, as_user), permission_id)
    typer.echo(f"permission {permission_id} revoked")


def signal_feedback_command(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="The signal: the batch a municipal officer sent."),
    status: str = typer.Option(..., help=f"One of {', '.join(STATUSES)}."),
    text: str = typer.Option(..., help="What became of the signal."),
    as_user: str = AS_USER,
) -> None:
    """Tell the municipal officer who sent a signal what became of it."""
    with state(ctx).store().transaction() as conn:
        feedback_id = give_feedback(conn, who(conn, as_user), batch, status, text)
    typer.echo(f"feedback {feedback_id} given on signal {batch}")


def signal_list(ctx: typer.Context, as_user: str = AS_USER) -> None:
    """The feedback on the signals you sent."""
    with state(ctx).store().transaction() as conn:
        found = feedback_on_my_signals(conn, who(conn, as_user))
    print_table(
        ["signal", "file", "status", "feedback", "by", "agency", "at"],
        [
            [
                str(f.batch_id),
                f.file_name,
                f.status,
                f.text,
                f.given_by,
                f.agency_id,
                f.given_at.strftime("%Y-%m-%d %H:%M"),
            ]
            for f in found
        ],
    )


def signal_inbox(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help="Only signals not closed."),
    as_user: str = AS_USER,
) -> None:
    """Incoming municipal signals and their status (police and inspectorate)."""
    with state(ctx).store().transaction() as conn:
        inbox = incoming_signals(conn, who(conn, as_user), open_only=open_only)
    if inbox.refused is not None:  # the refusal was logged and committed above
        raise AccessDenied(inbox.refused)
    print_table(
        ["signal", "from", "file", "sent by", "received", "rows", "status", "answers"],
        [
            [
                str(s.batch_id),
                s.agency_name,
                s.file_name,
                s.sent_by,
                s.received_at.strftime("%Y-%m-%d %H:%M"),
                str(s.rows),
                s.status,
                str(s.answers),
            ]
            for s in inbox.signals
        ],
    )
