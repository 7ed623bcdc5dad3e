"""Edge evidence stored compactly reads back as the labelled JSON stores held before."""

from __future__ import annotations

import json
import math
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st
from splink import Linker
from sqlalchemy import Connection, select, update

from crosslink.resolve import explain, review_queue
from crosslink.resolve.backend import DuckDBBackend
from crosslink.resolve.evidence import Levels, compact, expand, levels_of
from crosslink.resolve.extract import extract
from crosslink.resolve.predict import build_linker
from crosslink.resolve.schema import match_edges, resolve_runs
from crosslink.resolve.settings import model_for
from crosslink.resolve.train import TrainOptions


def _labelled(table: pa.Table, levels: Levels, tf_names: list[str]) -> Any:
    """The labelled JSON edges held before compact evidence (``predict._details`` as it was):
    the reference the compact form must expand to."""
    pieces: list[Any] = []
    for name, labels in levels.items():
        codes = sorted(labels)
        gamma = table[f"gamma_{name}"]
        label = pc.take(
            pa.array([json.dumps(labels[g]) for g in codes]),
            pc.index_in(gamma, value_set=pa.array(codes, gamma.type)),
        )
        label = pc.coalesce(
            label, pc.binary_join_element_wise('"', pc.cast(gamma, pa.string()), '"', "")
        )
        weight = table[f"mw_{name}"]
        if name in tf_names:
            weight = pc.add(weight, pc.fill_null(table[f"mw_tf_adj_{name}"], 0.0))
        weight = pc.round(weight, 3)
        number = pc.cast(weight, pa.string())
        number = pc.if_else(
            pc.match_substring_regex(number, r"^-?\d+$"),
            pc.binary_join_element_wise(number, ".0", ""),
            number,
        )
        text = pc.if_else(
            pc.is_inf(weight),
            pc.if_else(pc.greater(weight, 0), "Infinity", "-Infinity"),
            number,
        )
        head = f'{{"comparison":{json.dumps(name)},"level":'
        pieces.append(pc.binary_join_element_wise(head, label, ',"weight":', text, "}", ""))
    joined: list[Any] = []
    for i, piece in enumerate(pieces):
        joined.extend([piece] if i == 0 else [",", piece])
    return pc.binary_join_element_wise("[", *joined, "]", "")


def _linker_levels(linker: Linker) -> Levels:
    """Levels as the linker itself numbers and labels them (``predict._levels`` as it was)."""
    return {
        c.output_column_name: {
            level.comparison_vector_value: level.label_for_charts for level in c.comparison_levels
        }
        for c in linker._settings_obj.comparisons
    }


def _same(compact_texts: list[str], labelled: list[str], levels: Levels) -> None:
    assert len(compact_texts) == len(labelled)
    for short, long in zip(compact_texts, labelled, strict=True):
        assert expand(short, levels) == json.loads(long)


def test_a_real_runs_compact_evidence_expands_to_the_labelled_json(conn: Connection) -> None:
    runs = conn.execute(
        select(resolve_runs.c.entity_type, resolve_runs.c.model)
        .where(resolve_runs.c.pairs > 0)
        .order_by(resolve_runs.c.id)
    ).all()
    assert {r.entity_type for r in runs} >= {"Person", "Address"}
    backend = DuckDBBackend()
    try:
        for entity_type, text in runs:
            model = json.loads(text)
            table = extract(conn, entity_type)
            linker, _ = build_linker(
                backend,
                table,
                model_for(entity_type),
                stored_model=model,
                options=TrainOptions(),
                labels=None,
            )
            levels = levels_of(model)
            assert levels == _linker_levels(linker)
            # As low as any run keeps edges (an organisation's sole namesake: 0.01).
            frame = linker.inference.predict(threshold_match_probability=0.01, warning_mode="never")
            pairs = backend.to_arrow(frame)
            assert pairs.num_rows > 0
            tf_names = [n for n in levels if f"mw_tf_adj_{n}" in pairs.column_names]
            texts = compact(pairs, levels, tf_names).to_pylist()
            assert not any(t.startswith("[") for t in texts)
            _same(texts, _labelled(pairs, levels, tf_names).to_pylist(), levels)
    finally:
        backend.close()


_LEVELS: Levels = {
    "given_name": {-1: "given_name is NULL", 2: "Exact match on given", 1: "close", 0: "All other"},
    "birth_date": {-1: "birth_date is NULL", 1: "same day", 0: "else"},
}


def _pairs(rows: list[tuple[int, float, int, float, float | None]]) -> pa.Table:
    names = ["gamma_given_name", "mw_given_name", "gamma_birth_date", "mw_birth_date"]
    columns: dict[str, Any] = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    columns["mw_tf_adj_birth_date"] = [r[4] for r in rows]
    return pa.table(
        columns,
        schema=pa.schema(
            [(n, pa.int32() if n.startswith("gamma") else pa.float64()) for n in names]
            + [("mw_tf_adj_birth_date", pa.float64())]
        ),
    )


def test_infinity_unknown_levels_and_zero_weights_round_trip() -> None:
    inf = math.inf
    table = _pairs(
        [
            (2, inf, 1, 12.0, 0.25),
            (-1, 0.0, 0, -inf, None),
            (7, -0.0001, -1, 0.0, 0.0),
            (1, 2.0, 1, -inf, 3.0),
        ]
    )
    texts = compact(table, _LEVELS, ["birth_date"]).to_pylist()
    assert texts[0] == "2:inf,1:12.25"
    assert texts[1] == "-1,0:-inf"  # a weight of 0 is left out
    _same(texts, _labelled(table, _LEVELS, ["birth_date"]).to_pylist(), _LEVELS)
    (unknown, _) = expand(texts[2], _LEVELS)
    assert unknown == {"comparison": "given_name", "level": "7", "weight": -0.0}
    assert math.copysign(1.0, unknown["weight"]) == -1.0
    assert expand(texts[0], _LEVELS)[0]["weight"] == inf


@given(
    st.lists(
        st.tuples(
            st.sampled_from([-1, 0, 1, 2, 5]),
            st.floats(min_value=-1e4, max_value=1e4) | st.just(-math.inf),
            st.sampled_from([-1, 0, 1]),
            st.floats(min_value=-1e4, max_value=1e4) | st.sampled_from([-math.inf, math.inf]),
            st.none() | st.floats(allow_nan=False, min_value=-50, max_value=50),
        ),
        max_size=20,
    )
)
def test_any_evidence_round_trips(rows: list[tuple[int, float, int, float, float | None]]) -> None:
    """Weights are logarithms of probability ratios: finite ones are small (Arrow's rounding
    overflows near 1e305, in the old writer as in the new)."""
    table = _pairs(rows)
    texts = compact(table, _LEVELS, ["birth_date"]).to_pylist()
    _same(texts, _labelled(table, _LEVELS, ["birth_date"]).to_pylist(), _LEVELS)


def test_old_labelled_edges_are_still_read(conn: Connection) -> None:
    items = review_queue(conn, entity_type="Person", limit=5)
    assert items
    # An entity of the queue that some pair holds together: its explanation reads evidence.
    explained = [explain(conn, item.left_entity) for item in items]
    before = next(
        e for e in explained if any(ev.comparisons for m in e.members for ev in m.joined_by)
    )
    entity = before.entity_id
    members = [m.uid for m in before.members]
    edges = conn.execute(
        select(
            match_edges.c.left_uid,
            match_edges.c.right_uid,
            match_edges.c.run_id,
            match_edges.c.detail,
        ).where(match_edges.c.left_uid.in_([*members, *(i.left_uid for i in items)]))
    ).all()
    assert len(edges) > len(items)
    levels = {
        run: levels_of(json.loads(model))
        for run, model in conn.execute(select(resolve_runs.c.id, resolve_runs.c.model))
    }
    for left, right, run_id, detail in edges:
        assert not detail.startswith("[")
        # Written back as a store written before compact evidence held it: labelled JSON.
        old = json.dumps(expand(detail, levels[run_id]), separators=(",", ":"))
        conn.execute(
            update(match_edges)
            .where(match_edges.c.left_uid == left, match_edges.c.right_uid == right)
            .values(detail=old)
        )
    assert review_queue(conn, entity_type="Person", limit=5) == items
    assert explain(conn, entity) == before
