"""Screening throughput and quality: ads a second for extraction + scoring, clustering time,
peak memory, and the labelled corpora's precision and recall.

Usage: .venv/bin/python benchmarks/bench_screen.py [--ads 5000] [--cluster 20000]

The ads are the labelled corpora of tests/screen/data, repeated with a serial number and a
changed amount so that no two texts are equal; clustering then has real near-duplicates to
find. One process, one core.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

from _machine import reference_seconds

from crosslink.screen import Ad, bundled_rules, screen_ad
from crosslink.screen.cluster import ClusterInput, cluster
from crosslink.screen.evaluate import evaluate, read_corpus

DATA = Path(__file__).resolve().parents[1] / "tests" / "screen" / "data"
CORPORA = (("ads.jsonl", "labels.yaml"), ("holdout.jsonl", "holdout_labels.yaml"))


def _corpus() -> list[Ad]:
    ads: list[Ad] = []
    for ads_file, labels_file in CORPORA:
        ads.extend(read_corpus(DATA / ads_file, DATA / labels_file)[0])
    return ads


def _synthetic(base: list[Ad], count: int) -> list[Ad]:
    rng = random.Random(7)
    out = []
    for i in range(count):
        ad = base[i % len(base)]
        body = f"{ad.body} Ref {i}. {rng.randint(10, 99)} posts."
        out.append(Ad(f"ad{i:08d}", ad.title, body, ad.language))
    return out


def _quality() -> None:
    rules = bundled_rules()
    for ads_file, labels_file in CORPORA:
        ads, labels = read_corpus(DATA / ads_file, DATA / labels_file)
        result = evaluate(ads, labels, rules)
        print(f"{ads_file} ({len(ads)} ads):")
        for kind, rate in result.extraction.items():
            print(
                f"  extract {kind}: precision {rate.precision:.3f} recall {rate.recall:.3f} "
                f"(tp {rate.true_positive}, fp {rate.false_positive}, fn {rate.false_negative})"
            )
        for lang, rate in result.flagging.items():
            print(f"  flag {lang}: precision {rate.precision:.3f} recall {rate.recall:.3f}")
        print(
            f"  benign flagged {result.benign_flagged:.1%}; cluster purity "
            f"{result.cluster_purity:.3f}, pair recall {result.cluster_recall:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=5000)
    parser.add_argument("--cluster", type=int, default=20000)
    args = parser.parse_args()
    print(f"reference loop: {reference_seconds():.2f} s")
    _quality()
    rules = bundled_rules()
    base = _corpus()
    screen_ad(base[0], rules)  # load the language models and patterns once
    ads = _synthetic(base, args.ads)
    started = time.perf_counter()
    for ad in ads:
        screen_ad(ad, rules)
    seconds = time.perf_counter() - started
    print(f"extract + score: {len(ads)} ads in {seconds:.1f} s = {len(ads) / seconds:,.0f} ads/s")
    many = _synthetic(base, args.cluster)
    # Text only: the copies share their base ad's contacts, which would tie everything.
    started = time.perf_counter()
    found = cluster([ClusterInput(a.uid, a.text, frozenset()) for a in many])
    seconds = time.perf_counter() - started
    print(
        f"cluster (near-duplicate text): {len(many)} ads in {seconds:.1f} s, "
        f"{len(found.size)} clusters from {len(base)} distinct base texts"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MiB")
    print(f"reference loop: {reference_seconds():.2f} s")


if __name__ == "__main__":
    main()
