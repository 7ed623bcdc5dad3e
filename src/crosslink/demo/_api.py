"""Generate a world to a folder, and load a generated world into the store."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from crosslink.demo.config import WorldConfig
from crosslink.demo.groundtruth import GroundTruth, write_world_truth
from crosslink.demo.noise import Noise
from crosslink.demo.partners import PARTNER_DIR, PARTNERS, PartnerContext, Written
from crosslink.demo.truth import World
from crosslink.errors import ReaderError
from crosslink.ingest import ImportRequest, ImportSummary, import_file, load_mapping
from crosslink.store.schema import sources
from crosslink.store.sources import add_source

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class PartnerFile:
    file: str
    mapping: str
    source: str
    rows: int


@dataclass
class WorldManifest:
    """What was generated: the configuration, the files, and the noise as it came out."""

    seed: int
    scale: int
    records: int
    files: list[PartnerFile]
    truth: dict[str, int]
    noise: dict[str, dict[str, float]]
    config: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate_world(config: WorldConfig, out_dir: Path) -> WorldManifest:
    """Write the partner files, the ground truth and the manifest of one world to ``out_dir``."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    world = World(config)
    noise = Noise(config.noise)
    truth = GroundTruth(out_dir)
    ctx = PartnerContext(world, noise, truth, out_dir)
    written: list[Written] = []
    try:
        for spec in PARTNERS:
            log.info("writing %s", spec.file)
            written.append(spec.write(ctx, spec))
    finally:
        truth.close()
    counts: Counter[str] = Counter()
    truth_counts = dict(truth.counts)
    truth_counts.update(write_world_truth(world, out_dir, counts))
    measured = noise.measured()
    for kind in ("namesake", "shared_phone"):
        seen, done = counts[f"{kind}_opportunities"], counts[f"{kind}_applied"]
        measured[kind] = {
            "opportunities": seen,
            "applied": done,
            "rate": round(done / seen, 6) if seen else 0.0,
        }
    manifest = WorldManifest(
        seed=config.seed,
        scale=config.scale,
        records=sum(w.rows for w in written),
        files=[PartnerFile(w.file, w.mapping, w.source, w.rows) for w in written],
        truth=dict(sorted(truth_counts.items())),
        noise=dict(sorted(measured.items())),
        config=asdict(config),
    )
    (out_dir / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    log.info(
        "world of %s records written in %.1f s", manifest.records, time.perf_counter() - started
    )
    return manifest


def read_manifest(out_dir: Path) -> WorldManifest:
    path = out_dir / MANIFEST
    if not path.is_file():
        raise ReaderError(
            "no manifest.json: not a generated world (crosslink demo generate)", file=str(path)
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    data["files"] = [PartnerFile(**f) for f in data["files"]]
    return WorldManifest(**data)


def register_sources(conn: Connection) -> list[str]:
    """Register the demo sources that are not registered yet; returns the ids added."""
    known = set(conn.execute(select(sources.c.id)).scalars())
    added: list[str] = []
    for spec in PARTNERS:
        if spec.source.id not in known:
            add_source(conn, spec.source)
            added.append(spec.source.id)
    return added


@dataclass(frozen=True)
class LoadedFile:
    file: str
    summary: ImportSummary


def load_world(
    conn: Connection,
    out_dir: Path,
    *,
    imported_by: str = "demo",
    chunk_size: int = 2000,
    on_file: Callable[[LoadedFile], None] | None = None,
) -> list[LoadedFile]:
    """Register the demo sources and import every partner file of the world in ``out_dir``.

    The caller owns the transaction. A file imported before adds nothing (same SHA-256).
    """
    manifest = read_manifest(out_dir)
    register_sources(conn)
    loaded: list[LoadedFile] = []
    for entry in manifest.files:
        path = out_dir / PARTNER_DIR / entry.file
        request = ImportRequest(
            path=path,
            mapping=load_mapping(entry.mapping),
            source_id=entry.source,
            imported_by=imported_by,
            chunk_size=chunk_size,
        )
        result = LoadedFile(entry.file, import_file(conn, request))
        loaded.append(result)
        if on_file is not None:
            on_file(result)
    return loaded
