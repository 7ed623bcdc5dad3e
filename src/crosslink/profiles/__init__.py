"""Profiles: an entity with everything a user may know of it, read as a dossier.

:func:`profile` reads and consults the records; :func:`dossier` summarises them (a card of
names, dates, documents, phones, addresses …, and links grouped by counterpart);
:func:`export_profile` discloses it as CSV or JSON, audited.
"""

from crosslink.profiles.dossier import Dossier, LinkGroup, dossier, group_links, load_spec
from crosslink.profiles.export import FORMATS, export_profile
from crosslink.profiles.read import Profile, RecordView, profile, record_values_of

__all__ = [
    "FORMATS",
    "Dossier",
    "LinkGroup",
    "Profile",
    "RecordView",
    "dossier",
    "export_profile",
    "group_links",
    "load_spec",
    "profile",
    "record_values_of",
]
