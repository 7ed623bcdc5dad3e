"""Groups that only a name identifies: whom they may join, and on what.

A bank report's counterparty, a worker an inspector met, a resident of a register extract:
many records carry a name and nothing that tells namesakes apart (no date of birth, no
document). After clustering, such a group may still join an identified group:

- :func:`attach_sole`: the one identified group that bears its very name, when no other
  identified group bears it or comes close, and nothing says that the groups bearing the
  name are two people (two bank accounts);
- :func:`attach_by_context`: among the identified groups it could belong to (a scored pair,
  or its very name), the one and only one it shares a tie with: an organisation it works for
  or runs (by registration number), a phone, an e-mail, a bank account, an address. Two
  "Ion Popescu" born years apart, one employed by the very company that employs the worker
  the inspector met: the worker is that one;
- :func:`attach_by_associates`: among the identified groups bearing its very name, the one
  and only one that appears with someone it appears with (in one bank report, police
  report, inspection or registration): the client who paid a "Hassan Khatib" is known to
  deal with one Hassan Khatib of the two.

Each rule takes the groups as the rules before it left them (no chain of joins within a
rule, :class:`crosslink.resolve._groups.Groups`) and never joins across a pair kept apart.
"""

from __future__ import annotations

import logging
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import reduce
from itertools import combinations

import pyarrow as pa
import pyarrow.compute as pc

from crosslink.resolve._groups import Groups, enemies
from crosslink.resolve._pairs import Edge, Pair, pair_key
from crosslink.resolve._together import sharing_associates
from crosslink.resolve.settings import ModelSpec

__all__ = [
    "Identities",
    "attach_by_associates",
    "attach_by_context",
    "attach_names",
    "attach_sole",
    "identities",
]

log = logging.getLogger(__name__)

SOLE, TIES, ASSOCIATES = "sole-namesake", "shared-ties", "shared-associates"
NAMESAKE_RULES = frozenset((SOLE, TIES, ASSOCIATES))
"""The names of the three rules in :mod:`crosslink.resolve.rules`."""

ContextOf = Callable[[Collection[str]], dict[str, set[str]]]
"""Record uids -> the ties of each (``"kind:value"``); records without any are absent."""


@dataclass(frozen=True)
class Identities:
    """What the namesake rules know of the records beyond their scored pairs."""

    identified: set[str]
    """Records holding a value that tells namesakes apart (a date of birth, a document)."""
    names: dict[str, str]
    """Record uid -> its full name as compared exactly (records without one are absent)."""
    threshold: float | None = None
    """The probability a sole namesake's pair needs (``None``: the run's threshold)."""
    context: ContextOf | None = None
    """The ties of records (read only for those a rule weighs; ``None``: none known)."""
    distinct_by: tuple[str, ...] = ()
    """Kinds of ties that tell two groups apart when both hold some and share none (a bank
    knows its counterparty by the account); ``()``: another group bearing the name is
    always a second person."""
    appearances: pa.Table | None = None
    """Which record appears in which report (``uid``, ``report``: a bank report, a police
    report, an inspection; :func:`crosslink.resolve.extract.appearances`); ``None``: not
    known."""
    rules: frozenset[str] = NAMESAKE_RULES
    """The namesake rules :func:`attach_names` applies."""


def attach_sole(
    components: dict[str, str],
    edges: list[Edge],
    threshold: float,
    identities: Identities,
    apart: set[Pair],
    margin: float = 4.0,
) -> tuple[dict[str, str], set[Pair]]:
    """Join a group without an identified record to the one identified group that carries
    exactly its name, when no other identified group carries that name, their strongest
    pair scores at least ``threshold`` (or the one ``identities`` sets), every other
    identified group scores ``margin`` bits less, and the groups bearing the name could all
    be one person (:func:`_two_people`).
    Returns the new clusters and the pairs that joined them.

    A bank report's counterparty "Hassan Khatib" with an account and nothing else belongs
    to the register's Hassan Khatib born 1983 if he is the only one the data knows; with a
    second Hassan Khatib it belongs to neither, and waits for an analyst (or a tie to one of
    them: :func:`attach_by_context`). The name must be the same, not a variant: at a million
    demo records, a counterparty joined to a namesake whose name only resembled its own was
    wrong a quarter of the time, one whose exact name no third group carried one time in
    twenty. A worker the inspector met, bearing the name too, is no second Hassan Khatib:
    the two unidentified groups may well be the register's one. A second counterparty
    paid on another account is (:attr:`Identities.distinct_by`), and so is a counterparty
    whose account is not the identified one's.
    """
    groups = _groups(components, identities, edges)
    joined = _sole(groups, threshold, identities, enemies(apart), margin)
    return groups.clusters(), joined


def _sole(
    groups: Groups,
    threshold: float,
    identities: Identities,
    apart: dict[str, set[str]],
    margin: float,
) -> set[Pair]:
    best = groups.best
    needed = threshold if identities.threshold is None else identities.threshold
    bar = math.log2(needed / (1 - needed))
    chosen: dict[str, tuple[str, Edge, frozenset[str]]] = {}
    for weak in sorted(best):
        ranked = sorted(best[weak].items(), key=lambda kv: (-kv[1].bits, kv[0]))
        strong, edge = ranked[0]
        if edge.bits < bar or (len(ranked) > 1 and ranked[1][1].bits > edge.bits - margin):
            continue
        bearers = frozenset(groups.holders(weak))
        if strong in bearers and not (bearers - {weak, strong}) & groups.known:
            chosen[weak] = (strong, edge, bearers)
    apart_bearers = _two_people(groups, chosen.values(), identities)
    joined: set[Pair] = set()
    for weak, (strong, edge, bearers) in chosen.items():
        if bearers in apart_bearers or not groups.join(weak, strong, apart):
            continue
        joined.add(pair_key(edge.left, edge.right))
    groups.settle()
    log.info("%d groups without identified records joined their sole namesake", len(joined))
    return joined


def _two_people(
    groups: Groups, chosen: Iterable[tuple[str, Edge, frozenset[str]]], identities: Identities
) -> set[frozenset[str]]:
    """The sets of groups bearing one name (the identified one and those without an
    identified record) that hold two people: two of them told apart by
    :attr:`Identities.distinct_by`, or, where nothing can tell them apart, more than two."""
    bearer_sets = {holders for _, _, holders in chosen}
    if identities.context is None or not identities.distinct_by:
        return {bearers for bearers in bearer_sets if len(bearers) > 2}
    keys = set().union(*bearer_sets) if bearer_sets else set()
    ties = identities.context([uid for key in keys for uid in groups.members[key]])
    kinds = tuple(f"{kind}:" for kind in identities.distinct_by)
    held: dict[str, dict[str, set[str]]] = {}
    for key in keys:
        found = set().union(*(ties.get(uid, ()) for uid in groups.members[key]))
        held[key] = {kind: {t for t in found if t.startswith(kind)} for kind in kinds}

    def told_apart(a: str, b: str) -> bool:
        return any(held[a][k] and held[b][k] and not held[a][k] & held[b][k] for k in kinds)

    return {
        bearers
        for bearers in bearer_sets
        if any(told_apart(a, b) for a, b in combinations(sorted(bearers), 2))
    }


def attach_by_context(
    components: dict[str, str],
    edges: list[Edge],
    identities: Identities,
    apart: set[Pair],
) -> tuple[dict[str, str], dict[Pair, tuple[str, ...]]]:
    """Join a group without an identified record to the one identified group it could be
    (their strongest pair) that shares a tie with it, when no other identified group it could
    be (a scored pair, or its very name) shares any.
    Returns the new clusters and, per pair that joined them, the kinds of ties shared.

    At 100,000 demo records, a fifth of the records that a name alone left unplaced were
    placed this way (the worker of an inspection beside the namesake employed by the same
    company), one of them wrongly.
    """
    return _alone(_by_context, components, edges, identities, apart)


def _by_context(
    groups: Groups, identities: Identities, apart: dict[str, set[str]]
) -> dict[Pair, tuple[str, ...]]:
    if identities.context is None:
        return {}
    best = groups.best
    candidates = {weak: _could_be(groups, weak, _named(groups, weak)) for weak in best}
    # A big identified group is the candidate of many: each group is read once.
    weighed = set(candidates).union(*candidates.values())
    ties = identities.context([uid for key in weighed for uid in groups.members[key]])
    tied = {
        key: set().union(*(ties.get(uid, ()) for uid in groups.members[key])) for key in weighed
    }
    joined: dict[Pair, tuple[str, ...]] = {}
    for weak in sorted(candidates):
        if not tied[weak]:
            continue
        hits = [key for key in sorted(candidates[weak]) if tied[weak] & tied[key]]
        if len(hits) != 1 or hits[0] not in best[weak]:
            continue
        strong, edge = hits[0], best[weak][hits[0]]
        shared = tuple(sorted({tie.partition(":")[0] for tie in tied[weak] & tied[strong]}))
        if groups.join(weak, strong, apart):
            joined[pair_key(edge.left, edge.right)] = shared
    groups.settle()
    log.info(
        "%d groups without identified records joined the namesake they share ties with", len(joined)
    )
    return joined


def attach_by_associates(
    components: dict[str, str],
    edges: list[Edge],
    identities: Identities,
    apart: set[Pair],
) -> tuple[dict[str, str], dict[Pair, tuple[str, ...]]]:
    """Join a group without an identified record to the one identified group bearing its
    very name that appears with someone it appears with, when no other identified group it
    could be (a scored pair, or its very name) does, they have a scored pair, and nothing
    tells the two apart (:attr:`Identities.distinct_by`).
    Returns the new clusters and, per pair that joined them, ``("associates",)``.

    A bank report's client paid a "Hassan Khatib" on an account nobody else holds; two
    identified Hassan Khatibs are known, and the client appears with one of them in another
    report: the counterparty is that one. At 100,000 demo records (the groups the other
    rules left), 71 groups joined rightly this way and 4 wrongly (1,228 pairs of records
    against 82); a name that only resembled the other's added 8 right and 2 wrong.
    """
    return _alone(_by_associates, components, edges, identities, apart)


def _by_associates(
    groups: Groups, identities: Identities, apart: dict[str, set[str]]
) -> dict[Pair, tuple[str, ...]]:
    if identities.appearances is None:
        return {}
    best = groups.best
    bearers = {weak: _named(groups, weak) for weak in best}
    # The namesakes it may join: those bearing its very name that it has a pair with.
    named = {weak: bearers[weak] & found.keys() for weak, found in best.items()}
    candidates = {weak: _could_be(groups, weak, bearers[weak]) for weak in best if named[weak]}
    asked = ((weak, key) for weak, keys in candidates.items() for key in keys)
    hits: dict[str, list[str]] = defaultdict(list)
    for weak, key in sorted(sharing_associates(identities.appearances, groups.key_of, asked)):
        hits[weak].append(key)
    chosen = {
        weak: (keys[0], best[weak][keys[0]], frozenset((weak, keys[0])))
        for weak, keys in hits.items()
        if len(keys) == 1 and keys[0] in named[weak]
    }
    apart_pairs = _two_people(groups, chosen.values(), identities)
    joined: dict[Pair, tuple[str, ...]] = {}
    for weak, (strong, edge, pair) in sorted(chosen.items()):
        if pair not in apart_pairs and groups.join(weak, strong, apart):
            joined[pair_key(edge.left, edge.right)] = ("associates",)
    groups.settle()
    log.info(
        "%d groups without identified records joined the namesake they share associates with",
        len(joined),
    )
    return joined


def attach_names(
    components: dict[str, str],
    edges: list[Edge],
    threshold: float,
    identities: Identities,
    apart: set[Pair],
    margin: float = 4.0,
) -> tuple[dict[str, str], set[Pair], dict[Pair, tuple[str, ...]]]:
    """The three rules, one after another over the groups as the one before left them:
    :func:`attach_sole`, :func:`attach_by_context`, :func:`attach_by_associates`.
    Returns the new clusters, every pair that joined them, and of those, the pairs that
    joined on ties or associates with what they shared."""
    groups = _groups(components, identities, edges)
    kept_apart = enemies(apart)
    on = identities.rules
    sole = _sole(groups, threshold, identities, kept_apart, margin) if SOLE in on else set()
    ties = _by_context(groups, identities, kept_apart) if TIES in on else {}
    if ASSOCIATES in on:
        ties.update(_by_associates(groups, identities, kept_apart))
    return groups.clusters(), sole | set(ties), ties


Rule = Callable[[Groups, Identities, dict[str, set[str]]], dict[Pair, tuple[str, ...]]]


def _alone(
    rule: Rule,
    components: dict[str, str],
    edges: list[Edge],
    identities: Identities,
    apart: set[Pair],
) -> tuple[dict[str, str], dict[Pair, tuple[str, ...]]]:
    """``rule`` on its own: the new clusters and the pairs that joined them."""
    groups = _groups(components, identities, edges)
    joined = rule(groups, identities, enemies(apart))
    return groups.clusters(), joined


def _groups(components: dict[str, str], identities: Identities, edges: list[Edge]) -> Groups:
    return Groups(components, identities.identified, identities.names, edges)


def _named(groups: Groups, weak: str) -> set[str]:
    """The identified groups bearing a name the group ``weak`` bears."""
    return groups.holders(weak) & groups.known


def _could_be(groups: Groups, weak: str, named: set[str]) -> set[str]:
    """The identified groups the group ``weak`` could be: a scored pair, or its very name
    (``named``: :func:`_named`)."""
    return set(groups.best[weak]) | named


def identities(
    table: pa.Table,
    spec: ModelSpec,
    appearances: pa.Table | None = None,
    rules: frozenset[str] = NAMESAKE_RULES,
) -> Identities | None:
    """What tells the records of ``table`` apart beyond their pairs (``None``: the model
    lets no group join on names alone, or no namesake rule is in force);
    ``appearances``: as :attr:`Identities.appearances`; ``rules``: the namesake rules in
    force (of :data:`NAMESAKE_RULES`)."""
    if not spec.identifying or spec.full_name is None or not rules:
        return None
    mask = reduce(pc.or_, [pc.is_valid(table[name]) for name in spec.identifying])
    uids = list(map(sys.intern, table["unique_id"].to_pylist()))
    names = table[spec.full_name].to_pylist()
    return Identities(
        identified={uid for uid, known in zip(uids, mask.to_pylist(), strict=True) if known},
        names={uid: name for uid, name in zip(uids, names, strict=True) if name},
        threshold=spec.sole_threshold,
        context=_ties_reader(table, spec.ties) if spec.ties else None,
        distinct_by=spec.distinct_by,
        appearances=appearances,
        rules=rules,
    )


def _ties_reader(
    table: pa.Table, columns: tuple[str, ...]
) -> Callable[[Collection[str]], dict[str, set[str]]]:
    """The ties (``column:value``) of the records asked for, read from ``table`` then: a
    million records' ties held at once would be hundreds of megabytes, and few are asked."""

    def ties_of(uids: Collection[str]) -> dict[str, set[str]]:
        chosen = table.filter(pc.is_in(table["unique_id"], pa.array(sorted(uids), pa.string())))
        out: dict[str, set[str]] = {}
        keys = chosen["unique_id"].to_pylist()
        for column in columns:
            for uid, values in zip(keys, chosen[column].to_pylist(), strict=True):
                if values:
                    out.setdefault(uid, set()).update(f"{column}:{v}" for v in values)
        return out

    return ties_of
