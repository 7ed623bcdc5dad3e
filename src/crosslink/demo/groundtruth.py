"""Ground-truth files: which true entity is behind every record, and what really happened.

In ``out_dir/truth``:

- ``records.csv``: (file, row, alias, entity_type) -> true id of the person (``P…``),
  organisation (``C…``), address (``A…``) or vehicle (``V…``) the record describes. A row whose
  record repeats an earlier record of the same file exactly (the importer keeps one) is left
  out, so every line names a record that exists after import.
- ``persons.csv``: every person of the world, with canonical and native-script names, role,
  network, shared phone, and ``namesake_of`` (the trap: another person, same name and year).
- ``networks.csv``, ``members.csv`` (role and superior: the command structure), ``cases.csv``
  (victim cases: form, sector, country, means of control, recruiter, exploiter, centre).
- ``ads.csv``: each ad row, whether a network posted it, and its indicators.
- ``spoiled.csv``: the rows spoiled on purpose, which the import must reject, and nothing else.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from crosslink.demo.truth import World

TRUTH_DIR = "truth"
_FILES = {
    "records": ("file", "row", "alias", "entity_type", "true_id"),
    "spoiled": ("file", "row", "kind", "reason"),
    "ads": ("file", "row", "ad_id", "related", "network_id", "template", "indicators"),
}


class GroundTruth:
    """Streams ground-truth rows to CSV files in ``out_dir/truth``."""

    def __init__(self, out_dir: Path) -> None:
        self.dir = out_dir / TRUTH_DIR
        self.dir.mkdir(parents=True, exist_ok=True)
        self._handles: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self._seen: set[bytes] = set()
        self._seen_file = ""
        self.counts: dict[str, int] = {}
        for name, header in _FILES.items():
            self._open(name, header)

    def _open(self, name: str, header: Iterable[str]) -> Any:
        handle = (self.dir / f"{name}.csv").open("w", encoding="utf-8", newline="")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        self._handles[name] = handle
        self._writers[name] = writer
        self.counts[name] = 0
        return writer

    def _write(self, name: str, row: Iterable[Any]) -> None:
        self._writers[name].writerow(row)
        self.counts[name] += 1

    def record(
        self,
        file: str,
        row: int,
        alias: str,
        entity_type: str,
        true_id: str,
        content: Iterable[str],
    ) -> None:
        """A record of (file, row, alias) describes ``true_id``, unless the file had it already.

        ``content`` lists every cell the mapping reads for that alias (key columns included):
        the importer stores one record for identical content.
        """
        if file != self._seen_file:
            self._seen.clear()
            self._seen_file = file
        digest = hashlib.blake2b(
            "\x1f".join((entity_type, *content)).encode(), digest_size=10
        ).digest()
        if digest in self._seen:
            return
        self._seen.add(digest)
        self._write("records", (file, row, alias, entity_type, true_id))

    def spoiled(self, file: str, row: int, kind: str, reason: str) -> None:
        self._write("spoiled", (file, row, kind, reason))

    def ad(
        self,
        file: str,
        row: int,
        ad_id: str,
        network: str,
        template: str,
        indicators: Iterable[str],
    ) -> None:
        self._write(
            "ads",
            (
                file,
                row,
                ad_id,
                "true" if network else "false",
                network,
                template,
                ";".join(indicators),
            ),
        )

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._seen.clear()


def write_world_truth(world: World, out_dir: Path, noise_counts: dict[str, int]) -> dict[str, int]:
    """persons.csv, networks.csv, members.csv and cases.csv, streamed from the world."""
    folder = out_dir / TRUTH_DIR
    counts: dict[str, int] = {}
    with (folder / "persons.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            (
                "person_id",
                "given_name",
                "family_name",
                "given_native",
                "family_native",
                "sex",
                "birth_date",
                "origin",
                "nationality",
                "role",
                "network_id",
                "phone",
                "shared_phone",
                "namesake_of",
                "nickname",
                "address_id",
                "passport",
                "national_id",
                "iban",
            )
        )
        for pid in world.iter_persons():
            p = world.person(pid)
            if p.role == "none":
                noise_counts["namesake_opportunities"] += 1
                noise_counts["namesake_applied"] += p.namesake_of is not None
            elif p.network is not None and p.role != "bystander":
                noise_counts["shared_phone_opportunities"] += 1
                noise_counts["shared_phone_applied"] += p.shared_phone
            writer.writerow(
                (
                    p.id,
                    p.given.latin[0],
                    p.family.latin[0],
                    p.given.native or "",
                    p.family.native or "",
                    p.sex,
                    p.birth.isoformat(),
                    p.origin,
                    p.nationality,
                    p.role,
                    _net_id(p.network),
                    p.phone,
                    "true" if p.shared_phone else "false",
                    p.namesake_of or "",
                    p.nickname,
                    p.address.id,
                    p.passport,
                    p.national_id or "",
                    p.iban,
                )
            )
        counts["persons"] = world.n_persons
    counts.update(_networks(world, folder))
    return counts


def _networks(world: World, folder: Path) -> dict[str, int]:
    with (folder / "networks.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            (
                "network_id",
                "kind",
                "home_nationality",
                "country",
                "members",
                "victims",
                "companies",
                "vehicles",
            )
        )
        for n in world.networks:
            writer.writerow(
                (
                    n.id,
                    n.kind,
                    n.home,
                    n.country,
                    len(n.members),
                    len(n.victims),
                    ";".join(c.id for c in n.companies),
                    ";".join(v.id for v in n.vehicles),
                )
            )
    members = 0
    with (folder / "members.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("network_id", "person_id", "role", "superior_id"))
        for n in world.networks:
            rows = [(m.pid, m.role, m.superior) for m in n.members]
            rows += [(pid, world.person(pid).role, None) for pid in (*n.victims, *n.bystanders)]
            for pid, role, superior in rows:
                writer.writerow(
                    (n.id, f"P{pid:07d}", role, "" if superior is None else f"P{superior:07d}")
                )
                members += 1
    with (folder / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            (
                "case_id",
                "victim_id",
                "network_id",
                "form",
                "sector",
                "country",
                "means_of_control",
                "recruiter_id",
                "exploiter_id",
                "identified",
                "centre",
                "start_date",
            )
        )
        for c in world.cases:
            writer.writerow(
                (
                    c.id,
                    f"P{c.victim:07d}",
                    _net_id(c.network),
                    c.form,
                    c.sector,
                    c.country,
                    ";".join(c.means),
                    _pid(c.recruiter),
                    _pid(c.exploiter),
                    "true" if c.identified else "false",
                    c.centre,
                    c.start.isoformat(),
                )
            )
    return {"networks": len(world.networks), "members": members, "cases": len(world.cases)}


def _net_id(idx: int | None) -> str:
    return "" if idx is None else f"N{idx:04d}"


def _pid(idx: int | None) -> str:
    return "" if idx is None else f"P{idx:07d}"
