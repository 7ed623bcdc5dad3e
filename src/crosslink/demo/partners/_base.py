"""What every partner-file writer shares: the world, the noise, the truth, and sinks."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pycountry

from crosslink.demo.groundtruth import GroundTruth
from crosslink.demo.noise import Noise
from crosslink.demo.truth import World
from crosslink.store.sources import Source

PARTNER_DIR = "partners"
_FILE_SEED = 7


@dataclass
class PartnerContext:
    world: World
    noise: Noise
    truth: GroundTruth
    out_dir: Path

    def rng(self, code: int) -> random.Random:
        return self.world.rng(_FILE_SEED, code)

    def rows(self, partner: str) -> int:
        return self.world.config.rows_for(partner)

    def spoil(self, rng: random.Random) -> bool:
        """Whether this row is deliberately spoiled (counted as noise ``spoiled``)."""
        self.noise.opportunities["spoiled"] += 1
        if rng.random() < self.world.config.noise.spoiled:
            self.noise.applied["spoiled"] += 1
            return True
        return False

    def path(self, name: str) -> Path:
        folder = self.out_dir / PARTNER_DIR
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name


@dataclass(frozen=True)
class Written:
    """One partner file as written."""

    file: str
    mapping: str
    source: str
    rows: int


@dataclass(frozen=True)
class PartnerSpec:
    key: str
    file: str
    mapping: str
    source: Source
    write: Callable[[PartnerContext, PartnerSpec], Written]


@dataclass(frozen=True)
class Record:
    """A record a row yields: alias, entity type, true id, and the cells it reads.

    ``columns`` are the property columns (no value in any: no record), ``key`` the key columns,
    ``when`` the column of the entity's condition.
    """

    alias: str
    entity_type: str
    true_id: str
    columns: Sequence[str]
    key: Sequence[str] = ()
    when: str | None = None


class CsvSink:
    """A CSV file written row by row; ``row`` is the number the next row gets (header = 1)."""

    def __init__(
        self, path: Path, header: Sequence[str], delimiter: str = ",", encoding: str = "utf-8"
    ) -> None:
        self.path = path
        self.header = list(header)
        self._handle: IO[str] = path.open("w", encoding=encoding, newline="")
        self._writer = csv.writer(self._handle, delimiter=delimiter, lineterminator="\r\n")
        self._writer.writerow(self.header)
        self.row = 2

    def write(self, cells: dict[str, str], ragged: bool = False) -> int:
        values = [cells.get(h, "") for h in self.header]
        if ragged:
            values = values[:-2]
        self._writer.writerow(values)
        self.row += 1
        return self.row - 1

    def __enter__(self) -> CsvSink:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._handle.close()


class JsonlSink:
    """JSON Lines written object by object; ``row`` is the line number the next object gets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.row = 1

    def write(self, obj: dict[str, Any] | None = None, raw: str | None = None) -> int:
        text = (
            raw if raw is not None else json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        )
        self._handle.write(text + "\n")
        self.row += 1
        return self.row - 1

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._handle.close()


def record_truth(
    ctx: PartnerContext, file: str, row: int, cells: dict[str, str], records: Iterable[Record]
) -> None:
    """Ground truth for each record the row yields (a record with no value is not made)."""
    for rec in records:
        if rec.when is not None and not cells.get(rec.when, "").strip():
            continue
        content = [cells.get(c, "") for c in rec.columns]
        if not any(v.strip() for v in content):
            continue
        keys = [cells.get(c, "") for c in rec.key]
        ctx.truth.record(file, row, rec.alias, rec.entity_type, rec.true_id, [*keys, *content])


def alpha3(country: str) -> str:
    found = pycountry.countries.get(alpha_2=country)
    return str(found.alpha_3) if found else country


def police_id(pid: int) -> str:
    """A stable, meaningless identifier a police system gives a person."""
    return f"{(pid * 7919 + 104_729) % 100_000_000:08d}"
