"""Networks built once and reused: per store state and per policy view, in memory and on disk.

Building a network reads every record a user may see; the analyses then run on it. Both
are the same for every request until the store changes, so :class:`NetworkCache` keeps what
was built under a key of two parts:

* the **store state** — which store, the last resolution run, the last batch, the number of records,
  links and entity members, and a digest of the sources and their agencies: a resolve, an
  import, an erasure or a change of ownership gives a new state, and entries of an older
  state are deleted from disk when a newer one is written (they hold personal data);
* the **view** — the action, the build options and a digest of the exact set of record uids
  the policy lets the subject see (one query, :func:`crosslink.access.filters.visible_records`).
  Two users share an entry only when the policy shows them the very same records, so a
  cached network never holds a record its reader may not see.

Entries are pickled into the data directory (``cache/network``, owner-only files, written
to a temporary file and renamed so another process never reads half a file) and kept in
memory for the life of the process (the server), a few at a time, with the networks
detected under the default options. A build of one key runs
once: concurrent requests for it wait for that build instead of starting their own.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, select

from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.access.schema import source_agencies
from crosslink.graph._network import Network
from crosslink.graph.build import BuildOptions, build_network
from crosslink.graph.summary import DetectedNetwork, NetworkOptions, detect_networks
from crosslink.resolve.schema import entity_members, resolve_runs
from crosslink.store.schema import batches, links, records, sources

logger = logging.getLogger(__name__)
FORMAT = 1
"""Bumped when what an entry holds changes: files of another format are never read."""
SUFFIX = ".network"


@dataclass
class Built:
    """One cached view: the network and the networks detected in it, per detection option."""

    network: Network
    detections: dict[NetworkOptions, tuple[list[DetectedNetwork], list[int]]] = field(
        default_factory=dict
    )

    def detect(self, options: NetworkOptions) -> tuple[list[DetectedNetwork], list[int]]:
        if options not in self.detections:
            self.detections[options] = detect_networks(self.network, options)
        return self.detections[options]


def store_state(conn: Connection) -> str:
    """A digest of what a network is built from, changed by any resolve, import or erasure."""
    counts = conn.execute(
        select(
            select(func.max(resolve_runs.c.id)).scalar_subquery(),
            select(func.max(batches.c.id)).scalar_subquery(),
            select(func.count()).select_from(records).scalar_subquery(),
            select(func.count()).select_from(links).scalar_subquery(),
            select(func.count()).select_from(entity_members).scalar_subquery(),
        )
    ).one()
    # The store itself is part of it: two stores may share a data directory (and their counts).
    where = conn.engine.url.render_as_string(hide_password=True)
    digest = hashlib.blake2b(repr((where, *counts)).encode(), digest_size=10)
    for source in conn.execute(
        select(sources.c.id, sources.c.agency, sources.c.jurisdiction).order_by(sources.c.id)
    ):
        digest.update(repr(tuple(source)).encode())
    for owner in conn.execute(
        select(source_agencies.c.source_id, source_agencies.c.agency_id).order_by(
            source_agencies.c.source_id, source_agencies.c.agency_id
        )
    ):
        digest.update(repr(tuple(owner)).encode())
    return digest.hexdigest()


def view_key(conn: Connection, subject: Subject | None, options: BuildOptions) -> str:
    """A digest of the action, the options and every record uid ``subject`` may see."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(repr((FORMAT, options.action, options.as_of, options.start)).encode())
    digest.update(repr((options.end, options.include_undated, options.max_hub_actors)).encode())
    digest.update(repr((sorted(options.weights.items()), options.default_weight)).encode())
    query = (
        visible_records(subject, options.action)
        if subject is not None
        else select(records.c.uid).where(records.c.uid.is_not(None))
    )
    for (uid,) in conn.execute(query.order_by(records.c.uid)):
        digest.update(uid.encode())
        digest.update(b"\n")
    return digest.hexdigest()


class NetworkCache:
    """Networks by store state and view, in memory (``keep`` entries) and under ``directory``."""

    def __init__(self, directory: Path | None, keep: int = 8) -> None:
        self.directory = directory
        self.keep = keep
        self._memory: OrderedDict[str, Built] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}

    def get(
        self, conn: Connection, subject: Subject | None, options: BuildOptions | None = None
    ) -> Built:
        """The network ``subject`` may see, from the cache or built (and then cached) now."""
        opts = (options or BuildOptions()).check()
        state = store_state(conn)
        key = f"{state}-{view_key(conn, subject, opts)}"
        with self._lock:
            one_build = self._building.setdefault(key, threading.Lock())
        with one_build:
            found = self._recall(key)
            if found is None:
                found = Built(build_network(conn, subject, opts))
                found.detect(NetworkOptions())  # what `network list` and the pages show
                self._remember(key, found)
                self._write(state, key, found)
        return found

    def _recall(self, key: str) -> Built | None:
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        found = self._read(key)
        if found is not None:
            self._remember(key, found)
        return found

    def _remember(self, key: str, built: Built) -> None:
        with self._lock:
            self._memory[key] = built
            self._memory.move_to_end(key)
            while len(self._memory) > self.keep:
                self._memory.popitem(last=False)

    def _path(self, key: str) -> Path | None:
        return self.directory / f"{key}{SUFFIX}" if self.directory is not None else None

    def _read(self, key: str) -> Built | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as handle, _no_gc():
                # Our own file, owner-only, in the data directory the store lives in.
                fmt, built = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            logger.warning("network cache %s unreadable: rebuilt", path.name)
            return None
        return built if fmt == FORMAT and isinstance(built, Built) else None

    def _write(self, state: str, key: str, built: Built) -> None:
        path = self._path(key)
        if path is None or self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out, _no_gc():
                pickle.dump((FORMAT, built), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._prune(state)

    def _prune(self, state: str) -> None:
        """Delete entries of other store states: they describe records as they no longer are."""
        assert self.directory is not None
        for old in self.directory.glob(f"*{SUFFIX}"):
            if not old.name.startswith(state):
                old.unlink(missing_ok=True)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cycle collector paused: a network is many small objects and no cycles, and the
    collector's passes while they are unpickled cost five times the unpickling itself."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_SHARED: dict[Path | None, NetworkCache] = {}
_SHARED_LOCK = threading.Lock()


def shared_cache(directory: Path | None) -> NetworkCache:
    """The one cache of this process for ``directory`` (the server's requests share it)."""
    with _SHARED_LOCK:
        return _SHARED.setdefault(directory, NetworkCache(directory))


def cache_dir(data_dir: Path) -> Path:
    """Where the cache of the store in ``data_dir`` lives."""
    return data_dir / "cache" / "network"
