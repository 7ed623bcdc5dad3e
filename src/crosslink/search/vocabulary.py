"""The words of names and addresses in the store, for typo-tolerant and prefix matching.

The store indexes ``(prop, fingerprint)`` for equality; a typo or a prefix needs the words
themselves. The distinct words are read once and kept per store while no batch arrives
(records only ever come in batches, so the newest batch id and the count of batches say
whether the words may have changed); a query then finds the fingerprints holding a word near
its own and asks the store for them by equality, on the index.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

import jellyfish
from sqlalchemy import Connection, func, select

from crosslink.search.rules import SearchRules
from crosslink.store.schema import batches, record_values

EXACT, PREFIX, TYPO = 3, 2, 1
"""How well a word matched; a record's score is the sum over the query's words."""


@dataclass(frozen=True)
class Vocabulary:
    generation: tuple[int, int]
    props: frozenset[str]
    fingerprints: dict[str, frozenset[str]]
    """Word -> the stored fingerprints (of the props) that contain it."""

    def near(self, word: str, rules: SearchRules) -> dict[str, int]:
        """The stored fingerprints matching ``word``, with how well (best match kept)."""
        found: dict[str, int] = {}
        for token, quality in self._tokens(word, rules).items():
            for printed in self.fingerprints[token]:
                found[printed] = max(found.get(printed, 0), quality)
        return found

    def _tokens(self, word: str, rules: SearchRules) -> dict[str, int]:
        tokens: dict[str, int] = {}
        if word in self.fingerprints:
            tokens[word] = EXACT
        if not word.isalpha():
            return tokens  # numbers (house numbers, postcodes) match only as written
        prefix = len(word) >= rules.prefix_min
        edits = rules.edits_for(word)
        for token in self.fingerprints:
            if token in tokens:
                continue
            if prefix and token.startswith(word):
                tokens[token] = PREFIX
            elif (
                edits
                and abs(len(token) - len(word)) <= edits
                and jellyfish.damerau_levenshtein_distance(token, word) <= edits
            ):
                tokens[token] = TYPO
        return tokens


_LOCK = threading.Lock()
_CACHE: dict[tuple[str, frozenset[str]], Vocabulary] = {}


def _generation(conn: Connection) -> tuple[int, int]:
    newest, count = conn.execute(
        select(func.coalesce(func.max(batches.c.id), 0), func.count()).select_from(batches)
    ).one()
    return int(newest), int(count)


def _build(conn: Connection, props: frozenset[str], generation: tuple[int, int]) -> Vocabulary:
    words: defaultdict[str, set[str]] = defaultdict(set)
    rows = conn.execute(
        select(record_values.c.fingerprint)
        .where(record_values.c.prop.in_(sorted(props)), record_values.c.fingerprint.is_not(None))
        .distinct()
    )
    for (printed,) in rows:
        for word in printed.split():
            words[word].add(printed)
    return Vocabulary(generation, props, {w: frozenset(f) for w, f in words.items()})


def vocabulary(conn: Connection, props: frozenset[str]) -> Vocabulary:
    """The words of ``props`` in the store ``conn`` reads, rebuilt when a batch has arrived."""
    generation = _generation(conn)
    key = (str(conn.engine.url), props)
    with _LOCK:
        known = _CACHE.get(key)
    if known is not None and known.generation == generation:
        return known
    built = _build(conn, props, generation)
    with _LOCK:
        _CACHE[key] = built
    return built
