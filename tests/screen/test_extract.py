"""Extraction from ad text in six languages: each fact with the span it was read from."""

from __future__ import annotations

import pytest

from crosslink.screen import Ad, extract
from crosslink.screen.contacts import emails, handles, phones
from crosslink.screen.facts import ages, hours, pay, places
from crosslink.screen.language import detect

BE = ("BE", "NL", "FR", "DE", "RO", "BG", "GB")


@pytest.mark.parametrize(
    ("text", "number", "how"),
    [
        ("Bel 0470 12 34 56 na 18u", "+32470123456", "plain"),
        ("Tel: +32 (0)470/12.34.56", "+32470123456", "plain"),
        ("0 4 7 0 1 2 3 4 5 6", "+32470123456", "spaced"),
        ("call zero four seven zero one two three four five six", "+32470123456", "words"),
        ("bel nul vier zeven nul een twee drie vier vijf zes", "+32470123456", "words"),
        ("appelez zéro quatre sept zéro un deux trois quatre cinq six", "+32470123456", "words"),
        ("ruf null vier sieben null eins zwei drei vier fünf sechs an", "+32470123456", "words"),
        ("sunați zero patru șapte zero unu doi trei patru cinci șase", "+32470123456", "words"),
        ("звъннете нула четири седем нула едно две три четири пет шест", "+32470123456", "words"),
        ("O47O l2 34 56", "+32470123456", "swapped"),
        ("0470 twaalf? no: 0470 12 34 five six", "+32470123456", "words"),
        ("Whatsapp 0049 151 2345 6789", "+4915123456789", "plain"),
    ],
)
def test_phone_numbers_plain_and_hidden(text: str, number: str, how: str) -> None:
    found = phones(text, BE)
    assert [f.value for f in found] == [number]
    assert found[0].how == how
    assert text[found[0].span.start : found[0].span.end] == found[0].span.text


@pytest.mark.parametrize(
    "text",
    [
        "Loon 1500 euro per maand, 38 uur per week",
        "Ref. 2026-11-04, 12 34 56",
        "Postcode 9000 Gent, huisnummer 12",
        "IBAN BE71 0961 2345 6769",
    ],
)
def test_numbers_that_are_not_phones_are_not_read_as_phones(text: str) -> None:
    assert phones(text, BE) == []


@pytest.mark.parametrize(
    ("text", "address", "how"),
    [
        ("mail jobs@werk.be", "jobs@werk.be", "plain"),
        ("jan [at] gmail [dot] com", "jan@gmail.com", "obfuscated"),
        ("jan (at) gmail (dot) co (dot) uk", "jan@gmail.co.uk", "obfuscated"),
        ("jan at gmail dot com", "jan@gmail.com", "obfuscated"),
        ("ion(arond)yahoo(punct)ro", "ion@yahoo.ro", "obfuscated"),
        ("piet apenstaartje hotmail punt nl", "piet@hotmail.nl", "obfuscated"),
        ("ivan [маймунка] abv [точка] bg", "ivan@abv.bg", "obfuscated"),
    ],
)
def test_email_addresses_plain_and_hidden(text: str, address: str, how: str) -> None:
    found = emails(text)
    assert [(f.value, f.how) for f in found] == [(address, how)]


def test_apply_at_is_not_an_email() -> None:
    assert emails("Apply at our office on Monday. Work at home possible.") == []


def test_messenger_links_and_handles() -> None:
    text = "Telegram @bella_jobs_be or t.me/werkbe, WhatsApp wa.me/32470123456, viber://chat?number=%2B359888123456"
    found = {(f.kind, f.value) for f in handles(text)}
    assert found == {
        ("handle", "telegram:bella_jobs_be"),
        ("handle", "telegram:werkbe"),
        ("handle", "whatsapp:+32470123456"),
        ("handle", "viber:+359888123456"),
        ("messenger", "telegram"),
        ("messenger", "whatsapp"),
        ("messenger", "viber"),
    }
    # The link's number is the account's; it is not read a second time as a phone.
    assert phones(text, BE) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Loon 35 euro per uur", "35 EUR/hour"),
        ("Salaire 1.800 € par mois", "1800 EUR/month"),
        ("Pay £450 a week", "450 GBP/week"),
        ("Lohn 2 500 Euro pro Monat", "2500 EUR/month"),
        ("Salariu 4.500 lei pe lună", "4500 RON/month"),
        ("Заплата 1800 лв на месец", "1800 BGN/month"),
        ("Bonus 100 €", "100 EUR"),
        ("Uurloon €14,50/u", "14.5 EUR/hour"),
    ],
)
def test_pay_and_its_period(text: str, value: str) -> None:
    assert [p.value for p in pay(text)] == [value]


def test_pay_is_compared_in_euro() -> None:
    (found,) = pay("Заплата 3000 лв на месец")
    assert found.detail == {"amount": 3000.0, "currency": "BGN", "period": "month", "eur": 1530.0}


def test_hours_ages_and_places() -> None:
    assert [h.value for h in hours("Shifts 10-12 hours a day")] == ["12/day"]
    assert [h.value for h in hours("12 ore pe zi")] == ["12/day"]
    assert [a.value for a in ages("fete 18-25 ani")] == ["18-25"]
    assert [a.value for a in ages("de 18 à 24 ans")] == ["18-24"]
    assert [(p.value, p.detail["country"]) for p in places("Werk in Gent en Antwerpen")] == [
        ("Gent", "BE"),
        ("Antwerpen", "BE"),
    ]
    assert places("gent, antwerpen") == []  # towns are written with their capital


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wij zoeken harde werkers voor de oogst, huisvesting wordt geregeld.", "nl"),
        ("Nous cherchons des ouvriers pour la récolte, logement fourni.", "fr"),
        ("We are looking for workers for the harvest, housing provided.", "en"),
        ("Wir suchen Erntehelfer, die Unterkunft wird gestellt.", "de"),
        ("Căutăm muncitori pentru cules, cazare gratuită asigurată.", "ro"),
        ("Търсим работници за бране на ягоди, осигурена квартира.", "bg"),
    ],
)
def test_language_is_detected_offline(text: str, language: str) -> None:
    assert detect(text) == language


def test_the_ads_own_language_field_wins_over_detection() -> None:
    facts = extract(Ad("x", body="Huisvesting wordt geregeld", language="NL"))
    assert (facts.language, facts.language_from) == ("nl", "given")
    facts = extract(Ad("x", body="Wij zoeken harde werkers, huisvesting wordt geregeld."))
    assert (facts.language, facts.language_from) == ("nl", "detected")
