"""Building the Splink linker for one entity type, and scoring its pairs.

A run reuses the model of the type's latest run unless asked to retrain (or none exists), so
a re-run over the same records gives the same scores, and with them the same entities.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker
from splink.internals.chunking import _blocked_pairs_cache_key

from crosslink.resolve._keyorder import in_key_order
from crosslink.resolve._pairs import EdgeArrays
from crosslink.resolve.backend import Backend
from crosslink.resolve.cluster import Edge, pair_key
from crosslink.resolve.evidence import Levels, compact, comparison_weight, levels_of
from crosslink.resolve.rules import DEFAULT_RULES, RuleSet
from crosslink.resolve.settings import (
    Incompatible,
    ModelSpec,
    blocking_rules,
    settings_creator,
)
from crosslink.resolve.train import TrainOptions, train, training_sample

__all__ = [
    "ConflictRule",
    "Scored",
    "build_linker",
    "conflict_condition",
    "conflicts_among",
    "edge_floor",
    "score",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConflictRule:
    """When the model finds two records clearly different (no entity may hold both).

    A pair is a conflict when one of its comparisons falls on an ``incompatible`` level (two
    full dates of birth years apart), or when it scores below ``below`` with comparisons
    counting at least ``against`` bits against it (evidence against, not mere lack of
    evidence for)."""

    below: float = 0.01
    against: float = 11.0
    incompatible: tuple[Incompatible, ...] = ()
    alone_not_enough: tuple[str, ...] = ()
    """Comparisons whose agreement alone marks an edge unsupported (see ``Edge.supported``)."""
    corroborates_from: tuple[tuple[str, int], ...] = ()
    """(comparison, lowest level that corroborates) where it is not 1."""
    corroborates_above: tuple[tuple[str, float], ...] = ()
    """(comparison, bits it must weigh to corroborate)."""
    needs: tuple[str, ...] = ()
    """Comparisons that must be known on both sides of a supported edge."""

    @classmethod
    def of(
        cls,
        spec: ModelSpec,
        below: float,
        against: float,
        rules: RuleSet = DEFAULT_RULES,
    ) -> ConflictRule:
        """The rule of ``spec``'s model under ``rules``: its incompatible levels (dates' under
        ``strict-dates``, register numbers' under ``verified-identifiers``), the chain check's
        conflicts (``chain-check``), the names-alone guard (``names-need-support``)."""
        return cls(
            below if rules.chain_check else 0.0,
            against,
            tuple(
                rule
                for rule in spec.incompatible
                if (rules.strict_dates if rule.dates else rules.verified_identifiers)
            ),
            spec.alone_not_enough if rules.names_need_support else (),
            tuple(sorted(spec.corroborates_from.items())),
            tuple(sorted(spec.corroborates_above.items())),
            spec.needs,
        )


def _conflict_sql(linker: Linker, rule: ConflictRule) -> str:
    """A SQL condition over predictions: the pair is a conflict by ``rule``."""
    return conflict_condition(_levels(linker), rule)


def conflict_condition(levels: Levels, rule: ConflictRule) -> str:
    """A SQL condition over Splink's predictions (``match_probability``, ``mw_*`` and
    ``gamma_*`` of the comparisons in ``levels``): the pair is a conflict by ``rule``."""
    names = list(levels)
    against = " + ".join(f"LEAST(mw_{n}, 0)" for n in names) or "0"
    # ... and more against than for: a name swapped and spelt another way counts ten bits
    # against, but the same full date of birth and nationality outweigh them.
    net = " + ".join(f"mw_{n}" for n in names) or "0"
    return (
        f"(match_probability < {rule.below!r} AND ({against}) <= {-rule.against!r} "
        f"AND ({net}) < 0) OR ({_incompatible_sql(levels, rule.incompatible)})"
    )


def _incompatible_sql(levels: Levels, rules: tuple[Incompatible, ...]) -> str:
    """A SQL condition over the gamma columns of predictions: the pair is incompatible."""
    terms: list[str] = []
    for rule in rules:
        if rule.comparison not in levels:  # a model without it: nothing to rule out
            continue
        gammas = sorted(g for g, label in levels[rule.comparison].items() if label in rule.levels)
        if not gammas:
            continue
        term = f"gamma_{rule.comparison} IN ({', '.join(str(g) for g in gammas)})"
        for name in rule.unless:
            # "documents": its strongest level overrides; "documents>=LABEL": that level too.
            comparison, _, label = name.partition(">=")
            found = levels[comparison]
            # (A model saved before the level existed: its strongest alone.)
            top = min((g for g, x in found.items() if x == label), default=max(found))
            term += f" AND gamma_{comparison} < {top}"
        terms.append(f"({term})")
    return " OR ".join(terms) or "FALSE"


@dataclass
class Scored:
    """Pairs above the floor, each with its per-comparison evidence."""

    edges: list[Edge]
    """In key order: by (smaller uid, larger uid), the primary key of the tables they fill."""
    conflicts: set[tuple[str, str]]
    """Pairs the model finds clearly different: no cluster may hold both."""
    detail: Any
    """Per edge, in the order of ``edges``, its comparisons' levels and weights as compact
    text (:func:`crosslink.resolve.evidence.compact`), in one Arrow array: a run at scale
    holds millions of them."""
    model: dict[str, Any]
    training: str
    arrays: EdgeArrays
    """``edges`` as arrays, over the uids of the records scored, sorted and interned."""
    sole: set[tuple[str, str]] = field(default_factory=set)
    """Pairs that agree on names alone and joined as a sole candidate (set by clustering):
    they join like supported pairs, and wait for review however high they score."""
    ties: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """Of those, the pairs that joined on ties they share, with the kinds of ties."""
    vetoed: set[tuple[str, str]] = field(default_factory=set)
    """Conflicts scored at or above the floor: a rule keeps apart what the model would join,
    so an analyst sees them in the review queue however high they score."""


def build_linker(
    backend: Backend,
    table: pa.Table,
    spec: ModelSpec,
    *,
    stored_model: dict[str, Any] | None,
    options: TrainOptions,
    labels: pa.Table | None,
    strict: bool = True,
) -> tuple[Linker, str]:
    """A trained linker over ``table``: the stored model if given, else trained now.
    ``strict``: the incompatible levels will be in force (see ``blocking_rules``)."""
    # Splink carries every column it is given through every pair: not those it never reads.
    table = table.drop_columns([c for c in spec.ties_only if c in table.column_names])
    frame = backend.register(table, f"__crosslink_{spec.entity_type.lower()}")
    if stored_model is not None:
        model = dict(stored_model)
        model.pop("linker_uid", None)
        linker = Linker(frame, model, log_level=None)
        how = "reused"
    else:
        rules = blocking_rules(
            spec, strict=strict, broad=affordable(table, spec), lists=_list_columns(table)
        )
        sample = training_sample(table, options, labels)
        name = f"__crosslink_{spec.entity_type.lower()}_sample"
        trainee = frame if sample is table else backend.register(sample, name)
        linker = Linker(trainee, settings_creator(spec, rules), log_level=None)
        how = train(linker, spec, sample, backend, options, labels)
        if sample is not table:
            how += f" on {sample.num_rows} of {table.num_rows}"
            model = linker.misc.save_model_to_json()
            model.pop("linker_uid", None)
            linker = Linker(frame, model, log_level=None)
    # Training switches these off on the shared settings; explanations need the levels.
    linker._settings_obj._retain_matching_columns = True
    linker._settings_obj._retain_intermediate_calculation_columns = True
    return linker, how


def affordable(table: pa.Table, spec: ModelSpec) -> list[tuple[str, ...]]:
    """The broad blocks of ``spec`` that make at most ``spec.broad_limit`` comparisons on
    ``table``: at a hundred thousand records all of them, at a million few."""
    out = []
    for columns in spec.broad_blocks:
        pairs = block_pairs(table, columns)
        if pairs <= spec.broad_limit:
            out.append(columns)
        else:
            log.info("%s: block on %s skipped: %d comparisons", spec.entity_type, columns, pairs)
    return out


def block_pairs(table: pa.Table, columns: tuple[str, ...]) -> int:
    """Comparisons a block on ``columns`` makes (list columns exploded), counted from the
    sizes of its blocks without making them."""
    keyed = table.select(list(columns))
    for name in columns:
        if pa.types.is_list(keyed[name].type):
            rows = pc.list_parent_indices(keyed[name])
            keyed = keyed.take(rows).set_column(
                keyed.column_names.index(name), name, pc.list_flatten(keyed[name])
            )
    sizes = keyed.drop_null().group_by(list(columns)).aggregate([([], "count_all")])
    n = sizes["count_all"].cast(pa.int64())
    return int(pc.sum(pc.divide(pc.multiply(n, pc.subtract(n, 1)), 2)).as_py() or 0)


def _list_columns(table: pa.Table) -> set[str]:
    return {f.name for f in table.schema if pa.types.is_list(f.type)}


def _columns(frame: Any) -> set[str]:
    """Column names of a Splink frame (read from the frame's own schema, no rows)."""
    return {c.unquote().name for c in frame.columns}


def _levels(linker: Linker) -> Levels:
    # From the model as saved: readers of a run's edges label them from its saved model.
    return levels_of(linker.misc.save_model_to_json())


def score(
    backend: Backend,
    linker: Linker,
    floor: float,
    training: str,
    rule: ConflictRule | None = None,
    *,
    nodes: pa.Array | pa.ChunkedArray,
) -> Scored:
    """Every blocked pair with probability >= ``floor`` as an edge, every conflict by
    ``rule`` as a conflict (an incompatible pair above the floor is both: it may be
    reviewed, but never joins). ``nodes``: the uids of the records scored; the edges come
    as arrays too (:class:`EdgeArrays`), over those uids sorted and interned
    (``Scored.arrays.nodes``), made into Python strings only once the engine has scored."""
    rule = rule or ConflictRule(below=0.0)
    levels = _levels(linker)
    names = list(levels)
    # Splink filters inside its pipeline, so the clearly different pairs (most of the blocked
    # ones at scale) are never written out; conflicts among them are found where they matter,
    # inside chained clusters (:func:`conflicts_among`).
    lowest = min(floor, rule.below) if rule.below > 0 else floor
    frame = linker.inference.predict(threshold_match_probability=lowest, warning_mode="never")
    # Only the columns read below, and only the pairs kept: at scale most blocked pairs are
    # clear non-matches, and the evidence against is summed in the database.
    tf_names = [n for n in names if f"mw_tf_adj_{n}" in _columns(frame)]
    conflict = _conflict_sql(linker, rule)
    wanted = [
        "unique_id_l",
        "unique_id_r",
        "match_probability",
        "match_weight",
        *(f"mw_{n}" for n in names),
        *(f"gamma_{n}" for n in names),
        *(f"mw_tf_adj_{n}" for n in tf_names),
    ]
    kept = frame.query_sql(
        f"SELECT {', '.join(wanted)}, ({conflict}) AS __conflict "  # noqa: S608  (numbers and names of ours)
        f"FROM {{this}} WHERE match_probability >= {float(floor)!r} OR ({conflict})"
    )
    # The pairs blocked (most of the memory at scale) are dropped before the kept ones come
    # back, and their memory handed back: scoring a million persons peaked 6.7 -> 5.0 GB.
    frame.drop_table_from_database_and_remove_from_cache()
    backend.release()
    table = backend.to_arrow(kept)
    kept.drop_table_from_database_and_remove_from_cache()
    backend.release()
    against = table.filter(pc.fill_null(table["__conflict"], False))
    conflicts = {
        pair_key(left, right)
        for left, right in zip(
            against["unique_id_l"].to_pylist(), against["unique_id_r"].to_pylist(), strict=True
        )
    }
    high = against.filter(pc.greater_equal(against["match_probability"], floor))
    vetoed = {
        pair_key(left, right)
        for left, right in zip(
            high["unique_id_l"].to_pylist(), high["unique_id_r"].to_pylist(), strict=True
        )
    }
    above = table.filter(pc.greater_equal(table["match_probability"], floor))
    del table, against, high

    def read(part: pa.Table) -> tuple[pa.Array, pa.Array]:
        return _supported(part, names, tf_names, rule), compact(part, names, tf_names)

    uids = sorted(map(sys.intern, nodes.to_pylist()))
    edges, detail, arrays = in_key_order(above, read, uids)
    model = json.loads(json.dumps(linker.misc.save_model_to_json()))
    log.info("scored %d pairs above %.3f, %d conflicts", len(edges), floor, len(conflicts))
    return Scored(edges, conflicts, detail, model, training, arrays, vetoed=vetoed)


def _supported(
    table: pa.Table, names: list[str], tf_names: list[str], rule: ConflictRule
) -> pa.Array:
    """Per pair: whether it may join (see ``Edge.supported``)."""
    ok = pa.array([True] * table.num_rows, pa.bool_())
    lowest, bits = dict(rule.corroborates_from), dict(rule.corroborates_above)
    others = [n for n in names if n not in rule.alone_not_enough]
    if rule.alone_not_enough:
        agree = []
        for name in others:
            level = pc.greater_equal(table[f"gamma_{name}"], lowest.get(name, 1))
            if name in bits:
                weighs = comparison_weight(table, name, name in tf_names)
                level = pc.and_(level, pc.greater_equal(weighs, bits[name]))
            agree.append(level)
        ok = pc.and_(ok, _any(agree, table.num_rows))
    for name in rule.needs:
        ok = pc.and_(ok, pc.not_equal(table[f"gamma_{name}"], -1))
    return ok


def _any(columns: list[Any], rows: int) -> Any:
    out: Any = pa.array([False] * rows, pa.bool_())
    for column in columns:
        out = pc.or_(out, column)
    return out


def chain_checker(
    backend: Backend, linker: Linker, rule: ConflictRule, rules: RuleSet
) -> Callable[[list[tuple[str, str]]], set[tuple[str, str]]] | None:
    """The check of chained clusters (:func:`conflicts_among`) under ``chain-check``."""
    if not rules.chain_check:
        return None
    return lambda pairs: conflicts_among(backend, linker, pairs, rule)


def conflicts_among(
    backend: Backend,
    linker: Linker,
    pairs: list[tuple[str, str]],
    rule: ConflictRule,
) -> set[tuple[str, str]]:
    """Score ``pairs`` (not blocked together, but chained into one cluster) and return those
    that are conflicts by the rule of :func:`score`."""
    if not pairs:
        return set()
    ordered = sorted(pair_key(a, b) for a, b in pairs)
    frame = backend.register(
        pa.table(
            {
                "match_key": pa.array(["0"] * len(ordered), pa.string()),
                "join_key_l": pa.array([a for a, _ in ordered], pa.string()),
                "join_key_r": pa.array([b for _, b in ordered], pa.string()),
            }
        ),
        "__crosslink_within",
    )
    linker.table_management.register_blocked_pairs_for_predict(frame)
    try:
        predicted = linker.inference.predict(warning_mode="never")
    finally:
        # The registration lives in the database API's cache, shared by every linker of the
        # run: left there, the next entity type would score these pairs instead of its own.
        linker._intermediate_table_cache.pop(_blocked_pairs_cache_key(), None)
    low = predicted.query_sql(
        "SELECT unique_id_l, unique_id_r FROM {this} "  # noqa: S608  (numbers and names of ours)
        f"WHERE {_conflict_sql(linker, rule)}"
    )
    table = backend.to_arrow(low)
    for done in (low, predicted):
        done.drop_table_from_database_and_remove_from_cache()
    out = {
        pair_key(left, right)
        for left, right in zip(
            table["unique_id_l"].to_pylist(), table["unique_id_r"].to_pylist(), strict=True
        )
    }
    log.info("checked %d chained pairs: %d conflicts", len(ordered), len(out))
    return out


def edge_floor(spec: ModelSpec, floor: float) -> float:
    """The lowest probability of a pair a run keeps: ``floor``, or lower where the model lets
    a sole namesake's pair join below it (an organisation's exact name)."""
    return floor if spec.sole_threshold is None else min(floor, spec.sole_threshold)
