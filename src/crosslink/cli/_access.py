"""crosslink agency …, user …, audit …, retention … — who acts is ``--as USER``.

``--as`` (or ``$CROSSLINK_AS``) names the Crosslink user a command acts as; the policy decides
and the audit log records under that name. Only on a store without any user may ``agency
add`` and ``user add --role administrator`` run without it: that is how the first
administrator is made, with a password typed in (there is no default outside demo mode).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer
from sqlalchemy import Connection

from crosslink.access import (
    Agency,
    AuditQuery,
    Checkpoint,
    Event,
    NewUser,
    Subject,
    add_agency,
    add_user,
    append,
    authorize,
    bootstrap_admin,
    due_for_review,
    erase_records,
    export_jsonl,
    list_agencies,
    list_users,
    load_retention,
    load_subject,
    search,
    verify,
)
from crosslink.access.directory import count_users
from crosslink.access.grants import assign_source
from crosslink.access.policy import SystemResource
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import AccessDenied, ConfigurationError, NotFound

AS_USER = typer.Option(
    None,
    "--as",
    envvar=["CROSSLINK_USER", "CROSSLINK_AS"],
    help="The Crosslink user acting (default: $CROSSLINK_USER).",
)


def register(app: typer.Typer) -> None:
    agency_app = typer.Typer(help="Agencies: who provides and who receives.", no_args_is_help=True)
    agency_app.command("add")(agency_add)
    agency_app.command("list")(agency_list)
    agency_app.command("assign-source")(agency_assign_source)
    app.add_typer(agency_app, name="agency")
    user_app = typer.Typer(help="Users, their agency and roles.", no_args_is_help=True)
    user_app.command("add")(user_add)
    user_app.command("list")(user_list)
    app.add_typer(user_app, name="user")
    audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
    audit_app.command("verify")(audit_verify)
    audit_app.command("export")(audit_export)
    audit_app.command("search")(audit_search)
    app.add_typer(audit_app, name="audit")
    retention_app = typer.Typer(help="Review dates and erasure.", no_args_is_help=True)
    retention_app.command("due")(retention_due)
    retention_app.command("erase")(retention_erase)
    app.add_typer(retention_app, name="retention")


SETUP = "setup"
"""The actor of the first agency and administrator on an empty store: it reads no record."""


def who(conn: Connection, username: str | None, purpose: str = "act") -> Subject:
    """The subject behind ``--as``."""
    if not username:
        raise AccessDenied(f"say who acts: --as USER (or $CROSSLINK_USER) to {purpose}")
    try:
        return load_subject(conn, username)
    except NotFound:
        raise AccessDenied(f"no active user {username!r}") from None


def acting(conn: Connection, username: str | None, action: str) -> Subject:
    """The subject behind ``--as``, allowed to ``action`` on the system."""
    subject = who(conn, username, action)
    decision = authorize(subject, action, SystemResource(action))
    if not decision:
        raise AccessDenied(decision.reason)
    return subject


def agency_add(
    ctx: typer.Context,
    agency_id: str = typer.Argument(..., help="Short id, e.g. be-fedpol."),
    name: str = typer.Option(..., help="The agency's name."),
    kind: str = typer.Option(..., help="police, prosecution, inspection, immigration, …"),
    jurisdiction: str = typer.Option(..., help="Country (BE, NL, GB …)."),
    as_user: str = AS_USER,
) -> None:
    """Register an agency (administrators; anyone on a store without users)."""
    with state(ctx).store().transaction() as conn:
        actor: Subject | str = SETUP
        if count_users(conn):
            actor = acting(conn, as_user, "manage_users")
        added = add_agency(conn, Agency(agency_id, name, kind, jurisdiction))
        details = {"added": True, "kind": kind, "jurisdiction": jurisdiction}
        append(conn, actor, Event("administration", {"agency": added.id}, details=details))
    typer.echo(f"agency {added.id} added ({added.kind}, {added.jurisdiction})")


def agency_list(ctx: typer.Context) -> None:
    """List agencies."""
    with state(ctx).store().transaction() as conn:
        found = list_agencies(conn)
    print_table(
        ["id", "name", "kind", "jurisdiction"],
        [[a.id, a.name, a.kind, a.jurisdiction] for a in found],
    )


def agency_assign_source(
    ctx: typer.Context,
    source_id: str = typer.Argument(..., help="The source's id."),
    agency_id: str = typer.Argument(..., help="The agency that provides it."),
    as_user: str = AS_USER,
) -> None:
    """Record which agency provides a source (administrators)."""
    with state(ctx).store().transaction() as conn:
        subject = acting(conn, as_user, "manage_users")
        assign_source(conn, subject, source_id, agency_id)
    typer.echo(f"source {source_id} is provided by {agency_id}")


def _read_password(password_stdin: bool) -> str | None:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        return None
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def user_add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    agency: str = typer.Option(..., help="The user's agency id."),
    role: list[str] = typer.Option(..., "--role", "-r", help="A role (repeat for more)."),
    full_name: str = typer.Option(None, help="The person's name."),
    external_id: str = typer.Option(None, help="Subject id at the OpenID Connect provider."),
    password_stdin: bool = typer.Option(False, help="Read the password from standard input."),
    as_user: str = AS_USER,
) -> None:
    """Create a user. The first user must be an administrator; a password is always typed."""
    settings = state(ctx).settings
    password = _read_password(password_stdin)
    with state(ctx).store().transaction() as conn:
        if count_users(conn) == 0 and set(role) == {"administrator"}:
            if password is None and not settings.demo:
                raise ConfigurationError(
                    "no default administrator password outside demo mode: use --password-stdin"
                )
            created = bootstrap_admin(
                conn, agency_id=agency, username=username, password=password, demo=settings.demo
            )
            actor: Subject | str = SETUP
        else:
            actor = acting(conn, as_user, "manage_users")
            new = NewUser(username, agency, frozenset(role), password, full_name, external_id)
            created = add_user(conn, new, demo=settings.demo)
        details = {"added": True, "agency": agency, "roles": sorted(role)}
        append(conn, actor, Event("administration", {"user": created.username}, details=details))
    typer.echo(f"user {created.username} added ({created.agency_id}: {', '.join(sorted(role))})")


def user_list(ctx: typer.Context, as_user: str = AS_USER) -> None:
    """List users and their roles (administrators)."""
    with state(ctx).store().transaction() as conn:
        acting(conn, as_user, "manage_users")
        found = list_users(conn)
    print_table(
        ["user", "agency", "roles", "active"],
        [
            [u.username, u.agency_id, ", ".join(sorted(u.roles)), "yes" if u.active else "no"]
            for u in found
        ],
    )


def _parse_checkpoint(text: str | None) -> Checkpoint | None:
    if not text:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise typer.BadParameter("a checkpoint is SEQ:HASH, as printed by audit verify")
    return Checkpoint(int(seq), digest)


def audit_verify(
    ctx: typer.Context,
    checkpoint: str = typer.Option(None, help="SEQ:HASH kept from an earlier verify."),
) -> None:
    """Check the whole chain; name the first broken entry. Exit code 1 if broken."""
    with state(ctx).store().transaction() as conn:
        result = verify(conn, _parse_checkpoint(checkpoint))
    if not result.ok:
        typer.echo(f"BROKEN at entry {result.first_broken}: {result.problem}", err=True)
        raise typer.Exit(1)
    head = result.head
    assert head is not None
    typer.echo(f"audit log intact: {result.entries} entries; checkpoint {head.seq}:{head.hash}")


def audit_export(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="JSON Lines file to write."),
    recipient: str = typer.Option(..., help="Who receives it (the supervisory authority)."),
    justification: str = typer.Option(..., help="Why (request reference)."),
    as_user: str = AS_USER,
) -> None:
    """Export the log with its chain, for a supervisory authority."""
    with state(ctx).store().transaction() as conn, out.open("w", encoding="utf-8") as handle:
        subject = acting(conn, as_user, "audit_read")
        head = export_jsonl(conn, subject, handle, recipient=recipient, justification=justification)
    typer.echo(f"{out}: entries 1..{head.seq}, checkpoint {head.seq}:{head.hash}")


def audit_search(
    ctx: typer.Context,
    actor: str = typer.Option(None, help="Exactly this user."),
    action: str = typer.Option(None, help="consultation, disclosure, erasure, login, denied …"),
    target: str = typer.Option(None, help="Text in the target: a record uid, a batch …"),
    since: dt.datetime = typer.Option(None, help="From this time (UTC)."),
    until: dt.datetime = typer.Option(None, help="Before this time (UTC)."),
    limit: int = typer.Option(200, help="At most this many, newest first."),
    as_user: str = AS_USER,
) -> None:
    """Search the log (administrators); the search is itself logged."""
    query = AuditQuery(actor, action, target, _utc(since), _utc(until), limit)
    with state(ctx).store().transaction() as conn:
        found = search(conn, acting(conn, as_user, "audit_read"), query)
    print_table(
        ["seq", "at", "actor", "agency", "action", "target", "justification"],
        [
            [str(e.seq), e.body()["at"], e.actor, e.agency or "", e.action, e.target]
            + [e.justification or ""]
            for e in found
        ],
    )


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def retention_due(
    ctx: typer.Context,
    on: dt.datetime = typer.Option(None, help="Review date to list up to (default: today)."),
    rules: Path = typer.Option(None, help="A retention rules YAML instead of the bundled one."),
) -> None:
    """List records due for review (ids and categories only: no personal data)."""
    day = (on or dt.datetime.now(dt.UTC)).date()
    with state(ctx).store().transaction() as conn:
        found = due_for_review(conn, day, load_retention(rules))
    print_table(
        ["record", "source", "category", "review on", "rule"],
        [
            [d.uid, d.source_id, d.person_category or "", d.review_on.isoformat(), d.rule]
            for d in found
        ],
    )
    typer.echo(f"{len(found)} record(s) due for review by {day.isoformat()}")


def retention_erase(
    ctx: typer.Context,
    uids: list[str] = typer.Argument(..., help="Record uids to erase."),
    reason: str = typer.Option(..., help="Why (review outcome, court order …)."),
    as_user: str = AS_USER,
) -> None:
    """Erase records and everything derived from them (administrators); logged."""
    with state(ctx).store().transaction() as conn:
        if not as_user:
            raise AccessDenied("say who erases: --as USER")
        count = erase_records(conn, load_subject(conn, as_user), uids, reason=reason)
    typer.echo(f"{count} record(s) erased")
