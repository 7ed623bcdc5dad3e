"""Measuring resolution against a ground truth, and resolving plain tables (no store).

Pairwise precision and recall count record pairs put together; cluster precision and recall
count clusters recovered exactly. :func:`resolve_table` runs the same model, training and
clustering as a store run on an Arrow table, for benchmarks and labelled data sets.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyarrow as pa

from crosslink.errors import InvalidValue
from crosslink.model.types import CleanContext
from crosslink.model.types import get as value_type
from crosslink.resolve.backend import Backend
from crosslink.resolve.cluster import cluster
from crosslink.resolve.extract import RawRecord, to_table
from crosslink.resolve.namesakes import identities
from crosslink.resolve.predict import (
    ConflictRule,
    build_linker,
    chain_checker,
    edge_floor,
    score,
)
from crosslink.resolve.rules import DEFAULT_RULES, RuleSet
from crosslink.resolve.settings import model_for
from crosslink.resolve.train import TrainOptions
from crosslink.resolve.write import collector_paused

__all__ = ["Scores", "raw_record", "resolve_table", "scores"]


@dataclass(frozen=True)
class Scores:
    pair_precision: float
    pair_recall: float
    cluster_precision: float
    cluster_recall: float

    @property
    def pair_f1(self) -> float:
        return _f1(self.pair_precision, self.pair_recall)

    @property
    def cluster_f1(self) -> float:
        return _f1(self.cluster_precision, self.cluster_recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Compare ``predicted`` (record -> cluster) with ``truth`` (record -> true id), on the
    records both know."""
    common = [u for u in predicted if u in truth]
    both = Counter((predicted[u], truth[u]) for u in common)
    by_pred = Counter(predicted[u] for u in common)
    by_true = Counter(truth[u] for u in common)
    tp = sum(_pairs(n) for n in both.values())
    pp = sum(_pairs(n) for n in by_pred.values())
    tt = sum(_pairs(n) for n in by_true.values())
    pred_sets: dict[str, set[str]] = defaultdict(set)
    true_sets: dict[str, set[str]] = defaultdict(set)
    for u in common:
        pred_sets[predicted[u]].add(u)
        true_sets[truth[u]].add(u)
    exact = {frozenset(s) for s in pred_sets.values()} & {frozenset(s) for s in true_sets.values()}
    return Scores(
        pair_precision=tp / pp if pp else 1.0,
        pair_recall=tp / tt if tt else 1.0,
        cluster_precision=len(exact) / len(pred_sets) if pred_sets else 1.0,
        cluster_recall=len(exact) / len(true_sets) if true_sets else 1.0,
    )


# Properties of a plain row and the value type that cleans each.
_TYPES = {
    "name": "name",
    "first_name": "name",
    "last_name": "name",
    "birth_date": "date",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "nationality": "country",
    "id_number": "identifier",
}


def raw_record(uid: str, values: Mapping[str, Iterable[str | None]]) -> RawRecord:
    """A record from raw values per property, cleaned by the data model's value types
    (values that do not clean are dropped, as an import would reject them)."""
    raw = RawRecord(uid, "table")
    for prop, items in values.items():
        kind = value_type(_TYPES.get(prop, "string"))
        for item in items:
            if item is None or not str(item).strip():
                continue
            try:
                raw.values[prop].append(kind.clean(str(item), _CTX))
            except InvalidValue:
                # Historical dates fall outside the birth-date range of the data model; an
                # ISO date as given still compares.
                if prop == "birth_date" and _ISO_DATE.fullmatch(str(item)):
                    raw.values[prop].append(str(item))
    return raw


_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_CTX = CleanContext(region="GB", date_order="ymd")


@collector_paused()  # as in a store run
def resolve_table(
    backend: Backend,
    entity_type: str,
    records: Iterable[RawRecord],
    *,
    threshold: float = 0.9,
    conflict_below: float = 0.01,
    conflict_against: float = 11.0,
    rules: RuleSet = DEFAULT_RULES,
    train: TrainOptions | None = None,
) -> dict[str, str]:
    """Record uid -> cluster key for ``records`` (no store, no judgements, no ids), under
    ``rules`` (:mod:`crosslink.resolve.rules`)."""
    spec = model_for(entity_type)
    table: pa.Table = to_table(entity_type, records)
    strict = rules.strict_dates and spec.dates_rule_out
    linker, how = build_linker(
        backend,
        table,
        spec,
        stored_model=None,
        options=train or TrainOptions(),
        labels=None,
        strict=strict,
    )
    rule = ConflictRule.of(spec, conflict_below, conflict_against, rules)
    # Pairs below the threshold too: they are the rivals of a sole candidate.
    nodes = table["unique_id"].to_pylist()
    floor = edge_floor(spec, min(threshold, 0.3))
    scored = score(backend, linker, floor, how, rule, nodes=table["unique_id"])
    return cluster(
        backend,
        nodes,
        scored.edges,
        threshold,
        conflicts=scored.conflicts,
        check=chain_checker(backend, linker, rule, rules),
        identities=identities(table, spec, rules=rules.namesakes),
        arrays=scored.arrays,
    ).members
