"""The groups the namesake rules weigh and join, kept up to date from one rule to the next.

Clusters as sets of records, which are identified, who bears which name, and each
unidentified group's strongest pair with each identified one. The rules run one after
another over one :class:`Groups`: at a million demo records, building it and passing over
the pairs between groups took about 2.5 s, once per rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from crosslink.resolve._pairs import Edge, Pair

__all__ = ["Groups", "enemies"]


class Groups:
    """Clusters as sets of records, which groups are identified, and who bears which name."""

    def __init__(
        self,
        components: dict[str, str],
        identified: Collection[str],
        names: dict[str, str],
        edges: list[Edge],
    ) -> None:
        self.key_of = dict(components)
        """Record uid -> the key of its group now."""
        self.members: dict[str, set[str]] = defaultdict(set)
        for uid, key in components.items():
            self.members[key].add(uid)
        self.known = {key for key, uids in self.members.items() if not uids.isdisjoint(identified)}
        self.carriers: dict[str, set[str]] = defaultdict(set)
        for uid, key in components.items():
            if uid in names:
                self.carriers[names[uid]].add(key)
        self.names = names
        self.best: dict[str, dict[str, Edge]] = defaultdict(dict)
        """Per group without an identified record: its strongest pair with each identified
        group."""
        # Their pairs with each other: when one joins an identified group, the other's pair
        # with it becomes a pair with that group.
        self._loose: dict[str, dict[str, Edge]] = defaultdict(dict)
        self._moved: list[tuple[str, str]] = []
        for edge in edges:  # millions at scale: one pass, no more per edge than needed
            left, right = self.key_of[edge.left], self.key_of[edge.right]
            if left == right:
                continue
            if left in self.known:
                if right not in self.known:
                    _keep(self.best[right], left, edge)
            elif right in self.known:
                _keep(self.best[left], right, edge)
            else:
                _keep(self._loose[left], right, edge)
                _keep(self._loose[right], left, edge)

    def holders(self, key: str) -> set[str]:
        """The groups bearing a name the group ``key`` bears (itself included)."""
        names = {self.names[uid] for uid in self.members[key] if uid in self.names}
        return set().union(*(self.carriers[name] for name in names))

    def join(self, weak: str, strong: str, apart: dict[str, set[str]]) -> bool:
        """Move ``weak``'s records into ``strong`` unless one of them is kept apart from
        one of what ``strong`` has become (two counterparties judged different may not both
        join it). :attr:`best` follows at :meth:`settle`."""
        moved = self.members[weak]
        if any(apart[uid] & self.members[strong] for uid in moved):
            return False
        self.members[strong] |= self.members.pop(weak)
        for uid in moved:
            self.key_of[uid] = strong
            if uid in self.names:
                held = self.carriers[self.names[uid]]
                held.discard(weak)
                held.add(strong)
        self._moved.append((weak, strong))
        return True

    def settle(self) -> None:
        """Bring :attr:`best` up to the joins made: a rule decides on the groups as the
        rules before it left them (no chain of joins within a rule)."""
        for weak, strong in self._moved:
            self.best.pop(weak, None)
            for other, edge in self._loose.pop(weak, {}).items():
                self._loose[other].pop(weak, None)
                if other in self.members:
                    _keep(self.best[other], strong, edge)
        self._moved.clear()

    def clusters(self) -> dict[str, str]:
        """Record uid -> cluster key (the smallest uid of its cluster)."""
        out: dict[str, str] = {}
        for uids in self.members.values():
            out.update(dict.fromkeys(uids, min(uids)))
        return out


def enemies(apart: set[Pair]) -> dict[str, set[str]]:
    """Record uid -> the records it is kept apart from."""
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in apart:
        out[a].add(b)
        out[b].add(a)
    return out


def _keep(held: dict[str, Edge], key: str, edge: Edge) -> None:
    """Keep ``edge`` as the pair with ``key`` if it is stronger than the one held. Of pairs
    that weigh the same, the first by key: the pairs come in the order the engine's threads
    found them, and a run must not depend on it."""
    old = held.get(key)
    if (
        old is None
        or edge.bits > old.bits
        or (edge.bits == old.bits and (edge.left, edge.right) < (old.left, old.right))
    ):
        held[key] = edge
