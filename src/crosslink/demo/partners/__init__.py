"""One writer per partner file; :data:`PARTNERS` lists them with their mapping and source."""

from __future__ import annotations

from crosslink.demo.partners import (
    ads,
    banks,
    ftm,
    immigration,
    inspection,
    police,
    population,
    reception,
)
from crosslink.demo.partners._base import PARTNER_DIR, PartnerContext, PartnerSpec, Written
from crosslink.store.sources import Source

PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        "police",
        "be_police_reports.csv",
        "demo-be-police",
        Source(
            "demo-be-police",
            "Federale Politie – Centrale Dienst Mensenhandel",
            "Processen-verbaal mensenhandel en -smokkel",
            "BE",
            handling_code="H1",
            source_grade="B",
            info_grade="2",
        ),
        police.write,
    ),
    PartnerSpec(
        "inspection",
        "be_social_inspection.xlsx",
        "demo-be-inspection",
        Source(
            "demo-be-inspection",
            "Service d'information et de recherche sociale (SIRS)",
            "Constats d'inspection sociale",
            "BE",
            source_grade="A",
            info_grade="2",
        ),
        inspection.write,
    ),
    PartnerSpec(
        "population",
        "be_population_register.csv",
        "demo-be-population",
        Source(
            "demo-be-population",
            "Gemeente – Dienst Bevolking",
            "Inschrijvingen en uitschrijvingen",
            "BE",
            source_grade="A",
            info_grade="1",
        ),
        population.write,
    ),
    PartnerSpec(
        "reception",
        "be_reception_intakes.json",
        "demo-be-reception",
        Source(
            "demo-be-reception",
            "Payoke, PAG-ASA and Sürya",
            "Victim intakes",
            "BE",
            handling_code="H2",
            source_grade="B",
            info_grade="2",
        ),
        reception.write,
    ),
    PartnerSpec(
        "immigration",
        "be_immigration_records.csv",
        "demo-be-immigration",
        Source(
            "demo-be-immigration",
            "Immigration Office (DVZ/OE)",
            "Residence and document records",
            "BE",
            source_grade="A",
            info_grade="1",
        ),
        immigration.write,
    ),
    PartnerSpec(
        "ftm",
        "nl_police_export.ftm.jsonl",
        "demo-nl-ftm",
        Source(
            "demo-nl-ftm",
            "Politie Nederland",
            "Export of persons and companies (FollowTheMoney)",
            "NL",
            handling_code="H2",
            source_grade="B",
            info_grade="3",
        ),
        ftm.write,
    ),
    PartnerSpec(
        "ads",
        "scraped_job_ads.jsonl",
        "demo-job-ads",
        Source(
            "demo-job-ads",
            "Crosslink OSINT scraper",
            "Scraped online job ads",
            "BE",
            source_grade="X",
            info_grade="4",
        ),
        ads.write,
    ),
    PartnerSpec(
        "banks",
        "be_bank_str.csv",
        "demo-be-str",
        Source(
            "demo-be-str",
            "CTIF-CFI (banks' reports)",
            "Suspicious-transaction reports",
            "BE",
            handling_code="H2",
            source_grade="B",
            info_grade="3",
        ),
        banks.write,
    ),
)

__all__ = ["PARTNERS", "PARTNER_DIR", "PartnerContext", "PartnerSpec", "Written"]
