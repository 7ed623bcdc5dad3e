"""The data model, described as data (YAML) and validated when loaded."""

from crosslink.model._loader import (
    CategoryList,
    EntitySpec,
    LinkSpec,
    Model,
    PropertySpec,
    load_model,
)

__all__ = ["CategoryList", "EntitySpec", "LinkSpec", "Model", "PropertySpec", "load_model"]
