"""crosslink resolve, explain, review, judge."""

from __future__ import annotations

import typer
from sqlalchemy import Connection

from crosslink.access import Subject, consult_records
from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve_command)
    app.command("rules")(rules_command)
    app.command("explain")(explain_command)
    app.command("review")(review_command)
    app.command("judge")(judge_command)


def _subject(conn: Connection, username: str | None, purpose: str) -> Subject:
    """The user behind ``--as``: every read of records acts as a named user."""
    return who(conn, username, purpose)


def resolve_command(
    ctx: typer.Context,
    entity_type: list[str] = typer.Option(
        None, "--entity-type", "-t", help="Person, Organisation, Address, Vehicle (default: all)."
    ),
    threshold: float = typer.Option(0.9, min=0.0, max=1.0, help="Match probability to join."),
    retrain: bool = typer.Option(False, help="Train anew instead of reusing the last model."),
    rule: list[str] = typer.Option(
        None, "--rule", help="Apply this opt-in rule too (`crosslink rules` lists them)."
    ),
    without: list[str] = typer.Option(
        None, "--without", help="Leave this default rule out (`crosslink rules`)."
    ),
) -> None:
    """Resolve records into entities (stable ids; judgements outrank the model)."""
    from crosslink.resolve import ENTITY_TYPES, ResolveOptions, resolve
    from crosslink.resolve.rules import rule_set

    cli = state(ctx)
    options = ResolveOptions(
        entity_types=tuple(entity_type) if entity_type else ENTITY_TYPES,
        threshold=threshold,
        retrain=retrain,
        rules=rule_set(rule or (), without or ()),
        backend=cli.settings.resolve_backend,
        memory_limit=cli.settings.resolve_memory,
        spill_dir=cli.settings.data_dir / "resolve-spill",
        started_by="cli",
    )
    with cli.store().transaction() as conn:
        summaries = resolve(conn, options)
    print_table(
        ["type", "records", "pairs", "entities", "changes", "training", "seconds"],
        [
            [
                s.entity_type,
                str(s.records),
                str(s.pairs),
                str(s.entities),
                ", ".join(f"{k} {v}" for k, v in sorted(s.changes.items())) or "none",
                s.training,
                f"{s.seconds:.1f}",
            ]
            for s in summaries
        ],
    )


def rules_command() -> None:
    """The rules applied beside the model: name, version, whether on by default, what each
    does."""
    from crosslink.resolve.rules import registry

    print_table(
        ["rule", "version", "default", "what it does"],
        [
            [
                r.name,
                str(r.version),
                "always" if r.fixed else "on" if r.default else "opt-in",
                r.summary,
            ]
            for r in registry().values()
        ],
    )


def explain_command(
    ctx: typer.Context,
    entity: str = typer.Argument(..., help="Entity id (E…)."),
    as_user: str = AS_USER,
    why: str = typer.Option(None, "--why", help="Justification (logged; required for people)."),
) -> None:
    """Every source record behind an entity, and the evidence that joined each."""
    from crosslink.resolve import explain

    with state(ctx).store().transaction() as conn:
        subject = _subject(conn, as_user, "explain an entity")
        found = explain(conn, entity, subject=subject)
        if found.members:
            consult_records(conn, subject, [m.uid for m in found.members], justification=why)
    typer.echo(
        f"{found.entity_id}  {found.entity_type}  {found.status}  {len(found.members)} records"
    )
    if found.run is not None:
        typer.echo(f"  {found.run.describe()}")
    for change in found.history:
        other = f" {change['other_id']}" if change["other_id"] else ""
        typer.echo(
            f"  history: run {change['run_id']} {change['entity_id']} {change['change']}{other}"
        )
    for member in found.members:
        summary = "; ".join(f"{k}={', '.join(v)}" for k, v in sorted(member.values.items()))
        typer.echo(f"- {member.uid}  {member.source_id} {member.file_name}:{member.row_number}")
        typer.echo(f"    {summary}")
        for ev in member.joined_by[:3]:
            if ev.judgement:
                typer.echo(f"    joined {ev.other_uid}: {ev.judgement}")
                continue
            parts = ", ".join(f"{c['comparison']} {c['weight']:+.1f}" for c in ev.comparisons)
            sole = "; names alone, the only namesake known" if ev.sole else ""
            if ev.ties:
                sole = f"; names alone, the only namesake sharing {', '.join(ev.ties)}"
            typer.echo(
                f"    joined {ev.other_uid}: p={ev.probability:.4f} w={ev.weight:.1f}"
                f" ({parts}){sole}"
            )


def review_command(
    ctx: typer.Context,
    limit: int = typer.Option(20, min=1, help="How many pairs."),
    entity_type: str = typer.Option(None, "--entity-type", "-t", help="Only this type."),
    as_user: str = AS_USER,
) -> None:
    """The uncertain pairs, those whose decision changes most first."""
    from crosslink.resolve import review_queue

    with state(ctx).store().transaction() as conn:
        items = review_queue(
            conn,
            entity_type=entity_type,
            limit=limit,
            subject=_subject(conn, as_user, "review pairs of records"),
        )
    print_table(
        ["kind", "impact", "p", "left", "right", "evidence"],
        [
            [
                i.kind,
                f"{i.impact:.0f}",
                f"{i.probability:.3f}",
                f"{i.left_uid} ({i.left_entity})",
                f"{i.right_uid} ({i.right_entity})",
                ", ".join(
                    f"{c['comparison']} {c['weight']:+.1f}" for c in i.comparisons if c["weight"]
                ),
            ]
            for i in items
        ],
    )


def judge_command(
    ctx: typer.Context,
    a: str = typer.Argument(..., help="Record uid or entity id."),
    b: str = typer.Argument(..., help="Record uid or entity id."),
    verdict: str = typer.Argument(..., help="same, different or unsure."),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the judgement)."),
    as_user: str = AS_USER,
) -> None:
    """Judge two records or entities same / different / unsure; the next resolve obeys."""
    from crosslink.resolve import judge

    with state(ctx).store().transaction() as conn:
        subject = _subject(conn, as_user, "judge records")
        made = judge(conn, a, b, verdict, reason=reason, actor=subject)
    typer.echo(f"judgement {made.id}: {made.left_uid} {made.verdict} {made.right_uid}")
