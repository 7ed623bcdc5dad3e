"""Demo accounts: one agency per demo partner and one user per role (demo mode only).

Every demo user has the demo password (:data:`crosslink.access.passwords.DEMO_PASSWORD`),
which the directory refuses outside demo mode. Running this twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from crosslink.access import Agency, NewUser, add_agency, add_user, assign_source, load_subject
from crosslink.access.grants import provider_of
from crosslink.access.passwords import DEMO_PASSWORD
from crosslink.access.schema import agencies, users
from crosslink.errors import ConfigurationError
from crosslink.store.schema import sources

AGENCIES = (
    Agency("crosslink-ops", "Crosslink operations", "police", "BE"),
    Agency("be-police", "Federale Politie – DJSOC Mensenhandel", "police", "BE"),
    Agency("be-inspection", "Service d'information et de recherche sociale", "inspection", "BE"),
    Agency("be-municipality", "Gemeente – Dienst Bevolking", "municipality", "BE"),
    Agency("be-reception", "Payoke, PAG-ASA and Sürya", "reception_centre", "BE"),
    Agency("be-immigration", "Immigration Office (DVZ/OE)", "immigration", "BE"),
    Agency("be-prosecution", "Parquet fédéral / Federaal parket", "prosecution", "BE"),
    Agency("be-rapporteur", "Myria – National rapporteur", "rapporteur", "BE"),
    Agency("nl-police", "Politie Nederland", "foreign_partner", "NL"),
)

SOURCES = {
    "demo-be-police": "be-police",
    "demo-job-ads": "be-police",
    "demo-be-inspection": "be-inspection",
    "demo-be-population": "be-municipality",
    "demo-be-reception": "be-reception",
    "demo-be-immigration": "be-immigration",
    "demo-be-str": "be-prosecution",
    "demo-nl-ftm": "nl-police",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency_id: str


ACCOUNTS = (
    DemoAccount("admin", "administrator", "crosslink-ops"),
    DemoAccount("analyst", "analyst", "be-police"),
    DemoAccount("investigator", "investigator", "be-police"),
    DemoAccount("inspector", "inspector", "be-inspection"),
    DemoAccount("municipal", "municipal_officer", "be-municipality"),
    DemoAccount("immigration", "immigration_officer", "be-immigration"),
    DemoAccount("caseworker", "caseworker", "be-reception"),
    DemoAccount("prosecutor", "prosecutor", "be-prosecution"),
    DemoAccount("rapporteur", "rapporteur", "be-rapporteur"),
)


def ensure_demo_accounts(conn: Connection, *, demo: bool) -> list[DemoAccount]:
    """Create what is missing of the demo agencies, users and source owners; the caller commits."""
    if not demo:
        raise ConfigurationError("demo accounts exist in demo mode only (CROSSLINK_DEMO=true)")
    known = set(conn.execute(select(agencies.c.id)).scalars())
    for agency in AGENCIES:
        if agency.id not in known:
            add_agency(conn, agency)
    existing = set(conn.execute(select(users.c.username)).scalars())
    for account in ACCOUNTS:
        if account.username not in existing:
            new = NewUser(
                account.username,
                account.agency_id,
                frozenset({account.role}),
                DEMO_PASSWORD,
                full_name=f"Demo {account.role.replace('_', ' ')}",
            )
            add_user(conn, new, demo=True)
    admin = load_subject(conn, "admin")
    present = set(conn.execute(select(sources.c.id)).scalars())
    for source_id, agency_id in SOURCES.items():
        if source_id in present and provider_of(conn, source_id) is None:
            assign_source(conn, admin, source_id, agency_id)
    return list(ACCOUNTS)
