"""Contacts in ad text: phone numbers (plain and hidden), e-mails, messenger handles.

Posters hide numbers from filters: spaced or dotted digits, digits written as words in any of
the six languages, letters for digits (O for 0, l for 1). A number is read from a chain of
digit-like tokens separated by little more than spaces or dots, and kept only when
``phonenumbers`` finds it valid for a region the ad's language points to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

import phonenumbers

from crosslink.errors import InvalidValue
from crosslink.model.types import email as email_type
from crosslink.model.types import handle as handle_type
from crosslink.screen._types import Extraction, span_of
from crosslink.screen.rules import LANGUAGES, load_lexicon

_TOKEN = re.compile(r"\+|\w+")
_GAP = re.compile(r"[ \t.\-/()]{0,3}")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_DIGIT = re.compile(r"[0-9]")
_SWAPS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_SWAPPABLE = frozenset("0123456789OoIl|")
_MIN_DIGITS, _MAX_DIGITS = 8, 15
_PLAIN_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MESSENGERS = {
    "whatsapp": "whatsapp",
    "уотсап": "whatsapp",
    "вотсап": "whatsapp",
    "telegram": "telegram",
    "телеграм": "telegram",
    "viber": "viber",
    "вайбър": "viber",
    "signal": "signal",
}
_MESSENGER_WORD = re.compile(r"\b(" + "|".join(_MESSENGERS) + r")\b", re.IGNORECASE)
_LINKS = re.compile(
    r"(?:https?://)?(?:wa\.me/\+?\d{6,15}|(?:t|telegram)\.me/[A-Za-z0-9_]{4,32}"
    r"|viber://(?:chat|add)\?number=(?:%2B|\+)?\d{6,15}|signal\.me/#p/\+?\d{6,15})",
    re.IGNORECASE,
)
# Digits that are not phones but look like them: IBANs and dates are blanked before reading.
_NOT_PHONES = re.compile(
    r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"
    r"|\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2})\b"
)
_AT_HANDLE = re.compile(r"(?<![\w.@])@([A-Za-z][A-Za-z0-9_]{3,31})\b")


@functools.cache
def _digit_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for lang in LANGUAGES:
        words.update(load_lexicon().languages[lang].digits)  # type: ignore[index]
    return words


def _digits_of(token: str) -> tuple[str, str] | None:
    """The digits a token stands for and how it was written, or None."""
    if _ASCII_DIGITS.fullmatch(token):
        return token, "plain"
    word = _digit_words().get(token.lower())
    if word is not None:
        return word, "words"
    if set(token) <= _SWAPPABLE and sum(c.isdigit() for c in token) * 2 >= len(token):
        return token.translate(_SWAPS), "swapped"
    return None


def _chains(text: str) -> Iterator[list[tuple[int, int, str, str]]]:
    """Runs of digit-like tokens (start, end, digits, how) separated by small gaps."""
    chain: list[tuple[int, int, str, str]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        read = ("", "plus") if token == "+" else _digits_of(token)
        joined = bool(chain) and _GAP.fullmatch(text, chain[-1][1], match.start()) is not None
        if read is None or (token == "+" and chain):
            if chain:
                yield chain
            chain = []
            continue
        if chain and not joined:
            yield chain
            chain = []
        chain.append((match.start(), match.end(), read[0], read[1]))
    if chain:
        yield chain


def _valid_number(digits: str, regions: Sequence[str]) -> str | None:
    for region in regions:
        try:
            number = phonenumbers.parse(digits, None if digits.startswith("+") else region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _from_chain(
    text: str, chain: list[tuple[int, int, str, str]], regions: Sequence[str]
) -> Iterator[Extraction]:
    """The longest valid numbers in a chain, left to right."""
    i = 0
    while i < len(chain):
        for j in range(len(chain), i, -1):
            part = chain[i:j]
            digits = "".join(p[2] for p in part)
            if part[0][3] == "plus":
                digits = "+" + digits
            elif digits.startswith("00"):
                digits = "+" + digits[2:]
            count = len(digits.lstrip("+"))
            if not digits.startswith(("+", "0")) or not _MIN_DIGITS <= count <= _MAX_DIGITS:
                continue
            found = _valid_number(digits, regions)
            if found is not None:
                hows = {p[3] for p in part} - {"plus", "plain"}
                # Digits one by one ("0 4 7 0 …") are a way of hiding, unlike groups.
                spaced = sum(p[3] == "plain" and len(p[2]) == 1 for p in part) >= 4
                how = "+".join(sorted(hows)) or ("spaced" if spaced else "plain")
                yield Extraction("phone", found, span_of(text, part[0][0], part[-1][1]), how)
                i = j - 1
                break
        i += 1


def phones(text: str, regions: Sequence[str]) -> list[Extraction]:
    """Every phone number in ``text``: ``phonenumbers``' matcher, then the hidden forms.

    Messenger links are blanked first (same length, so spans hold): their number is the
    link's, read by :func:`handles`, and "wa.me/3247…" has no "+" to say its country. So are
    IBANs and dates. A hidden number must start as a dialled one does (+, 00 or the trunk 0
    all six countries use), so that a reference or an amount is not read as a number.
    """
    for hidden in (_LINKS, _NOT_PHONES):
        text = hidden.sub(lambda m: " " * len(m.group()), text)
    found: dict[str, Extraction] = {}
    # The matcher is the costly part: it runs only where digits could make a number, in the
    # language's first region (a number with its country code is found in any region).
    matched = regions[:1] if len(_DIGIT.findall(text)) >= _MIN_DIGITS else ()
    for region in matched:
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.setdefault(
                value, Extraction("phone", value, span_of(text, match.start, match.end))
            )
    for chain in _chains(text):
        for extraction in _from_chain(text, chain, regions):
            if extraction.how != "plain" or extraction.value not in found:
                found[extraction.value] = extraction
    return sorted(found.values(), key=lambda e: e.span.start)


@functools.cache
def _obfuscated_email() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The whole address, and the dot alone (to split the host into its labels)."""
    lexicon = load_lexicon().languages.values()
    at_words = "|".join(sorted({re.escape(w) for words in lexicon for w in words.at}))
    dot_words = "|".join(sorted({re.escape(w) for words in lexicon for w in words.dot}))
    at = rf"(?:\s*[\[({{<]\s*(?:@|{at_words})\s*[\])}}>]\s*|\s+(?:{at_words})\s+|@)"
    dot = rf"(?:\s*[\[({{<]\s*(?:\.|{dot_words})\s*[\])}}>]\s*|\s+(?:{dot_words})\s+|\.)"
    return re.compile(rf"([\w.+-]+){at}([\w-]+)((?:{dot}[\w-]+)+)", re.IGNORECASE), re.compile(
        dot, re.IGNORECASE
    )


def emails(text: str) -> list[Extraction]:
    """Plain addresses, then "name [at] host (dot) com" and its kin in the six languages."""
    found: dict[str, Extraction] = {}
    taken: list[tuple[int, int]] = []
    for match in _PLAIN_EMAIL.finditer(text):
        _keep_email(found, text, match.group(), match.start(), match.end(), "plain")
        taken.append(match.span())
    whole, dot = _obfuscated_email()
    for match in whole.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        labels = dot.split(match.group(3))
        address = f"{match.group(1)}@{match.group(2)}.{'.'.join(x for x in labels if x)}"
        _keep_email(found, text, address, match.start(), match.end(), "obfuscated")
    return sorted(found.values(), key=lambda e: e.span.start)


def _keep_email(
    found: dict[str, Extraction], text: str, raw: str, start: int, end: int, how: str
) -> None:
    try:
        value = email_type.clean(raw.strip(".").lower())
    except InvalidValue:
        return
    found.setdefault(value, Extraction("email", value, span_of(text, start, end), how))


def handles(text: str) -> list[Extraction]:
    """Messenger links and @names (Telegram when the ad names Telegram), and the messengers
    an ad names at all (kind ``messenger``)."""
    found: dict[str, Extraction] = {}
    for match in _LINKS.finditer(text):
        raw = match.group()
        if raw.lower().startswith("viber://"):
            raw = "viber:+" + re.sub(r"\D", "", raw.split("=", 1)[1].upper().replace("%2B", ""))
        elif "signal.me" in raw.lower():
            raw = "signal:+" + re.sub(r"\D", "", raw)
        _keep_handle(found, text, raw, match.start(), match.end())
    names_telegram = re.search(r"telegram|телеграм|\btg\b", text, re.IGNORECASE) is not None
    for match in _AT_HANDLE.finditer(text):
        platform = "telegram" if names_telegram else "handle"
        _keep_handle(found, text, f"{platform}:{match.group(1)}", match.start(), match.end())
    out = sorted(found.values(), key=lambda e: e.span.start)
    services: set[str] = set()
    for match in _MESSENGER_WORD.finditer(text):
        service = _MESSENGERS[match.group(1).lower()]
        if service not in services:
            services.add(service)
            out.append(Extraction("messenger", service, span_of(text, *match.span())))
    return out


def _keep_handle(found: dict[str, Extraction], text: str, raw: str, start: int, end: int) -> None:
    try:
        value = handle_type.clean(raw)
    except InvalidValue:
        return
    found.setdefault(value, Extraction("handle", value, span_of(text, start, end)))
