"""crosslink search (people, not rows) and crosslink permission list."""

from __future__ import annotations

import typer

from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.search import KINDS, SearchQuery, search
from crosslink.workbench import list_permissions


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)


def search_command(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="A name (any script, typos allowed), phone, plate …"),
    kind: str = typer.Option("any", help=f"Read the text as: {', '.join(KINDS)}."),
    limit: int = typer.Option(25, min=1, max=100, help="Entities to show."),
    ids: bool = typer.Option(False, "--ids", help="Print only the entity ids (or record uids)."),
    record_uids: bool = typer.Option(
        False, "--records", help="Print only the uids of the records found."
    ),
    justification: str = typer.Option(None, "--justification", "-j", help="Why you look."),
    as_user: str = AS_USER,
) -> None:
    """One line per person, company, phone … you may see, with what tells namesakes apart;
    the records shown are logged with the justification."""
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user)
        region = state(ctx).settings.search_region
        found = search(
            conn, subject, SearchQuery(text, kind, 1, limit), justification=justification,
            region=region,
        )  # fmt: skip
    if ids or record_uids:
        for hit in found.hits:
            typer.echo("\n".join(hit.records) if record_uids else hit.ref)
        return
    print_table(
        ["entity", "type", "name", "born", "nationality", "matched", "records", "sources"],
        [
            [h.ref, h.schema, h.summary.label, ", ".join(h.summary.birth_dates),
             ", ".join(h.summary.nationalities), f"{h.prop}: {h.value}", str(len(h.records)),
             ", ".join(h.summary.sources)]
            for h in found.hits
        ],
    )  # fmt: skip


def permission_list(
    ctx: typer.Context,
    revoked: bool = typer.Option(False, "--revoked", help="Include revoked permissions."),
    as_user: str = AS_USER,
) -> None:
    """The permissions your agency gave or holds (all of them, for administrators): the ids
    that `permission revoke` takes."""
    with state(ctx).store().transaction() as conn:
        found = list_permissions(conn, who(conn, as_user), include_revoked=revoked)
    print_table(
        ["id", "kind", "provider", "recipient", "source", "scope", "by", "granted", "revoked"],
        [
            [
                str(p.id), p.kind, p.provider, p.recipient, p.source_id or "(all)", p.scope or "",
                p.granted_by, p.granted_at.strftime("%Y-%m-%d"),
                p.revoked_at.strftime("%Y-%m-%d") if p.revoked_at else "",
            ]
            for p in found
        ],
    )  # fmt: skip
