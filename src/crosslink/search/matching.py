"""The records whose values match a reading of the query, each with its best-matched value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from crosslink.search.reading import Reading
from crosslink.search.rules import SearchRules
from crosslink.search.vocabulary import EXACT, vocabulary
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import record_values


@dataclass(frozen=True)
class Match:
    """Why a record matched: its best-matched property and value as the source wrote it."""

    score: int
    prop: str
    value: str
    by_words: bool


@dataclass
class Matches:
    records: dict[str, Match]
    capped: bool = False
    """More records matched than the rules read (``max_records``): the rarest are shown."""


def _values(
    conn: Connection, props: Iterable[str], fingerprints: list[str], cap: int
) -> tuple[list[tuple[str, str, str, str]], bool]:
    """The values of ``props`` with one of ``fingerprints`` (by equality, on the index)."""
    v = record_values.c
    rows: list[tuple[str, str, str, str]] = []
    wanted = sorted(props)
    for start in range(0, len(fingerprints), MAX_IN_PARAMS):
        chunk = fingerprints[start : start + MAX_IN_PARAMS]
        query = (
            select(v.record_uid, v.prop, v.original, v.fingerprint)
            .where(v.prop.in_(wanted), v.fingerprint.in_(chunk))
            .limit(cap - len(rows) + 1)
        )
        rows.extend(
            (uid, prop, original, printed) for uid, prop, original, printed in conn.execute(query)
        )
        if len(rows) > cap:
            return rows[:cap], True
    return rows, False


def _by_words(conn: Connection, reading: Reading, rules: SearchRules) -> Matches:
    """Records in which every word of the query matches a word of some name or address."""
    vocab = vocabulary(conn, reading.word_props)
    per_record: dict[str, dict[int, tuple[int, str, str]]] = {}
    capped = False
    for i, word in enumerate(reading.words):
        near = vocab.near(word, rules)
        # the best matches first, so a cap drops the loosest
        ordered = sorted(near, key=lambda f: (-near[f], f))
        rows, hit_cap = _values(conn, reading.word_props, ordered, rules.max_records)
        capped = capped or hit_cap
        for uid, prop, original, printed in rows:
            best = per_record.setdefault(uid, {})
            quality = near[printed]
            if i not in best or best[i][0] < quality:
                best[i] = (quality, prop, original)
    found: dict[str, Match] = {}
    for uid, best in per_record.items():
        if len(best) < len(reading.words):
            continue
        top = max(best.values(), key=lambda m: m[0])
        found[uid] = Match(sum(m[0] for m in best.values()), top[1], top[2], by_words=True)
    return Matches(found, capped)


def matching_records(conn: Connection, reading: Reading, rules: SearchRules) -> Matches:
    """Every record matching the reading: all its words, or one of its exact keys."""
    matches = _by_words(conn, reading, rules) if reading.words else Matches({})
    # an exact key (a phone, a plate, a document number) counts as every word matched exactly
    key_score = EXACT * max(1, len(reading.words))
    for key in reading.keys:
        rows, hit_cap = _values(conn, key.props, sorted(key.fingerprints), rules.max_records)
        matches.capped = matches.capped or hit_cap
        for uid, prop, original, _ in rows:
            known = matches.records.get(uid)
            if known is None or known.score < key_score:
                matches.records[uid] = Match(key_score, prop, original, by_words=False)
    return matches
