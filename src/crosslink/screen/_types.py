"""What extraction finds: a value of a kind, with the evidence span it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of the text screened (title, a newline, then the body)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Extraction:
    kind: str
    """phone, email, handle, messenger, pay, hours, age, place."""
    value: str
    span: Span
    how: str = "plain"
    """plain, or how the poster hid it: words, swapped, spaced, obfuscated."""
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "value": self.value,
            "span": [self.span.start, self.span.end, self.span.text],
            "how": self.how,
        }
        if self.detail:
            out["detail"] = self.detail
        return out


def span_of(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])
