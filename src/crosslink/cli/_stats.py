"""crosslink stats: the rapporteur's aggregates (tables, releases, the hidden number)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from sqlalchemy import Connection

from crosslink.access.policy import Subject
from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import AccessDenied, InvalidValue
from crosslink.stats.disclosure import Method, MethodName
from crosslink.stats.errors import DisclosureRefused
from crosslink.stats.mse import Criterion
from crosslink.stats.report import release_csv, report_html
from crosslink.stats.service import (
    StatsContext,
    hidden_number,
    make_release,
    microdata,
    preview_table,
    releases,
    report,
)
from crosslink.stats.tables import TableSpec, parse_years

stats_app = typer.Typer(
    help="The rapporteur's statistics: aggregates only, protected, audited.",
    no_args_is_help=True,
)
T = TypeVar("T")
BY = typer.Option(..., "--by", "-b", help="A dimension (repeat for a cross-tabulation).")
ROLE = typer.Option("victim", "--role", help="victim, suspect or convicted.")
YEARS = typer.Option(None, "--years", help="Reference years, e.g. 2022-2024.")
JSON_OUT = typer.Option(False, "--json", help="Print JSON.")


def register(app: typer.Typer) -> None:
    app.add_typer(stats_app, name="stats")


def _run(
    ctx: typer.Context, as_user: str | None, work: Callable[[Connection, Subject, StatsContext], T]
) -> T:
    """Run ``work`` as the user; a refusal's audit entry is committed before it is raised."""
    refused: AccessDenied | DisclosureRefused | None = None
    result: T | None = None
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user, "read statistics")
        try:
            result = work(conn, subject, StatsContext.default())
        except (AccessDenied, DisclosureRefused) as exc:
            refused = exc
    if refused is not None:
        raise refused
    assert result is not None
    return result


def _cells(cells: list[dict[str, Any]]) -> list[list[str]]:
    return [[*map(str, c["key"]), "x" if c["count"] is None else str(c["count"])] for c in cells]


@stats_app.command("table")
def table_command(
    ctx: typer.Context,
    by: list[str] = BY,
    role: str = ROLE,
    years: str = YEARS,
    as_json: bool = JSON_OUT,
    as_user: str = AS_USER,
) -> None:
    """Count persons once across agencies, by the chosen dimensions (suppressed preview;
    x = withheld)."""
    spec = TableSpec(role, tuple(by), parse_years(years))
    preview = _run(ctx, as_user, lambda conn, subject, sc: preview_table(conn, subject, spec, sc))
    data = preview.as_dict()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print_table([*by, "count"], _cells(data["cells"]) + _cells(data["margins"]))
    typer.echo(
        f"rules {data['rules_version']}, resolution run {data['resolve_run'] or 'none'}, "
        f"{data['disclosure']}",
        err=True,
    )


@stats_app.command("release")
def release_command(
    ctx: typer.Context,
    title: str = typer.Option(..., help="What the release is, e.g. 'Annual report 2025, T1'."),
    by: list[str] = BY,
    role: str = ROLE,
    years: str = YEARS,
    method: str = typer.Option("suppress", help="suppress, round or dp."),
    threshold: int = typer.Option(None, help="Suppress counts below this (suppress)."),
    base: int = typer.Option(None, help="Round down to this base (round)."),
    epsilon: float = typer.Option(None, help="Privacy loss to spend (dp)."),
    as_json: bool = JSON_OUT,
    as_user: str = AS_USER,
) -> None:
    """Protect a table, check it against every earlier release, and store it."""
    rules = StatsContext.default().rules.disclosure
    chosen = Method(
        _method(method),
        threshold=threshold or rules.threshold,
        base=base or rules.base,
        epsilon=epsilon or rules.epsilon,
    )
    spec = TableSpec(role, tuple(by), parse_years(years))
    release = _run(
        ctx,
        as_user,
        lambda conn, subject, sc: make_release(conn, subject, spec, chosen, title, sc),
    )
    data = release.as_dict()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print_table([*by, "count"], _cells(data["cells"]) + _cells(data["margins"]))
    typer.echo(f"release {release.id}: {data['disclosure']}; {release.check_notes}", err=True)


def _method(name: str) -> MethodName:
    if name not in ("suppress", "round", "dp"):
        raise InvalidValue(f"--method {name!r}: use suppress, round or dp")
    return name  # type: ignore[return-value]


@stats_app.command("releases")
def releases_command(ctx: typer.Context, as_user: str = AS_USER) -> None:
    """Every release: when, by whom, which table, which disclosure method, epsilon spent."""
    found = _run(ctx, as_user, lambda conn, subject, sc: releases(conn, subject, sc))
    rows = [
        [
            str(r.id),
            r.created_at.isoformat(timespec="seconds"),
            r.created_by,
            r.title,
            f"{r.spec['role']} by {', '.join(r.spec['dimensions'])}",
            json.dumps(r.params),
            f"{r.epsilon:g}",
        ]
        for r in found
    ]
    print_table(["id", "at", "by", "title", "table", "disclosure", "epsilon"], rows)


@stats_app.command("mse")
def mse_command(
    ctx: typer.Context,
    role: str = ROLE,
    years: str = YEARS,
    criterion: str = typer.Option("bic", help="Model selection: aic or bic."),
    as_json: bool = JSON_OUT,
    as_user: str = AS_USER,
) -> None:
    """Estimate the hidden number from the overlap of the agencies' lists."""
    if criterion not in ("aic", "bic"):
        raise InvalidValue(f"--criterion {criterion!r}: use aic or bic")
    chosen: Criterion = "aic" if criterion == "aic" else "bic"
    found = _run(
        ctx,
        as_user,
        lambda conn, subject, sc: hidden_number(
            conn, subject, sc, role=role, years=parse_years(years), criterion=chosen
        ),
    )
    if as_json:
        typer.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"observed {found.observed}, estimated total {found.total:.0f} "
        f"({found.level:.0%} interval {found.low:.0f}-{found.high:.0f}); "
        f"lists: {', '.join(found.lists)}; interactions: {', '.join(found.interactions) or 'none'} "
        f"({found.criterion})"
    )
    for note in found.warnings:
        typer.echo(f"warning: {note}")
    typer.echo(f"caveat: {found.caveats}")


@stats_app.command("report")
def report_command(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write report.html and CSVs."),
    release: list[int] = typer.Option([], help="A release to include (repeat; default: all)."),
    title: str = typer.Option("Trafficking in human beings: the rapporteur's figures"),
    as_user: str = AS_USER,
) -> None:
    """Write the chosen releases, as published, to report.html and one CSV per release."""
    found = _run(ctx, as_user, lambda conn, subject, sc: report(conn, subject, release, sc))
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text(report_html(title, found), encoding="utf-8")
    for each in found:
        (out / f"release-{each.id}.csv").write_text(release_csv(each), encoding="utf-8")
    typer.echo(f"{len(found)} releases written to {out}", err=True)


@stats_app.command("microdata")
def microdata_command(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", "-o", help="CSV file to write."),
    by: list[str] = BY,
    role: str = ROLE,
    years: str = YEARS,
    k: int = typer.Option(None, "-k", help="Smallest group published (default: the rules', 11)."),
    as_user: str = AS_USER,
) -> None:
    """Write k-anonymous rows, one per counted person, no identifier (CTDC style)."""
    spec = TableSpec(role, tuple(by), parse_years(years))
    found = _run(ctx, as_user, lambda conn, subject, sc: microdata(conn, subject, spec, sc, k))
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(found.columns)
        writer.writerows(found.rows)
    typer.echo(
        f"{len(found.rows)} rows (k = {found.k}), {found.suppressed_values} values withheld, "
        f"{found.dropped_rows} rows left out",
        err=True,
    )
