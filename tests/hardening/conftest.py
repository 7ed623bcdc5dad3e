"""The import fixtures (a police source) for the hostile-file tests. The tests that need the
web service live in tests/api (test_hardening_*), beside the fixtures they share."""

from tests.ingest.conftest import police_mapping, police_source

__all__ = ["police_mapping", "police_source"]
