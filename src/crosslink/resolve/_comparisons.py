"""Comparison levels and comparisons the entity models are built of (with their prior m and
u probabilities), and the date-of-birth conditions they and the blocking rules share."""

from __future__ import annotations

import re

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect


def _lvl(
    level: ComparisonLevelCreator, m: float, u: float, tf: str | None = None, fix_m: bool = False
) -> object:
    level.configure(m_probability=m, u_probability=u, fix_m_probability=fix_m)
    if tf is not None:
        level.configure(tf_adjustment_column=tf, tf_adjustment_weight=1.0)
    return level


class OneEditLevel(ComparisonLevelCreator):
    """Two values one typing error apart: a character replaced, added, left out, or two
    neighbours swapped (Damerau-Levenshtein at most 1), both at least ``min_length`` long
    (short values are one edit from too much)."""

    def __init__(self, col: str, label: str, min_length: int = 5) -> None:
        self.col, self.label, self.min_length = col, label, min_length

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        edits = sql_dialect.damerau_levenshtein_function_name
        c, n = self.col, self.min_length
        return f"length({c}_l) >= {n} AND length({c}_r) >= {n} AND {edits}({c}_l, {c}_r) <= 1"

    def create_label_for_charts(self) -> str:
        return self.label


def _null(col: str) -> ComparisonLevelCreator:
    return cll.NullLevel(col)


def _else(m: float, u: float) -> object:
    return _lvl(cll.ElseLevel(), m, u)


def _custom(sql: str, label: str, m: float, u: float) -> object:
    return _lvl(cll.CustomLevel(sql, label_for_charts=label), m, u)


def _comparison(name: str, levels: list[object]) -> ComparisonCreator:
    return cl.CustomComparison(comparison_levels=levels, output_column_name=name)  # type: ignore[arg-type]


def _shared(name: str, col: str, m: float, u: float) -> ComparisonCreator:
    """Exact keys after cleaning (phones, documents …): sharing one is strong evidence.

    Their m probabilities stay fixed: they are rare in the blocks EM sees, and EM drives
    rare levels to underflow."""
    return _comparison(
        name,
        [
            _null(col),
            _lvl(cll.ArrayIntersectLevel(col, 1), m, u, fix_m=True),
            _lvl(cll.ElseLevel(), 1 - m, 1 - u, fix_m=True),
        ],
    )


OTHER_REGISTER_NUMBER = "other national register number"
DOCUMENT_TYPO = "a document one typo apart"


def _documents() -> ComparisonCreator:
    """Identity documents: one shared is strong evidence; two national register numbers that
    differ (each kept for life, and no one else's) are two people."""
    shared, typo, other = 0.6, 0.05, 0.0005
    return _comparison(
        "documents",
        [
            _null("documents"),
            _lvl(cll.ArrayIntersectLevel("documents", 1), shared, 0.00001, fix_m=True),
            # A number typed with one error is evidence, not another person (a national
            # register number's check digits catch every such error: two valid ones that
            # differ are two numbers, the level below).
            _lvl(OneEditLevel("document", DOCUMENT_TYPO), typo, 0.00001, fix_m=True),
            _lvl(
                cll.CustomLevel(
                    "register_number_l <> register_number_r", label_for_charts=OTHER_REGISTER_NUMBER
                ),
                other,
                0.3,
                fix_m=True,
            ),
            _lvl(cll.ElseLevel(), 1 - shared - typo - other, 0.7, fix_m=True),
        ],
    )


def _name_part(
    own: str, other: str, first: str | None, phon: str, skel: str | None
) -> list[object]:
    """Levels for a given or family name: exact (term-frequency adjusted), swapped with the
    other part, transliteration-tolerant (phonetic code or consonant skeleton), Jaro-Winkler."""
    levels: list[object] = [
        _null(own),
        _lvl(cll.ExactMatchLevel(own), 0.80, 0.002, tf=own),
        _lvl(cll.ColumnsReversedLevel(own, other), 0.04, 0.0002),
    ]
    if first is not None:
        levels.append(_lvl(cll.ExactMatchLevel(first), 0.04, 0.002))
    phonetic: ComparisonLevelCreator = cll.ExactMatchLevel(phon)
    if skel is not None:
        phonetic = cll.Or(phonetic, cll.ExactMatchLevel(skel))
    levels += [
        _lvl(phonetic.configure(label_for_charts="phonetic or consonant skeleton"), 0.06, 0.004),
        _lvl(cll.JaroWinklerLevel(own, 0.92), 0.04, 0.004),
        _lvl(cll.JaroWinklerLevel(own, 0.80), 0.03, 0.03),
        _else(0.03, 0.96),
    ]
    return levels


SAME_FULL_DATE = "dob_l = dob_r AND birth_day_l IS NOT NULL"
_PARTIAL = (
    "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR birth_month_r IS NULL OR "
    "(birth_month_l = birth_month_r AND (birth_day_l IS NULL OR birth_day_r IS NULL)))"
)
_SWAPPED = (
    "birth_year_l = birth_year_r AND birth_month_l = birth_day_r AND birth_day_l = birth_month_r"
)
# An age estimated at intake ("1998") is often a year out.
_NEXT_YEAR = (
    "abs(birth_year_l - birth_year_r) = 1 AND (birth_month_l IS NULL OR birth_month_r IS NULL "
    "OR (birth_month_l = birth_month_r AND birth_day_l = birth_day_r))"
)

# A typo in the year keeps day and month.
_DAY_MONTH = "birth_month_l = birth_month_r AND birth_day_l = birth_day_r"
_SAME_YEAR = "same year, other month and day"
DATE_TYPO = "one digit mistyped"
_OTHER_DATE = "other date"


def _on_pair(level_sql: str) -> str:
    """A level's condition (``x_l``, ``x_r``) as a blocking condition (``l.x``, ``r.x``)."""
    return re.sub(r"\b(\w+)_([lr])\b", r"\2.\1", level_sql)


# Dates of birth that could belong to one person: one missing, or a level short of
# incompatible (exact, partial, swapped, same month, a year out, same day and month).
_DATES_MAY_AGREE = " OR ".join(
    f"({_on_pair(c)})"
    for c in (
        "birth_year_l IS NULL OR birth_year_r IS NULL OR dob_l = dob_r",
        _PARTIAL,
        _SWAPPED,
        "birth_year_l = birth_year_r AND birth_month_l = birth_month_r",
        _NEXT_YEAR,
        _DAY_MONTH,
    )
)


def _birth_date() -> ComparisonCreator:
    return _comparison(
        "birth_date",
        [
            _null("birth_year"),
            # The same day: two dates that give only a year ("1996", an age at intake)
            # agree on the year, and weigh as a partial date, not as one birthday.
            _custom(SAME_FULL_DATE, "same full date", 0.82, 0.0001),
            _custom(_PARTIAL, "one date is a partial of the other", 0.08, 0.01),
            _custom(_SWAPPED, "day and month swapped", 0.03, 0.00005),
            # One digit mistyped or two swapped in a full date: evidence, not two people
            # (a month typed 11 for 12 is neither the same month nor another birthday).
            _lvl(OneEditLevel("dob", DATE_TYPO, min_length=10), 0.03, 0.0003),
            _custom(
                "birth_year_l = birth_year_r AND birth_month_l = birth_month_r",
                "same year and month",
                0.03,
                0.001,
            ),
            _custom(_NEXT_YEAR, "year off by one", 0.02, 0.0004),
            _custom(_DAY_MONTH, "same day and month", 0.01, 0.0025),
            _custom("birth_year_l = birth_year_r", _SAME_YEAR, 0.01, 0.012),
            _lvl(cll.ElseLevel().configure(label_for_charts=_OTHER_DATE), 0.01, 0.9745),
        ],
    )


def _exact(name: str, col: str, m: float, u: float, tf: bool = False) -> ComparisonCreator:
    return _comparison(
        name,
        [
            _null(col),
            _lvl(cll.ExactMatchLevel(col), m, u, tf=col if tf else None),
            _else(1 - m, 1 - u),
        ],
    )


_SAME_ADDRESS, _SAME_POSTCODE = "same address", "same postcode"
_SAME_LOCALITY = "same town or locality"


def _labelled(level: ComparisonLevelCreator, label: str) -> ComparisonLevelCreator:
    return level.configure(label_for_charts=label)


def _unknown_on_a_side(*cols: str) -> ComparisonLevelCreator:
    """The null level of a comparison of several columns: a side that has none of them."""
    sides = (" AND ".join(f"{c}_{side} IS NULL" for c in cols) for side in "lr")
    sql = " OR ".join(f"({s})" for s in sides)
    return cll.CustomLevel(sql, label_for_charts="unknown").configure(is_null_level=True)


def _address_of_party() -> ComparisonCreator:
    return _comparison(
        "address",
        [
            # Unknown only when neither a postcode nor a town is known on a side.
            _unknown_on_a_side("postcodes", "localities"),
            _lvl(_labelled(cll.ArrayIntersectLevel("address_keys", 1), _SAME_ADDRESS), 0.5, 0.0005),
            _lvl(_labelled(cll.ArrayIntersectLevel("postcodes", 1), _SAME_POSTCODE), 0.2, 0.02),
            _lvl(_labelled(cll.ArrayIntersectLevel("localities", 1), _SAME_LOCALITY), 0.1, 0.01),
            _else(0.2, 0.9695),
        ],
    )
