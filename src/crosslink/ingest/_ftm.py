"""FollowTheMoney entities: checked against the FtM schema before they are mapped."""

from __future__ import annotations

from typing import Any

from followthemoney import model as ftm_model
from followthemoney.exc import FollowTheMoneyException


def check_entity(item: dict[str, Any]) -> str | None:
    """Why ``item`` is not a valid FtM entity, or None when it is."""
    if not item.get("id"):
        return "FtM entity without an id"
    schema = item.get("schema")
    if not isinstance(schema, str) or ftm_model.get(schema) is None:
        return f"unknown FtM schema {schema!r}"
    properties = item.get("properties", {})
    if not isinstance(properties, dict):
        return "FtM 'properties' must be an object"
    unknown = [p for p in properties if ftm_model.get(schema).get(p) is None]  # type: ignore[union-attr]
    if unknown:
        return f"{schema} has no FtM properties {', '.join(sorted(unknown))}"
    try:
        ftm_model.get_proxy(item, cleaned=False)
    except (FollowTheMoneyException, TypeError, ValueError) as exc:
        return f"invalid FtM entity: {exc}"
    return None
