from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import url

SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTPS://Jobs.Example.COM/Vacature?utm_source=fb&id=3#apply",
            "https://jobs.example.com/Vacature?id=3",
        ),
        ("example.com", "https://example.com/"),
        ("www.werk-in-belgie.be/job/123", "https://www.werk-in-belgie.be/job/123"),
        ("http://example.com:80/a b", "http://example.com/a%20b"),
        ("example.com:8080/x", "https://example.com:8080/x"),
        ("https://ex.com/?q=a&fbclid=XYZ&gclid=1", "https://ex.com/?q=a"),
        ("ftp://ftp.example.org", "ftp://ftp.example.org/"),
        ("https://example.com/?a=1&a=2", "https://example.com/?a=1&a=2"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert url.clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("javascript:alert(1)", "javascript: URLs are not accepted"),
        ("JavaScript:void(0)", "javascript: URLs are not accepted"),
        ("data:text/html;base64,PHA+", "data: URLs are not accepted"),
        ("mailto:jobs@example.com", "not a web address (scheme mailto:)"),
        ("https://", "no valid host in URL 'https://'"),
        ("http://nohost/", "no valid host in URL 'http://nohost/'"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert url.validate(raw) == reason


def test_compare_and_fingerprint() -> None:
    a = url.clean("https://www.example.com/job/1/")
    b = url.clean("http://example.com/job/1")
    assert url.fingerprint(a) == url.fingerprint(b) == "example.com/job/1"
    assert url.compare(a, a) == 1.0
    assert url.compare(a, b) == 0.9
    assert url.compare(a, url.clean("example.com/job/2")) == 0.3
    assert url.compare(a, url.clean("other.org/job/1")) == 0.0


hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]\.(be|nl|ro|com)", fullmatch=True)
paths = st.from_regex(r"(/[A-Za-z0-9_~-]{1,8}){0,3}", fullmatch=True)


@SETTINGS
@given(hosts, paths, st.sampled_from(["", "?id=7"]), st.data())
def test_variants_meet(host: str, path: str, query: str, data: st.DataObject) -> None:
    canonical = url.clean(f"https://{host}{path}{query}")
    variant = data.draw(
        st.sampled_from(
            [
                f"HTTPS://{host.upper()}{path}{query}#top",
                f"{host}{path}{query}",
                f"https://{host}{path}{query}{'&' if query else '?'}utm_source=x&utm_medium=y",
                f"  https://{host}:443{path}{query} ",
            ]
        )
    )
    cleaned = url.clean(variant)
    assert cleaned == canonical
    assert url.clean(cleaned) == cleaned
    assert url.fingerprint(cleaned) == url.fingerprint(canonical)


@SETTINGS
@given(hosts, paths, hosts, paths)
def test_compare_is_symmetric_and_bounded(h1: str, p1: str, h2: str, p2: str) -> None:
    a, b = url.clean(h1 + p1), url.clean(h2 + p2)
    assert url.compare(a, b) == url.compare(b, a)
    assert 0.0 <= url.compare(a, b) <= 1.0
    assert url.compare(a, a) == 1.0
