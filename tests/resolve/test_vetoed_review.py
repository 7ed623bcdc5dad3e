"""A pair the model is sure of but a rule keeps apart waits in the review queue."""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from sqlalchemy import select

from crosslink.ingest import ImportRequest, import_file, load_mapping
from crosslink.resolve import ResolveOptions, resolve, review_queue
from crosslink.resolve.rules import rule_set
from crosslink.resolve.schema import entity_members
from crosslink.store import Store
from crosslink.store.schema import records
from crosslink.store.sources import Source, add_source

_GIVEN = ["Jan", "Piet", "Karim", "Olga", "Marta", "Yusuf", "Anna", "Bram", "Lotte", "Sami"]
_FAMILY = ["Peeters", "Jansen", "Nowak", "Kaya", "Dubois", "Smit", "Novak", "Bakker", "Haddad"]
_MAPPING = {
    "name": "test-register",
    "format": "csv",
    "entities": {
        "person": {
            "type": "Person",
            "key": ["id"],
            "properties": {
                "first_name": {"column": "given"},
                "last_name": {"column": "family"},
                "birth_date": {"column": "born"},
                "national_id": {"column": "bsn"},
                "phone": {"column": "phone"},
            },
        }
    },
}


def _files(tmp: Path) -> tuple[Path, Path]:
    """Two records alike in name, date of birth and phone, with two valid (eleven-proof)
    and different BSNs; and people enough besides."""
    rng = random.Random(3)
    rows = [
        "id,given,family,born,bsn,phone",
        "a,Ion,Popescu,1980-03-14,111111109,+31612345678",
        "b,Ion,Popescu,1980-03-14,111111122,+31612345678",
    ]
    for n in range(150):
        born = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(f"f{n},{rng.choice(_GIVEN)},{rng.choice(_FAMILY)},{born},,")
    data = tmp / "people.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(_MAPPING), encoding="utf-8")
    return data, mapping


def test_two_verified_numbers_keep_a_sure_pair_apart_and_an_analyst_sees_it(
    store: Store, tmp_path: Path
) -> None:
    data, mapping = _files(tmp_path)
    with store.transaction() as conn:
        add_source(
            conn,
            Source(
                id="reg", agency="reg", dataset="register", jurisdiction="NL", default_region="NL"
            ),
        )
        import_file(
            conn, ImportRequest(path=data, mapping=load_mapping(str(mapping)), source_id="reg")
        )
        resolve(conn, ResolveOptions(entity_types=("Person",)))
        uid = dict(conn.execute(select(records.c.row_number, records.c.uid)).all())
        entity = dict(
            conn.execute(select(entity_members.c.record_uid, entity_members.c.entity_id)).all()
        )
        a, b = uid[2], uid[3]
        assert entity[a] != entity[b]  # verified-identifiers kept them apart
        queued = {(i.left_uid, i.right_uid): i for i in review_queue(conn, limit=100)}
        item = queued.get((min(a, b), max(a, b)))
        assert item is not None, "the vetoed pair is not in the review queue"
        assert item.probability >= 0.99 and item.kind == "merge"
        # Without the rule the model joins them.
        resolve(
            conn,
            ResolveOptions(
                entity_types=("Person",), rules=rule_set(remove=["verified-identifiers"])
            ),
        )
        entity = dict(
            conn.execute(select(entity_members.c.record_uid, entity_members.c.entity_id)).all()
        )
        assert entity[a] == entity[b]
