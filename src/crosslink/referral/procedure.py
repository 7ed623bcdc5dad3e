"""A national referral mechanism as data: one versioned YAML file per jurisdiction.

A procedure names its states, the transitions between them (each with the one role allowed
to make it and the documents or decisions it needs), the clocks that start when a state is
entered (who owns them, how long they run, what happens when they run out) and where a
referral goes. :func:`load_procedure` refuses a file that does not parse, does not fit the
schema, or is inconsistent, naming the file, the line and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crosslink.access.retention import add_months
from crosslink.access.roles import load_roles
from crosslink.clock import Calendar
from crosslink.errors import ModelError

SAME = "same"
"""A transition ``to: same`` keeps the state (a transfer, a renewal of the destination)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Length(_Strict):
    """How long a clock runs: exactly one of calendar days, working days or months."""

    days: int | None = Field(None, ge=1)
    working_days: int | None = Field(None, ge=1)
    months: int | None = Field(None, ge=1)

    def due(self, calendar: Calendar, start: dt.date) -> dt.date:
        if self.working_days is not None:
            return calendar.add_working_days(start, self.working_days)
        if self.months is not None:
            return add_months(start, self.months)
        return start + dt.timedelta(days=self.days or 0)

    def count(self) -> int:
        return sum(v is not None for v in (self.days, self.working_days, self.months))


class Expiry(_Strict):
    note: str
    suggests: str | None = None
    """The transition the owner is asked to consider when the clock runs out."""


class ClockSpec(_Strict):
    id: str
    label: str
    owner: str
    length: Length
    kind: Literal["deadline", "minimum"] = "deadline"
    """``deadline``: act before it runs out; ``minimum``: the ``holds`` transitions wait."""
    holds: tuple[str, ...] = ()
    on_expiry: Expiry


class StateSpec(_Strict):
    label: str
    final: bool = False
    clocks: tuple[ClockSpec, ...] = ()


class TransitionSpec(_Strict):
    id: str
    from_: tuple[str, ...] = Field(alias="from")
    to: str
    role: str
    label: str
    requires: tuple[str, ...] = ()
    transfer: bool = False

    @field_validator("from_", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Destination(_Strict):
    id: str
    name: str
    region: str
    place: str


class CalendarSpec(_Strict):
    country: str
    timezone: str
    subdivision: str | None = None


class Procedure(_Strict):
    jurisdiction: str = Field(pattern=r"^[A-Z]{2}$")
    version: str
    title: str
    calendar: CalendarSpec
    destinations: tuple[Destination, ...] = Field(min_length=1)
    documents: dict[str, str]
    opened_by: tuple[str, ...] = Field(min_length=1)
    start: str
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...] = Field(min_length=1)

    def transition(self, transition_id: str) -> TransitionSpec:
        for t in self.transitions:
            if t.id == transition_id:
                return t
        raise ModelError(f"procedure {self.jurisdiction} has no transition {transition_id!r}")

    def leaving(self, state: str) -> list[TransitionSpec]:
        """The transitions that may be made from ``state``, in the file's order."""
        return [t for t in self.transitions if state in t.from_]

    def target(self, transition: TransitionSpec, state: str) -> str:
        return state if transition.to == SAME else transition.to

    def destination(self, destination_id: str) -> Destination:
        for d in self.destinations:
            if d.id == destination_id:
                return d
        known = ", ".join(d.id for d in self.destinations)
        raise ModelError(
            f"procedure {self.jurisdiction}: no destination {destination_id!r}; use {known}"
        )

    def work_calendar(self) -> Calendar:
        c = self.calendar
        return Calendar(c.country, c.timezone, c.subdivision)


@dataclass(frozen=True)
class _Lines:
    """Where each path of the YAML document starts, for errors that name a line."""

    by_path: dict[tuple[str | int, ...], int]

    def of(self, *path: str | int) -> int:
        while path and path not in self.by_path:
            path = path[:-1]
        return self.by_path.get(path, 1)


def _index(
    node: yaml.Node, path: tuple[str | int, ...], out: dict[tuple[str | int, ...], int]
) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, key.value)] = key.start_mark.line + 1
            _index(value, (*path, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), out)


def parse_procedure(text: str, name: str) -> Procedure:
    """Parse and check one procedure; ``name`` is the file named in errors."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ModelError(
            f"{name}, line {line}: not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from None
    if root is None or not isinstance(data, dict):
        raise ModelError(f"{name}, line 1: a procedure is a mapping of jurisdiction, states …")
    lines = _Lines({})
    _index(root, (), lines.by_path)
    try:
        procedure = Procedure.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple("from" if p == "from_" else p for p in first["loc"])
        where = ".".join(str(p) for p in loc) or "(top)"
        raise ModelError(f"{name}, line {lines.of(*loc)}: {where}: {first['msg']}") from None
    problem = first_inconsistency(procedure)
    if problem is not None:
        path, reason = problem
        raise ModelError(f"{name}, line {lines.of(*path)}: {reason}")
    return procedure


Problem = tuple[tuple[str | int, ...], str]


def first_inconsistency(p: Procedure) -> Problem | None:
    """The first thing that makes the procedure unusable, with the YAML path it is at."""
    for check in (_check_names, _check_transitions, _check_clocks, _check_reachable):
        found = next(iter(check(p)), None)
        if found is not None:
            return found
    return None


def _check_names(p: Procedure) -> Iterable[Problem]:
    if p.start not in p.states:
        yield ("start",), f"the start state {p.start!r} is not a state"
    ids = [t.id for t in p.transitions]
    for i, t in enumerate(p.transitions):
        if ids.index(t.id) != i:
            yield ("transitions", i, "id"), f"transition {t.id!r} is declared twice"
    try:
        calendar = p.work_calendar()
        calendar.is_working_day(dt.date(2026, 1, 2))
        calendar.local_date(dt.datetime.now(dt.UTC))
    except (NotImplementedError, KeyError, ValueError) as exc:
        yield ("calendar",), f"the calendar cannot be built: {exc}"


def _check_transitions(p: Procedure) -> Iterable[Problem]:
    roles = set(load_roles().roles)
    for i, role in enumerate(p.opened_by):
        if role not in roles:
            yield ("opened_by", i), f"opened_by: unknown role {role!r}"
    for i, t in enumerate(p.transitions):
        for state in t.from_:
            if state not in p.states:
                yield (
                    ("transitions", i, "from"),
                    f"transition {t.id} leaves {state!r}, which is not a state",
                )
            elif p.states[state].final:
                yield (
                    ("transitions", i, "from"),
                    f"transition {t.id} leaves the final state {state!r}",
                )
        if t.to != SAME and t.to not in p.states:
            yield (
                ("transitions", i, "to"),
                f"transition {t.id} goes to {t.to!r}, which is not a state",
            )
        if t.role not in roles:
            yield ("transitions", i, "role"), f"transition {t.id}: unknown role {t.role!r}"
        for doc in t.requires:
            if doc not in p.documents:
                yield (
                    ("transitions", i, "requires"),
                    f"transition {t.id} needs an undeclared document {doc!r}",
                )


def _check_clocks(p: Procedure) -> Iterable[Problem]:
    roles = set(load_roles().roles)
    seen: set[str] = set()
    for name, state in p.states.items():
        for j, c in enumerate(state.clocks):
            at: tuple[str | int, ...] = ("states", name, "clocks", j)
            if c.id in seen:
                yield (*at, "id"), f"clock {c.id!r} is declared twice"
            seen.add(c.id)
            if c.owner not in roles:
                yield (*at, "owner"), f"clock {c.id}: nobody owns it (unknown role {c.owner!r})"
            if c.length.count() != 1:
                yield (
                    (*at, "length"),
                    f"clock {c.id}: give exactly one of days, working_days, months",
                )
            leaving = {t.id for t in p.leaving(name)}
            if c.on_expiry.suggests is not None and c.on_expiry.suggests not in leaving:
                yield (
                    (*at, "on_expiry"),
                    f"clock {c.id} suggests {c.on_expiry.suggests!r}, not a way out of {name}",
                )
            for held in c.holds:
                if held not in leaving:
                    yield (*at, "holds"), f"clock {c.id} holds {held!r}, not a way out of {name}"
            if c.holds and c.kind != "minimum":
                yield (*at, "holds"), f"clock {c.id}: only a minimum clock holds transitions"


def _check_reachable(p: Procedure) -> Iterable[Problem]:
    reached, frontier = {p.start}, [p.start]
    while frontier:
        current = frontier.pop()
        for t in p.leaving(current):
            nxt = p.target(t, current)
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    for name, state in p.states.items():
        if name not in reached:
            yield ("states", name), f"state {name!r} cannot be reached from {p.start!r}"
        elif not state.final and not p.leaving(name):
            yield ("states", name), f"state {name!r} is a dead end: no transition leaves it"


JURISDICTIONS = ("BE", "NL", "UK")


@cache
def load_procedure(jurisdiction: str) -> Procedure:
    """The bundled procedure of one jurisdiction (``BE``, ``NL``, ``UK`` …), checked."""
    name = f"{jurisdiction.lower()}.yaml"
    folder = resources.files("crosslink.referral").joinpath("procedures")
    entry = folder.joinpath(name)
    if not entry.is_file():
        known = sorted(
            Path(str(f.name)).stem.upper() for f in folder.iterdir() if f.name.endswith(".yaml")
        )
        raise ModelError(f"no referral procedure for {jurisdiction!r}; known: {', '.join(known)}")
    procedure = parse_procedure(entry.read_text("utf-8"), f"procedures/{name}")
    if procedure.jurisdiction != jurisdiction.upper():
        raise ModelError(f"procedures/{name}, line 1: says jurisdiction {procedure.jurisdiction}")
    return procedure


def load_procedure_file(path: Path) -> Procedure:
    """A procedure from a file outside the package (to check one before adding it)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: cannot be read: {exc}") from None
    return parse_procedure(text, str(path))
