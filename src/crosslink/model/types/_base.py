"""The shape every value type shares: clean, validate, compare, fingerprint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crosslink.errors import InvalidValue


@dataclass(frozen=True)
class CleanContext:
    """What a source tells us about how to read its values.

    ``region`` is the ISO 3166-1 alpha-2 code of the source's country: the default region for
    national phone numbers, licence plates and postcodes. ``date_order`` settles 03/04/2001.
    """

    region: str | None = None
    date_order: str = "dmy"


DEFAULT_CONTEXT = CleanContext()


@dataclass(frozen=True)
class ValueType:
    """One value type as data: its name and its four functions.

    ``clean`` returns the canonical form or raises :class:`InvalidValue` with a reason;
    ``clean(clean(x)) == clean(x)``. ``compare`` takes two cleaned values and returns a
    similarity in [0, 1]. ``fingerprint`` takes a cleaned value and returns a blocking key
    (values that might be the same thing share it).
    """

    name: str
    clean: Callable[[str, CleanContext], str]
    compare: Callable[[str, str], float]
    fingerprint: Callable[[str], str]

    def validate(self, raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
        """The reason ``raw`` is invalid, or None when it cleans."""
        try:
            self.clean(raw, ctx)
        except InvalidValue as exc:
            return exc.reason
        return None
