"""Comparison levels and comparisons the entity models are built of (with their prior m and
u probabilities), and the date-of-birth conditions they and the blocking rules share."""

from __future__ import annotations

import re

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator


def _lvl(
    level: ComparisonLevelCreator, m: float, u: float, tf: str | None = None, fix_m: bool = False
) -> object:
    level.configure(m_probability=m, u_probability=u, fix_m_probability=fix_m)
    if tf is not None:
        level.configure(tf_adjustment_column=tf, tf_adjustment_weight=1.0)
    return level


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


def _documents() -> ComparisonCreator:
    """Identity documents: one shared is strong evidence; two national register numbers that
    differ (each kept for life, and no one else's) are two people."""
    shared, other = 0.6, 0.0005
    return _comparison(
        "documents",
        [
            _null("documents"),
            _lvl(cll.ArrayIntersectLevel("documents", 1), shared, 0.00001, fix_m=True),
            _lvl(
                cll.CustomLevel(
                    "register_number_l <> register_number_r", label_for_charts=OTHER_REGISTER_NUMBER
                ),
                other,
                0.3,
                fix_m=True,
            ),
            _lvl(cll.ElseLevel(), 1 - shared - other, 0.7, fix_m=True),
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


def _labelled(level: ComparisonLevelCreator, label: str) -> ComparisonLevelCreator:
    return level.configure(label_for_charts=label)


def _address_of_party() -> ComparisonCreator:
    return _comparison(
        "address",
        [
            _null("postcodes"),
            _lvl(_labelled(cll.ArrayIntersectLevel("address_keys", 1), _SAME_ADDRESS), 0.5, 0.0005),
            _lvl(_labelled(cll.ArrayIntersectLevel("postcodes", 1), _SAME_POSTCODE), 0.2, 0.02),
            _else(0.3, 0.9795),
        ],
    )
