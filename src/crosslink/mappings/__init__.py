"""Mapping files bundled with Crosslink, one per partner format."""
