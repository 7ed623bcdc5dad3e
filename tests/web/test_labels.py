"""Every label a template asks for exists, so a translation has one list of keys to fill."""

from __future__ import annotations

import re
from importlib import resources

from crosslink.search import KINDS
from crosslink.web.labels import EN, LABELS, label

_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_]+)["']\s*\)""")


def _templates() -> dict[str, str]:
    folder = resources.files("crosslink.web").joinpath("templates")
    return {f.name: f.read_text("utf-8") for f in folder.iterdir() if f.name.endswith(".html")}


def test_every_label_used_exists() -> None:
    used = {key for text in _templates().values() for key in _KEY.findall(text)}
    used |= {f"kind.{kind}" for kind in KINDS}
    assert len(used) > 50
    assert sorted(used - set(EN)) == []


def test_translations_have_no_unknown_keys() -> None:
    for language, labels in LABELS.items():
        assert set(labels) <= set(EN), language
    assert label("no.such.key") == "no.such.key"
    assert label("nav.search", "nl") == EN["nav.search"]
