"""Releases on both backends: stored with their method, refused when they would disclose."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, func, select

from crosslink.access.audit import rows
from crosslink.access.directory import load_subject
from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.access.roles import RECORD_ACTIONS
from crosslink.errors import AccessDenied
from crosslink.stats.disclosure import Method
from crosslink.stats.errors import DisclosureRefused, InvalidStatsRequest
from crosslink.stats.report import release_csv, report_html
from crosslink.stats.schema import stats_releases
from crosslink.stats.service import (
    StatsContext,
    hidden_number,
    make_release,
    microdata,
    preview_table,
    releases,
    report,
)
from crosslink.stats.tables import TableSpec

CTX = StatsContext.default()


def _count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(stats_releases)).scalar_one())


def test_a_release_keeps_its_method_and_what_made_it(world_conn: Connection) -> None:
    rapporteur = load_subject(world_conn, "rapporteur1")
    spec = TableSpec("victim", ("year", "form"))
    made = make_release(world_conn, rapporteur, spec, Method("suppress", threshold=5), "T1", CTX)
    assert made.params == {"method": "suppress", "threshold": 5}
    assert made.rules_version == CTX.rules.version
    assert made.resolve_run is not None
    assert made.inputs == "records"
    assert any(v is None for v in made.cells.values())
    assert "no withheld cell revealed" in made.check_notes
    assert [r.id for r in releases(world_conn, rapporteur, CTX)] == [made.id]
    last = list(rows(world_conn))[-2]
    assert (last.actor, last.action) == ("rapporteur1", "disclosure")


def test_a_release_that_would_give_away_a_withheld_cell_is_refused(
    world_conn: Connection,
) -> None:
    rapporteur = load_subject(world_conn, "rapporteur1")
    first = TableSpec("victim", ("year", "form"))
    make_release(world_conn, rapporteur, first, Method("suppress", threshold=5), "T1", CTX)
    before = _count(world_conn)
    years = sorted({y for y in _years(world_conn, rapporteur) if y.isdigit()})
    last = int(years[-1])
    slice_ = TableSpec("victim", ("form",), (last, last))
    with pytest.raises(DisclosureRefused, match="would reveal withheld cells"):
        make_release(world_conn, rapporteur, slice_, Method("round", base=2), "slice", CTX)
    assert _count(world_conn) == before
    refusal = list(rows(world_conn))[-1]
    assert (refusal.action, refusal.actor) == ("denied", "rapporteur1")
    assert "would reveal withheld cells" in (refusal.details or "")
    coarse = make_release(world_conn, rapporteur, slice_, Method("round", base=10), "ok", CTX)
    assert coarse.id


def _years(conn: Connection, rapporteur: Subject) -> list[str]:
    preview = preview_table(conn, rapporteur, TableSpec("victim", ("year",)), CTX)
    return [k[0] for k in preview.table.cells]


def test_the_privacy_budget_is_tracked_across_releases(world_conn: Connection) -> None:
    rapporteur = load_subject(world_conn, "rapporteur1")
    budget = CTX.rules.disclosure.privacy_budget
    spec = TableSpec("victim", ("sex",))
    make_release(world_conn, rapporteur, spec, Method("dp", epsilon=budget / 2), "a", CTX)
    make_release(world_conn, rapporteur, spec, Method("dp", epsilon=budget / 2), "b", CTX)
    with pytest.raises(DisclosureRefused, match="privacy budget"):
        make_release(world_conn, rapporteur, spec, Method("dp", epsilon=0.1), "c", CTX)
    assert sum(r.epsilon for r in releases(world_conn, rapporteur, CTX)) == pytest.approx(budget)


def test_only_roles_that_aggregate_get_statistics_and_none_of_them_a_record(
    world_conn: Connection,
) -> None:
    investigator = load_subject(world_conn, "investigator1")
    with pytest.raises(AccessDenied, match="may not aggregate"):
        preview_table(world_conn, investigator, TableSpec("victim", ("sex",)), CTX)
    assert list(rows(world_conn))[-1].action == "denied"
    rapporteur = load_subject(world_conn, "rapporteur1")
    for action in RECORD_ACTIONS:
        assert world_conn.execute(visible_records(rapporteur, action)).first() is None
    with pytest.raises(InvalidStatsRequest, match="unknown role"):
        hidden_number(world_conn, rapporteur, CTX, role="witness")


def test_the_hidden_number_comes_from_the_agencies_lists(world_conn: Connection) -> None:
    rapporteur = load_subject(world_conn, "rapporteur1")
    found = hidden_number(world_conn, rapporteur, CTX)
    assert len(found.lists) >= 3
    counted = preview_table(world_conn, rapporteur, TableSpec("victim", ("status",)), CTX)
    assert found.observed == sum(counted.table.cells.values())
    assert found.low <= found.total <= found.high


def test_the_report_shows_releases_as_published_and_escapes_their_titles(
    world_conn: Connection,
) -> None:
    rapporteur = load_subject(world_conn, "rapporteur1")
    hostile = "<script>alert(1)</script> figures"
    spec = TableSpec("victim", ("year", "form"))
    made = make_release(world_conn, rapporteur, spec, Method("suppress", threshold=5), hostile, CTX)
    chosen = report(world_conn, rapporteur, [made.id], CTX)
    html = report_html("Annual report", chosen)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "suppress" in html and CTX.rules.version in html
    lines = release_csv(made).splitlines()
    assert lines[0] == "release,role,year,form,count,disclosure,rules"
    assert len(lines) == 1 + len(made.cells) + len(made.margins)
    assert any(",x," in line for line in lines[1:])
    with pytest.raises(InvalidStatsRequest, match="no release 999"):
        report(world_conn, rapporteur, [999], CTX)


def test_microdata_groups_are_at_least_k(world_conn: Connection) -> None:
    rapporteur = load_subject(world_conn, "rapporteur1")
    spec = TableSpec("victim", ("year", "sex", "citizenship"))
    found = microdata(world_conn, rapporteur, spec, CTX)
    assert found.k == 11
    assert found.rows
    groups: dict[tuple[str, ...], int] = {}
    for row in found.rows:
        groups[row] = groups.get(row, 0) + 1
    assert min(groups.values()) >= 11
    assert list(rows(world_conn))[-1].action == "disclosure"
