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
memory for the life of the process (the server), four at a time, with the networks
detected under the default options. A build of one key runs once: concurrent requests for it
wait for that build instead of starting their own. The server builds apart (a thread with its
own connection) and answers within a time budget: a request that would wait longer is told
the network is being built, and its next one finds it.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, select

from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.access.schema import source_agencies
from crosslink.graph._network import Network
from crosslink.graph.build import BuildOptions, build_network
from crosslink.graph.errors import GraphError, NetworkBuilding
from crosslink.graph.summary import DetectedNetwork, NetworkOptions, detect_networks
from crosslink.resolve.schema import entity_members, resolve_runs
from crosslink.store import Store
from crosslink.store.schema import batches, links, records, sources

logger = logging.getLogger(__name__)
FORMAT = 1
"""Bumped when what an entry holds changes: files of another format are never read."""
SUFFIX = ".network"
BUDGET = 8.0
"""Seconds a request of the server waits for a build before it is told to come back."""


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

    def __init__(
        self,
        directory: Path | None,
        keep: int = 4,
        *,
        apart: Store | None = None,
        budget: float = 0.0,
    ) -> None:
        """With ``apart``, builds run in a thread of their own on a connection of that store,
        off the caller's request: :meth:`get` waits ``budget`` seconds at most, then raises
        :class:`~crosslink.graph.errors.NetworkBuilding` while the build goes on."""
        self.directory = directory
        self.keep = keep
        self.apart = apart
        self.budget = budget
        self._memory: OrderedDict[str, Built] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[str, _Build] = {}

    def get(
        self, conn: Connection, subject: Subject | None, options: BuildOptions | None = None
    ) -> Built:
        """The network ``subject`` may see, from the cache or built (and then cached) now."""
        apart = self.apart
        opts = (options or BuildOptions()).check()
        state = store_state(conn)
        key = f"{state}-{view_key(conn, subject, opts)}"
        found = self._recall(key)
        if found is not None:
            return found
        with self._lock:
            build = self._building.get(key)
            if build is None:
                build = self._building[key] = _Build()
                starter = True
            else:
                starter = False
        if apart is None:
            if starter:
                self._build(build, key, lambda: self._made(conn, subject, opts, (state, key)))
            build.done.wait()
        elif starter:
            work = threading.Thread(
                target=self._build,
                args=(build, key, lambda: self._made_apart(apart, subject, opts)),
                name="network-build",
                daemon=True,
            )
            work.start()
        if not build.done.wait(self.budget if apart is not None else None):
            raise NetworkBuilding(
                "the network you may see is being built (for "
                f"{time.monotonic() - build.started:.0f} s); it is kept once built: "
                "try again in a few seconds"
            )
        if build.failed is not None:
            raise GraphError("the network could not be built (see the server log)")
        return self._recall(key) or self.get(conn, subject, opts)

    def _build(self, build: _Build, key: str, make: Callable[[], None]) -> None:
        try:
            make()
        except Exception as exc:
            logger.exception("network build failed")
            build.failed = exc
        finally:
            build.done.set()
            with self._lock:
                self._building.pop(key, None)

    def _made(
        self, conn: Connection, subject: Subject | None, opts: BuildOptions, keys: tuple[str, str]
    ) -> None:
        state, key = keys
        built = Built(build_network(conn, subject, opts))
        built.detect(NetworkOptions())  # what `network list` and the pages show
        self._remember(key, built)
        self._write(state, key, built)

    def _made_apart(self, store: Store, subject: Subject | None, opts: BuildOptions) -> None:
        # Its own connection and snapshot: the key is worked out again on what it reads.
        with store.engine.connect() as conn, conn.begin():
            state = store_state(conn)
            key = f"{state}-{view_key(conn, subject, opts)}"
            self._made(conn, subject, opts, (state, key))

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


@dataclass
class _Build:
    """One build under way: others wait for ``done`` instead of starting their own."""

    done: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)
    failed: Exception | None = None


_SHARED: dict[Path, NetworkCache] = {}
_SHARED_LOCK = threading.Lock()


def shared_cache(directory: Path, store: Store, budget: float = BUDGET) -> NetworkCache:
    """The server's cache for ``directory``: one per process, its requests share it; builds
    run apart on ``store`` and a request waits ``budget`` seconds for one at most."""
    with _SHARED_LOCK:
        found = _SHARED.get(directory)
        if found is None or found.apart is not store:
            found = _SHARED[directory] = NetworkCache(directory, apart=store, budget=budget)
        return found


def cache_dir(data_dir: Path) -> Path:
    """Where the cache of the store in ``data_dir`` lives."""
    return data_dir / "cache" / "network"
