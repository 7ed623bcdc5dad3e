"""A group that only a name identifies joins the one namesake it shares a tie with."""

from __future__ import annotations

from collections.abc import Collection

from crosslink.resolve.cluster import Edge, Identities, attach_by_context

# Two identified "Ion Popescu" (a register entry, a police record) and a worker an inspector
# met, known by name and employer alone.
IDENTIFIED = {"reg-1", "pol-2"}
WORKER = "insp-9"
NAMES = dict.fromkeys(IDENTIFIED | {WORKER}, "ion popescu")


def _ties(found: dict[str, set[str]]) -> Identities:
    def context(uids: Collection[str]) -> dict[str, set[str]]:
        return {uid: found[uid] for uid in uids if uid in found}

    return Identities(IDENTIFIED, NAMES, context=context)


def _edge(left: str, right: str, probability: float) -> Edge:
    a, b = sorted((left, right))
    return Edge(a, b, probability, supported=False)


COMPONENTS = {"reg-1": "reg-1", "pol-2": "pol-2", WORKER: WORKER}
EDGES = [_edge(WORKER, "reg-1", 0.97), _edge(WORKER, "pol-2", 0.6)]


def test_the_worker_joins_the_namesake_employed_by_the_same_company() -> None:
    ties = _ties(
        {
            WORKER: {"organisations:0528460186"},
            "pol-2": {"organisations:0528460186", "phones:+32470000001"},
            "reg-1": {"organisations:0403199702"},
        }
    )
    clusters, joined = attach_by_context(COMPONENTS, EDGES, ties, set())
    # The weaker pair, but the one tie: it decides, and says what it was.
    assert clusters[WORKER] == clusters["pol-2"] != clusters["reg-1"]
    assert joined == {("insp-9", "pol-2"): ("organisations",)}


def test_two_namesakes_tied_alike_leave_it_unplaced() -> None:
    both = {"organisations:0528460186"}
    ties = _ties({WORKER: set(both), "pol-2": set(both), "reg-1": set(both)})
    clusters, joined = attach_by_context(COMPONENTS, EDGES, ties, set())
    assert clusters == COMPONENTS
    assert joined == {}


def test_a_tied_namesake_without_a_pair_still_counts_as_a_rival() -> None:
    # reg-1 bears the very name and shares the tie, though blocking never paired them.
    both = {"address_keys:1000|rue neuve|12"}
    ties = _ties({WORKER: set(both), "pol-2": set(both), "reg-1": set(both)})
    clusters, joined = attach_by_context(COMPONENTS, [EDGES[1]], ties, set())
    assert clusters == COMPONENTS
    assert joined == {}


def test_no_tie_or_no_pair_no_join() -> None:
    ties = _ties({WORKER: {"phones:+32470000009"}, "pol-2": {"phones:+32470000001"}})
    assert attach_by_context(COMPONENTS, EDGES, ties, set()) == (COMPONENTS, {})
    # A tie to a namesake it has no scored pair with: nothing to show an analyst why.
    ties = _ties({WORKER: {"phones:+32470000001"}, "pol-2": {"phones:+32470000001"}})
    assert attach_by_context(COMPONENTS, [EDGES[0]], ties, set()) == (COMPONENTS, {})


def test_pairs_kept_apart_and_identified_groups_are_never_joined_on_ties() -> None:
    ties = _ties({WORKER: {"accounts:BE71096123456769"}, "pol-2": {"accounts:BE71096123456769"}})
    clusters, joined = attach_by_context(COMPONENTS, EDGES, ties, {("insp-9", "pol-2")})
    assert clusters == COMPONENTS and joined == {}
    # The worker identified (a date of birth): it is no namesake's to take.
    known = Identities(IDENTIFIED | {WORKER}, NAMES, context=ties.context)
    assert attach_by_context(COMPONENTS, EDGES, known, set()) == (COMPONENTS, {})


def test_without_ties_known_nothing_changes() -> None:
    assert attach_by_context(COMPONENTS, EDGES, Identities(IDENTIFIED, NAMES), set()) == (
        COMPONENTS,
        {},
    )
