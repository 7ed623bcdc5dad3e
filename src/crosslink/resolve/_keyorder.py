"""Scored pairs as a run's edges, in key order: smaller uid, then larger.

Key order is code-point order, as Python and the store compare uids, and the order of the
tables the edges fill. Arrow sorts the pairs on the records' positions among the sorted
uids, not the engine on the uids: it sorted every column of millions of pairs (4 to 7 of the
60 s of scoring a million records).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from crosslink.errors import ResolveError
from crosslink.resolve._pairs import Edge, EdgeArrays

__all__ = ["Read", "in_key_order"]

_SLICE = 200_000
"""Scored pairs turned into edges at a time."""


Read = Callable[[pa.Table], tuple[pa.Array, pa.Array]]
"""Scored pairs -> per pair, whether it is supported (``Edge.supported``), and its evidence
text."""


def in_key_order(
    above: pa.Table, read: Read, nodes: list[str]
) -> tuple[list[Edge], pa.ChunkedArray, EdgeArrays]:
    """The edges of the scored pairs ``above`` in key order (smaller uid, then larger; code
    points, as Python and the store compare them: the order of the tables they fill), their
    evidence texts, and the edges as arrays over the records' ``nodes`` (sorted)."""
    order, low, high = _key_order(above, nodes)
    edges: list[Edge] = []
    details, backing = [], []
    # A slice at a time: Python lists of a million pairs' values, and the pieces of their
    # evidence text, would each outweigh the edges they make.
    for start in range(0, above.num_rows, _SLICE):
        part = above.take(order.slice(start, _SLICE))
        supported, texts = read(part)
        lefts = [nodes[i] for i in low.slice(start, _SLICE).to_pylist()]
        rights = [nodes[i] for i in high.slice(start, _SLICE).to_pylist()]
        edges += _edges(part, supported, lefts, rights)
        details.append(texts)
        backing.append(_flat(supported))
    arrays = EdgeArrays(
        nodes,
        low,
        high,
        _flat(above["match_probability"].take(order)).cast(pa.float64()),
        _flat(above["match_weight"].take(order)).cast(pa.float64()),
        pa.concat_arrays(backing) if backing else pa.array([], pa.bool_()),
    )
    return edges, pa.chunked_array(details, pa.string()), arrays


def _key_order(above: pa.Table, nodes: list[str]) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The order of ``above`` by pair key, and the positions among the sorted ``nodes`` of
    each pair's smaller and larger uid, in that order."""
    uids = pa.array(nodes, pa.string())
    a = _flat(pc.index_in(above["unique_id_l"], value_set=uids))
    b = _flat(pc.index_in(above["unique_id_r"], value_set=uids))
    if a.null_count or b.null_count:
        raise ResolveError("a scored pair holds a record that was not scored")
    swap = pc.greater(a, b)  # positions among sorted uids compare as the uids do
    low, high = pc.if_else(swap, b, a), pc.if_else(swap, a, b)
    by = [("low", "ascending"), ("high", "ascending")]
    order = pc.sort_indices(pa.table({"low": low, "high": high}), sort_keys=by)
    return order, low.take(order), high.take(order)


def _flat(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _edges(part: pa.Table, supported: pa.Array, lefts: list[str], rights: list[str]) -> list[Edge]:
    """The edges of a slice of scored pairs, each pair smaller uid first (``lefts``)."""
    return [
        Edge(a, b, probability, weight, backed)
        for a, b, probability, weight, backed in zip(
            lefts,
            rights,
            part["match_probability"].to_pylist(),
            part["match_weight"].to_pylist(),
            supported.to_pylist(),
            strict=True,
        )
    ]
