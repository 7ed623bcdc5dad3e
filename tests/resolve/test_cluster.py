"""Groups without an identified record join their sole candidate, and only it."""

from __future__ import annotations

from collections.abc import Collection

from crosslink.resolve.cluster import Edge, Identities, attach_sole

# Register entries (identified: a date of birth or a document) and bank-report counterparties
# (a name and an account: nothing that tells namesakes apart), all of one name.
REGISTER = {"reg-1a", "reg-1b", "reg-2"}
COUNTERPARTIES = {"str-1", "str-2", "str-3"}
KHATIB = Identities(REGISTER, dict.fromkeys(REGISTER | COUNTERPARTIES, "hassan khatib"))


def _groups(*groups: set[str]) -> dict[str, str]:
    return {uid: min(group) for group in groups for uid in group}


def _names_only(left: str, right: str, probability: float) -> Edge:
    a, b = sorted((left, right))
    return Edge(a, b, probability, supported=False)


def _together(clusters: dict[str, str], *uids: str) -> bool:
    return len({clusters[u] for u in uids}) == 1


def test_a_counterparty_joins_the_only_namesake_the_data_knows() -> None:
    components = _groups({"reg-1a", "reg-1b"}, {"str-1"})
    edges = [_names_only("str-1", "reg-1a", 0.97), _names_only("str-1", "reg-1b", 0.95)]

    clusters, joined = attach_sole(components, edges, 0.9, KHATIB, set())

    assert _together(clusters, "str-1", "reg-1a", "reg-1b")
    assert joined == {("reg-1a", "str-1")}  # the strongest of its pairs


def test_of_pairs_that_weigh_the_same_the_first_by_key_joins_whatever_their_order() -> None:
    # The engine returns pairs in the order its threads found them.
    components = _groups({"reg-1a", "reg-1b"}, {"str-1"})
    edges = [_names_only("str-1", "reg-1b", 0.97), _names_only("str-1", "reg-1a", 0.97)]

    for given in (edges, edges[::-1]):
        _, joined = attach_sole(components, given, 0.9, KHATIB, set())
        assert joined == {("reg-1a", "str-1")}


def test_between_two_namesakes_alike_it_joins_neither() -> None:
    # Even when reg-2's name is spelt another way.
    components = _groups({"reg-1a"}, {"reg-2"}, {"str-1"})
    edges = [_names_only("str-1", "reg-1a", 0.97), _names_only("str-1", "reg-2", 0.9)]
    known = Identities(REGISTER, KHATIB.names | {"reg-2": "hassan khateeb"})

    clusters, joined = attach_sole(components, edges, 0.9, known, set())

    assert clusters == components
    assert joined == set()


def test_a_far_weaker_rival_does_not_hold_it_back() -> None:
    # reg-2 is a "Hassan Khateeb"; 0.999 is ~10 bits, 0.3 ~-1.2: more than 4 bits apart.
    components = _groups({"reg-1a"}, {"reg-2"}, {"str-1"})
    edges = [_names_only("str-1", "reg-1a", 0.999), _names_only("str-1", "reg-2", 0.3)]
    known = Identities(REGISTER, KHATIB.names | {"reg-2": "hassan khateeb"})

    clusters, _ = attach_sole(components, edges, 0.9, known, set())

    assert _together(clusters, "str-1", "reg-1a")
    assert not _together(clusters, "str-1", "reg-2")


def test_below_the_threshold_it_waits() -> None:
    components = _groups({"reg-1a"}, {"str-1"})

    clusters, _ = attach_sole(components, [_names_only("str-1", "reg-1a", 0.8)], 0.9, KHATIB, set())

    assert not _together(clusters, "str-1", "reg-1a")


def test_pairs_kept_apart_are_never_joined() -> None:
    # str-2 is judged (or scored) different from reg-1b.
    components = _groups({"reg-1a", "reg-1b"}, {"str-2"})
    apart = {("reg-1b", "str-2")}

    clusters, joined = attach_sole(
        components, [_names_only("str-2", "reg-1a", 0.97)], 0.9, KHATIB, apart
    )

    assert clusters == components
    assert joined == set()


def test_a_name_that_only_resembles_or_that_a_third_bears_is_not_enough() -> None:
    components = _groups({"reg-1a"}, {"reg-2"}, {"str-1"}, {"str-2", "str-3"})
    edges = [_names_only("str-1", "reg-1a", 0.97), _names_only("str-2", "reg-1a", 0.97)]
    # str-1 is "Hasan Khatib"; str-2's group bears the name, and so does reg-2 (which no
    # pair links: its date of birth kept it from being compared).
    names = KHATIB.names | {"str-1": "hasan khatib"}

    clusters, joined = attach_sole(components, edges, 0.9, Identities(REGISTER, names), set())

    assert clusters == components
    assert joined == set()
    # Without the third namesake, str-2's group joins.
    del names["reg-2"]
    clusters, joined = attach_sole(components, edges, 0.9, Identities(REGISTER, names), set())
    assert _together(clusters, "str-2", "str-3", "reg-1a")
    assert not _together(clusters, "str-1", "reg-1a")


def test_identified_groups_are_never_joined_on_names_alone() -> None:
    # Two register entries of one name and no counterparty: two people until evidence says.
    components = _groups({"reg-1a"}, {"reg-2"})

    clusters, joined = attach_sole(
        components, [_names_only("reg-1a", "reg-2", 0.99)], 0.9, KHATIB, set()
    )

    assert clusters == components
    assert joined == set()


def test_counterparties_among_themselves_stay_apart() -> None:
    # Nothing identifies either: which of them is whom, only an analyst can say.
    components = _groups({"str-1"}, {"str-2"})

    clusters, _ = attach_sole(components, [_names_only("str-1", "str-2", 0.99)], 0.9, KHATIB, set())

    assert clusters == components


def _by_account(names: dict[str, str], accounts: dict[str, str]) -> Identities:
    """Identities whose ties are accounts, which tell groups apart."""

    def context(uids: Collection[str]) -> dict[str, set[str]]:
        return {uid: {f"accounts:{accounts[uid]}"} for uid in uids if uid in accounts}

    return Identities(REGISTER, names, context=context, distinct_by=("accounts",))


def test_unidentified_namesakes_that_may_be_one_person_all_join_the_sole_identified() -> None:
    # A counterparty and a worker the inspector met (str-3, no account), both "Hassan
    # Khatib", and one register entry of the name: nothing says they are two people.
    components = _groups({"reg-1a"}, {"str-1"}, {"str-3"})
    edges = [_names_only("str-1", "reg-1a", 0.97), _names_only("str-3", "reg-1a", 0.95)]
    names = dict.fromkeys(("reg-1a", "str-1", "str-3"), "hassan khatib")

    clusters, joined = attach_sole(
        components, edges, 0.9, _by_account(names, {"str-1": "BE71"}), set()
    )

    assert _together(clusters, "str-1", "str-3", "reg-1a")
    assert joined == {("reg-1a", "str-1"), ("reg-1a", "str-3")}
    # Without a kind of tie that tells groups apart, the third bearer is a second person.
    clusters, joined = attach_sole(components, edges, 0.9, Identities(REGISTER, names), set())
    assert clusters == components
    assert joined == set()


def test_namesakes_paid_on_different_accounts_are_two_people() -> None:
    components = _groups({"reg-1a"}, {"str-1"}, {"str-2"})
    edges = [_names_only("str-1", "reg-1a", 0.97), _names_only("str-2", "reg-1a", 0.95)]
    names = dict.fromkeys(("reg-1a", "str-1", "str-2"), "hassan khatib")
    two_accounts = _by_account(names, {"str-1": "BE71", "str-2": "NL91"})

    clusters, joined = attach_sole(components, edges, 0.9, two_accounts, set())

    assert clusters == components
    assert joined == set()


def test_a_counterparty_paid_on_another_account_than_the_namesakes_stays_apart() -> None:
    components = _groups({"reg-1a", "reg-1b"}, {"str-1"})
    edges = [_names_only("str-1", "reg-1a", 0.97)]
    names = dict.fromkeys(("reg-1a", "reg-1b", "str-1"), "hassan khatib")

    other = _by_account(names, {"str-1": "BE71", "reg-1b": "NL91"})
    clusters, _ = attach_sole(components, edges, 0.9, other, set())
    assert clusters == components
    same = _by_account(names, {"str-1": "BE71", "reg-1b": "BE71"})
    clusters, _ = attach_sole(components, edges, 0.9, same, set())
    assert _together(clusters, "str-1", "reg-1a")
