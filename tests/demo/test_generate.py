"""Determinism, configuration checks and the shape of the generated files."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from crosslink.demo import NoiseRates, WorldConfig, generate_world, read_manifest
from crosslink.errors import ConfigurationError
from tests.demo.conftest import Generated


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    config = WorldConfig(seed=11, scale=400)
    generate_world(config, tmp_path / "a")
    generate_world(config, tmp_path / "b")
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first.keys() == second.keys()
    assert "partners/be_social_inspection.xlsx" in first
    for name, data in first.items():
        assert data == second[name], name


def test_another_seed_gives_another_world(tmp_path: Path) -> None:
    generate_world(WorldConfig(seed=1, scale=300), tmp_path / "a")
    generate_world(WorldConfig(seed=2, scale=300), tmp_path / "b")
    a = (tmp_path / "a" / "partners" / "be_police_reports.csv").read_bytes()
    b = (tmp_path / "b" / "partners" / "be_police_reports.csv").read_bytes()
    assert a != b


def test_xlsx_has_fixed_properties_and_two_sheets(world: Generated) -> None:
    path = world.out / "partners" / "be_social_inspection.xlsx"
    with zipfile.ZipFile(path) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert "2024-01-01T00:00:00Z" in core
        assert all(i.date_time == (2024, 1, 1, 0, 0, 0) for i in archive.infolist())
        assert sum(n.startswith("xl/worksheets/sheet") for n in archive.namelist()) == 2


def test_manifest_lists_every_partner_file(world: Generated) -> None:
    manifest = read_manifest(world.out)
    assert len(manifest.files) == 8
    assert manifest.records == sum(f.rows for f in manifest.files)
    assert abs(manifest.records - world.config.scale) < world.config.scale * 0.02
    for entry in manifest.files:
        assert (world.out / "partners" / entry.file).stat().st_size > 0


def test_police_csv_is_dutch_semicolon_dmy(world: Generated) -> None:
    text = (world.out / "partners" / "be_police_reports.csv").read_text("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:4] == ["pv_nummer", "datum_pv", "eenheid", "feit"]
    assert "verdachte" in text and "slachtoffer" in text and "getuige" in text


def test_formats_are_realistic(world: Generated) -> None:
    persons = world.truth("persons")
    ibans = [p["iban"] for p in persons]
    from crosslink.model.types import get

    iban = get("iban")
    assert all(iban.validate(i) is None for i in ibans[:500])
    scripts = {p["family_native"][:1] for p in persons if p["family_native"]}
    assert any("\u0600" <= ch <= "\u06ff" for ch in scripts)  # Arabic script
    assert any("\u0400" <= ch <= "\u04ff" for ch in scripts)  # Cyrillic


def test_ads_are_multilingual(world: Generated) -> None:
    path = world.out / "partners" / "scraped_job_ads.jsonl"
    langs = set()
    for line in path.read_text("utf-8").splitlines():
        try:
            langs.add(json.loads(line)["lang"])
        except json.JSONDecodeError:
            continue
    assert {"nl", "fr", "en", "de", "ro", "bg"} <= langs


@pytest.mark.parametrize(
    "config",
    [
        WorldConfig(scale=10),
        WorldConfig(noise=NoiseRates(typo=1.5)),
        WorldConfig(noise=NoiseRates(dob_missing=0.6, dob_partial=0.5)),
    ],
)
def test_bad_configuration_is_refused(config: WorldConfig, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        generate_world(config, tmp_path)


def test_a_bank_report_identifies_its_client_and_only_names_the_counterparty(
    world: Generated,
) -> None:
    with (world.out / "partners" / "be_bank_str.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    people = 0
    for row in rows:
        known = [
            side
            for side in ("payer", "beneficiary")
            if row[f"{side}_birth_date"] or row[f"{side}_nationality"]
        ]
        assert len(known) <= 1  # the bank's own client, never both sides
        for side in known:
            assert row[f"{side}_type"] == "natural person"
            people += 1
    assert people > len(rows) / 4  # about half the reports have a person as client
