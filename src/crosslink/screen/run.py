"""A screening run: read the ads a user may see, extract, score, cluster, store, audit.

The run acts as a named user: only records the policy lets that user view are read
(``visible_records``), and the run lands in the audit log as a ``combination`` (LED art. 25)
with its counts and rule set, never the ads' text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from crosslink.access.audit import Event, append
from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.clock import Clock, SystemClock
from crosslink.model.types import email as email_type
from crosslink.model.types import handle as handle_type
from crosslink.model.types import phone as phone_type
from crosslink.screen.cluster import ClusterInput, Clusters, Options, cluster
from crosslink.screen.extract import Ad
from crosslink.screen.known import known_entities
from crosslink.screen.rules import RuleSet, bundled_rules
from crosslink.screen.schema import screen_clusters, screen_results, screen_runs
from crosslink.screen.score import Verdict, offers, screen_ad
from crosslink.store.dialect import bulk_insert
from crosslink.store.schema import record_values, records

_AD_PROPS = ("title", "body", "language", "phone", "email", "handle", "image_hash")


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    ads: int
    flagged: int
    clusters: int
    ruleset: str
    version: str


def load_ads(conn: Connection, subject: Subject) -> list[Ad]:
    """Every ad record ``subject`` may view, with the properties screening reads."""
    rows = conn.execute(
        select(
            record_values.c.record_uid,
            record_values.c.prop,
            record_values.c.original,
            record_values.c.cleaned,
        )
        .join(records, records.c.uid == record_values.c.record_uid)
        .where(
            records.c.schema == "Ad",
            record_values.c.prop.in_(_AD_PROPS),
            records.c.uid.in_(visible_records(subject, "view")),
        )
        .order_by(record_values.c.record_uid, record_values.c.prop, record_values.c.idx)
    ).all()
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for uid, prop, original, cleaned in rows:
        # Text is kept as the poster wrote it; contacts as cleaned, to compare across ads.
        keep = original if prop in ("title", "body", "language") else (cleaned or original)
        values[uid][prop].append(keep)
    return [_ad(uid, props) for uid, props in values.items()]


def _ad(uid: str, props: dict[str, list[str]]) -> Ad:
    contacts = tuple(
        f"{prop}:{value}" for prop in ("phone", "email", "handle") for value in props.get(prop, [])
    ) + tuple(f"image:{value}" for value in props.get("image_hash", []))
    first = {k: v[0] for k, v in props.items() if v}
    return Ad(uid, first.get("title", ""), first.get("body", ""), first.get("language"), contacts)


def contact_keys(ad: Ad, verdict: Verdict) -> frozenset[str]:
    """The keys ads are tied by, from the ad's own contact fields and its text, each by its
    value type's fingerprint: ``phone:+32…``, ``email:…``, ``account:name``, ``image:…``.
    A WhatsApp, Signal or Viber account is also its phone number."""
    raw = set(ad.contacts) | {
        f"{e.kind}:{e.value}" for e in verdict.facts.found if e.kind in ("phone", "email", "handle")
    }
    keys = set()
    for key in raw:
        kind, _, value = key.partition(":")
        if kind == "image":
            keys.add(key)
        elif kind == "phone":
            keys.add(f"phone:{phone_type.fingerprint(value)}")
        elif kind == "email":
            keys.add(f"email:{email_type.fingerprint(value)}")
        elif kind == "handle":
            keys.add(f"account:{handle_type.fingerprint(value)}")
            if value.split(":", 1)[0] in ("whatsapp", "signal", "viber"):
                keys.add(f"phone:{handle_type.fingerprint(value)}")
    return frozenset(keys)


def ruleset_sha256(rules: RuleSet) -> str:
    body = json.dumps(rules.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def run_screening(
    conn: Connection,
    subject: Subject,
    rules: RuleSet | None = None,
    *,
    options: Options | None = None,
    clock: Clock | None = None,
) -> RunSummary:
    """Screen every ad ``subject`` may see; store the results as a new run; the caller
    commits."""
    rules = rules or bundled_rules()
    started = (clock or SystemClock()).now()
    ads = load_ads(conn, subject)
    verdicts = [screen_ad(ad, rules) for ad in ads]
    keys = [contact_keys(ad, v) for ad, v in zip(ads, verdicts, strict=True)]
    groups = cluster(
        [ClusterInput(ad.uid, ad.text, k) for ad, k in zip(ads, keys, strict=True)],
        options or Options(),
    )
    known = known_entities(conn, subject, set().union(*keys) if keys else set())
    run_id = _insert_run(conn, subject, rules, started, verdicts, groups, clock)
    _insert_results(conn, run_id, rules, verdicts, keys, groups, known)
    summary = RunSummary(
        run_id,
        len(ads),
        sum(v.flagged for v in verdicts),
        len(groups.size),
        rules.name,
        rules.version,
    )
    details = {
        "ads": summary.ads,
        "flagged": summary.flagged,
        "clusters": summary.clusters,
        "ruleset": rules.name,
        "version": rules.version,
    }
    append(
        conn, subject, Event("combination", {"screen_run": run_id}, details=details), clock=clock
    )
    return summary


def _insert_run(
    conn: Connection,
    subject: Subject,
    rules: RuleSet,
    started: dt.datetime,
    verdicts: Sequence[Verdict],
    groups: Clusters,
    clock: Clock | None,
) -> int:
    inserted = conn.execute(
        screen_runs.insert().values(
            run_by=subject.username,
            agency_id=subject.agency_id,
            started_at=started,
            finished_at=(clock or SystemClock()).now(),
            ruleset=rules.name,
            ruleset_version=rules.version,
            ruleset_sha256=ruleset_sha256(rules),
            threshold=rules.threshold,
            ads=len(verdicts),
            flagged=sum(v.flagged for v in verdicts),
            clusters=len(groups.size),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_results(
    conn: Connection,
    run_id: int,
    rules: RuleSet,
    verdicts: Sequence[Verdict],
    keys: Sequence[frozenset[str]],
    groups: Clusters,
    known: dict[str, list[dict[str, str]]],
) -> None:
    rows = []
    top: dict[str, float] = defaultdict(float)
    flagged: dict[str, int] = defaultdict(int)
    for verdict, ad_keys in zip(verdicts, keys, strict=True):
        cid = groups.of[verdict.uid]
        top[cid] = max(top[cid], verdict.score)
        flagged[cid] += verdict.flagged
        found = [e.as_dict() for e in [*verdict.facts.found, *offers(verdict)]]
        matches = [m for key in sorted(ad_keys) for m in known.get(key, [])]
        rows.append(
            (
                run_id,
                verdict.uid,
                verdict.facts.language,
                verdict.facts.language_from,
                verdict.score,
                verdict.flagged,
                cid,
                groups.size[cid],
                json.dumps([r.as_dict(rules.version) for r in verdict.reasons], ensure_ascii=False),
                json.dumps(found, ensure_ascii=False),
                json.dumps(matches, ensure_ascii=False),
            )
        )
    bulk_insert(conn, screen_results, [c.name for c in screen_results.c], rows)
    if not groups.size:
        return
    conn.execute(
        screen_clusters.insert(),
        [
            {
                "run_id": run_id,
                "cluster_id": cid,
                "size": size,
                "top_score": top[cid],
                "flagged": flagged[cid],
                "ties": json.dumps(groups.ties[cid], ensure_ascii=False),
            }
            for cid, size in groups.size.items()
        ],
    )


def latest_run(conn: Connection) -> int | None:
    """The id of the newest screening run, or None."""
    found = conn.execute(select(screen_runs.c.id).order_by(screen_runs.c.id.desc()).limit(1))
    return found.scalar()
