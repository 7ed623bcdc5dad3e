"""The synthetic world: a hidden truth, seen only through partners' messy files.

``generate_world(config, out_dir)`` writes every partner file (``out_dir/partners``), the
ground truth (``out_dir/truth``) and ``out_dir/manifest.json``; ``load_world(conn, out_dir)``
registers the demo sources and imports every partner file with its bundled mapping.
The same seed and configuration give the same files, byte for byte.
"""

from __future__ import annotations

from crosslink.demo._api import (
    LoadedFile,
    WorldManifest,
    generate_world,
    load_world,
    read_manifest,
    register_sources,
)
from crosslink.demo.config import NoiseRates, PartnerShares, Proportions, WorldConfig

__all__ = [
    "LoadedFile",
    "NoiseRates",
    "PartnerShares",
    "Proportions",
    "WorldConfig",
    "WorldManifest",
    "generate_world",
    "load_world",
    "read_manifest",
    "register_sources",
]
