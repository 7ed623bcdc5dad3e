from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import email

SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jan.Peeters@Telenet.BE", "jan.peeters@telenet.be"),
        ("  mailto:info@payoke.be ", "info@payoke.be"),
        ("MAILTO:jobs@example.nl?subject=Werk", "jobs@example.nl"),
        ("<ana.pop@yahoo.ro>", "ana.pop@yahoo.ro"),
        ("werk+nl@gmail.com", "werk+nl@gmail.com"),
        ("ivan@mail.ru", "ivan@mail.ru"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert email.clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("jan peeters@telenet.be", "email contains spaces"),
        ("jan.peeters.telenet.be", "email needs exactly one @ (found 0)"),
        ("a@b@c.com", "email needs exactly one @ (found 2)"),
        ("@telenet.be", "email has nothing before @"),
        ("jan@", "email has nothing after @"),
        ("jan@localhost", "email domain 'localhost' has no dot"),
        ("jan@-telenet.be", "email domain '-telenet.be' is not a valid host name"),
        ("jan@telenet.b3", "email domain 'telenet.b3' has no valid top-level domain"),
        ("jan..peeters@telenet.be", "email local part has a misplaced dot"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert email.validate(raw) == reason


@pytest.mark.parametrize(
    ("cleaned", "key"),
    [
        ("j.o.h.n+ads@googlemail.com", "john@gmail.com"),
        ("john@gmail.com", "john@gmail.com"),
        ("werk+nl@telenet.be", "werk@telenet.be"),
        ("w.e.r.k@telenet.be", "w.e.r.k@telenet.be"),  # dots only ignored by Gmail
    ],
)
def test_fingerprint(cleaned: str, key: str) -> None:
    assert email.fingerprint(cleaned) == key


def test_compare() -> None:
    assert email.compare("john@gmail.com", "john@gmail.com") == 1.0
    assert email.compare("j.ohn+x@googlemail.com", "john@gmail.com") == 0.9
    assert email.compare("john@gmail.com", "john@telenet.be") == 0.0


locals_ = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,6}){0,2}", fullmatch=True)
domains = st.sampled_from(["gmail.com", "googlemail.com", "telenet.be", "yahoo.ro", "web.de"])


@SETTINGS
@given(locals_, st.from_regex(r"[a-z0-9]{0,6}", fullmatch=True), domains, st.booleans())
def test_variants_meet(local: str, tag: str, domain: str, shout: bool) -> None:
    plain = email.clean(f"{local}@{domain}")
    raw = f"mailto:{local}+{tag}@{domain}" if tag else f" {local}@{domain} "
    variant = email.clean(raw.upper() if shout else raw)
    assert email.clean(variant) == variant
    assert email.fingerprint(variant) == email.fingerprint(plain)
    if domain in ("gmail.com", "googlemail.com"):
        undotted = email.clean(f"{local.replace('.', '')}@gmail.com")
        assert email.fingerprint(undotted) == email.fingerprint(plain)


@SETTINGS
@given(
    st.tuples(locals_, domains).map("@".join),
    st.tuples(locals_, domains).map("@".join),
)
def test_compare_is_symmetric_and_bounded(a: str, b: str) -> None:
    x, y = email.clean(a), email.clean(b)
    assert email.compare(x, y) == email.compare(y, x)
    assert 0.0 <= email.compare(x, y) <= 1.0
    assert email.compare(x, x) == 1.0
