"""Whom groups of records appear with, in Arrow: which pairs of groups share an associate.

A record appears in a report (a bank report, a police report, an inspection) beside other
records; two groups share an associate when some third group appears with each of them,
in one report or two. At a million demo records the appearances are 600,000 rows: they are
joined as integer columns, never held as Python sets per record.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["sharing_associates"]


def sharing_associates(
    appearances: pa.Table, components: dict[str, str], pairs: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Of ``pairs`` of groups (cluster keys of ``components``), those that share an
    associate: a third group appearing with a record of each (``appearances``: ``uid`` and
    ``report`` columns). Records not in ``components`` are left out."""
    wanted = sorted(set(pairs))
    if not wanted or appearances.num_rows == 0:
        return set()
    keys = list(dict.fromkeys(components.values()))
    number = {key: i for i, key in enumerate(keys)}
    uids = list(components)
    group = pa.array([number[components[uid]] for uid in uids], pa.int64())
    at = pc.index_in(appearances["uid"], value_set=pa.array(uids, pa.string()))
    rows = pa.table(
        {
            "g": pc.take(group, at),
            "r": pc.dictionary_encode(appearances["report"]).combine_chunks().indices,
        }
    ).filter(pc.is_valid(at))
    rows = rows.group_by(["g", "r"]).aggregate([])
    asked = pa.table(
        {
            "w": pa.array([number[w] for w, _ in wanted], pa.int64()),
            "s": pa.array([number[s] for _, s in wanted], pa.int64()),
        }
    )
    # (w, x): w appears with x; then (w, s, x) for each pair asked; kept if s appears with x.
    met_w = _met(rows, asked["w"]).rename_columns(["w", "x"])
    met_s = _met(rows, asked["s"]).rename_columns(["s", "x"])
    through = asked.join(met_w, "w").join(met_s, ["s", "x"], join_type="left semi")
    found = through.group_by(["w", "s"]).aggregate([])
    return {
        (keys[w], keys[s])
        for w, s in zip(found["w"].to_pylist(), found["s"].to_pylist(), strict=True)
    }


def _met(rows: pa.Table, groups: pa.Array | pa.ChunkedArray) -> pa.Table:
    """(g, x): each of ``groups`` and another group it appears with."""
    mine = rows.filter(pc.is_in(rows["g"], value_set=pc.unique(groups)))
    both = mine.join(rows.rename_columns(["x", "r"]), "r")
    both = both.filter(pc.not_equal(both["g"], both["x"])).select(["g", "x"])
    return both.group_by(["g", "x"]).aggregate([])
