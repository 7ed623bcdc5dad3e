"""Whether the dates of birth of a data set can keep two records apart.

Strict dates (the ``Incompatible`` levels of the Person model) assume that a date of birth
is written right or with a typo the model knows (a swap, a partial date, a year out). Some
data corrupt dates at random, and there strict dates tear one person apart. The data say
which: of the pairs of records that share an exact full name *and* a key (a phone, document,
account, email, address or postcode), how many carry two full dates that differ beyond a
typo? Such pairs are the same person unless they are namesakes sharing a key. Measured: 3.4 %
in the demo world at 100k records (namesakes who live in one town), 10.5 % in the
historical-figures set (dates corrupted at random), 52 % in Splink's ``fake_1000``. When
the share is shown to exceed :data:`MAX_SHARE` (its lower Wilson bound does) the dates are
not trusted to keep records apart.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["MAX_SHARE", "DateCheck", "check_dates", "strict_dates"]

log = logging.getLogger(__name__)

MAX_SHARE = 0.06
"""Share of name-and-key pairs with other dates above which dates are not trusted."""
MIN_PAIRS = 30
"""Fewer name-and-key pairs prove nothing: the dates are trusted (precision first)."""
_Z = 2.0
"""The share must exceed :data:`MAX_SHARE` by this many standard errors (Wilson bound)."""
_KEYS = ("phones", "documents", "accounts", "emails", "address_keys")
_WEAK_KEYS = ("postcodes",)
"""Used only where the strong keys give too few pairs: a postcode holds more namesakes the
more people the data hold (at a million demo records 20 % of name-and-postcode pairs carry
other dates, against 3 % at 100k)."""
_DATE = ("birth_year", "birth_month", "birth_day")


@dataclass(frozen=True)
class DateCheck:
    pairs: int
    """Pairs of records with the same full name, a shared key and two full dates."""
    differ: int
    """Of those, pairs whose dates differ beyond a typo."""

    @property
    def share(self) -> float:
        return self.differ / self.pairs if self.pairs else 0.0

    @property
    def low(self) -> float:
        """Lower Wilson bound of the share: what the pairs prove at least."""
        if not self.pairs:
            return 0.0
        n, p = self.pairs, self.share
        centre = p + _Z * _Z / (2 * n)
        margin = _Z * math.sqrt(p * (1 - p) / n + _Z * _Z / (4 * n * n))
        return (centre - margin) / (1 + _Z * _Z / n)

    @property
    def trusted(self) -> bool:
        return self.pairs < MIN_PAIRS or self.low <= MAX_SHARE

    def describe(self) -> str:
        verdict = "trusted" if self.trusted else "not trusted"
        return (
            f"dates {verdict}: {self.differ} of {self.pairs} name-and-key pairs "
            f"({self.share:.1%}) differ beyond a typo"
        )


def check_dates(table: pa.Table) -> DateCheck:
    """Count the name-and-key pairs of ``table`` (the Person columns of ``extract``): on the
    strong keys, or on postcodes where the strong keys give fewer than :data:`MIN_PAIRS`."""
    strong = _check(table, _KEYS)
    return strong if strong.pairs >= MIN_PAIRS else _check(table, _KEYS + _WEAK_KEYS)


def _check(table: pa.Table, keys: tuple[str, ...]) -> DateCheck:
    dated = table.filter(
        pc.and_(
            pc.and_(pc.is_valid(table["given"]), pc.is_valid(table["family"])),
            pc.and_(
                pc.and_(pc.is_valid(table["birth_year"]), pc.is_valid(table["birth_month"])),
                pc.is_valid(table["birth_day"]),
            ),
        )
    )
    keyed = _keyed(dated, keys)
    if keyed.num_rows == 0:
        return DateCheck(0, 0)
    joined = keyed.join(
        keyed, keys=["given", "family", "key"], right_suffix="_r", use_threads=False
    )
    joined = joined.filter(pc.less(joined["unique_id"], joined["unique_id_r"]))
    pairs = joined.group_by(["unique_id", "unique_id_r"]).aggregate(
        [(f"{c}{side}", "min") for c in _DATE for side in ("", "_r")]
    )
    if pairs.num_rows == 0:
        return DateCheck(0, 0)
    y, m, d = (pairs[f"{c}_min"] for c in _DATE)
    yr, mr, dr = (pairs[f"{c}_r_min"] for c in _DATE)
    same_md = pc.and_(pc.equal(m, mr), pc.equal(d, dr))
    may_agree = pc.or_(
        pc.or_(
            pc.and_(pc.equal(y, yr), pc.equal(m, mr)),  # the same, or a mistyped day
            pc.and_(pc.equal(y, yr), pc.and_(pc.equal(m, dr), pc.equal(d, mr))),  # swapped
        ),
        pc.or_(same_md, pc.and_(pc.equal(pc.abs(pc.subtract(y, yr)), 1), same_md)),
    )
    differ = pairs.num_rows - int(pc.sum(pc.cast(may_agree, pa.int64())).as_py() or 0)
    return DateCheck(pairs.num_rows, differ)


def _keyed(dated: pa.Table, keys: tuple[str, ...]) -> pa.Table:
    """One row per record and key value (``kind:value``), with its name and date."""
    parts = []
    base = dated.select(["unique_id", "given", "family", *_DATE])
    for kind in keys:
        if kind not in dated.column_names:
            continue
        column = dated[kind]
        rows = pc.list_parent_indices(column)
        values = pc.binary_join_element_wise(f"{kind}:", pc.list_flatten(column), "")
        parts.append(base.take(rows).append_column("key", values))
    if not parts:
        return base.append_column("key", pa.array([], pa.string())).slice(0, 0)
    return pa.concat_tables(parts).drop_null()


def strict_dates(table: pa.Table, incompatible: bool, choice: bool | None) -> bool:
    """Whether the incompatible levels are in force for ``table``: as chosen, or (``None``)
    as the data's dates deserve. ``incompatible``: the model has such levels at all."""
    if not incompatible:
        return False
    if choice is not None:
        return choice
    check = check_dates(table)
    log.info("%s", check.describe())
    return check.trusted
