"""Stable ids: growth keeps the id, splits and merges are recorded, ids are never reused."""

from __future__ import annotations

from crosslink.resolve.ids import assign_ids, new_entity_id


def test_first_run_creates_one_id_per_cluster() -> None:
    got = assign_ids({"a": "a", "b": "a", "c": "c"}, {}, set())
    assert got.members["a"] == got.members["b"] != got.members["c"]
    assert sorted(c.change for c in got.changes) == ["created", "created"]


def test_growth_keeps_the_id_and_records_nothing() -> None:
    before = {"a": "E1", "b": "E1", "c": "E2"}
    got = assign_ids({"a": "a", "b": "a", "n": "a", "c": "c"}, before, {"E1", "E2"})
    assert got.members == {"a": "E1", "b": "E1", "n": "E1", "c": "E2"}
    assert got.changes == []


def test_split_keeps_the_larger_part_and_records_the_other() -> None:
    before = {"a": "E1", "b": "E1", "c": "E1"}
    got = assign_ids({"a": "a", "b": "a", "c": "c"}, before, {"E1"})
    assert got.members["a"] == got.members["b"] == "E1"
    assert got.members["c"] not in {"E1"}
    assert [(c.change, c.other_id) for c in got.changes] == [("split", "E1")]


def test_merge_retires_the_smaller_id_into_the_larger() -> None:
    before = {"a": "E1", "b": "E1", "c": "E2"}
    got = assign_ids({"a": "a", "b": "a", "c": "a"}, before, {"E1", "E2"})
    assert set(got.members.values()) == {"E1"}
    assert [(c.entity_id, c.change, c.other_id) for c in got.changes] == [("E2", "merged", "E1")]


def test_gone_records_retire_their_id() -> None:
    got = assign_ids({"a": "a"}, {"a": "E1", "z": "E9"}, {"E1", "E9"})
    assert [(c.entity_id, c.change) for c in got.changes] == [("E9", "retired")]


def test_new_ids_avoid_every_id_ever_used() -> None:
    first = new_entity_id("a", set())
    assert first.startswith("E") and len(first) == 16
    assert new_entity_id("a", {first}) != first
    assert new_entity_id("a", set()) == first
