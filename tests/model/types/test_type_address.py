from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import address
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=150, deadline=None)
BE = CleanContext(region="BE")


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("Rue de la Loi 16, 1000 Bruxelles", "BE", "Rue de la Loi 16, 1000 Bruxelles"),
        ("Rue de la Loi  16 ,1000  Bruxelles", None, "Rue de la Loi 16, 1000 Bruxelles"),
        ("rue de la loi 16\nB-1000 Brussel", "BE", "rue de la loi 16, 1000 Brussel"),
        ("Kerkstr. 12,, 1012ab  Amsterdam", "NL", "Kerkstr. 12, 1012 AB Amsterdam"),
        ("Hauptstr. 5, D-10115 Berlin", "DE", "Hauptstr. 5, 10115 Berlin"),
        ("10 downing street, london sw1a2aa", "GB", "10 downing street, london SW1A 2AA"),
        ("ул. Ленина 5, Кишинёв", None, "ул. Ленина 5, Кишинёв"),
    ],
)
def test_clean_keeps_order_and_script(raw: str, region: str | None, expected: str) -> None:
    assert address.clean(raw, CleanContext(region=region)) == expected


@pytest.mark.parametrize(("raw", "reason"), [("", "empty value"), (" , ; ", "no letters")])
def test_rejects(raw: str, reason: str) -> None:
    result = address.validate(raw)
    assert result is not None and result.startswith(reason)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Rue de la Loi 16, 1000 Bruxelles", "1000|loi rue"),
        ("Kerkstr. 12, 1012 AB Amsterdam", "1012AB|kerkstr"),
        ("Kerkstraat 12, 1012 AB Amsterdam", "1012AB|kerkstr"),
        ("Hauptstraße 5, 10115 Berlin", "10115|hauptstr"),
        ("Bd Anspach 1, 1000 Bruxelles", "1000|anspach boulevard"),
        ("Boulevard Anspach 1, 1000 Bruxelles", "1000|anspach boulevard"),
        ("Flat 3, 10 Downing St, London, SW1A 2AA", "SW1A2AA|downing st"),
        ("Chée de Louvain 300, 1030 Schaerbeek", "1030|chaussee louvain"),
        ("Dorpsstraat 3", "|dorpsstr"),
    ],
)
def test_fingerprint(raw: str, key: str) -> None:
    assert address.fingerprint(address.clean(raw)) == key


@pytest.mark.parametrize(
    ("raw", "house"),
    [
        # Streets whose words are normalised: the number must survive it.
        ("Kortrijksesteenweg 134 bus 6, 2800 Mechelen", "134"),
        ("R. du Progrès 23, 2060 Antwerpen", "23"),
        ("Hauptstraße 5a, 10115 Berlin", "5a"),
        ("Flat 3, 10 Downing St, London, SW1A 2AA", "10"),
        ("Kortrijksesteenweg, 8400 Oostende", ""),
    ],
)
def test_house_number(raw: str, house: str) -> None:
    assert address.house_number(address.clean(raw)) == house


def test_compare() -> None:
    loi = address.clean("Rue de la Loi 16, 1000 Bruxelles", BE)
    assert address.compare(loi, address.clean("rue de la loi 16, B-1000 Brussel", BE)) == 1.0
    assert address.compare(loi, address.clean("Rue de la Loi 18, 1000 Bruxelles", BE)) <= 0.7
    assert address.compare(loi, address.clean("Rue de la Loi 16, 1040 Etterbeek", BE)) < 0.8
    assert address.compare(loi, address.clean("Bd Anspach 1, 1000 Bruxelles", BE)) < 0.6
    assert address.compare(loi, address.clean("Rue de la Loi 16", BE)) > 0.8
    kerk = address.compare("Kerkstr. 12, 1012 AB Amsterdam", "Kerkstraat 12, 1012 AB Amsterdam")
    assert kerk == 1.0
    assert address.street_tokens("Kerkstraat 12, 1012 AB Amsterdam") == ["kerkstr"]


STREETS = [
    "Rue de la Loi",
    "Kerkstraat",
    "Hauptstraße",
    "Boulevard Anspach",
    "Meir",
    "Strada Lipscani",
]
CITIES = [("1000", "Bruxelles"), ("2000", "Antwerpen"), ("8660", "De Panne"), ("4000", "Liège")]


@SETTINGS
@given(
    st.sampled_from(STREETS),
    st.integers(1, 400),
    st.sampled_from(CITIES),
    st.sampled_from(
        ["{s} {n}, {p} {c}", "{s} {n}\n{p} {c}", "{s}  {n} ,B-{p} {c}", "{s} {n} {p} {c}"]
    ),
)
def test_layout_variants_meet(street: str, nr: int, city: tuple[str, str], layout: str) -> None:
    canonical = address.clean(f"{street} {nr}, {city[0]} {city[1]}", BE)
    variant = address.clean(layout.format(s=street, n=nr, p=city[0], c=city[1]), BE)
    assert address.clean(variant, BE) == variant
    assert address.fingerprint(variant) == address.fingerprint(canonical)
    assert address.compare(variant, canonical) == 1.0


@SETTINGS
@given(st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=60))
def test_clean_idempotent_compare_symmetric(a: str, b: str) -> None:
    if address.validate(a, BE) is not None or address.validate(b, BE) is not None:
        return
    x, y = address.clean(a, BE), address.clean(b, BE)
    assert address.clean(x, BE) == x
    assert address.compare(x, y) == address.compare(y, x)
    assert 0.0 <= address.compare(x, y) <= 1.0
    assert address.compare(x, x) == 1.0
