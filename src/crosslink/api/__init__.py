"""The web service: ``create_app(settings)``, the JSON API under ``/api/v1``, typed
dependencies (the current user, the unit of work) and the one error handler.

Search and profiles are library rooms (:mod:`crosslink.search`, :mod:`crosslink.profiles`;
``api.search`` and ``api.profile`` only re-export names older imports use). The modules
:mod:`~crosslink.api.review`, :mod:`~crosslink.api.uploads` and :mod:`~crosslink.api.admin`
are still plain library code here, to be moved the same way.
"""

from crosslink.api.app import create_app

__all__ = ["create_app"]
