"""The namesake rules' groups follow the joins from one rule to the next."""

from __future__ import annotations

from crosslink.resolve._groups import Groups, enemies
from crosslink.resolve._pairs import Edge


def _edge(left: str, right: str, probability: float) -> Edge:
    a, b = sorted((left, right))
    return Edge(a, b, probability, supported=False)


# One registered person, two counterparties of his name: one paired with him, the other
# only with the first (the same account, another spelling).
COMPONENTS = {"reg-1": "reg-1", "str-1": "str-1", "str-2": "str-2", "str-3": "str-3"}
NAMES = {"reg-1": "hassan khatib", "str-1": "hassan khatib", "str-2": "hasan khatib"}
TO_REGISTER = _edge("str-1", "reg-1", 0.97)
BETWEEN = _edge("str-2", "str-1", 0.95)
WEAKER = _edge("str-2", "str-1", 0.6)
STRAY = _edge("str-3", "reg-1", 0.4)


def test_a_join_reaches_the_pairs_of_the_next_rule_once_settled() -> None:
    groups = Groups(COMPONENTS, {"reg-1"}, NAMES, [TO_REGISTER, WEAKER, BETWEEN, STRAY])
    assert groups.known == {"reg-1"}
    assert groups.best == {"str-1": {"reg-1": TO_REGISTER}, "str-3": {"reg-1": STRAY}}
    assert groups.holders("str-1") == {"reg-1", "str-1"}

    assert groups.join("str-1", "reg-1", enemies(set()))
    # Within a rule, the pairs stay as the rule found them ...
    assert groups.best == {"str-1": {"reg-1": TO_REGISTER}, "str-3": {"reg-1": STRAY}}
    assert groups.key_of["str-1"] == "reg-1" and groups.holders("reg-1") == {"reg-1"}
    # ... the next rule sees the second counterparty's pair with the first (its strongest)
    # as a pair with the group the first joined.
    groups.settle()
    assert groups.best == {"str-2": {"reg-1": BETWEEN}, "str-3": {"reg-1": STRAY}}
    assert groups.clusters() == {
        "reg-1": "reg-1",
        "str-1": "reg-1",
        "str-2": "str-2",
        "str-3": "str-3",
    }


def test_a_join_across_a_pair_kept_apart_is_refused() -> None:
    groups = Groups(COMPONENTS, {"reg-1"}, NAMES, [TO_REGISTER, BETWEEN])
    assert groups.join("str-1", "reg-1", enemies(set()))
    # str-2 is kept apart from str-1, now a member of reg-1's group.
    assert not groups.join("str-2", "reg-1", enemies({("str-1", "str-2")}))
    groups.settle()
    assert groups.members["reg-1"] == {"reg-1", "str-1"} and groups.members["str-2"] == {"str-2"}
