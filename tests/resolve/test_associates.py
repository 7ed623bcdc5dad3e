"""A group that only a name identifies joins the one namesake it appears with someone with."""

from __future__ import annotations

from collections.abc import Collection

import pyarrow as pa

from crosslink.resolve.cluster import Edge, Identities, attach_by_associates

# Two identified "Hassan Khatib" (a register entry, a police record), a bank report's
# counterparty known by name and account alone, the client who paid him, and a third
# identified person of another name, whom the counterparty is paired with too.
IDENTIFIED = {"reg-1", "pol-2", "reg-5", "cli-3"}
PAYEE = "str-9"
NAMES = dict.fromkeys(["reg-1", "pol-2", PAYEE], "hassan khatib") | {
    "reg-5": "hasan hatib",
    "cli-3": "ion popescu",
}
COMPONENTS = {uid: uid for uid in [*IDENTIFIED, PAYEE]}


def _edge(left: str, right: str, probability: float) -> Edge:
    a, b = sorted((left, right))
    return Edge(a, b, probability, supported=False)


# Names alone: the pairs score alike, and the client's own pair is irrelevant.
EDGES = [_edge(PAYEE, "reg-1", 0.84), _edge(PAYEE, "pol-2", 0.84), _edge(PAYEE, "reg-5", 0.5)]


def _seen(together: list[set[str]], accounts: dict[str, str] | None = None) -> Identities:
    """Identities whose records appear together as ``together`` says (one set a report)."""
    shown = [(uid, f"report-{i}") for i, report in enumerate(together) for uid in sorted(report)]
    seen = pa.table(
        {
            "uid": pa.array([uid for uid, _ in shown], pa.string()),
            "report": pa.array([report for _, report in shown], pa.string()),
        }
    )

    def context(uids: Collection[str]) -> dict[str, set[str]]:
        held = accounts or {}
        return {uid: {f"accounts:{held[uid]}"} for uid in uids if uid in held}

    return Identities(
        IDENTIFIED, NAMES, context=context, distinct_by=("accounts",), appearances=seen
    )


def test_the_payee_joins_the_namesake_the_client_appears_with() -> None:
    # The transfer, and a police report naming the client beside one Hassan Khatib.
    seen = _seen([{"cli-3", PAYEE}, {"cli-3", "pol-2", "reg-7"}])
    clusters, joined = attach_by_associates(COMPONENTS, EDGES, seen, set())
    assert clusters[PAYEE] == clusters["pol-2"]
    assert len({clusters[uid] for uid in ["reg-1", "pol-2", "reg-5", "cli-3"]}) == 4
    assert joined == {("pol-2", "str-9"): ("associates",)}


def test_two_namesakes_appearing_with_the_client_leave_it_unplaced() -> None:
    seen = _seen([{"cli-3", PAYEE}, {"cli-3", "pol-2"}, {"cli-3", "reg-1"}])
    assert attach_by_associates(COMPONENTS, EDGES, seen, set()) == (COMPONENTS, {})


def test_a_namesake_of_another_spelling_joins_nothing_and_is_a_rival() -> None:
    # reg-5 only resembles the name: on its own it is not taken ...
    seen = _seen([{"cli-3", PAYEE}, {"cli-3", "reg-5"}])
    assert attach_by_associates(COMPONENTS, EDGES, seen, set()) == (COMPONENTS, {})
    # ... and beside the very namesake it still makes the choice two.
    seen = _seen([{"cli-3", PAYEE}, {"cli-3", "reg-5"}, {"cli-3", "pol-2"}])
    assert attach_by_associates(COMPONENTS, EDGES, seen, set()) == (COMPONENTS, {})


def test_appearing_with_the_namesake_itself_is_no_associate() -> None:
    # One report naming both is no third party who knows them both.
    seen = _seen([{PAYEE, "pol-2"}])
    assert attach_by_associates(COMPONENTS, EDGES, seen, set()) == (COMPONENTS, {})


def test_a_namesake_without_a_scored_pair_is_not_joined() -> None:
    seen = _seen([{"cli-3", PAYEE}, {"cli-3", "pol-2"}])
    assert attach_by_associates(COMPONENTS, [EDGES[0]], seen, set()) == (COMPONENTS, {})


def test_another_account_than_the_namesakes_keeps_the_payee_apart() -> None:
    together = [{"cli-3", PAYEE}, {"cli-3", "pol-2"}]
    accounts = {PAYEE: "BE71096123456769", "pol-2": "NL91ABNA0417164300"}
    assert attach_by_associates(COMPONENTS, EDGES, _seen(together, accounts), set()) == (
        COMPONENTS,
        {},
    )
    # An account on one side only tells nothing.
    clusters, _ = attach_by_associates(
        COMPONENTS, EDGES, _seen(together, {PAYEE: "BE71096123456769"}), set()
    )
    assert clusters[PAYEE] == clusters["pol-2"]


def test_pairs_kept_apart_and_identified_groups_are_never_joined() -> None:
    seen = _seen([{"cli-3", PAYEE}, {"cli-3", "pol-2"}])
    assert attach_by_associates(COMPONENTS, EDGES, seen, {("pol-2", PAYEE)}) == (COMPONENTS, {})
    known = Identities(IDENTIFIED | {PAYEE}, NAMES, appearances=seen.appearances)
    assert attach_by_associates(COMPONENTS, EDGES, known, set()) == (COMPONENTS, {})


def test_without_associates_known_nothing_changes() -> None:
    assert attach_by_associates(COMPONENTS, EDGES, Identities(IDENTIFIED, NAMES), set()) == (
        COMPONENTS,
        {},
    )
