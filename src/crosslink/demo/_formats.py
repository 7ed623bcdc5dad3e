"""Realistic identifiers per country: phones, IBANs, plates, postcodes, documents.

Every function takes a seeded :class:`random.Random`, so the same seed gives the same values.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

# Cities with real postcodes, per country; the Belgian coast first (smuggling logistics).
CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "BE": (
        ("8660", "De Panne"),
        ("8400", "Oostende"),
        ("8670", "Koksijde"),
        ("8000", "Brugge"),
        ("1000", "Brussel"),
        ("1080", "Sint-Jans-Molenbeek"),
        ("1030", "Schaerbeek"),
        ("2000", "Antwerpen"),
        ("2060", "Antwerpen"),
        ("9000", "Gent"),
        ("4000", "Liège"),
        ("6000", "Charleroi"),
        ("3500", "Hasselt"),
        ("8500", "Kortrijk"),
        ("2800", "Mechelen"),
        ("3000", "Leuven"),
    ),
    "NL": (
        ("1012", "Amsterdam"),
        ("3011", "Rotterdam"),
        ("2511", "Den Haag"),
        ("3511", "Utrecht"),
        ("5611", "Eindhoven"),
        ("4811", "Breda"),
        ("2671", "Naaldwijk"),
        ("5911", "Venlo"),
        ("6211", "Maastricht"),
        ("4381", "Vlissingen"),
    ),
    "FR": (
        ("59140", "Dunkerque"),
        ("62100", "Calais"),
        ("59000", "Lille"),
        ("62200", "Boulogne-sur-Mer"),
        ("75011", "Paris"),
        ("75018", "Paris"),
        ("59100", "Roubaix"),
    ),
    "DE": (
        ("52062", "Aachen"),
        ("50667", "Köln"),
        ("40210", "Düsseldorf"),
        ("10115", "Berlin"),
        ("47051", "Duisburg"),
        ("45127", "Essen"),
    ),
    "GB": (
        ("CT16 1AA", "Dover"),
        ("E1 6AN", "London"),
        ("SW1A 1AA", "London"),
        ("B1 1BB", "Birmingham"),
        ("M1 1AE", "Manchester"),
        ("CT20 1AB", "Folkestone"),
    ),
}
STREETS: dict[str, tuple[str, ...]] = {
    "BE": (
        "Kerkstraat",
        "Stationsstraat",
        "Nieuwstraat",
        "Zeedijk",
        "Kortrijksesteenweg",
        "Rue de la Station",
        "Chaussée de Gand",
        "Rue Haute",
        "Leopoldlaan",
        "Molenstraat",
        "Dorpsstraat",
        "Avenue Louise",
        "Rue du Progrès",
        "Zuidstraat",
        "Havenlaan",
    ),
    "NL": (
        "Hoofdstraat",
        "Kerkstraat",
        "Dorpsstraat",
        "Molenweg",
        "Stationsweg",
        "Westlandseweg",
        "Julianalaan",
        "Beatrixstraat",
        "Havenkade",
        "Marktplein",
    ),
    "FR": (
        "Rue de la République",
        "Rue Nationale",
        "Avenue Jean Jaurès",
        "Rue du Port",
        "Boulevard Gambetta",
        "Rue de Paris",
        "Quai de la Citadelle",
    ),
    "DE": (
        "Hauptstraße",
        "Bahnhofstraße",
        "Schulstraße",
        "Gartenstraße",
        "Kirchstraße",
        "Industriestraße",
        "Hafenstraße",
    ),
    "GB": (
        "High Street",
        "Station Road",
        "Church Lane",
        "Marine Parade",
        "Dock Road",
        "Victoria Street",
        "Mill Lane",
    ),
}
BANKS: dict[str, tuple[tuple[str, str], ...]] = {
    "BE": (("KBC", "734"), ("BNP Paribas Fortis", "001"), ("Belfius", "068"), ("ING", "310")),
    "NL": (("ABN AMRO", "ABNA"), ("ING", "INGB"), ("Rabobank", "RABO")),
    "DE": (("Commerzbank", "37040044"), ("Sparkasse Aachen", "39050000")),
    "FR": (("BNP Paribas", "30004"), ("Crédit Agricole", "18206")),
    "RO": (("Banca Transilvania", "BTRL"), ("BCR", "RNCB")),
    "BG": (("UniCredit Bulbank", "UNCR"), ("DSK Bank", "STSA")),
    "GB": (("Barclays", "BARC"), ("HSBC", "HBUK")),
}
_IBAN_SHAPES = {"BE": 7, "NL": 10, "DE": 10, "FR": 11, "RO": 16, "BG": 8, "GB": 14}
_BG_BRANCH = "9661"


def postcode(rng: random.Random, country: str, base: str) -> str:
    """The city's postcode, with a plausible district suffix where the country has one."""
    if country == "NL":
        letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        return f"{base} {letters}"
    return base


@lru_cache(maxsize=64)
def _mobile_template(country: str) -> str:
    example = phonenumbers.example_number_for_type(
        country, PhoneNumberType.MOBILE
    ) or phonenumbers.example_number(country)
    if example is None:
        raise ValueError(f"no phone numbering plan for {country}")
    return str(example.national_number)


def phone_number(rng: random.Random, country: str) -> str:
    """A valid mobile number of ``country`` in E.164."""
    template = _mobile_template(country)
    code = phonenumbers.country_code_for_region(country)
    keep = max(2, len(template) - 6)
    for _ in range(50):
        digits = template[:keep] + "".join(
            rng.choice(string.digits) for _ in range(len(template) - keep)
        )
        number = phonenumbers.PhoneNumber(country_code=code, national_number=int(digits))
        if phonenumbers.is_valid_number(number):
            return f"+{code}{digits}"
    return f"+{code}{template}"


@lru_cache(maxsize=100_000)
def render_phone(e164: str, style: str) -> str:
    """``national`` (0470 12 34 56), ``international`` (+32 470 12 34 56) or ``idd`` (0032…)."""
    number = phonenumbers.parse(e164)
    if style == "national":
        return str(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    if style == "idd":
        return "00" + e164[1:]
    return str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))


@lru_cache(maxsize=100_000)
def phone_country(e164: str) -> str:
    return str(phonenumbers.region_code_for_number(phonenumbers.parse(e164)))


def iban(rng: random.Random, country: str) -> tuple[str, str]:
    """(IBAN, bank name): an IBAN of a real bank of ``country``, with every checksum right."""
    country = country if country in BANKS else "BE"
    name, bank_code = rng.choice(BANKS[country])
    account = _digits(rng, _IBAN_SHAPES[country])
    if country == "BE":
        check = int(bank_code + account) % 97 or 97
        bban = f"{bank_code}{account}{check:02d}"
    elif country == "FR":
        branch, number = account[:5], account[5:] + _digits(rng, 5)
        key = 97 - (89 * int(bank_code) + 15 * int(branch) + 3 * int(number)) % 97
        bban = f"{bank_code}{branch}{number}{key:02d}"
    elif country == "BG":
        bban = f"{bank_code}{_BG_BRANCH}10{account}"
    else:
        bban = bank_code + account
    return _with_check_digits(country, bban), name


def _with_check_digits(country: str, bban: str) -> str:
    numeric = "".join(str(int(ch, 36)) for ch in f"{bban}{country}00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def format_iban(compact: str) -> str:
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _letters(rng: random.Random, n: int, alphabet: str = "ABCDEFGHJKLMNPRSTVWXYZ") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def plate(rng: random.Random, country: str) -> str:
    """A licence plate in the country's current format."""
    if country == "BE":
        return f"{rng.choice('12')}-{_letters(rng, 3)}-{_digits(rng, 3)}"
    if country == "NL":
        return f"{_letters(rng, 2, 'GHJKLNPRSTXZ')}-{_digits(rng, 3)}-{_letters(rng, 1)}"
    if country == "FR":
        return f"{_letters(rng, 2)}-{_digits(rng, 3)}-{_letters(rng, 2)}"
    if country == "DE":
        return (
            f"{rng.choice(['AC', 'K', 'D', 'B', 'DU', 'E'])}-{_letters(rng, 2)} "
            f"{rng.randint(1, 9999)}"
        )
    if country == "RO":
        return f"{rng.choice(['B', 'CJ', 'TM', 'IS'])} {_digits(rng, 2)} {_letters(rng, 3)}"
    if country == "BG":
        return f"{rng.choice(['CA', 'CB', 'PB', 'B'])} {_digits(rng, 4)} {_letters(rng, 2)}"
    return f"{_letters(rng, 2)}{_digits(rng, 2)} {_letters(rng, 3)}"


def hull_id(rng: random.Random) -> str:
    """A hull identification number (CE/ISO 10087 style: country, maker, serial, date)."""
    return f"FR-{_letters(rng, 3)}{_digits(rng, 5)}{_letters(rng, 1)}{_digits(rng, 3)}"


def passport_number(rng: random.Random, country: str) -> str:
    if country == "BE":
        return f"{_letters(rng, 2)}{_digits(rng, 6)}"
    if country in {"RO", "BG", "UA", "TR"}:
        return f"{_letters(rng, 2) if country == 'UA' else ''}{_digits(rng, 8)}"
    if country == "NL":
        return (
            f"{_letters(rng, 2)}{_letters(rng, 2, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789')}"
            f"{_digits(rng, 5)}"
        )
    return f"{_letters(rng, 1)}{_digits(rng, 7)}"


def be_national_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    """A Belgian national register number, YY.MM.DD-NNN.CC, with a valid check."""
    serial = rng.randrange(1, 998)
    if serial % 2 != (1 if male else 0):
        serial += 1
    body = f"{birth:%y%m%d}{serial:03d}"
    base = int(("2" + body) if birth.year >= 2000 else body)
    check = 97 - base % 97
    return f"{body[0:2]}.{body[2:4]}.{body[4:6]}-{body[6:9]}.{check:02d}"


def company_number(rng: random.Random, country: str) -> str:
    """A company registration number: KBO/BCE (BE), KvK (NL), SIREN (FR), HRB (DE), CRN (GB)."""
    if country == "BE":
        base = rng.randrange(2_000_000, 9_999_999) * 10 + rng.randrange(10)
        body = f"0{base:08d}"[-8:]
        check = 97 - int(body) % 97
        number = f"0{body}{check:02d}"
        return f"{number[0:4]}.{number[4:7]}.{number[7:10]}"
    if country == "NL":
        return _digits(rng, 8)
    if country == "FR":
        return f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}"
    if country == "DE":
        return f"HRB {rng.randint(1000, 99999)}"
    return _digits(rng, 8)


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    days: int

    def pick(self, rng: random.Random) -> dt.date:
        return self.start + dt.timedelta(days=rng.randrange(self.days))
