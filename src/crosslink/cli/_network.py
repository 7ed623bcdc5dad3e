"""crosslink network list | show | path | ego | export — on the network the user may see.

Every command acts as ``--as USER``: the network is built from the records that user may see
(or export), the analytics run on that view, and what is shown or written is logged in the
audit log as a consultation (or, for export, a disclosure) with the ``--justification``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlalchemy import Connection

from crosslink.access import Subject
from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import JustificationRequired
from crosslink.graph import (
    FORMATS,
    BuildOptions,
    CommunityOptions,
    DetectedNetwork,
    Network,
    NetworkOptions,
    PathOptions,
    brokers,
    ego_network,
    export_network,
    find_network,
    log_network_access,
    shortest_paths,
)
from crosslink.graph.analytics import Hop
from crosslink.graph.cache import Built, NetworkCache, cache_dir
from crosslink.graph.errors import InvalidGraphOption
from crosslink.graph.listing import list_networks

WHY = typer.Option(None, "--justification", "-j", help="Why you look (logged; required).")
AS_OF = typer.Option(None, "--as-of", help="Only evidence dated on or before (YYYY-MM-DD).")
FROM = typer.Option(None, "--from", help="Only evidence from this date (YYYY-MM-DD).")
TO = typer.Option(None, "--to", help="Only evidence up to this date (YYYY-MM-DD).")
RESOLUTION = typer.Option(
    0.005, "--resolution", min=0.0001, help="Leiden (CPM) resolution: higher, smaller networks."
)
MIN_PERSONS = typer.Option(3, "--min-persons", min=1, help="Smallest network reported.")


def register(app: typer.Typer) -> None:
    network_app = typer.Typer(
        help="Criminal networks: communities, key players, brokers, paths.", no_args_is_help=True
    )
    network_app.command("list")(network_list)
    network_app.command("show")(network_show)
    network_app.command("path")(network_path)
    network_app.command("ego")(network_ego)
    network_app.command("export")(network_export)
    app.add_typer(network_app, name="network")


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidGraphOption(f"not a date (YYYY-MM-DD): {text!r}") from None


def _open(
    ctx: typer.Context,
    conn: Connection,
    who_why: tuple[str | None, str | None],
    dates: tuple[str | None, str | None, str | None],
    action: str = "view",
) -> tuple[Subject, Built]:
    """The acting user and the network they may see (cached per store state and view)."""
    as_user, justification = who_why
    subject = who(conn, as_user, "look at networks")
    if not (justification or "").strip():
        raise JustificationRequired("say why: --justification (logged, LED art. 25)")
    as_of, start, end = (_day(d) for d in dates)
    options = BuildOptions(action=action, as_of=as_of, start=start, end=end)
    return subject, _cache(ctx).get(conn, subject, options)


def _cache(ctx: typer.Context) -> NetworkCache:
    return NetworkCache(cache_dir(state(ctx).settings.data_dir))


def _detect_options(resolution: float, min_persons: int) -> NetworkOptions:
    return NetworkOptions(
        communities=CommunityOptions(resolution=resolution), min_persons=min_persons
    )


def _detect(
    built: Built, resolution: float, min_persons: int
) -> tuple[list[DetectedNetwork], list[int]]:
    return built.detect(_detect_options(resolution, min_persons))


def network_list(
    ctx: typer.Context,
    as_user: str = AS_USER,
    justification: str = WHY,
    resolution: float = RESOLUTION,
    min_persons: int = MIN_PERSONS,
    limit: int = typer.Option(20, min=1, help="How many networks."),
    as_of: str = AS_OF,
    date_from: str = FROM,
    date_to: str = TO,
) -> None:
    """The networks in your view, largest first."""
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user, "look at networks")
        listing = list_networks(
            conn,
            subject,
            _cache(ctx),
            justification=justification,
            build=BuildOptions(as_of=_day(as_of), start=_day(date_from), end=_day(date_to)),
            detect=_detect_options(resolution, min_persons),
            limit=limit,
        )
    rows = [
        [
            r.id,
            str(r.persons),
            str(r.organisations),
            str(r.victims),
            ",".join(r.countries),
            f"{r.first or '?'}..{r.last or '?'}",
            ",".join(r.agencies),
            ", ".join(p.label for p in r.key_players[:3]),
        ]
        for r in listing.rows
    ]
    print_table(
        ["network", "persons", "orgs", "victims", "countries", "span", "agencies", "key players"],
        rows,
    )


def network_show(
    ctx: typer.Context,
    network_id: str = typer.Argument(..., help="A network id from `crosslink network list`."),
    as_user: str = AS_USER,
    justification: str = WHY,
    resolution: float = RESOLUTION,
    min_persons: int = MIN_PERSONS,
    as_of: str = AS_OF,
    date_from: str = FROM,
    date_to: str = TO,
) -> None:
    """One network: members and roles, countries, sectors, victims, key players, brokers."""
    with state(ctx).store().transaction() as conn:
        subject, built = _open(ctx, conn, (as_user, justification), (as_of, date_from, date_to))
        network = built.network
        detected, membership = _detect(built, resolution, min_persons)
        found = find_network(detected, network_id)
        log_network_access(
            conn,
            subject,
            network.records(found.members),
            what={"network": found.id},
            justification=justification,
        )
    _print_summary(network, found, membership)


def _print_summary(network: Network, found: DetectedNetwork, membership: list[int]) -> None:
    s = found.summary
    typer.echo(f"{s.id}: {s.persons} persons, {s.organisations} organisations, {s.ads} ads")
    typer.echo(f"  countries: {', '.join(s.countries) or '-'}")
    typer.echo(f"  nationalities: {', '.join(s.nationalities) or '-'}")
    typer.echo(f"  sectors: {', '.join(s.sectors) or '-'}")
    typer.echo(f"  victims linked: {len(s.victims)}")
    typer.echo(f"  time span: {s.first or '?'} .. {s.last or '?'}")
    handling = ", ".join(s.handling_codes)
    typer.echo(f"  known to: {', '.join(s.agencies) or '-'} (handling {handling})")
    typer.echo(f"  ties: {', '.join(f'{k} {v}' for k, v in s.tie_kinds.items()) or '-'}")
    print_table(
        ["key player", "name", "score", "degree", "betweenness", "core"],
        [
            [
                network.nodes[p.node].id,
                network.nodes[p.node].label,
                f"{p.score:.2f}",
                str(p.degree),
                f"{p.betweenness:.1f}",
                str(p.coreness),
            ]
            for p in s.key_players
        ],
    )
    inside = set(found.members)
    bridging = [b for b in brokers(network, membership, top=len(network.nodes)) if b.node in inside]
    print_table(
        ["broker", "name", "other communities", "countries", "outside share"],
        [
            [
                network.nodes[b.node].id,
                network.nodes[b.node].label,
                str(len(b.communities)),
                ",".join(b.countries),
                f"{b.external_share:.2f}",
            ]
            for b in bridging[:10]
        ],
    )
    print_table(
        ["member", "type", "name", "roles", "categories"],
        [[m.id, m.kind, m.label, ",".join(m.roles), ",".join(m.categories)] for m in s.members],
    )


def _hop_line(network: Network, hop: Hop) -> str:
    a, b = network.nodes[hop.source], network.nodes[hop.target]
    parts = []
    for ev in hop.evidence:
        via = ", ".join(sorted(network.hub_labels.get(v, v) for v in ev.via))
        span = f" {ev.first}..{ev.last}" if ev.first else ""
        parts.append(
            f"{ev.kind} (x{ev.count}{span}; {', '.join(sorted(ev.sources))}; "
            f"{'/'.join(sorted(ev.handling_codes))}{'; via ' + via if via else ''}; "
            f"records {', '.join(sorted(ev.records))})"
        )
    return f"  {a.label or a.id} [{a.id}] -- {b.label or b.id} [{b.id}]: " + " + ".join(parts)


def network_path(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="Entity id, record uid or node id."),
    target: str = typer.Argument(..., help="Entity id, record uid or node id."),
    k: int = typer.Option(1, "-k", min=1, help="How many shortest paths."),
    weighted: bool = typer.Option(False, help="Strongest ties instead of fewest hops."),
    as_user: str = AS_USER,
    justification: str = WHY,
    as_of: str = AS_OF,
    date_from: str = FROM,
    date_to: str = TO,
) -> None:
    """Shortest paths between two subjects, each hop with its evidence."""
    with state(ctx).store().transaction() as conn:
        subject, built = _open(ctx, conn, (as_user, justification), (as_of, date_from, date_to))
        network = built.network
        paths = shortest_paths(network, source, target, PathOptions(k=k, weighted=weighted))
        shown = {v for p in paths for v in p.nodes}
        log_network_access(
            conn,
            subject,
            network.records(shown),
            what={"query": "network path", "between": [source, target]},
            justification=justification,
        )
    if not paths:
        typer.echo("no path in the network you may see")
        return
    for n, path in enumerate(paths, 1):
        typer.echo(f"path {n}: {path.length} hops")
        for hop in path.hops:
            typer.echo(_hop_line(network, hop))


def network_ego(
    ctx: typer.Context,
    subject_ref: str = typer.Argument(..., metavar="SUBJECT", help="Entity id or record uid."),
    hops: int = typer.Option(1, "--hops", min=0, max=4, help="How many ties away."),
    as_user: str = AS_USER,
    justification: str = WHY,
    as_of: str = AS_OF,
    date_from: str = FROM,
    date_to: str = TO,
) -> None:
    """The actors within --hops ties of a subject, and their ties."""
    with state(ctx).store().transaction() as conn:
        subject, built = _open(ctx, conn, (as_user, justification), (as_of, date_from, date_to))
        ego = ego_network(built.network, subject_ref, hops)
        log_network_access(
            conn,
            subject,
            ego.records(),
            what={"query": "network ego", "subject": subject_ref, "hops": hops},
            justification=justification,
        )
    typer.echo(f"{len(ego.nodes)} actors, {len(ego.edges)} ties within {hops} hops")
    print_table(
        ["a", "b", "ties", "weight", "sources"],
        [
            [
                ego.nodes[e.a].label or ego.nodes[e.a].id,
                ego.nodes[e.b].label or ego.nodes[e.b].id,
                e.label,
                f"{e.weight:.2f}",
                ",".join(sorted({s for ev in e.kinds.values() for s in ev.sources})),
            ]
            for e in ego.edges
        ],
    )


def network_export(
    ctx: typer.Context,
    network_id: str = typer.Argument(None, help="A network id (or use --ego)."),
    out: Path = typer.Option(..., "--out", "-o", help="The file to write."),
    fmt: str = typer.Option("graphml", "--format", "-f", help=", ".join(FORMATS)),
    ego: str = typer.Option(None, "--ego", help="Export the ego network of this subject."),
    hops: int = typer.Option(1, "--hops", min=0, max=4, help="Ego network radius."),
    recipient: list[str] = typer.Option([], "--recipient", help="Who receives it (logged)."),
    as_user: str = AS_USER,
    justification: str = WHY,
    resolution: float = RESOLUTION,
    min_persons: int = MIN_PERSONS,
    as_of: str = AS_OF,
    date_from: str = FROM,
    date_to: str = TO,
) -> None:
    """Write a network (or an ego network) as GraphML, GEXF, FtM, CSV, SVG or PNG."""
    if fmt.lower() not in FORMATS:
        raise InvalidGraphOption(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if (network_id is None) == (ego is None):
        raise InvalidGraphOption("give a network id or --ego SUBJECT, not both")
    with state(ctx).store().transaction() as conn:
        subject, built = _open(
            ctx, conn, (as_user, justification), (as_of, date_from, date_to), action="export"
        )
        network = built.network
        if ego is not None:
            chosen, label = ego_network(network, ego, hops), f"ego {ego}"
        else:
            found = find_network(_detect(built, resolution, min_persons)[0], network_id)
            chosen, label = network.subnetwork(found.members), found.id
        log_network_access(
            conn,
            subject,
            chosen.records(),
            what={"export": label, "format": fmt.lower(), "file": out.name},
            justification=justification,
            disclosure=True,
            recipients=recipient,
        )
        export_network(chosen, out, fmt)
    typer.echo(f"{label}: {len(chosen.nodes)} actors, {len(chosen.edges)} ties -> {out}")
