"""Sources: who sends a file, under which jurisdiction, handling code and grading by default."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Literal

from sqlalchemy import Connection, select

from crosslink.errors import Conflict, InvalidValue, NotFound
from crosslink.model import load_model
from crosslink.model.types import CleanContext
from crosslink.model.types import get as get_type
from crosslink.store.schema import sources

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Source:
    """A partner's dataset. ``id`` is a short slug such as ``be-fedpol-reports``."""

    id: str
    agency: str
    dataset: str
    jurisdiction: str
    default_region: str | None = None
    handling_code: str = "H0"
    handling_conditions: str | None = None
    grading_system: Literal["europol", "uk"] = "europol"
    source_grade: str = "X"
    info_grade: str = "4"

    def validated(self) -> Source:
        """This source with its codes checked and its countries cleaned."""
        if not _ID.match(self.id):
            raise InvalidValue(f"source id {self.id!r}: use 1-64 of a-z, 0-9, '_', '.', '-'")
        model = load_model()
        country = get_type("country")
        uk = self.grading_system == "uk"
        jurisdiction = country.clean(self.jurisdiction, CleanContext())
        region = (
            country.clean(self.default_region, CleanContext())
            if self.default_region
            else jurisdiction
        )
        return Source(
            id=self.id,
            agency=self.agency.strip(),
            dataset=self.dataset.strip(),
            jurisdiction=jurisdiction,
            default_region=region,
            handling_code=model.category_code("handling_codes", self.handling_code),
            handling_conditions=self.handling_conditions,
            grading_system=self.grading_system,
            source_grade=model.category_code(
                "uk_source_grades" if uk else "source_grades", self.source_grade
            ),
            info_grade=model.category_code(
                "uk_intelligence_grades" if uk else "information_grades", self.info_grade
            ),
        )


def add_source(conn: Connection, source: Source) -> Source:
    """Register a source; refuses an id already taken."""
    clean = source.validated()
    if conn.execute(select(sources.c.id).where(sources.c.id == clean.id)).first():
        raise Conflict(f"source {clean.id!r} exists already")
    conn.execute(sources.insert().values(**asdict(clean), created_at=dt.datetime.now(dt.UTC)))
    return clean


def get_source(conn: Connection, source_id: str) -> Source:
    row = conn.execute(select(sources).where(sources.c.id == source_id)).mappings().first()
    if row is None:
        raise NotFound(f"no source {source_id!r} (add it with: crosslink source add)")
    data = {k: v for k, v in row.items() if k != "created_at"}
    return Source(**data)


def list_sources(conn: Connection) -> list[Source]:
    rows = conn.execute(select(sources).order_by(sources.c.id)).mappings().all()
    return [Source(**{k: v for k, v in r.items() if k != "created_at"}) for r in rows]
