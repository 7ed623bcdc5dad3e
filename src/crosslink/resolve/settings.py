"""The Splink model of each entity type: comparisons, blocking rules, training blocks, priors.

Every level carries prior m and u probabilities (domain judgement written down), so a model
can score without training; training (:mod:`crosslink.resolve.train`) refines them on the data.
Comparisons read the derived columns of :mod:`crosslink.resolve.extract`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.blocking_rule_creator_utils import to_blocking_rule_creator
from splink.internals.comparison_creator import ComparisonCreator

from crosslink.errors import ModelError
from crosslink.resolve._comparisons import (
    _DATES_MAY_AGREE,
    _OTHER_DATE,
    _SAME_YEAR,
    DOCUMENT_TYPO,
    OTHER_REGISTER_NUMBER,
    SAME_FULL_DATE,
    _address_of_party,
    _birth_date,
    _comparison,
    _documents,
    _else,
    _exact,
    _lvl,
    _name_part,
    _null,
    _on_pair,
    _shared,
)

__all__ = ["Incompatible", "ModelSpec", "model_for", "settings_creator"]


@dataclass(frozen=True)
class Incompatible:
    """Levels of one comparison that rule a pair out whatever else agrees: two full dates of
    birth that differ beyond any typo are two people, however alike their names, nationality
    and address (namesakes are common in the communities the task forces work with)."""

    comparison: str
    levels: tuple[str, ...]
    """Level labels (``label_for_charts``) that make the pair incompatible."""
    unless: tuple[str, ...] = ()
    """Comparisons whose strongest level overrides (a shared identity document); written
    ``comparison>=label``, that level and those above it override."""
    dates: bool = True
    """Whether the levels are dates' (in force only where dates are trusted: strict dates)."""


@dataclass(frozen=True)
class ModelSpec:
    """What Splink needs for one entity type, and how to train it."""

    entity_type: str
    comparisons: list[ComparisonCreator]
    blocking_rules: list[BlockingRuleCreator]
    training_blocks: list[BlockingRuleCreator] = field(default_factory=list)
    deterministic_rules: list[str] = field(default_factory=list)
    prior_rule_levels: tuple[tuple[str, str], ...] = ()
    """(comparison, column) whose exact agreement the first deterministic rule asks for: its
    recall among matches is then estimated from the trained model (the exact levels' m
    probabilities, and how often both records carry the column), not assumed."""
    prior: float = 1e-4
    """Prior probability that two random records match (before training)."""
    incompatible: tuple[Incompatible, ...] = ()
    alone_not_enough: tuple[str, ...] = ()
    """Comparisons whose agreement never joins two records by itself (names and nationality:
    a bank report that names a "Philip Obasanjo" and a register entry of one may be two men).
    When set, a pair joins only if another comparison agrees (``corroborates_from``), and
    otherwise goes to the review queue."""
    corroborates_from: dict[str, int] = field(default_factory=dict)
    """The lowest level (Splink's gamma, 0 the else level) at which a comparison corroborates
    names; 1 unless given (a shared postcode does not: at a million records, the namesakes
    of a postcode were a third of the pairs it joined)."""
    corroborates_above: dict[str, float] = field(default_factory=dict)
    """Bits (term frequency included) a comparison must weigh to corroborate names: a place
    of birth shared by a town's few, not by a city's many (at a million demo records, the
    Vietnamese namesakes born in Nghệ An made one entity of 145 people)."""
    name_blocks: list[str] = field(default_factory=list)
    """Blocking rules on names alone (SQL over ``l`` and ``r``). With the ``incompatible``
    levels in force they pair only records whose dates still may agree (``block_guard``):
    the others could never join, and at a million records they are most of the pairs."""
    block_guard: str | None = None
    broad_blocks: list[tuple[str, ...]] = field(default_factory=list)
    """Blocks on columns that catch noisier pairs (a family name and a year of birth) but
    grow with the square of the population: each is used while it makes at most
    ``broad_limit`` comparisons (a list column is exploded)."""
    broad_limit: int = 2_000_000
    identifying: tuple[str, ...] = ()
    """Columns that tell namesakes apart (a date of birth, a document): a group of records
    with none of them may join the one identified group that bears its ``full_name``
    (:func:`crosslink.resolve.cluster.attach_sole`)."""
    full_name: str | None = None
    """The column of the whole name, compared exactly for :attr:`identifying`."""
    sole_threshold: float | None = None
    """The probability a sole namesake's pair needs (``None``: the run's threshold)."""
    ties: tuple[str, ...] = ()
    """List columns of what a record is tied to (an employer's registration, a phone …):
    a group with none of :attr:`identifying` may join the one group it could be that shares
    one (:func:`crosslink.resolve.namesakes.attach_by_context`)."""
    distinct_by: tuple[str, ...] = ()
    """Of :attr:`ties`, those that tell two groups without :attr:`identifying` apart when
    both hold some and share none (:func:`crosslink.resolve.namesakes.attach_sole`)."""
    associated_by: tuple[str, ...] = ()
    """Link types that put records in one report, inspection or transfer (``subject_of``):
    a group with none of :attr:`identifying` may join the one group bearing its
    :attr:`full_name` that appears with someone it appears with
    (:func:`crosslink.resolve.namesakes.attach_by_associates`)."""
    crowd: int = 30
    """A report linking more records than this makes none of them associates."""
    ties_only: tuple[str, ...] = ()
    """Of :attr:`ties`, the columns no comparison or blocking rule reads: Splink is not given
    them (it carries every column it is given through every pair)."""
    needs: tuple[str, ...] = ()
    """Comparisons that must be known on both sides for a pair to join (an address without a
    house number is a street: which door of it, an analyst decides)."""

    @property
    def dates_rule_out(self) -> bool:
        """Whether some :attr:`incompatible` levels are dates' (strict dates apply)."""
        return any(rule.dates for rule in self.incompatible)


# A document shared, or one typo apart, outweighs two dates of birth (typed twice, often
# with a slip), whatever they are.
BIRTH_DATES_DIFFER = Incompatible(
    "birth_date", (_SAME_YEAR, _OTHER_DATE), unless=(f"documents>={DOCUMENT_TYPO}",)
)
# National register numbers are given once and for life: two that differ are two people. At
# 100,000 demo records, 186 pairs scored 0.9 or more with two of them (none a match).
REGISTER_NUMBERS_DIFFER = Incompatible("documents", (OTHER_REGISTER_NUMBER,), dates=False)


def person_model() -> ModelSpec:
    comparisons = [
        _comparison(
            "given_name", _name_part("given", "family", "given_first", "given_phon", "given_skel")
        ),
        _comparison(
            "family_name", _name_part("family", "given", None, "family_phon", "family_skel")
        ),
        _birth_date(),
        _exact("nationality", "nationality", 0.95, 0.1),
        # As a passport gives it; a big city's weight is small (term frequency).
        _exact("birth_place", "birth_place", 0.9, 0.005, tf=True),
        _documents(),
        _shared("phones", "phones", 0.5, 0.0001),
        _shared("emails_accounts", "emails", 0.5, 0.00001),
        _shared("bank_accounts", "accounts", 0.5, 0.00001),
        _address_of_party(),
    ]
    blocking = [
        block_on("family_skel", "dob"),
        block_on("given_skel", "dob"),
        block_on("given_phon", "dob"),
        block_on("documents", arrays_to_explode=["documents"]),
        block_on("phones", arrays_to_explode=["phones"]),
        block_on("accounts", arrays_to_explode=["accounts"]),
        block_on("emails", arrays_to_explode=["emails"]),
    ]
    # Names alone: blocks that grow with the square of the population (the commonest names).
    names_only = [
        "l.family_phon = r.family_phon AND l.given_phon = r.given_phon",
        "l.given_phon = r.family_phon AND l.family_phon = r.given_phon",
        "l.given_skel = r.given_skel AND l.family_skel = r.family_skel",
    ]
    return ModelSpec(
        entity_type="Person",
        comparisons=comparisons,
        blocking_rules=[_rule(b) for b in blocking],
        name_blocks=names_only,
        broad_blocks=[
            ("family_skel", "birth_year"),
            ("given_skel", "birth_year"),
            ("postcodes", "family_skel"),
            ("dob", "nationality"),
            # A typo in each name: the date and where they live still pair them.
            ("dob", "postcodes"),
            ("dob", "localities"),
            ("given_skel", "postcodes"),
            ("given_skel", "localities"),
            ("family_skel", "localities"),
            ("dob",),
        ],
        block_guard=_DATES_MAY_AGREE,
        # Pairs born the same day, not in the same year: the records that give only a year
        # make a block of mostly namesakes, and EM learned from it that nationality decides.
        training_blocks=[
            _rule(_on_pair(SAME_FULL_DATE)),
            block_on("family_phon", "given_phon"),
        ],
        deterministic_rules=[
            "l.family = r.family AND l.given = r.given AND l.dob = r.dob",
        ],
        prior_rule_levels=(
            ("given_name", "given"),
            ("family_name", "family"),
            ("birth_date", "dob"),
        ),
        incompatible=(BIRTH_DATES_DIFFER, REGISTER_NUMBERS_DIFFER),
        # Nationality follows names (a Vietnamese "Trung Dang"): at a million records, a
        # quarter of the pairs that agreed on names and nationality alone were namesakes.
        alone_not_enough=("given_name", "family_name", "nationality"),
        identifying=("birth_year", "documents"),
        full_name="name_fp",
        ties=("organisations", "phones", "emails", "accounts", "address_keys"),
        # A bank report knows its counterparty by the account: two with one name and
        # different accounts are two people. Phones and addresses change too often to.
        distinct_by=("accounts",),
        associated_by=("subject_of",),
        ties_only=("organisations",),
        corroborates_from={"address": 3},
        corroborates_above={"birth_place": 7.0},
    )


def organisation_model() -> ModelSpec:
    name = _comparison(
        "name",
        [
            _null("name_fp"),
            _lvl(cll.ExactMatchLevel("name_fp"), 0.8, 0.001, tf="name_fp"),
            _lvl(cll.ExactMatchLevel("name_phon"), 0.08, 0.001),
            _lvl(cll.JaroWinklerLevel("name_latin", 0.92), 0.06, 0.004),
            _lvl(cll.JaroWinklerLevel("name_latin", 0.8), 0.03, 0.03),
            _else(0.03, 0.964),
        ],
    )
    comparisons = [
        name,
        _shared("registrations", "registrations", 0.7, 0.00001),
        _exact("jurisdiction", "jurisdiction", 0.95, 0.3),
        _shared("phones", "phones", 0.5, 0.0001),
        _shared("emails_accounts", "emails", 0.5, 0.00001),
        _shared("bank_accounts", "accounts", 0.5, 0.00001),
        _address_of_party(),
    ]
    blocking = [
        block_on("name_phon"),
        block_on("registrations", arrays_to_explode=["registrations"]),
        block_on("accounts", arrays_to_explode=["accounts"]),
        block_on("phones", arrays_to_explode=["phones"]),
    ]
    return ModelSpec(
        "Organisation",
        comparisons,
        [_rule(b) for b in blocking],
        training_blocks=[block_on("name_phon")],
        prior=1e-3,
        # A bank report's counterparty company is a name and an account. Its exact name
        # scores 0.02 to 0.5 against the registered company's (by how well the model could
        # be trained), and a company's full name is rarer than a person's: as the sole
        # bearer of it, a pair with nothing much against it will do.
        identifying=("registrations",),
        full_name="name_fp",
        sole_threshold=0.01,
    )


def address_model() -> ModelSpec:
    street = _comparison(
        "street",
        [
            _null("street"),
            _lvl(cll.ExactMatchLevel("street"), 0.85, 0.002, tf="street"),
            _lvl(cll.ExactMatchLevel("street_phon"), 0.08, 0.002),
            _lvl(cll.JaroWinklerLevel("street", 0.9), 0.04, 0.01),
            _else(0.03, 0.986),
        ],
    )
    city = _comparison(
        "city",
        [
            _null("city"),
            _lvl(cll.ExactMatchLevel("city"), 0.85, 0.2),
            _lvl(cll.JaroWinklerLevel("city", 0.9), 0.1, 0.01),
            _else(0.05, 0.79),
        ],
    )
    comparisons = [
        street,
        _exact("house", "house", 0.998, 0.02),
        _exact("postcode", "postcode", 0.9, 0.005),
        city,
        _exact("country", "country", 0.98, 0.5),
    ]
    blocking = [
        block_on("postcode", "house"),
        block_on("street_phon", "house"),
        # Same street without a house number on one side: with numbers on both, one street
        # would pair every two doors of it (most of the pairs, none of them a match).
        "l.postcode = r.postcode AND l.street = r.street AND (l.house IS NULL OR r.house IS NULL)",
    ]
    return ModelSpec(
        "Address",
        comparisons,
        [_rule(b) for b in blocking],
        # EM found "same street", not "same address", in every block tried (most pairs of a
        # postcode are neighbours); the written-down m probabilities resolve far better.
        training_blocks=[],
        deterministic_rules=[
            "l.postcode = r.postcode AND l.street = r.street AND l.house = r.house",
        ],
        prior=1e-4,
        needs=("house",),
    )


def vehicle_model() -> ModelSpec:
    registration = _comparison(
        "registration",
        [
            _null("registration"),
            _lvl(cll.ExactMatchLevel("registration"), 0.9, 0.00001),
            _lvl(cll.JaroWinklerLevel("registration", 0.9), 0.05, 0.001),
            _else(0.05, 0.99899),
        ],
    )
    comparisons = [
        registration,
        _exact("vin", "vin", 0.95, 0.000001),
        _exact("make", "make", 0.95, 0.1),
        _exact("model", "model", 0.9, 0.02),
        _exact("colour", "colour", 0.8, 0.1),
        _exact("country", "country", 0.95, 0.3),
    ]
    blocking = [block_on("registration"), block_on("vin"), block_on("make", "model")]
    return ModelSpec("Vehicle", comparisons, [_rule(b) for b in blocking], prior=1e-3)


def _rule(rule: object) -> BlockingRuleCreator:
    """A blocking rule from ``block_on`` or from plain SQL over ``l`` and ``r``."""
    if isinstance(rule, str):
        return to_blocking_rule_creator({"blocking_rule": rule})
    if not isinstance(rule, BlockingRuleCreator):
        raise ModelError(f"not a blocking rule: {rule!r}")
    return rule


_MODELS = {
    "Person": person_model,
    "Organisation": organisation_model,
    "Address": address_model,
    "Vehicle": vehicle_model,
}


def model_for(entity_type: str) -> ModelSpec:
    """The model of ``entity_type`` (a fresh copy: training changes its parameters)."""
    try:
        return _MODELS[entity_type]()
    except KeyError:
        raise ModelError(
            f"no resolution model for {entity_type!r}; known: {', '.join(_MODELS)}"
        ) from None


def blocking_rules(
    spec: ModelSpec,
    *,
    strict: bool = True,
    broad: Sequence[tuple[str, ...]] = (),
    lists: Collection[str] = (),
) -> list[BlockingRuleCreator]:
    """The rules that pair records for scoring. ``strict``: the incompatible levels are in
    force, so the name blocks keep only pairs that may still join; ``broad``: the broad
    blocks affordable on this data; ``lists``: the list columns among them."""
    guard = spec.block_guard if strict and spec.dates_rule_out else None
    names = [f"({rule}) AND ({guard})" if guard else rule for rule in spec.name_blocks]
    wide = [block_on(*b, arrays_to_explode=[c for c in b if c in lists]) for b in broad]
    return [*spec.blocking_rules, *(_rule(rule) for rule in names), *wide]


def settings_creator(
    spec: ModelSpec, rules: list[BlockingRuleCreator] | None = None
) -> SettingsCreator:
    """Splink settings for deduplicating all sources of ``spec.entity_type`` together."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=list(spec.comparisons),
        blocking_rules_to_generate_predictions=list(rules or blocking_rules(spec)),
        probability_two_random_records_match=spec.prior,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=["source_id"],
    )
