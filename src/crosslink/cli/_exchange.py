"""crosslink exchange keys …|preview|package|open|receipt: packages for partner Crosslinks.

Every command acts as ``--as USER``; the policy decides and the audit log records. The key
passphrase comes from ``$CROSSLINK_EXCHANGE_PASSPHRASE`` or is asked for, never echoed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy import Connection

from crosslink.cli import _exchange_hits, _exchange_requests
from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import CrosslinkError
from crosslink.exchange import (
    PackageRequest,
    Selection,
    accept_receipt,
    build_package,
    create_keys,
    import_partner_key,
    list_keys,
    open_package,
    preview,
    publish_key,
    revoke_key,
    rotate_keys,
)

PASSPHRASE = typer.Option(
    ...,
    envvar="CROSSLINK_EXCHANGE_PASSPHRASE",
    prompt="Key passphrase",
    hide_input=True,
    help="Opens the agency's private keys ($CROSSLINK_EXCHANGE_PASSPHRASE).",
)
JUSTIFICATION = typer.Option(..., help="Why the data leaves (LED art. 25).")

exchange_app = typer.Typer(
    help="Packages for partner Crosslinks: keys, preview, package, open, requests, hits.",
    no_args_is_help=True,
)
keys_app = typer.Typer(help="The agency's exchange keys and its partners'.", no_args_is_help=True)
exchange_app.add_typer(keys_app, name="keys")


def register(app: typer.Typer) -> None:
    _exchange_requests.register(exchange_app)
    _exchange_hits.register(exchange_app)
    app.add_typer(exchange_app, name="exchange")


@keys_app.command("create")
def keys_create(ctx: typer.Context, as_user: str = AS_USER, passphrase: str = PASSPHRASE) -> None:
    """Make the agency's first key pair (administrators)."""
    with state(ctx).store().transaction() as conn:
        key = create_keys(conn, who(conn, as_user, "manage keys"), passphrase)
    typer.echo(f"key {key.key_id} created for {key.agency_id}; fingerprint {key.fingerprint}")


@keys_app.command("rotate")
def keys_rotate(ctx: typer.Context, as_user: str = AS_USER, passphrase: str = PASSPHRASE) -> None:
    """Retire the active key pair and make a new one; publish it to the partners again."""
    with state(ctx).store().transaction() as conn:
        key = rotate_keys(conn, who(conn, as_user, "manage keys"), passphrase)
    typer.echo(f"key {key.key_id} now active; fingerprint {key.fingerprint}")


@keys_app.command("revoke")
def keys_revoke(
    ctx: typer.Context,
    key_id: str = typer.Argument(..., help="The key's id (see: exchange keys list)."),
    as_user: str = AS_USER,
) -> None:
    """End a key, own or a partner's: nothing signed by it is accepted any more."""
    with state(ctx).store().transaction() as conn:
        key = revoke_key(conn, who(conn, as_user, "manage keys"), key_id)
    typer.echo(f"key {key.key_id} of {key.agency_id} revoked")


@keys_app.command("publish")
def keys_publish(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="File to write the public keys to."),
    as_user: str = AS_USER,
    passphrase: str = PASSPHRASE,
) -> None:
    """Write the agency's public keys, self-signed, for partners to import."""
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user, "publish keys")
        text = publish_key(conn, subject.agency_id, passphrase)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"public keys of {subject.agency_id} written to {out}")


@keys_app.command("import")
def keys_import(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A partner's published key file."),
    as_user: str = AS_USER,
) -> None:
    """Store a partner's public keys (the partner agency must be registered)."""
    text = path.read_text(encoding="utf-8")
    with state(ctx).store().transaction() as conn:
        key = import_partner_key(conn, who(conn, as_user, "import keys"), text)
    typer.echo(
        f"key {key.key_id} of {key.agency_id} imported; compare its fingerprint with the "
        f"partner by telephone: {key.fingerprint}"
    )


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """Every key known here, own and partners', with its status and fingerprint."""
    with state(ctx).store().transaction() as conn:
        keys = list_keys(conn)
    print_table(
        ["key", "agency", "own", "status", "fingerprint"],
        [[k.key_id, k.agency_id, "yes" if k.own else "no", k.status, k.fingerprint] for k in keys],
    )


@contextmanager
def _refusals_kept(ctx: typer.Context) -> Iterator[Connection]:
    """A transaction committed even when the library refuses: the preview, package and
    open functions write nothing but their ``denied`` entry before a refusal (opening rolls
    its import back to a savepoint first), and that entry must stay."""
    refused: CrosslinkError | None = None
    with state(ctx).store().transaction() as conn:
        try:
            yield conn
        except CrosslinkError as exc:
            refused = exc
    if refused is not None:
        raise refused


def _selection(
    case: str | None, source: str | None, entity: list[str], record: list[str], category: list[str]
) -> Selection:
    return Selection(case, source, tuple(entity), tuple(record), tuple(category))


CASE = typer.Option(None, help="The records of this investigation case.")
SOURCE = typer.Option(None, help="The records of this source.")
ENTITY = typer.Option([], help="The records of this resolved entity (repeatable).")
RECORD = typer.Option([], help="This record (repeatable).")
CATEGORY = typer.Option([], help="Only persons of this legal category (repeatable).")


@exchange_app.command("preview")
def preview_command(
    ctx: typer.Context,
    recipient: str = typer.Option(..., help="The partner agency."),
    justification: str = JUSTIFICATION,
    case: str = CASE,
    source: str = SOURCE,
    entity: list[str] = ENTITY,
    record: list[str] = RECORD,
    category: list[str] = CATEGORY,
    as_user: str = AS_USER,
) -> None:
    """Show exactly what a package would carry, and why the rest stays (audited)."""
    selection = _selection(case, source, entity, record, category)
    with _refusals_kept(ctx) as conn:
        request = PackageRequest(who(conn, as_user, "preview"), recipient, selection, justification)
        shown = preview(conn, request)
    rows = [
        [c.uid, c.entity_type, c.handling_code, c.person_category or "", "leaves"]
        for c in shown.plan.leaving
    ]
    rows += [
        [c.uid, c.entity_type, c.handling_code, c.person_category or "", c.held_back or ""]
        for c in shown.plan.held_back
    ]
    print_table(["record", "type", "code", "category", "outcome"], rows)
    typer.echo(
        f"{len(shown.plan.leaving)} records and {len(shown.plan.link_uids)} links leave, "
        f"{len(shown.plan.held_back)} stay, {shown.plan.hidden} you may not export",
        err=True,
    )


@exchange_app.command("package")
def package_command(
    ctx: typer.Context,
    recipient: str = typer.Option(..., help="The partner agency."),
    out: Path = typer.Option(..., "--out", "-o", help="The package file to write."),
    justification: str = JUSTIFICATION,
    request: str = typer.Option(None, help="The partner's request this answers."),
    conditions: str = typer.Option("", help="Conditions of use, for the recipient."),
    valid_days: int = typer.Option(30, help="Days the recipient may open the package."),
    case: str = CASE,
    source: str = SOURCE,
    entity: list[str] = ENTITY,
    record: list[str] = RECORD,
    category: list[str] = CATEGORY,
    as_user: str = AS_USER,
    passphrase: str = PASSPHRASE,
) -> None:
    """Build, sign and encrypt a package for the partner (the transfer is audited)."""
    selection = _selection(case, source, entity, record, category)
    with _refusals_kept(ctx) as conn:
        subject = who(conn, as_user, "send a package")
        package = PackageRequest(
            subject, recipient, selection, justification, request, conditions, valid_days
        )
        built = build_package(conn, package, passphrase)
        out.write_bytes(built.data)
    manifest = built.manifest
    typer.echo(
        f"package {manifest['package_id']} for {recipient}: {manifest['records']} records, "
        f"{manifest['links']} links, codes {', '.join(manifest['handling_codes'])}, "
        f"valid until {manifest['expires_at']}; written to {out}"
    )


@exchange_app.command("open")
def open_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The package file received."),
    receipt: Path = typer.Option(..., help="Where to write the signed receipt to send back."),
    as_user: str = AS_USER,
    passphrase: str = PASSPHRASE,
) -> None:
    """Verify and import a partner's package; write the signed receipt."""
    data = path.read_bytes()
    with _refusals_kept(ctx) as conn:
        received = open_package(conn, who(conn, as_user, "open a package"), data, passphrase)
    receipt.write_text(received.receipt + "\n", encoding="utf-8")
    summary, manifest = received.summary, received.manifest
    typer.echo(
        f"package {manifest['package_id']} from {manifest['sender']} imported into "
        f"{received.source_id} (batch {summary.batch_id}): {summary.records_added} records "
        f"added, {summary.records_existing} known already, {summary.links_added} links; "
        f"receipt written to {receipt}"
    )
    if manifest.get("conditions_of_use") or manifest.get("h3_conditions"):
        conditions = [manifest.get("conditions_of_use") or "", *manifest.get("h3_conditions", [])]
        typer.echo("conditions: " + "; ".join(c for c in conditions if c))


@exchange_app.command("receipt")
def receipt_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The receipt the partner sent back."),
    as_user: str = AS_USER,
) -> None:
    """Verify a partner's signed receipt and file it with the package sent."""
    text = path.read_text(encoding="utf-8")
    with state(ctx).store().transaction() as conn:
        body = accept_receipt(conn, who(conn, as_user, "file a receipt"), text)
    typer.echo(
        f"package {body['package_id']} received by {body['recipient']} at "
        f"{body['received_at']}: {body['records_added']} records added"
    )
