"""crosslink screen …: ads in, screened, shown with their reasons, clustered, measured."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._imports import print_summary
from crosslink.cli._output import print_table
from crosslink.errors import AccessDenied, ReaderError
from crosslink.screen import (
    ScreenedAd,
    ad_clusters,
    bundled_rules,
    import_ads,
    load_rules,
    run_screening,
    show_ad,
    top_ads,
)
from crosslink.screen.evaluate import check_examples, evaluate, read_corpus

screen_app = typer.Typer(
    help="Screening of scraped ads: import, run, show, clusters, rules, evaluate.",
    no_args_is_help=True,
)
WHY = typer.Option(None, "--justification", "-j", help="Why you look (logged).")
RULES = typer.Option(None, "--rules", help="An indicator rule file (default: the bundled one).")
# Ad text is hostile: no terminal control sequence of a poster reaches the analyst's screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def register(app: typer.Typer) -> None:
    app.add_typer(screen_app, name="screen")


def _plain(text: Any) -> str:
    return _CONTROL.sub("?", str(text))


@screen_app.command("import")
def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Scraped ads: JSON Lines (.jsonl) or CSV (.csv)."),
    source: str = typer.Option(..., "--source", "-s", help="Id of the source the ads are from."),
    strict: bool = typer.Option(False, "--strict", help="Any rejected row aborts the batch."),
    as_user: str = AS_USER,
) -> None:
    """Import scraped ads as one batch (all or nothing; a file imported again adds nothing)."""
    if not file.is_file():
        raise ReaderError("no such file", file=str(file))
    with state(ctx).store().transaction() as conn:
        summary = import_ads(conn, file, source, who(conn, as_user, "import"), strict=strict)
    print_summary(summary)


@screen_app.command("run")
def run_command(ctx: typer.Context, rules: Path = RULES, as_user: str = AS_USER) -> None:
    """Screen every ad you may see: extract, score, cluster; store the results as a run."""
    rule_set = load_rules(rules) if rules else bundled_rules()
    with state(ctx).store().transaction() as conn:
        summary = run_screening(conn, who(conn, as_user, "screen"), rule_set)
    typer.echo(
        f"screening run {summary.run_id}: {summary.ads} ads, {summary.flagged} flagged, "
        f"{summary.clusters} clusters (rules {summary.ruleset} {summary.version})"
    )


def _reasons(ad: ScreenedAd) -> str:
    return ", ".join(r["indicator"] for r in ad.reasons)


@screen_app.command("show")
def show_command(
    ctx: typer.Context,
    uid: str = typer.Argument(None, help="An ad's record uid; without it, the top ads."),
    limit: int = typer.Option(20, help="How many ads to list."),
    flagged: bool = typer.Option(False, "--flagged", help="Only flagged ads."),
    justification: str = WHY,
    as_user: str = AS_USER,
) -> None:
    """The top-scored ads of the latest run, or one ad with its reasons and evidence."""
    found: ScreenedAd | None = None
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user, "view")
        if uid is None:
            ads = top_ads(
                conn, subject, limit=limit, flagged_only=flagged, justification=justification
            )
        else:
            found = show_ad(conn, subject, uid, justification=justification)
    if uid is None:
        rows = [
            [
                a.uid,
                f"{a.score:g}",
                "yes" if a.flagged else "",
                a.language or "",
                a.cluster_id[:8],
                _plain(a.fields.get("title", ""))[:60],
                _reasons(a),
            ]
            for a in ads
        ]
        print_table(["ad", "score", "flagged", "lang", "cluster", "title", "indicators"], rows)
        return
    if found is None:  # the refusal was logged and committed above
        raise AccessDenied(f"no screened ad {uid} in your view")
    _print_ad(found)


def _print_ad(ad: ScreenedAd) -> None:
    typer.echo(
        f"ad {ad.uid}  score {ad.score:g}{'  FLAGGED' if ad.flagged else ''}  "
        f"language {ad.language or '?'}  cluster {ad.cluster_id} ({ad.cluster_size} ads)"
    )
    for key in ("site", "url", "posted_at", "title", "body"):
        if key in ad.fields:
            typer.echo(f"{key}: {_plain(ad.fields[key])}")
    typer.echo("indicators:")
    for r in ad.reasons:
        span = r["span"]
        where = f" [{span[0]}:{span[1]}] {_plain(span[2])!r}" if span else ""
        typer.echo(f"  {r['indicator']} (v{r['version']}, weight {r['weight']:g}){where}")
    typer.echo("found:")
    for e in ad.extractions:
        how = "" if e["how"] == "plain" else f" ({e['how']})"
        typer.echo(f"  {e['kind']}: {_plain(e['value'])}{how} at [{e['span'][0]}:{e['span'][1]}]")
    for k in ad.known:
        typer.echo(
            f"known: {k['value']} is {k['type']} record {k['record']}"
            + (f", entity {k['entity']}" if k["entity"] else "")
        )


@screen_app.command("clusters")
def clusters_command(
    ctx: typer.Context,
    min_size: int = typer.Option(2, help="Smallest cluster shown."),
    limit: int = typer.Option(20, help="How many clusters."),
    justification: str = WHY,
    as_user: str = AS_USER,
) -> None:
    """Ads grouped into the networks that post them (shared contacts, near-duplicate text)."""
    with state(ctx).store().transaction() as conn:
        found = ad_clusters(
            conn,
            who(conn, as_user, "view"),
            min_size=min_size,
            limit=limit,
            justification=justification,
        )
    rows = [
        [
            c.cluster_id,
            str(c.size),
            f"{c.top_score:g}",
            str(c.flagged),
            _plain(", ".join(c.ties))[:80],
            " ".join(a.uid[:8] for a in c.ads),
        ]
        for c in found
    ]
    print_table(["cluster", "ads", "top score", "flagged", "tied by", "ads you see"], rows)


@screen_app.command("rules")
def rules_command(rules: Path = RULES) -> None:
    """Check an indicator rule file: it loads, and every indicator passes its own examples."""
    rule_set = load_rules(rules) if rules else bundled_rules()
    failures = check_examples(rule_set)
    for line in failures:
        typer.echo(f"fails: {line}", err=True)
    typer.echo(
        f"rules {rule_set.name} {rule_set.version}: {len(rule_set.indicators)} "
        f"indicators, threshold {rule_set.threshold:g}, {len(failures)} failing examples"
    )
    if failures:
        raise typer.Exit(1)


@screen_app.command("evaluate")
def evaluate_command(
    ads: Path = typer.Argument(..., help="Labelled ads (JSON Lines, the intake format)."),
    labels: Path = typer.Argument(..., help="Their truth (YAML: URL -> suspect, network …)."),
    rules: Path = RULES,
) -> None:
    """Measure extraction, flagging and clusters on a labelled corpus; sweep the threshold."""
    rule_set = load_rules(rules) if rules else bundled_rules()
    corpus, truth = read_corpus(ads, labels)
    result = evaluate(corpus, truth, rule_set)
    rows = [
        [
            f"extract {k}",
            str(r.true_positive),
            str(r.false_positive),
            str(r.false_negative),
            f"{r.precision:.3f}",
            f"{r.recall:.3f}",
        ]
        for k, r in result.extraction.items()
    ]
    rows += [
        [
            f"flag {k}",
            str(r.true_positive),
            str(r.false_positive),
            str(r.false_negative),
            f"{r.precision:.3f}",
            f"{r.recall:.3f}",
        ]
        for k, r in result.flagging.items()
    ]
    print_table(["measure", "tp", "fp", "fn", "precision", "recall"], rows)
    typer.echo(
        f"benign ads flagged: {result.benign_flagged:.1%} at threshold "
        f"{rule_set.threshold:g}; cluster purity {result.cluster_purity:.3f}, "
        f"cluster pair recall {result.cluster_recall:.3f}"
    )
    print_table(
        ["threshold", "precision", "recall", "benign flagged"],
        [
            [f"{t:g}", f"{r.precision:.3f}", f"{r.recall:.3f}", f"{b:.1%}"]
            for t, r, b in result.thresholds
        ],
    )
