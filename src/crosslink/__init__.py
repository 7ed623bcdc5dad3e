"""Crosslink: resolve people, phones, addresses and companies across partners' files, reveal the
networks behind trafficking and smuggling, and share under handling codes with an audit trail."""

from crosslink.errors import CrosslinkError
from crosslink.settings import Settings

__version__ = "0.1.0"
__all__ = ["CrosslinkError", "Settings", "__version__"]
