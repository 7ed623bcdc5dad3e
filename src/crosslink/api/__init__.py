"""The web service: ``create_app(settings)``, the JSON API under ``/api/v1``, typed
dependencies (the current user, the unit of work) and the one error handler.

The modules :mod:`~crosslink.api.search`, :mod:`~crosslink.api.profile`,
:mod:`~crosslink.api.review`, :mod:`~crosslink.api.uploads` and :mod:`~crosslink.api.admin`
are plain library code (no web framework): the API and the pages both call them.
"""

from crosslink.api.app import create_app

__all__ = ["create_app"]
