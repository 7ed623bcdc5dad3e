"""Reading screening results: every ad shown passes the policy and lands in the audit log.

Lists are filtered in the query (``visible_records``), then the ads shown are consulted
through :func:`~crosslink.access.consult.consult_records`, which decides each again and
writes the consultation (and any refusal) to the audit log.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, select

from crosslink.access.consult import consult_records
from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.clock import Clock
from crosslink.screen.errors import NoScreening
from crosslink.screen.run import latest_run
from crosslink.screen.schema import screen_clusters, screen_results
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import record_values

_SHOWN = ("title", "body", "url", "site", "location", "salary", "posted_at")


@dataclass
class ScreenedAd:
    uid: str
    score: float
    flagged: bool
    language: str | None
    cluster_id: str
    cluster_size: int
    reasons: list[dict[str, Any]]
    extractions: list[dict[str, Any]]
    known: list[dict[str, str]]
    fields: dict[str, str] = field(default_factory=dict)
    """The ad as posted (title, body, url …): hostile text, to be escaped wherever shown."""


@dataclass
class AdCluster:
    cluster_id: str
    size: int
    top_score: float
    flagged: int
    ties: list[str]
    ads: list[ScreenedAd] = field(default_factory=list)


def _run(conn: Connection) -> int:
    run_id = latest_run(conn)
    if run_id is None:
        raise NoScreening("no screening run yet: run `crosslink screen run` first")
    return run_id


def _fields(conn: Connection, uids: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for start in range(0, len(uids), MAX_IN_PARAMS):
        rows = conn.execute(
            select(
                record_values.c.record_uid, record_values.c.prop, record_values.c.original
            ).where(
                record_values.c.record_uid.in_(uids[start : start + MAX_IN_PARAMS]),
                record_values.c.prop.in_(_SHOWN),
                record_values.c.idx == 0,
            )
        ).all()
        for uid, prop, original in rows:
            out[uid][prop] = original
    return out


def _ads(
    conn: Connection, run_id: int, where: ColumnElement[bool], limit: int | None
) -> list[ScreenedAd]:
    query = (
        select(screen_results)
        .where(screen_results.c.run_id == run_id, where)
        .order_by(screen_results.c.score.desc(), screen_results.c.record_uid)
    )
    rows = conn.execute(query.limit(limit) if limit else query).all()
    ads = [
        ScreenedAd(
            uid=r.record_uid,
            score=r.score,
            flagged=bool(r.flagged),
            language=r.language,
            cluster_id=r.cluster_id,
            cluster_size=r.cluster_size,
            reasons=json.loads(r.reasons),
            extractions=json.loads(r.extractions),
            known=json.loads(r.known),
        )
        for r in rows
    ]
    fields = _fields(conn, [a.uid for a in ads])
    for ad in ads:
        ad.fields = fields.get(ad.uid, {})
    return ads


def _consulted(
    conn: Connection,
    subject: Subject,
    ads: list[ScreenedAd],
    justification: str | None,
    clock: Clock | None,
) -> list[ScreenedAd]:
    if not ads:
        return []
    consultation = consult_records(
        conn, subject, [a.uid for a in ads], justification=justification, clock=clock
    )
    allowed = set(consultation.allowed)
    return [a for a in ads if a.uid in allowed]


def top_ads(
    conn: Connection,
    subject: Subject,
    *,
    limit: int = 50,
    flagged_only: bool = False,
    justification: str | None = None,
    clock: Clock | None = None,
) -> list[ScreenedAd]:
    """The highest-scored ads of the latest run that ``subject`` may view, best first."""
    where: ColumnElement[bool] = screen_results.c.record_uid.in_(visible_records(subject, "view"))
    if flagged_only:
        where = and_(where, screen_results.c.flagged.is_(True))
    ads = _ads(conn, _run(conn), where, limit)
    return _consulted(conn, subject, ads, justification, clock)


def show_ad(
    conn: Connection,
    subject: Subject,
    uid: str,
    *,
    justification: str | None = None,
    clock: Clock | None = None,
) -> ScreenedAd | None:
    """One screened ad, or None when it is not in ``subject``'s view (a refusal is logged:
    the caller commits, then reports it)."""
    run_id = _run(conn)
    consultation = consult_records(conn, subject, [uid], justification=justification, clock=clock)
    if uid not in consultation.allowed:
        return None
    found = _ads(conn, run_id, screen_results.c.record_uid == uid, 1)
    return found[0] if found else None


def ad_clusters(
    conn: Connection,
    subject: Subject,
    *,
    min_size: int = 2,
    limit: int = 20,
    justification: str | None = None,
    clock: Clock | None = None,
) -> list[AdCluster]:
    """Clusters of the latest run, largest top score first, with the member ads ``subject``
    may view (a cluster with none of them is not shown)."""
    run_id = _run(conn)
    rows = conn.execute(
        select(screen_clusters)
        .where(screen_clusters.c.run_id == run_id, screen_clusters.c.size >= min_size)
        .order_by(screen_clusters.c.top_score.desc(), screen_clusters.c.cluster_id)
    ).all()
    visible = screen_results.c.record_uid.in_(visible_records(subject, "view"))
    out: list[AdCluster] = []
    for row in rows:
        ads = _ads(conn, run_id, visible & (screen_results.c.cluster_id == row.cluster_id), None)
        if ads:
            out.append(
                AdCluster(
                    row.cluster_id, row.size, row.top_score, row.flagged, json.loads(row.ties), ads
                )
            )
        if len(out) >= limit:
            break
    members = [a for c in out for a in c.ads]
    allowed = {a.uid for a in _consulted(conn, subject, members, justification, clock)}
    for found in out:
        found.ads = [a for a in found.ads if a.uid in allowed]
    return [c for c in out if c.ads]


def highlighted(ad: ScreenedAd) -> list[tuple[str, str | None]]:
    """The ad's screened text (title, newline, body) cut into pieces, each with the indicator
    whose evidence it is (None for plain text); overlapping evidence keeps the first."""
    title, body = ad.fields.get("title", ""), ad.fields.get("body", "")
    text = f"{title}\n{body}" if title else body
    marks = sorted(
        (r["span"][0], r["span"][1], r["indicator"]) for r in ad.reasons if r.get("span")
    )
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, indicator in marks:
        if start < at or end > len(text):
            continue
        if start > at:
            pieces.append((text[at:start], None))
        pieces.append((text[start:end], indicator))
        at = end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces
