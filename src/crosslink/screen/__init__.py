"""Screening: scraped ads taken in, read in six languages, scored against indicator rules
(YAML data), clustered into the networks that post them, and shown with their reasons."""

from crosslink.screen.cluster import ClusterInput, Clusters, Options, cluster
from crosslink.screen.errors import NoScreening, RuleError, ScreenError
from crosslink.screen.extract import Ad, Facts, extract
from crosslink.screen.intake import import_ads
from crosslink.screen.rules import RuleSet, bundled_rules, load_lexicon, load_rules
from crosslink.screen.run import RunSummary, latest_run, run_screening
from crosslink.screen.score import Reason, Verdict, screen_ad
from crosslink.screen.views import AdCluster, ScreenedAd, ad_clusters, show_ad, top_ads

__all__ = [
    "Ad",
    "AdCluster",
    "ClusterInput",
    "Clusters",
    "Facts",
    "NoScreening",
    "Options",
    "Reason",
    "RuleError",
    "RuleSet",
    "RunSummary",
    "ScreenError",
    "ScreenedAd",
    "Verdict",
    "ad_clusters",
    "bundled_rules",
    "cluster",
    "extract",
    "import_ads",
    "latest_run",
    "load_lexicon",
    "load_rules",
    "run_screening",
    "screen_ad",
    "show_ad",
    "top_ads",
]
