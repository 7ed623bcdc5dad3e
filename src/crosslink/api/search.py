"""Kept for the modules that still import labels from here; search is :mod:`crosslink.search`."""

from crosslink.search.labels import LABEL_INPUTS, LABEL_PROPS, label_of, record_labels

__all__ = ["LABEL_INPUTS", "LABEL_PROPS", "label_of", "record_labels"]
