"""Screening measured on the labelled corpora: the bars a change must keep.

``ads.jsonl`` is the development corpus the rules were written against; ``holdout.jsonl`` was
written after the rules were frozen. The figures are printed by
``crosslink screen evaluate`` (quoted in docs/screening.md); these tests hold the floor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crosslink.screen import bundled_rules
from crosslink.screen.evaluate import Evaluation, evaluate, read_corpus

DATA = Path(__file__).parent / "data"


_LABELS = {"ads": "labels.yaml", "holdout": "holdout_labels.yaml"}


def _measured(name: str) -> Evaluation:
    ads, labels = read_corpus(DATA / f"{name}.jsonl", DATA / _LABELS[name])
    return evaluate(ads, labels, bundled_rules())


@pytest.mark.parametrize(("name", "floor"), [("ads", 0.95), ("holdout", 0.85)])
def test_extraction_finds_the_contacts(name: str, floor: float) -> None:
    result = _measured(name)
    for kind, rate in result.extraction.items():
        assert rate.recall >= floor, (kind, rate)
        assert rate.precision >= floor, (kind, rate)


@pytest.mark.parametrize("name", ["ads", "holdout"])
def test_suspect_ads_are_flagged_and_benign_ones_are_not(name: str) -> None:
    result = _measured(name)
    assert result.flagging["all"].recall >= 0.85
    assert result.flagging["all"].precision >= 0.85
    assert result.benign_flagged <= 0.05


def test_every_language_is_screened_in_the_development_corpus() -> None:
    result = _measured("ads")
    assert {"nl", "fr", "en", "de", "ro", "bg"} <= set(result.flagging)


@pytest.mark.parametrize("name", ["ads", "holdout"])
def test_clusters_do_not_mix_networks(name: str) -> None:
    result = _measured(name)
    assert result.cluster_purity == 1.0
    assert result.cluster_recall >= 0.6


def test_a_threshold_sweep_shows_the_trade_off() -> None:
    sweep = _measured("ads").thresholds
    thresholds = [t for t, _, _ in sweep]
    assert thresholds == sorted(thresholds)
    recalls = [rate.recall for _, rate, _ in sweep]
    assert recalls == sorted(recalls, reverse=True)
    assert recalls[-1] < recalls[0]
