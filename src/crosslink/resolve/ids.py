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
    sizes_of = Counter(clusters.values())
    # Records each cluster shares with each previous entity, counted in one pass (a counter
    # per cluster took seconds at a million records).
    overlap = Counter((key, previous[uid]) for uid, key in clusters.items() if uid in previous)
    ranked = sorted(overlap.items(), key=lambda o: (-o[1], o[0][1], o[0][0]))
    ids: dict[str, str] = {}
    used: set[str] = set()
    for (key, old), _count in ranked:
        if key not in ids and old not in used:
            ids[key] = old
            used.add(old)
    taken = set(taken) | set(previous.values())
    fresh: dict[str, str] = {}
    for key in sorted(sizes_of):
        if key not in ids:
            ids[key] = new_entity_id(key, taken)
            taken.add(ids[key])
            fresh[key] = ids[key]
    members = {uid: ids[key] for uid, key in clusters.items()}
    sizes = {ids[key]: size for key, size in sizes_of.items()}
    changes = _changes(sizes_of, overlap, ids, fresh, set(previous.values()), used)
    return Assignment(members, sizes, changes, used)


def _changes(
    sizes_of: Mapping[str, int],
    overlap: Mapping[tuple[str, str], int],
    ids: Mapping[str, str],
    fresh: Mapping[str, str],
    before: set[str],
    kept: set[str],
) -> list[IdChange]:
    sources: dict[str, dict[str, int]] = defaultdict(dict)
    destinations: dict[str, dict[str, int]] = defaultdict(dict)
    for (key, old), count in overlap.items():
        sources[key][old] = count
        destinations[old][ids[key]] = count
    out: list[IdChange] = []
    for key, new_id in sorted(fresh.items()):
        if key not in sources:
            out.append(IdChange(new_id, "created", None, sizes_of[key]))
        for old, count in sorted(sources.get(key, {}).items()):
            if old in kept:
                out.append(IdChange(new_id, "split", old, count))
    for old in sorted(before - kept):
        if old not in destinations:
            out.append(IdChange(old, "retired", None, 0))
        for target, count in sorted(destinations.get(old, {}).items()):
            out.append(IdChange(old, "merged", target, count))
    return out
