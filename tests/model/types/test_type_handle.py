from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import handle
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@Jobs_Belgium", "handle:jobs_belgium"),
        ("jobs_belgium", "handle:jobs_belgium"),
        ("t.me/JobsBE", "telegram:jobsbe"),
        ("https://t.me/JobsBE", "telegram:jobsbe"),
        ("tg:JobsBE", "telegram:jobsbe"),
        ("wa.me/32470123456", "whatsapp:+32470123456"),
        ("https://api.whatsapp.com/send?phone=32470123456", "whatsapp:+32470123456"),
        ("whatsapp:+32 470 12 34 56", "whatsapp:+32470123456"),
        ("instagram.com/Anna.Work/", "instagram:anna.work"),
        ("https://www.instagram.com/anna.work/?hl=nl", "instagram:anna.work"),
        ("facebook.com/ana.pop", "facebook:ana.pop"),
        ("https://m.facebook.com/profile.php?id=1000123", "facebook:1000123"),
        ("https://www.tiktok.com/@dancer", "tiktok:dancer"),
        ("telegram:jobsbe", "telegram:jobsbe"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert handle.clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("https://instagram.com/p/XYZ", "not an account link: 'https://instagram.com/p/XYZ'"),
        ("https://t.me/", "not an account link: 'https://t.me/'"),
        ("example.com/jobs", "unknown platform in 'example.com/jobs'"),
        ("@bad name", "'bad name' is not a valid account name"),
        ("wa.me/123", "not a possible number (too short)"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert handle.validate(raw) == reason


def test_whatsapp_national_number_uses_region() -> None:
    assert handle.clean("whatsapp:0470 12 34 56", CleanContext(region="BE")) == (
        "whatsapp:+32470123456"
    )


def test_compare_and_fingerprint() -> None:
    assert handle.fingerprint("telegram:jobsbe") == "jobsbe"
    assert handle.compare("telegram:jobsbe", "telegram:jobsbe") == 1.0
    assert handle.compare("handle:jobsbe", "telegram:jobsbe") == 0.8
    assert handle.compare("instagram:jobsbe", "telegram:jobsbe") == 0.6
    assert handle.compare("telegram:jobsbe", "telegram:jobsnl") == 0.0


names = st.from_regex(r"[a-z][a-z0-9_.]{2,20}", fullmatch=True)
LAYOUTS = {
    "telegram": ["t.me/{}", "https://t.me/{}", "http://telegram.me/{}", "tg:{}", "TELEGRAM:{}"],
    "instagram": ["instagram.com/{}", "https://www.instagram.com/{}/", "ig:{}"],
    "facebook": ["facebook.com/{}", "https://m.facebook.com/{}", "fb:{}"],
    "handle": ["@{}", "{}", " @{} "],
}


@SETTINGS
@given(names, st.sampled_from(sorted(LAYOUTS)), st.data())
def test_layouts_meet(name: str, platform: str, data: st.DataObject) -> None:
    layout = data.draw(st.sampled_from(LAYOUTS[platform]))
    raw = layout.format(name.upper() if data.draw(st.booleans()) else name)
    cleaned = handle.clean(raw)
    assert cleaned == f"{platform}:{name}"
    assert handle.clean(cleaned) == cleaned
    assert handle.fingerprint(cleaned) == name


@SETTINGS
@given(names, names, st.sampled_from(sorted(LAYOUTS)), st.sampled_from(sorted(LAYOUTS)))
def test_compare_is_symmetric_and_bounded(x: str, y: str, p: str, q: str) -> None:
    a, b = f"{p}:{x}", f"{q}:{y}"
    assert handle.compare(a, b) == handle.compare(b, a)
    assert 0.0 <= handle.compare(a, b) <= 1.0
    assert handle.compare(a, a) == 1.0
