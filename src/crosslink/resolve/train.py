"""Training a Splink model: prior from deterministic rules, u by random sampling, m by EM,
and m from analysts' judgements when there are enough of them.

Small inputs keep the priors of :mod:`crosslink.resolve.settings`: EM on a few hundred
records learns noise, not evidence.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker
from splink.internals.exceptions import SplinkException

from crosslink.resolve.backend import Backend
from crosslink.resolve.settings import ModelSpec

__all__ = ["TrainOptions", "train", "training_sample"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainOptions:
    """How much to train. ``min_records`` below which the priors are kept as they are."""

    min_records: int = 1000
    u_max_pairs: float = 2e6
    seed: int = 7
    deterministic_recall: float = 0.6
    min_labels: int = 30
    """Same-judgements needed before they are used to estimate m probabilities."""
    sample_records: int = 250_000
    """Train on a random sample of this many records when there are more (and on every
    record an analyst judged): EM's blocks grow with the square of the records, the
    parameters it estimates (the share of matches at each level) do not."""


def train(
    linker: Linker,
    spec: ModelSpec,
    table: pa.Table,
    backend: Backend,
    options: TrainOptions,
    labels: pa.Table | None = None,
) -> str:
    """Train ``linker`` (on the records of ``table``) in place; returns a short description
    of what was done."""
    records = table.num_rows
    if records < options.min_records:
        log.info("%s: %d records, keeping the priors", spec.entity_type, records)
        return "priors"
    done = []
    recall = options.deterministic_recall
    if spec.deterministic_rules and _step(spec, "the prior", _prior, linker, spec, recall):
        done.append("prior")
    if _step(spec, "u", _u, linker, options):
        done.append("u")
    sessions = 0
    for block in spec.training_blocks:
        # A block the data cannot fill (no dates of birth at all) keeps the priors.
        if _step(spec, "an EM session", _em, linker, block):
            sessions += 1
    if sessions:
        done.append(f"em({sessions})")
        found = rule_recall(linker, spec, table) if "prior" in done else None
        if found is not None and _step(spec, "the prior", _prior, linker, spec, found):
            # "prior@0.13": the prior, estimated with that recall (the column holds 40).
            done[done.index("prior")] = f"prior@{found:.2g}"
    if labels is not None and labels.num_rows >= options.min_labels:
        frame = backend.register(labels, f"__crosslink_labels_{spec.entity_type.lower()}")
        linker.training.estimate_m_from_pairwise_labels(frame)  # type: ignore[no-untyped-call]
        done.append(f"labels({labels.num_rows})")
    log.info("%s trained: %s", spec.entity_type, ", ".join(done))
    return "+".join(done)


def _prior(linker: Linker, spec: ModelSpec, recall: float) -> None:
    settings = linker._settings_obj
    before = settings._probability_two_random_records_match
    linker.training.estimate_probability_two_random_records_match(
        list(spec.deterministic_rules), recall=recall
    )
    found = settings._probability_two_random_records_match
    if not 0 < found < 1:  # the rules found no pair at all (no dates of birth)
        settings._probability_two_random_records_match = before
        raise ValueError("the deterministic rules found no pairs")
    log.info("%s: prior %.3g (exact pairs' recall %.2g)", spec.entity_type, found, recall)


def rule_recall(linker: Linker, spec: ModelSpec, table: pa.Table) -> float | None:
    """The share of matching pairs the first deterministic rule finds, by the trained model:
    both records carry every column it compares (as often as ``table``'s records do, taken
    independently), and agree exactly on each (the m probability of each comparison's first
    level). Typos in every field leave few exact pairs: an assumed recall would put the prior
    far too low. ``None``: the model cannot say (a comparison or column missing)."""
    if not spec.prior_rule_levels:
        return None
    comparisons = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    recall = 1.0
    for name, column in spec.prior_rule_levels:
        comparison = comparisons.get(name)
        if comparison is None or column not in table.column_names or table.num_rows == 0:
            return None
        exact = next(lv for lv in comparison.comparison_levels if not lv.is_null_level)
        known = pc.sum(pc.is_valid(table[column])).as_py() / table.num_rows
        m = exact.m_probability
        if m is None or not known:
            return None
        recall *= float(m) * known * known
    # Bounded: a recall of a few per cent is already a tenfold prior; below it, EM's m of
    # an exact level is too uncertain to divide by.
    return min(max(recall, 0.02), 1.0)


def _u(linker: Linker, options: TrainOptions) -> None:
    linker.training.estimate_u_using_random_sampling(
        max_pairs=options.u_max_pairs, seed=options.seed
    )


def _em(linker: Linker, block: object) -> None:
    linker.training.estimate_parameters_using_expectation_maximisation(
        block,  # type: ignore[arg-type]
        estimate_without_term_frequencies=True,
    )


def _step(spec: ModelSpec, what: str, step: Callable[..., None], *args: object) -> bool:
    """Run one training step; one the data cannot support (no pairs in a block, a level
    never observed, a rule that finds nothing) keeps the priors it would have replaced."""
    try:
        step(*args)
    except (SplinkException, ValueError, ZeroDivisionError) as exc:
        log.warning(
            "%s: %s could not be estimated on this data, the written-down values are kept: %s",
            spec.entity_type,
            what,
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
        )
        return False
    return True


def training_sample(table: pa.Table, options: TrainOptions, labels: pa.Table | None) -> pa.Table:
    """``table``, or a seeded random sample of ``options.sample_records`` of its rows (and
    every row a label names) when it is bigger. Sampling records keeps the prior: matching
    and all pairs both shrink with the square of the share kept."""
    if table.num_rows <= options.sample_records:
        return table
    rng = random.Random(options.seed)
    share = options.sample_records / table.num_rows
    keep = pa.array([rng.random() < share for _ in range(table.num_rows)], pa.bool_())
    if labels is not None and labels.num_rows:
        named = pa.concat_arrays(
            [labels["unique_id_l"].combine_chunks(), labels["unique_id_r"].combine_chunks()]
        )
        keep = pc.or_(keep, pc.is_in(table["unique_id"], value_set=named))
    return table.filter(keep)
