"""Search: one hit per resolved entity, typo-tolerant, across scripts, phone and plate formats.

See ``docs/search.md``. The rules (phone regions, typo tolerance, what a summary shows) are
data: ``data/search.yaml``.
"""

from crosslink.search.engine import MAX_PER_PAGE, Hit, SearchQuery, SearchResult, search
from crosslink.search.labels import LABEL_INPUTS, LABEL_PROPS, label_of, record_labels
from crosslink.search.reading import KINDS, read_query
from crosslink.search.rules import SearchRules, load_rules, parse_rules
from crosslink.search.summary import EntitySummary

__all__ = [
    "KINDS",
    "LABEL_INPUTS",
    "LABEL_PROPS",
    "MAX_PER_PAGE",
    "EntitySummary",
    "Hit",
    "SearchQuery",
    "SearchResult",
    "SearchRules",
    "label_of",
    "load_rules",
    "parse_rules",
    "read_query",
    "record_labels",
    "search",
]
