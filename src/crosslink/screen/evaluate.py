"""Screening measured on a labelled corpus: extraction, flagging, clusters, thresholds.

The corpus is a file of ads in the intake format (JSON Lines); the labels a YAML mapping of
each ad's URL to its truth: ``suspect`` (trafficking-related or not), ``network`` (the
poster, null for benign ads) and the contacts its text holds (``phones`` in E.164,
``emails``, ``handles`` as ``platform:name``). Nothing here touches the store.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crosslink.errors import ReaderError
from crosslink.screen.cluster import ClusterInput, Options, cluster
from crosslink.screen.extract import Ad
from crosslink.screen.rules import RuleSet
from crosslink.screen.run import contact_keys
from crosslink.screen.score import Verdict, screen_ad

_KINDS = {"phones": "phone", "emails": "email", "handles": "handle"}


@dataclass(frozen=True)
class Rate:
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


@dataclass
class Evaluation:
    extraction: dict[str, Rate]
    flagging: dict[str, Rate]
    """Per language, and ``all``."""
    benign_flagged: float
    cluster_purity: float
    cluster_recall: float
    thresholds: list[tuple[float, Rate, float]] = field(default_factory=list)
    """(threshold, flagging rate, share of benign ads flagged) for a sweep of thresholds."""


def read_corpus(ads_path: Path, labels_path: Path) -> tuple[list[Ad], dict[str, Any]]:
    """The ads (uid = URL) and their labels; an ad without a label is an error."""
    labels = yaml.safe_load(labels_path.read_text("utf-8"))
    if not isinstance(labels, dict):
        raise ReaderError("labels must be a mapping of URL to truth", file=labels_path.name)
    ads = []
    for number, line in enumerate(ads_path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("url") not in labels:
            raise ReaderError(f"no label for {row.get('url')!r}", file=labels_path.name, row=number)
        ads.append(
            Ad(
                row["url"],
                row.get("title") or "",
                row.get("body") or "",
                row.get("language") or None,
            )
        )
    return ads, labels


def _rate(pairs: Sequence[tuple[set[str], set[str]]]) -> Rate:
    tp = sum(len(got & want) for got, want in pairs)
    fp = sum(len(got - want) for got, want in pairs)
    fn = sum(len(want - got) for got, want in pairs)
    return Rate(tp, fp, fn)


def _flagging(
    verdicts: Sequence[Verdict], labels: dict[str, Any], threshold: float, min_indicators: int
) -> tuple[Rate, float]:
    tp = fp = fn = benign = benign_flagged = 0
    for v in verdicts:
        flagged = v.score >= threshold and len(v.reasons) >= min_indicators
        suspect = bool(labels[v.uid]["suspect"])
        tp += flagged and suspect
        fp += flagged and not suspect
        fn += suspect and not flagged
        benign += not suspect
        benign_flagged += flagged and not suspect
    return Rate(tp, fp, fn), benign_flagged / benign if benign else 0.0


def _clusters(
    ads: Sequence[Ad], verdicts: Sequence[Verdict], labels: dict[str, Any], options: Options
) -> tuple[float, float]:
    """Purity: share of clustered suspect ads whose cluster's majority network is theirs.
    Recall: share of same-network pairs that share a cluster."""
    inputs = [
        ClusterInput(a.uid, a.text, contact_keys(a, v)) for a, v in zip(ads, verdicts, strict=True)
    ]
    of = cluster(inputs, options).of
    members: dict[str, list[str]] = defaultdict(list)
    for uid, cid in of.items():
        members[cid].append(uid)
    pure = total = 0
    for uids in members.values():
        networks = [labels[u]["network"] for u in uids if labels[u]["network"]]
        if len(uids) > 1 and networks:
            pure += Counter(networks).most_common(1)[0][1]
            total += len(uids)
    by_network: dict[str, list[str]] = defaultdict(list)
    for uid, truth in labels.items():
        if truth.get("network") and uid in of:
            by_network[truth["network"]].append(uid)
    pairs = together = 0
    for uids in by_network.values():
        for i, left in enumerate(uids):
            for right in uids[i + 1 :]:
                pairs += 1
                together += of[left] == of[right]
    return (pure / total if total else 1.0), (together / pairs if pairs else 1.0)


def evaluate(
    ads: Sequence[Ad], labels: dict[str, Any], rules: RuleSet, options: Options | None = None
) -> Evaluation:
    """Screen every ad and measure it against ``labels``."""
    verdicts = [screen_ad(ad, rules) for ad in ads]
    extraction = {
        kind: _rate(
            [
                ({e.value for e in v.facts.of(_KINDS[kind])}, set(labels[v.uid].get(kind) or []))
                for v in verdicts
            ]
        )
        for kind in _KINDS
    }
    flagging: dict[str, Rate] = {}
    for lang in sorted({v.facts.language or "unknown" for v in verdicts}):
        chosen = [v for v in verdicts if (v.facts.language or "unknown") == lang]
        flagging[lang] = _flagging(chosen, labels, rules.threshold, rules.min_indicators)[0]
    flagging["all"], benign = _flagging(verdicts, labels, rules.threshold, rules.min_indicators)
    purity, recall = _clusters(ads, verdicts, labels, options or Options())
    sweep = [
        (t / 2, *_flagging(verdicts, labels, t / 2, rules.min_indicators)) for t in range(2, 13)
    ]
    return Evaluation(extraction, flagging, benign, purity, recall, sweep)


def check_examples(rules: RuleSet) -> list[str]:
    """Every indicator's examples run as its tests: one line per example that fails."""
    failures = []
    for indicator in rules.indicators:
        for expected, examples in (
            (True, indicator.examples.positive),
            (False, indicator.examples.negative),
        ):
            for example in examples:
                verdict = screen_ad(Ad("example", body=example.text, language=example.lang), rules)
                if (indicator.id in verdict.indicators) != expected:
                    word = "does not fire" if expected else "fires"
                    failures.append(
                        f"{indicator.id} {word} on its {'positive' if expected else 'negative'}"
                        f" example ({example.lang}): {example.text!r}"
                    )
    return failures
