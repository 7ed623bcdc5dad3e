"""Scored pairs as a run's edges, in key order: smaller uid, then larger.

Key order is code-point order, as Python and the store compare uids, and the order of the
tables the edges fill. Arrow sorts the pairs on the records' positions among the sorted
uids, not the engine on the uids: it sorted every column of millions of pairs (4 to 7 of the
60 s of scoring a million records).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

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
    above: pa.Table, read: Read, nodes: list[str] | None
) -> tuple[list[Edge], pa.ChunkedArray, EdgeArrays | None]:
    """The edges of the scored pairs ``above`` in key order (smaller uid, then larger; code
    points, as Python and the store compare them: the order of the tables they fill), their
    evidence texts, and, given the records' ``nodes`` (sorted), the edges as arrays."""
    order, low, high = _key_order(above, nodes)
    edges: list[Edge] = []
    details, backing = [], []
    # A slice at a time: Python lists of a million pairs' values, and the pieces of their
    # evidence text, would each outweigh the edges they make.
    for start in range(0, above.num_rows, _SLICE):
        part = above.take(order.slice(start, _SLICE))
        supported, texts = read(part)
        if nodes is None or low is None or high is None:
            ends = _ends(part)
        else:
            ends = (
                [nodes[i] for i in low.slice(start, _SLICE).to_pylist()],
                [nodes[i] for i in high.slice(start, _SLICE).to_pylist()],
            )
        edges += _edges(part, supported, *ends)
        details.append(texts)
        backing.append(_flat(supported))
    detail = pa.chunked_array(details, pa.string())
    if nodes is None or low is None or high is None:
        return edges, detail, None
    arrays = EdgeArrays(
        nodes,
        low,
        high,
        _flat(above["match_probability"].take(order)).cast(pa.float64()),
        _flat(above["match_weight"].take(order)).cast(pa.float64()),
        pa.concat_arrays(backing) if backing else pa.array([], pa.bool_()),
    )
    return edges, detail, arrays


def _key_order(
    above: pa.Table, nodes: list[str] | None
) -> tuple[pa.Array, pa.Array | None, pa.Array | None]:
    """The order of ``above`` by pair key, and given the sorted ``nodes``, the positions of
    each pair's smaller and larger uid among them, in that order."""
    left, right = above["unique_id_l"], above["unique_id_r"]
    by = [("low", "ascending"), ("high", "ascending")]
    if nodes is None:
        swap = pc.greater(left, right)
        keys = pa.table(
            {"low": pc.if_else(swap, right, left), "high": pc.if_else(swap, left, right)}
        )
        return pc.sort_indices(keys, sort_keys=by), None, None
    uids = pa.array(nodes, pa.string())
    a = _flat(pc.index_in(left, value_set=uids))
    b = _flat(pc.index_in(right, value_set=uids))
    if a.null_count or b.null_count:
        raise ResolveError("a scored pair holds a record that was not scored")
    swap = pc.greater(a, b)  # positions among sorted uids compare as the uids do
    low, high = pc.if_else(swap, b, a), pc.if_else(swap, a, b)
    order = pc.sort_indices(pa.table({"low": low, "high": high}), sort_keys=by)
    return order, low.take(order), high.take(order)


def _flat(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        return pa.concat_arrays(column.chunks) if column.num_chunks else pa.array([], column.type)
    return column


def _ends(part: pa.Table) -> tuple[list[str], list[str]]:
    """The smaller and the larger uid of each pair of ``part`` (:func:`pair_key`)."""
    left, right = part["unique_id_l"], part["unique_id_r"]
    # Ordered by Arrow (UTF-8 bytes: code-point order, as Python's): per pair in Python, a
    # tenth of the scoring time at a million records.
    swap = pc.greater(left, right)
    return _uids(pc.if_else(swap, right, left)), _uids(pc.if_else(swap, left, right))


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


def _uids(column: Any) -> list[str]:
    """The uids of ``column`` as Python strings, one interned string per record rather than
    one per pair end (at a million records, millions of copies)."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    names = list(map(sys.intern, encoded.dictionary.to_pylist()))
    return [names[i] for i in encoded.indices.to_pylist()]
