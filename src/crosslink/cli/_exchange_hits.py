"""crosslink exchange hit key|encode|match: hit/no-hit without revealing anyone."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.exchange.hits import encode, match, new_key, read_document, read_key

hit_app = typer.Typer(
    help="Hit/no-hit: keyed hashes of identifiers, compared.", no_args_is_help=True
)
KEY_FILE = typer.Option(..., "--key-file", help="The exchange key shared with the partner.")


def register(exchange_app: typer.Typer) -> None:
    exchange_app.add_typer(hit_app, name="hit")


@hit_app.command("key")
def hit_key(out: Path = typer.Option(..., "--out", "-o", help="Where to write the key.")) -> None:
    """Make a key for one hit/no-hit exchange; hand it to the partner by another channel."""
    out.write_text(new_key() + "\n", encoding="utf-8")
    out.chmod(0o600)
    typer.echo(f"key written to {out} (readable by you only)")


@hit_app.command("encode")
def hit_encode(
    ctx: typer.Context,
    partner: str = typer.Option(..., help="The agency the encodings are for."),
    out: Path = typer.Option(..., "--out", "-o", help="The encodings file to write."),
    key_file: Path = KEY_FILE,
    justification: str = typer.Option(..., help="Why (LED art. 25)."),
    as_user: str = AS_USER,
) -> None:
    """Write the keyed hashes of the persons you may export (the disclosure is audited)."""
    key = read_key(key_file.read_text(encoding="utf-8"))
    with state(ctx).store().transaction() as conn:
        document = encode(conn, who(conn, as_user, "encode"), key, partner, justification)
    out.write_text(json.dumps(document) + "\n", encoding="utf-8")
    typer.echo(f"{len(document['tokens'])} encodings for {partner} written to {out}")


@hit_app.command("match")
def hit_match(
    ctx: typer.Context,
    path: Path = typer.Argument(None, help="The partner's encodings file."),
    reference: list[str] = typer.Option([], help="A hit reference the partner sent back."),
    partner: str = typer.Option(None, help="The partner, when matching references."),
    key_file: Path = KEY_FILE,
    justification: str = typer.Option(..., help="Why (LED art. 25)."),
    as_user: str = AS_USER,
) -> None:
    """Compare a partner's encodings (or references) with yours: hits and your records."""
    key = read_key(key_file.read_text(encoding="utf-8"))
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user, "match")
        if path is not None:
            sender, tokens = read_document(path.read_text(encoding="utf-8"), subject.agency_id)
        else:
            sender, tokens = partner or "", reference
        hits = match(conn, subject, key, sender, tokens, justification)
    print_table(["reference", "your records"], [[h.reference, " ".join(h.records)] for h in hits])
    typer.echo(f"{len(hits)} hits of {len(tokens)} compared", err=True)
