"""Kept for modules that still import from here; profiles are :mod:`crosslink.profiles`."""

from crosslink.profiles.read import Profile, profile, record_values_of

__all__ = ["Profile", "profile", "record_values_of"]
