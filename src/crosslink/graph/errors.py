"""Errors of the network room, under the one root :class:`~crosslink.errors.CrosslinkError`.

The subtree::

    CrosslinkError
    └── GraphError                  the network cannot do what was asked (500)
        ├── UnknownNode             no such subject in the network the user may see (404)
        ├── UnknownNetwork          no detected network with that id in the user's view (404)
        ├── InvalidGraphOption      an option out of range, an unknown format or objective (422)
        └── NetworkBuilding         the network is being built; ask again shortly (503)

A subject the user may not see is reported exactly like one that does not exist: the message
never tells a hidden record from a missing one.
"""

from __future__ import annotations

from crosslink.errors import CrosslinkError

__all__ = ["GraphError", "InvalidGraphOption", "NetworkBuilding", "UnknownNetwork", "UnknownNode"]


class GraphError(CrosslinkError):
    http_status = 500
    title = "Network error"


class UnknownNode(GraphError):
    http_status = 404
    title = "Unknown subject"


class UnknownNetwork(GraphError):
    http_status = 404
    title = "Unknown network"


class InvalidGraphOption(GraphError):
    http_status = 422
    title = "Invalid network option"


class NetworkBuilding(GraphError):
    http_status = 503
    title = "Network being built"
