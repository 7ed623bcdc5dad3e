"""Dates of birth are trusted to keep records apart only when the data deserve it."""

from __future__ import annotations

from crosslink.resolve.dates import MAX_SHARE, check_dates, strict_dates
from crosslink.resolve.evaluate import raw_record
from crosslink.resolve.extract import RawRecord, to_table


def _pair(n: int, first: str, second: str) -> list[RawRecord]:
    """Two records of one name and one phone, with the two dates given."""
    name = {"first_name": [f"Given{n}"], "last_name": ["Peeters"], "phone": [f"+3247000{n:04d}"]}
    return [
        raw_record(f"{n}a", {**name, "birth_date": [first]}),
        raw_record(f"{n}b", {**name, "birth_date": [second]}),
    ]


def _records(differ: int, typos: int, same: int) -> list[RawRecord]:
    out: list[RawRecord] = []
    for n in range(differ):
        out += _pair(n, "1980-03-14", "1971-09-27")
    typo = ("1980-14-03", "1981-03-14", "1980-03-15", "1979-03-14")
    for n in range(typos):
        out += _pair(1000 + n, "1980-03-14", typo[n % len(typo)])
    for n in range(same):
        out += _pair(2000 + n, "1980-03-14", "1980-03-14")
    return out


def test_typos_do_not_count_as_other_dates() -> None:
    check = check_dates(to_table("Person", _records(differ=2, typos=40, same=40)))
    assert (check.pairs, check.differ) == (82, 2)
    assert check.trusted


def test_many_other_dates_among_name_and_key_pairs_switch_strict_dates_off() -> None:
    table = to_table("Person", _records(differ=20, typos=10, same=50))
    check = check_dates(table)
    assert (check.pairs, check.differ) == (80, 20)
    assert check.low > MAX_SHARE and not check.trusted
    assert strict_dates(table, incompatible=True, choice=None) is False
    assert strict_dates(table, incompatible=True, choice=True) is True  # the user decides


def test_a_few_pairs_prove_nothing_and_a_share_near_the_limit_keeps_dates() -> None:
    assert check_dates(to_table("Person", _records(differ=5, typos=0, same=5))).trusted
    near = check_dates(to_table("Person", _records(differ=8, typos=0, same=92)))
    assert near.share > MAX_SHARE and near.trusted  # 8 % of 100: not shown to exceed 6 %


def test_namesakes_without_a_shared_key_are_not_counted() -> None:
    jan = {"first_name": ["Jan"], "last_name": ["Peeters"]}
    people = [
        raw_record("a", {**jan, "birth_date": ["1980-03-14"]}),
        raw_record("b", {**jan, "birth_date": ["1971-09-27"]}),
    ]
    assert check_dates(to_table("Person", people)).pairs == 0


def _postcode_pair(n: int, first: str, second: str) -> list[RawRecord]:
    """Two records of one name in one postcode (no other key), with the two dates given."""
    name = {"first_name": [f"Other{n}"], "last_name": ["Janssens"], "address": ["B-1000"]}
    return [
        raw_record(f"p{n}a", {**name, "birth_date": [first]}),
        raw_record(f"p{n}b", {**name, "birth_date": [second]}),
    ]


def test_a_postcode_counts_only_where_strong_keys_are_too_few() -> None:
    # Namesakes in one postcode: many at scale, and no proof against the dates when phones
    # (or documents, accounts, addresses) give enough pairs.
    namesakes = [r for n in range(40) for r in _postcode_pair(n, "1980-03-14", "1971-09-27")]
    strong = _records(differ=0, typos=0, same=40)
    check = check_dates(to_table("Person", strong + namesakes))
    assert (check.pairs, check.differ) == (40, 0)
    # Without strong keys (the historical-figures set has names, dates and postcodes), the
    # postcodes are all there is.
    alone = check_dates(to_table("Person", namesakes))
    assert (alone.pairs, alone.differ) == (40, 40) and not alone.trusted
