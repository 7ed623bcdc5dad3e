from __future__ import annotations

import subprocess
import sys

import pytest

from crosslink.errors import InvalidValue, ModelError
from crosslink.model import types
from crosslink.model.types import DEFAULT_CONTEXT, CleanContext, ValueType

EXPECTED = [
    "address", "boolean", "country", "date", "email", "handle", "iban", "identifier", "name",
    "national_id", "number", "phone", "plate", "postcode", "string", "text", "url",
]  # fmt: skip


def test_names() -> None:
    assert types.names() == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_every_type_is_complete(name: str) -> None:
    value_type = types.get(name)
    assert isinstance(value_type, ValueType)
    assert value_type.name == name
    assert types.get(name) is value_type
    assert value_type.validate("   ") == "empty value"
    with pytest.raises(InvalidValue) as err:
        value_type.clean("", DEFAULT_CONTEXT)
    assert err.value.reason == "empty value"


def test_unknown_type_lists_known_ones() -> None:
    with pytest.raises(ModelError) as err:
        types.get("passport")
    assert "passport" in str(err.value)
    assert "phone" in str(err.value) and "iban" in str(err.value)


def test_context_is_reexported() -> None:
    assert CleanContext(region="BE").date_order == "dmy"
    assert DEFAULT_CONTEXT.region is None


def test_import_builds_no_tables() -> None:
    """Importing the package must not import the value modules (nor build their tables)."""
    code = (
        "import sys, crosslink.model.types as t; "
        "print(','.join(m for m in sys.modules if m.startswith('crosslink.model.types.') "
        "and m.rpartition('.')[2] in t.names()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
