"""Stable entity ids: a re-run or an import keeps every id whose entity is still there.

Each new cluster inherits the previous id that most of its records carried (largest overlap
first, ties by id), so a cluster that only grew keeps its id. An id changes only when its
entity really splits or merges, and each change is returned for ``entity_history``:

- ``created``: a cluster of records no earlier entity held;
- ``split``: a new id for the part of an entity that left it (``other_id`` = the entity it
  split from);
- ``merged``: an id retired because its records joined another entity (``other_id``);
- ``retired``: an id whose records are all gone (erased, or no longer visible).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Assignment", "IdChange", "assign_ids", "new_entity_id"]


@dataclass(frozen=True)
class IdChange:
    entity_id: str
    change: str
    other_id: str | None
    records: int


@dataclass
class Assignment:
    members: dict[str, str]
    """Record uid -> entity id."""
    sizes: dict[str, int]
    changes: list[IdChange]
    kept: set[str]
    """Ids of the previous run that carry on (possibly grown or shrunk)."""


def new_entity_id(seed: str, taken: set[str]) -> str:
    """``E`` + 15 hex digits derived from ``seed`` (the cluster's smallest record uid)."""
    n = 0
    while True:
        text = seed if n == 0 else f"{seed}:{n}"
        candidate = "E" + hashlib.blake2b(text.encode(), digest_size=8).hexdigest()[:15]
        if candidate not in taken:
            return candidate
        n += 1


def assign_ids(
    clusters: Mapping[str, str], previous: Mapping[str, str], taken: set[str]
) -> Assignment:
    """Ids for ``clusters`` (uid -> cluster key) given ``previous`` (uid -> entity id).

    ``taken`` holds every id ever used, so a retired id is never handed out again.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for uid, key in clusters.items():
        groups[key].append(uid)
    overlaps = [
        (count, old, key)
        for key, uids in groups.items()
        for old, count in Counter(previous[u] for u in uids if u in previous).items()
    ]
    overlaps.sort(key=lambda o: (-o[0], o[1], o[2]))
    ids: dict[str, str] = {}
    used: set[str] = set()
    for _count, old, key in overlaps:
        if key not in ids and old not in used:
            ids[key] = old
            used.add(old)
    taken = set(taken) | set(previous.values())
    changes: list[IdChange] = []
    fresh: dict[str, str] = {}
    for key in sorted(groups):
        if key not in ids:
            ids[key] = new_entity_id(key, taken)
            taken.add(ids[key])
            fresh[key] = ids[key]
    members = {uid: ids[key] for key, uids in groups.items() for uid in uids}
    sizes = {ids[key]: len(uids) for key, uids in groups.items()}
    changes += _changes(groups, ids, fresh, previous, used)
    return Assignment(members, sizes, changes, used)


def _changes(
    groups: Mapping[str, list[str]],
    ids: Mapping[str, str],
    fresh: Mapping[str, str],
    previous: Mapping[str, str],
    kept: set[str],
) -> list[IdChange]:
    out: list[IdChange] = []
    for key, new_id in sorted(fresh.items()):
        sources = Counter(previous[u] for u in groups[key] if u in previous)
        if not sources:
            out.append(IdChange(new_id, "created", None, len(groups[key])))
        for old, count in sorted(sources.items()):
            if old in kept:
                out.append(IdChange(new_id, "split", old, count))
    destinations: dict[str, Counter[str]] = defaultdict(Counter)
    for key, uids in groups.items():
        for uid in uids:
            if uid in previous:
                destinations[previous[uid]][ids[key]] += 1
    for old in sorted(set(previous.values()) - kept):
        if not destinations[old]:
            out.append(IdChange(old, "retired", None, 0))
        for target, count in sorted(destinations[old].items()):
            out.append(IdChange(old, "merged", target, count))
    return out
