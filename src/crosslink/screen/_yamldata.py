"""YAML read with the line of every node, so that a validation error can name its line."""

from __future__ import annotations

from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from crosslink.screen.errors import RuleError

Path = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


def load_with_lines(text: str, file: str) -> tuple[Any, dict[Path, int]]:
    """The document's data and, for each path into it, the line (1-based) it starts on."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RuleError(file, line, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    lines: dict[Path, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _walk(value, (*path, str(key.value)), lines)
            lines[(*path, str(key.value))] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        found = lines.get(tuple(path[:end]))
        if found is not None:
            return found
    return None


def validate(model: type[M], data: Any, lines: dict[Path, int], file: str) -> M:
    """``model`` built from ``data``; the first problem raised as :class:`RuleError`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = tuple(p for p in first["loc"] if isinstance(p, str | int))
        where = ".".join(str(p) for p in path) or "document"
        raise RuleError(file, line_of(lines, path), f"{where}: {first['msg']}") from None
