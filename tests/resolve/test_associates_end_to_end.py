"""End to end: a bank report's counterparty, known by name and account alone, joins the one
of two namesakes whom the bank's client appears with in a police report; the edge, the
explanation and the review queue say so."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from crosslink.demo._api import register_sources
from crosslink.demo.partners import banks, police
from crosslink.ingest import ImportRequest, import_file, load_mapping
from crosslink.resolve import ResolveOptions, resolve
from crosslink.resolve.extract import read_values
from crosslink.resolve.schema import entity_members
from crosslink.store import Store
from tests.conftest import DEMO_RULES
from tests.resolve.conftest import assert_joined_alone

_GIVEN = ["Jan", "Piet", "Karim", "Olga", "Marta", "Yusuf", "Anna", "Bram", "Lotte", "Sami"]
_FAMILY = ["Peeters", "Jansen", "Nowak", "Kaya", "Dubois", "Smit", "Novak", "Bakker", "Haddad"]
_POLICE = list(police.HEADER)
_BANK = list(banks.HEADER)


def _person(report: str, person: str, family: str, given: str, born: str) -> dict[str, str]:
    return {
        "pv_nummer": report,
        "datum_pv": "03/06/2024",
        "feit": "mensenhandel",
        "persoon_id": person,
        "rol": "verdachte",
        "achternaam": family,
        "voornaam": given,
        "geboortedatum": born,
    }


def _police(path: Path) -> Path:
    """Two Hassan Khatib born years apart, in two reports; the first beside Khadija El
    Amrani; and people enough besides for a model to be trained."""
    rng = random.Random(7)
    rows = [
        _person("PV-1", "p-1", "KHATIB", "Hassan", "01/02/1983"),
        _person("PV-1", "p-2", "EL AMRANI", "Khadija", "04/04/1970"),
        _person("PV-2", "p-3", "KHATIB", "Hassan", "09/07/1990"),
    ]
    for n in range(120):
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2004)}"
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
        for copy in range(rng.randint(1, 2)):
            rows.append(_person(f"PV-{10 + n // 3}-{copy}", f"f-{n}-{copy}", family, given, born))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, _POLICE, delimiter=";", restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _bank(path: Path) -> Path:
    """Khadija El Amrani's bank reports a payment from a Hassan Khatib: a name, an account."""
    row = {
        "report_id": "STR-1",
        "reporting_bank": "KBC",
        "report_date": "30/06/2024",
        "transaction_date": "12/06/2024",
        "amount": "4900,00",
        "currency": "EUR",
        "payer_type": "natural person",
        "payer_name": "Hassan Khatib",
        "payer_iban": "NL91ABNA0417164300",
        "beneficiary_type": "natural person",
        "beneficiary_name": "El Amrani Khadija",
        "beneficiary_iban": "BE71096123456769",
        "beneficiary_birth_date": "04/04/1970",
        "beneficiary_nationality": "MAR",
        "reason": "structured cash deposits",
    }
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, _BANK, restval="")
        writer.writeheader()
        writer.writerow(row)
    return path


def test_a_payer_joins_the_namesake_the_client_appears_with(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with store.transaction() as conn:
        register_sources(conn)
        for path, mapping in [
            (_police(tmp_path / "pv.csv"), "demo-be-police"),
            (_bank(tmp_path / "str.csv"), "demo-be-str"),
        ]:
            request = ImportRequest(
                path=path, mapping=load_mapping(mapping), source_id=mapping, imported_by="test"
            )
            import_file(conn, request)
        # So few records keep the model's priors, under which a name alone scores low: the
        # pairs are kept however low they score.
        resolve(conn, ResolveOptions(entity_types=("Person",), edge_floor=0.001, rules=DEMO_RULES))
        people = read_values(conn, "Person")

        def one(name: str, born: str | None) -> str:
            (found,) = [
                uid
                for uid, raw in people.items()
                if name in [v.lower() for v in raw.values["last_name"] + raw.values["name"]]
                and raw.values.get("birth_date", [None])[0] == born
            ]
            return found

        payer, older, younger = (
            one("hassan khatib", None),
            one("khatib", "1983-02-01"),
            one("khatib", "1990-07-09"),
        )
        entity = dict(
            conn.execute(select(entity_members.c.record_uid, entity_members.c.entity_id)).all()
        )
        client = {
            entity[uid]
            for uid, raw in people.items()
            if "1970-04-04" in raw.values.get("birth_date", [])
        }
        assert len(client) == 1  # the bank's client is the police's Khadija El Amrani
        assert entity[payer] == entity[older] != entity[younger]

    assert_joined_alone(store, tmp_path, capsys, (payer, older), "associates")
