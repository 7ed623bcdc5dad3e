"""End to end: a worker known by name alone joins the namesake employed by the same company,
and the entity's explanation, the review queue and the edge say so."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from crosslink.demo._api import register_sources
from crosslink.ingest import ImportRequest, import_file, load_mapping
from crosslink.resolve import ResolveOptions, resolve
from crosslink.resolve.schema import entity_members
from crosslink.store import Store
from crosslink.store.schema import records
from tests.conftest import DEMO_RULES
from tests.resolve.conftest import assert_joined_alone

_GIVEN = ["Jan", "Piet", "Karim", "Olga", "Marta", "Yusuf", "Anna", "Bram", "Lotte", "Sami"]
_FAMILY = ["Peeters", "Jansen", "Nowak", "Kaya", "Dubois", "Smit", "Novak", "Bakker", "Haddad"]


def _entity(uid: str, schema: str, **props: str) -> dict[str, object]:
    return {"id": uid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


def _export(path: Path) -> Path:
    """A police export: two Ion Popescu born years apart, one employed by Toma Bau; a third
    Ion Popescu without a date of birth employed by Toma Bau too (another record of it); and
    people enough besides for a model to be trained."""
    rng = random.Random(5)
    lines = [
        _entity("co-1", "Company", name="Toma Bau CommV", registrationNumber="0528.460.186"),
        _entity("co-2", "Company", name="Toma Bau", registrationNumber="0528460186"),
        _entity("p-a", "Person", firstName="Ion", lastName="Popescu", birthDate="1980-03-14"),
        _entity("p-b", "Person", firstName="Ion", lastName="Popescu", birthDate="1992-11-02"),
        _entity("p-w", "Person", firstName="Ion", lastName="Popescu"),
        _entity("e-a", "Employment", employee="p-a", employer="co-1"),
        _entity("e-w", "Employment", employee="p-w", employer="co-2"),
    ]
    for n in range(120):
        born = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY)
        for copy in range(rng.randint(1, 2)):
            lines.append(
                _entity(f"f-{n}-{copy}", "Person", firstName=given, lastName=family, birthDate=born)
            )
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_worker_joins_the_namesake_of_the_same_employer(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with store.transaction() as conn:
        register_sources(conn)
        request = ImportRequest(
            path=_export(tmp_path / "export.ftm.jsonl"),
            mapping=load_mapping("demo-nl-ftm"),
            source_id="demo-nl-ftm",
            imported_by="test",
        )
        import_file(conn, request)
        # So few records keep the model's priors, under which a name alone scores low: the
        # pairs are kept however low they score.
        resolve(conn, ResolveOptions(entity_types=("Person",), edge_floor=0.001, rules=DEMO_RULES))
        # The export's lines 3 to 5 (a record keeps the line it came from).
        uid = dict(
            conn.execute(
                select(records.c.row_number, records.c.uid).where(
                    records.c.schema == "Person", records.c.row_number.in_([3, 4, 5])
                )
            ).all()
        )
        entity = dict(
            conn.execute(select(entity_members.c.record_uid, entity_members.c.entity_id)).all()
        )
        worker, employed, other = uid[5], uid[3], uid[4]
        assert entity[worker] == entity[employed] != entity[other]

    assert_joined_alone(store, tmp_path, capsys, (worker, employed), "organisations")
