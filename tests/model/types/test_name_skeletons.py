"""Skeleton rules apply to the names they are for: pairs that must and must not meet, as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from crosslink.model.types import name

CASES: Any = yaml.safe_load(
    (Path(__file__).parent / "name_skeletons.yaml").read_text(encoding="utf-8")
)
PAIRS = [
    pytest.param(a, b, same, id=f"{a}={b}" if same else f"{a}!={b}")
    for key, same in (("same", True), ("different", False))
    for a, b in CASES[key]
]


@pytest.mark.parametrize(("a", "b", "same"), PAIRS)
def test_skeleton_pairs(a: str, b: str, same: bool) -> None:
    assert (name.skeleton(a) == name.skeleton(b)) is same, (name.skeleton(a), name.skeleton(b))


def test_the_arabic_names_data_loads() -> None:
    data = name.arabic_names()
    assert {"mohammed", "jubouri", "fatima", "nazari"} <= data.names
    assert data.articles == ("al", "el")
    # The data marks names of Arabic origin, not European ones that look like them.
    assert not data.names & {"albert", "bert", "alan", "elena", "adam", "maria", "daniel"}


@pytest.mark.parametrize(
    ("token", "arabic"),
    [
        ("mhmd", True),  # written in Arabic script: no vowel letters
        ("lyla", True),  # ليلى: ى is written "a"
        ("mohammed", True),
        ("aljubouri", True),  # the article glued to a listed name
        ("benyoussef", True),
        ("abdelkader", True),  # a listed prefix
        ("nasrullah", True),  # a listed suffix
        ("albert", False),  # "bert" is no Arabic name
        ("alfred", False),
        ("willem", False),
        ("bennett", False),
        ("karim2", False),
    ],
)
def test_arabic_token(token: str, arabic: bool) -> None:
    assert name.arabic_token(token) is arabic


@pytest.mark.parametrize(
    ("cleaned", "arabic"),
    [
        ("أحمد الجبوري", True),  # the script
        ("نظری", True),  # Persian, in Arabic script
        ("Ahmed Al-Jubouri", True),
        ("Hassan El Khatib", True),
        ("Youssef Ben Ali", True),  # "ben" inside a name
        ("Abu Bakr", True),
        ("Said Haddad", True),  # listed names
        ("Ben Smith", False),  # "Ben" first is Benjamin
        ("Albert Dupont", False),
        ("Willem de Vries", False),
        ("Мохаммед Иванов", False),  # Cyrillic "Mokhammed" is no listed spelling
    ],
)
def test_arabic_origin(cleaned: str, arabic: bool) -> None:
    assert name.arabic_origin(cleaned) is arabic


def test_the_caller_may_state_the_origin() -> None:
    # A name known to be of Arabic origin (its script, an article written apart) reads its
    # unlisted tokens with the Arabic rules; a name known to be of another origin does not.
    assert name.skeleton("yousef", arabic=True) == name.skeleton("ywsf") == "sf"
    assert name.skeleton("yousef", arabic=False) == "ysf"
    assert name.skeleton("aljubouri", arabic=False) == "aljbr"
    # Forced Arabic rules still drop only an article written with a listed name.
    assert name.skeleton("albert", arabic=True) != name.skeleton("bert", arabic=True)


def test_compare_reads_a_name_of_arabic_origin_with_its_rules() -> None:
    # "Ahlam" is not listed; the article written apart says the name is Arabic, and أحلام
    # writes no vowel at its start.
    assert name.skeleton("ahlam") != name.skeleton("hlm")
    assert name.compare("أحلام الهاشمي", "Ahlam Al-Hashemi") >= 0.9
    # No skeleton bonus for a European name that starts like the article.
    assert name.compare("Alfred", "Fred") < 0.9
    assert name.compare("Albert", "Bert") < 0.9
