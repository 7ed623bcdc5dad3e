"""Entity resolution on Splink: one person (organisation, address, vehicle) across sources.

Named parts, like Splink's own facade:

- :mod:`~crosslink.resolve.extract`: records -> one Arrow table per entity type (cleaned,
  derived columns; the access filter applied in the query);
- :mod:`~crosslink.resolve.settings`: the Splink model of each entity type;
- :mod:`~crosslink.resolve.backend`: DuckDB (default) or Spark;
- :mod:`~crosslink.resolve.train`, :mod:`~crosslink.resolve.predict`,
  :mod:`~crosslink.resolve.cluster`: training, scoring, clustering under judgements;
- :mod:`~crosslink.resolve.ids`: stable entity ids and their history;
- :mod:`~crosslink.resolve.judgements`, :mod:`~crosslink.resolve.review`,
  :mod:`~crosslink.resolve.explain`: the human side.

See ``docs/resolution.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Eager: these functions share their module's name, which would otherwise shadow them.
from crosslink.resolve.explain import explain
from crosslink.resolve.extract import extract

if TYPE_CHECKING:
    from crosslink.resolve.backend import (
        Backend,
        DuckDBBackend,
        SparkBackend,
        SparkOptions,
        make_backend,
    )
    from crosslink.resolve.explain import Evidence, Explanation, Member
    from crosslink.resolve.extract import ENTITY_TYPES
    from crosslink.resolve.judgements import VERDICTS, Judgement, judge, list_judgements
    from crosslink.resolve.review import ReviewItem, review_queue
    from crosslink.resolve.run import ResolveOptions, RunSummary, resolve
    from crosslink.resolve.train import TrainOptions

# Splink, DuckDB and Arrow load on first use: the store imports this package for its tables.
_WHERE = {
    "Backend": "backend", "DuckDBBackend": "backend", "SparkBackend": "backend",
    "SparkOptions": "backend", "make_backend": "backend",
    "Evidence": "explain", "Explanation": "explain", "Member": "explain",
    "ENTITY_TYPES": "extract",
    "VERDICTS": "judgements", "Judgement": "judgements", "judge": "judgements",
    "list_judgements": "judgements",
    "ReviewItem": "review", "review_queue": "review",
    "ResolveOptions": "run", "RunSummary": "run", "resolve": "run",
    "TrainOptions": "train",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'crosslink.resolve' has no attribute {name!r}")
    return getattr(importlib.import_module(f"crosslink.resolve.{_WHERE[name]}"), name)


__all__ = [
    "ENTITY_TYPES",
    "VERDICTS",
    "Backend",
    "DuckDBBackend",
    "Evidence",
    "Explanation",
    "Judgement",
    "Member",
    "ResolveOptions",
    "ReviewItem",
    "RunSummary",
    "SparkBackend",
    "SparkOptions",
    "TrainOptions",
    "explain",
    "extract",
    "judge",
    "list_judgements",
    "make_backend",
    "resolve",
    "review_queue",
]
