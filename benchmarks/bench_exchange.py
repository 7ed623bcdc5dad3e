"""A package of N records built, signed, encrypted, received and verified; hit/no-hit timing.

Two SQLite stores in a temporary folder: Belgium imports ``--persons`` people (each with a
bank account and a phone, so twice as many FtM records plus one link each), packages them for
the United Kingdom, which opens the package (verify, import strictly, receipt). Then hit/no-hit
between Belgium and a British store holding ``--overlap`` of the same people, a tenth of them
with a changed first name and phone (what exact keyed hashes miss) plus as many strangers.
Usage: .venv/bin/python benchmarks/bench_exchange.py [--persons 5000] [--overlap 0.5]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from _machine import reference_seconds
from sqlalchemy import select

from crosslink.access import Agency, NewUser, add_agency, add_user, assign_source, load_subject
from crosslink.exchange import (
    PackageRequest,
    Selection,
    build_package,
    create_keys,
    import_partner_key,
    open_package,
    publish_key,
)
from crosslink.exchange.hits import encode, match, new_key, read_key
from crosslink.ingest import ImportRequest, import_file, parse_mapping
from crosslink.store import Store
from crosslink.store.schema import records
from crosslink.store.sources import Source, add_source

PASS = "benchmark passphrase, long enough"
MAPPING = """
name: bench
format: csv
delimiter: ";"
date_order: ymd
entities:
  person:
    type: Person
    key: [id]
    category: {column: role}
    properties:
      first_name: {column: first}
      last_name: {column: last}
      birth_date: {column: born}
      phone: {column: phone}
  phone:
    type: Phone
    properties:
      number: {column: phone, required: true}
  account:
    type: BankAccount
    properties:
      iban: {column: iban, required: true}
links:
  - {type: uses, source: person, target: phone}
  - {type: uses, source: person, target: account}
"""
FIRST = ["Ion", "Maria", "Vasile", "Elena", "Mohamed", "Fatima", "Jan", "Anna", "Olek", "Sara"]
LAST = ["Popescu", "Ionescu", "Dumitru", "El Amrani", "Kowalski", "Ivanova", "Petrov", "Nagy"]


def _iban(i: int) -> str:
    """A valid Belgian IBAN for account number ``i`` (mod-97 check digits)."""
    bank = f"{i % 10**10:010d}"
    national = bank + f"{int(bank) % 97 or 97:02d}"
    check = 98 - int(national + "111400") % 97  # B=11, E=14, then "00"
    return f"BE{check:02d}{national}"


def _people(n: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [
        [
            f"B{i}",
            rng.choice(FIRST),
            f"{rng.choice(LAST)}{i}",
            f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"+32470{i:06d}",
            _iban(i + 1),
            "suspect",
        ]
        for i in range(n)
    ]


def _side(folder: Path, agency: Agency, partner: Agency) -> Store:
    store = Store.from_url(f"sqlite:///{folder / agency.id}.db")
    store.migrate()
    with store.transaction() as conn:
        add_agency(conn, agency)
        add_agency(conn, Agency(partner.id, partner.name, "foreign_partner", partner.jurisdiction))
        add_user(conn, NewUser("admin", agency.id, frozenset({"administrator"})))
        add_user(conn, NewUser("analyst", agency.id, frozenset({"analyst"})))
        create_keys(conn, load_subject(conn, "admin"), PASS)
        add_source(conn, Source("own", agency.name, "persons", agency.jurisdiction))
        assign_source(conn, load_subject(conn, "admin"), "own", agency.id)
    return store


def _load(store: Store, rows: list[list[str]], path: Path) -> None:
    header = "id;first;last;born;phone;iban;role"
    path.write_text("\n".join([header, *(";".join(r) for r in rows)]) + "\n", encoding="utf-8")
    request = ImportRequest(path=path, mapping=parse_mapping(MAPPING, "bench"), source_id="own")
    with store.transaction() as conn:
        import_file(conn, request)


def _swap(one: Store, one_id: str, other: Store) -> None:
    with one.engine.connect() as conn:
        published = publish_key(conn, one_id, PASS)
    with other.transaction() as conn:
        import_partner_key(conn, load_subject(conn, "admin"), published)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--overlap", type=float, default=0.5)
    args = parser.parse_args()
    print(f"machine reference: {reference_seconds():.2f} s")
    be_agency, gb_agency = (
        Agency("be", "Police BE", "police", "BE"),
        Agency("gb", "NCA", "police", "GB"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        be, gb = _side(folder, be_agency, gb_agency), _side(folder, gb_agency, be_agency)
        _swap(be, "be", gb)
        _swap(gb, "gb", be)
        people = _people(args.persons, 1)
        _load(be, people, folder / "be.csv")
        started = time.perf_counter()
        with be.transaction() as conn:
            analyst = load_subject(conn, "analyst")
            request = PackageRequest(analyst, "gb", Selection(source_id="own"), "benchmark")
            built = build_package(conn, request, PASS)
        sealed = time.perf_counter()
        with gb.transaction() as conn:
            received = open_package(conn, load_subject(conn, "admin"), built.data, PASS)
        opened = time.perf_counter()
        m = built.manifest
        print(
            f"package: {m['records']} records + {m['links']} links, {len(built.data):,} bytes; "
            f"built+signed+encrypted {sealed - started:.2f} s, "
            f"received+verified+imported {opened - sealed:.2f} s "
            f"({received.summary.records_added} records added); total {opened - started:.2f} s"
        )
        _hits(folder, people, args.overlap, be_agency)
    print(f"machine reference: {reference_seconds():.2f} s")


def _british(people: list[list[str]], overlap: float) -> tuple[list[list[str]], int, int]:
    """Shared people (a tenth changed) and as many strangers; the counts of each kind."""
    rng = random.Random(2)
    shared = people[: int(len(people) * overlap)]
    changed = set(rng.sample(range(len(shared)), len(shared) // 10))
    rows = []
    for i, row in enumerate(shared):
        copy = [f"G{i}", *row[1:]]
        if i in changed:  # another spelling and another phone: exact hashes cannot see it
            copy[1], copy[4] = copy[1] + "a", f"+44791{i:07d}"
        rows.append(copy)
    for i, row in enumerate(_people(len(shared), 9)):
        rows.append(
            [f"S{i}", row[1], f"Stranger{i}", row[3], f"+44740{i:07d}", _iban(10**9 + i), "suspect"]
        )
    return rows, len(shared), len(changed)


def _hits(folder: Path, people: list[list[str]], overlap: float, be_agency: Agency) -> None:
    uk_folder = folder / "uk"
    uk_folder.mkdir()
    uk = _side(uk_folder, Agency("uk", "NCA", "police", "GB"), be_agency)
    rows, shared, changed = _british(people, overlap)
    _load(uk, rows, uk_folder / "uk.csv")
    key = read_key(new_key())
    be = Store.from_url(f"sqlite:///{folder / 'be'}.db")
    started = time.perf_counter()
    with be.transaction() as conn:
        document = encode(conn, load_subject(conn, "analyst"), key, "uk", "benchmark")
    encoded = time.perf_counter()
    with uk.transaction() as conn:
        hits = match(conn, load_subject(conn, "analyst"), key, "be", document["tokens"], "bench")
        keys = dict(conn.execute(select(records.c.uid, records.c.source_key)).all())
    matched = time.perf_counter()
    found = {keys[r] for h in hits for r in h.records}
    true_hits = sum(1 for k in found if k.startswith("G"))
    size = len(json.dumps(document))
    print(
        f"hit/no-hit: {len(people)} x {len(rows)} persons, {len(document['tokens'])} encodings "
        f"({size:,} bytes); encode {encoded - started:.2f} s, match {matched - encoded:.2f} s; "
        f"shared persons hit {true_hits} of {shared} ({changed} changed on purpose), "
        f"recall {true_hits / shared:.3f}, precision {true_hits / max(1, len(found)):.3f}"
    )


if __name__ == "__main__":
    main()
