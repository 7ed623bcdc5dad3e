"""The evidence of a match edge: each comparison's level and match weight.

A run at scale writes millions of edges, so each stores only what its run's model does not
hold: per comparison, in the model's order, the level number (Splink's gamma, -1 for null)
and the weight (with its term-frequency part) rounded to three decimals, a weight of 0 left
out: ``4:10.482,3:9.148,-1,2:2.923``. Readers expand it to
``[{"comparison": …, "level": label, "weight": …}, …]`` with the labels of the model saved
by the run that wrote the edge. Edges written before carry that labelled JSON themselves
(until the type's next run), and are read as they are.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, select

from crosslink.resolve.schema import resolve_runs

__all__ = ["Levels", "RunEvidence", "compact", "comparison_weight", "expand", "levels_of"]

Levels = dict[str, dict[int, str]]
"""Per comparison (in the model's order), its level numbers and their labels."""


def levels_of(model: Mapping[str, Any]) -> Levels:
    """The levels of a saved Splink model (``linker.misc.save_model_to_json()``), numbered as
    Splink numbers them: the null level -1, the others counting down to 0, strongest first."""
    out: Levels = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        number = sum(1 for level in levels if not level.get("is_null_level")) - 1
        labels: dict[int, str] = {}
        for level in levels:
            if level.get("is_null_level"):
                gamma = -1
            else:
                gamma, number = number, number - 1
            # Splink's own fallback for a level without a label.
            labels[gamma] = level.get("label_for_charts") or str(gamma)
        out[comparison["output_column_name"]] = labels
    return out


def compact(table: pa.Table, names: Iterable[str], tf_names: Collection[str]) -> Any:
    """Per pair of ``table`` (Splink's predictions, with their ``gamma_``, ``mw_`` and
    ``mw_tf_adj_`` columns), its evidence on ``names`` as compact text. Built column-wise:
    per-pair Python was most of the scoring time at a million records."""
    pieces: list[Any] = []
    for name in names:
        level = pc.cast(table[f"gamma_{name}"], pa.string())
        # Arrow writes 2.0 as "2", infinity as "inf" and -0.0 as "-0": all read back by float().
        number = pc.cast(pc.round(comparison_weight(table, name, name in tf_names), 3), pa.string())
        pieces.append(
            pc.if_else(
                pc.equal(number, "0"), level, pc.binary_join_element_wise(level, number, ":")
            )
        )
    return pc.binary_join_element_wise(*pieces, ",")


def comparison_weight(table: pa.Table, name: str, tf: bool) -> Any:
    """Per pair of ``table`` (Splink's predictions), the match weight of comparison ``name``,
    with its term-frequency part when ``tf``."""
    out = table[f"mw_{name}"]
    if tf:
        out = pc.add(out, pc.fill_null(table[f"mw_tf_adj_{name}"], 0.0))
    return out


def expand(detail: str, levels: Levels) -> list[dict[str, Any]]:
    """The labelled evidence of one edge, from its stored ``detail``: compact, with the levels
    of the model of the run that wrote it, or the labelled JSON of stores written before."""
    if detail.startswith("["):
        labelled: list[dict[str, Any]] = json.loads(detail)
        return labelled
    out: list[dict[str, Any]] = []
    for name, part in zip(levels, detail.split(","), strict=True):
        level, _, weight = part.partition(":")
        gamma = int(level)
        out.append(
            {
                "comparison": name,
                # A level the model does not know (never expected) shows as its number.
                "level": levels[name].get(gamma, level),
                "weight": float(weight) if weight else 0.0,
            }
        )
    return out


class RunEvidence:
    """Expands the evidence of edges read through ``conn``, each with the levels of the run
    that wrote it; each run's model is read once."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._levels: dict[int, Levels] = {}

    def comparisons(self, run_id: int, detail: str) -> list[dict[str, Any]]:
        if detail.startswith("["):
            return expand(detail, {})
        if run_id not in self._levels:
            model = self._conn.execute(
                select(resolve_runs.c.model).where(resolve_runs.c.id == run_id)
            ).scalar_one()
            self._levels[run_id] = levels_of(json.loads(model))
        return expand(detail, self._levels[run_id])
