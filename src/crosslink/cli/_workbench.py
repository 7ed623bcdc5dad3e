"""crosslink permission list, crosslink sources: who takes part, read-only."""

from __future__ import annotations

import typer

from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.workbench import list_permissions, list_sources


def register(app: typer.Typer) -> None:
    app.command("sources")(source_list)


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


def source_list(ctx: typer.Context, as_user: str = AS_USER) -> None:
    """The sources, who provides each and how many records it holds."""
    with state(ctx).store().transaction() as conn:
        who(conn, as_user)  # a known, active user: the list is not public
        found = list_sources(conn)
    print_table(
        ["id", "agency", "dataset", "country", "handling", "provider", "records"],
        [
            [s.id, s.agency, s.dataset, s.jurisdiction, s.handling_code, s.provider or "",
             str(s.records)]
            for s in found
        ],
    )  # fmt: skip
