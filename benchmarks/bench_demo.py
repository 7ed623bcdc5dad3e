"""Generation time and peak memory of the demo world at several sizes.

Each size runs in its own subprocess so peak memory (ru_maxrss) is that generation's alone.
Usage: .venv/bin/python benchmarks/bench_demo.py [10000 100000 1000000]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def _child(scale: int, out: str) -> None:
    from crosslink.demo import WorldConfig, generate_world

    started = time.perf_counter()
    manifest = generate_world(WorldConfig(seed=1, scale=scale), Path(out))
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    print(
        json.dumps(
            {
                "scale": scale,
                "records": manifest.records,
                "seconds": seconds,
                "peak_mib": peak_kib / 1024,
                "bytes": size,
            }
        )
    )


def main(sizes: list[int]) -> None:
    print(
        f"{'scale':>10} {'records':>10} {'seconds':>9} {'records/s':>10} {'peak MiB':>9} "
        f"{'output MiB':>10}"
    )
    for scale in sizes:
        with tempfile.TemporaryDirectory() as out:
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(scale), out],
                check=True,
                capture_output=True,
                text=True,
            )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{figures['scale']:>10,} {figures['records']:>10,} {figures['seconds']:>9.1f} "
            f"{figures['records'] / figures['seconds']:>10,.0f} {figures['peak_mib']:>9.0f} "
            f"{figures['bytes'] / 2**20:>10.1f}",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]), sys.argv[3])
    else:
        main([int(a) for a in sys.argv[1:]] or list(DEFAULT_SIZES))
