"""Clusters of ads: shared keys and near-duplicate text, each cluster saying what ties it."""

from __future__ import annotations

from crosslink.screen.cluster import ClusterInput, cluster, near_duplicates, signatures

TEXT = (
    "Young girls wanted for hostess work in Brussels, age 18-24 years. Earn 450 EUR per day, "
    "accommodation provided. No experience required. Contact only via Telegram."
)


def test_near_duplicates_are_found_and_unrelated_texts_are_not() -> None:
    texts = [
        TEXT,
        TEXT.replace("Brussels", "Antwerp"),
        "Accountant wanted for a firm in Mons, five years of experience, apply by e-mail.",
        "",
    ]
    pairs = near_duplicates(signatures(texts))
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert 0.6 <= pairs[0][2] < 1.0


def test_shared_keys_tie_ads_and_the_cluster_id_is_its_smallest_uid() -> None:
    found = cluster(
        [
            ClusterInput(
                "c", "Farm work in Belgium, housing provided.", frozenset({"phone:+32470551234"})
            ),
            ClusterInput(
                "a",
                "Raccolta in Belgio, alloggio fornito.",
                frozenset({"phone:+32470551234", "email:x@y.be"}),
            ),
            ClusterInput("b", "Nettoyage à Liège, logement fourni.", frozenset({"email:x@y.be"})),
            ClusterInput("d", "Software developer, hybrid work.", frozenset()),
        ]
    )
    assert found.of == {"a": "a", "b": "a", "c": "a", "d": "d"}
    assert found.size == {"a": 3, "d": 1}
    assert found.ties == {"a": ["email:x@y.be", "phone:+32470551234"], "d": []}
