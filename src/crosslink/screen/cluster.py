"""Ads grouped into the networks that post them.

Two ads are tied when they share a contact (a phone, an e-mail, a messenger account — a
WhatsApp, Signal or Viber account is its phone number), an image hash, or nearly the same
text. Near-duplicates are found with MinHash over word shingles and banded locality-sensitive
hashing, vectorised in numpy (signatures as one matrix, buckets by ``np.unique`` per band), so
candidate pairs come without comparing every ad with every other; a candidate is kept when its
estimated Jaccard similarity reaches ``similarity``. igraph's connected components are the
clusters.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import igraph
import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"\w+")
_PRIME = np.uint64((1 << 61) - 1)
_SEED = 20261207


@dataclass(frozen=True)
class ClusterInput:
    uid: str
    text: str
    keys: frozenset[str]
    """Shared-contact keys: ``phone:+32…``, ``email:…``, ``handle:telegram:…``, ``image:…``."""


@dataclass(frozen=True)
class Options:
    shingle: int = 3
    hashes: int = 64
    bands: int = 16
    similarity: float = 0.6


def _shingles(text: str, size: int) -> npt.NDArray[np.uint64]:
    words = _WORD.findall(text.lower())
    grams = {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}
    return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


def signatures(texts: Sequence[str], options: Options = Options()) -> npt.NDArray[np.uint64]:
    """One MinHash signature (``options.hashes`` values) per text, as an (n, hashes) matrix."""
    rng = np.random.default_rng(_SEED)
    a = rng.integers(1, int(_PRIME), size=options.hashes, dtype=np.uint64)
    b = rng.integers(0, int(_PRIME), size=options.hashes, dtype=np.uint64)
    out = np.empty((len(texts), options.hashes), dtype=np.uint64)
    with np.errstate(over="ignore"):  # the universal hash wraps modulo 2**64 on purpose
        for i, text in enumerate(texts):
            grams = _shingles(text, options.shingle)
            if grams.size == 0:
                out[i] = np.iinfo(np.uint64).max
                continue
            out[i] = ((np.outer(grams, a) + b) % _PRIME).min(axis=0)
    return out


def near_duplicates(
    sig: npt.NDArray[np.uint64], options: Options = Options()
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, estimated Jaccard) of rows sharing a band and similar enough."""
    rows = options.hashes // options.bands
    candidates: set[tuple[int, int]] = set()
    for band in range(options.bands):
        block = np.ascontiguousarray(sig[:, band * rows : (band + 1) * rows])
        _, bucket = np.unique(block.view(f"V{block.shape[1] * 8}").ravel(), return_inverse=True)
        order = np.argsort(bucket, kind="stable")
        same = bucket[order][1:] == bucket[order][:-1]
        for left, right in zip(order[:-1][same], order[1:][same], strict=True):
            candidates.add((int(min(left, right)), int(max(left, right))))
    pairs = []
    for i, j in sorted(candidates):
        estimate = float(np.mean(sig[i] == sig[j]))
        if estimate >= options.similarity:
            pairs.append((i, j, estimate))
    return pairs


@dataclass(frozen=True)
class Clusters:
    of: dict[str, str]
    """Ad uid -> cluster id (the smallest uid in the cluster: stable across runs)."""
    size: dict[str, int]
    ties: dict[str, list[str]]
    """Cluster id -> what ties it: shared keys and ``text~0.83`` for near-duplicates."""


def cluster(ads: Sequence[ClusterInput], options: Options = Options()) -> Clusters:
    """Connected components of ads tied by a shared key or near-duplicate text."""
    edges: list[tuple[int, int]] = []
    why: dict[tuple[int, int], str] = {}
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, ad in enumerate(ads):
        for key in ad.keys:
            by_key[key].append(i)
    for key, members in by_key.items():
        for other in members[1:]:
            edges.append((members[0], other))
            why[(members[0], other)] = key
    for i, j, estimate in near_duplicates(signatures([a.text for a in ads], options), options):
        edges.append((i, j))
        why.setdefault((i, j), f"text~{estimate:.2f}")
    graph = igraph.Graph(n=len(ads), edges=edges)
    of: dict[str, str] = {}
    size: dict[str, int] = {}
    ties: dict[str, list[str]] = {}
    membership = graph.connected_components().membership
    groups: dict[int, list[int]] = defaultdict(list)
    for index, component in enumerate(membership):
        groups[component].append(index)
    reasons: dict[int, set[str]] = defaultdict(set)
    for (left, _), reason in why.items():
        reasons[membership[left]].add(reason)
    for component, members in groups.items():
        cid = min(ads[m].uid for m in members)
        size[cid] = len(members)
        ties[cid] = sorted(reasons[component])
        for m in members:
            of[ads[m].uid] = cid
    return Clusters(of, size, ties)
