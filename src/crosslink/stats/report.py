"""The annual report: chosen releases as they were published, in HTML and CSV.

Only releases enter a report (never a fresh table), so the report shows exactly what passed
disclosure control, each table with its method, the rules version and the resolution run.
The HTML is self-contained (no script, no outside asset); every value is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from importlib import resources

from jinja2 import Environment, select_autoescape

from crosslink.stats.releases import Release

WITHHELD = "x"


def release_csv(release: Release) -> str:
    """One release in long layout: a column per breakdown, the count, the method (Eurostat-like:
    ``*`` a total over that breakdown, ``x`` a withheld count)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    dims = list(release.spec["dimensions"])
    method = ";".join(f"{k}={v}" for k, v in release.params.items())
    writer.writerow(["release", "role", *dims, "count", "disclosure", "rules"])
    for key, value in [*release.cells.items(), *release.margins.items()]:
        shown = WITHHELD if value is None else str(value)
        writer.writerow(
            [release.id, release.spec["role"], *key, shown, method, release.rules_version]
        )
    return out.getvalue()


def report_html(title: str, chosen: Sequence[Release]) -> str:
    template = (
        resources.files("crosslink.stats")
        .joinpath("data", "report.html")
        .read_text(encoding="utf-8")
    )
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    tables = [_grid(r) for r in chosen]
    return env.from_string(template).render(title=title, tables=tables, withheld=WITHHELD)


def _grid(release: Release) -> dict[str, object]:
    dims = list(release.spec["dimensions"])
    shown = {k: (WITHHELD if v is None else str(v)) for k, v in release.cells.items()}
    margins = {k: (WITHHELD if v is None else str(v)) for k, v in release.margins.items()}
    return {
        "release": release,
        "head": [*dims, "count"],
        "rows": [[*k, v] for k, v in shown.items()],
        "totals": [[*k, v] for k, v in margins.items()],
    }
