"""Networks: accuracy on the demo world, speed on a 1M-node, 5M-edge graph, and what a user
waits for (build, cache, list, ego view) on demo stores of a few sizes.

    .venv/bin/python benchmarks/bench_network.py                  # accuracy and large graph
    .venv/bin/python benchmarks/bench_network.py --skip-large     # accuracy only
    .venv/bin/python benchmarks/bench_network.py --scale 10000    # a larger demo world
    .venv/bin/python benchmarks/bench_network.py --skip-accuracy --skip-large \
        --timing-scales 1000,2000,4000                            # user-facing times
    .venv/bin/python benchmarks/bench_network.py --skip-accuracy --skip-large \
        --timing-db data/demo/crosslink.db                        # on a resolved store

Timing: as the demo analyst (the policy applies), the build from the store, the first
cached read (policy query, build, detection, file written), a read by a new cache instance
(another process: policy query and file read), the list of networks and a two-hop ego
view around the best-connected actor. Generated worlds take entity membership from the
truth (resolving them takes longer than the rest of this benchmark).

Accuracy: a demo world is generated and loaded into SQLite; entity membership comes from the
ground truth (so the figures judge the network, not resolution); the recovered networks are
compared with the true ones (ARI and NMI over the true members), and the share of true leaders
(boss, lieutenants) among each network's top-10 key players is counted.

Performance: a graph with the demo world's structure — many small dense networks (25,000 of
20 members) in a large sparse background (households of 8, workplaces of 40, a few long ties,
a few ties from each network into the background) — 1M nodes and about 5M edges, generated
directly (a 1M-node demo world takes too long to generate and load here). Components,
communities (Leiden, CPM, two passes) and betweenness are timed, with peak memory.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

import igraph as ig

if TYPE_CHECKING:
    from crosslink.api.network import EgoView
    from crosslink.graph import Network
    from crosslink.graph.listing import Listing

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def accuracy(scale: int, records_per_network: int, seed: int) -> None:
    from tests.graph.helpers import assign_truth_membership

    from crosslink.demo import Proportions, WorldConfig, generate_world, load_world
    from crosslink.graph import build_network, detect_networks
    from crosslink.graph.evaluate import TrueMember, evaluate
    from crosslink.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "world"
        config = WorldConfig(
            seed=seed, scale=scale, proportions=Proportions(records_per_network=records_per_network)
        )
        generate_world(config, out)
        store = Store.from_url(f"sqlite:///{tmp}/bench.db")
        store.migrate()
        with store.transaction() as conn:
            load_world(conn, out)
            truth = assign_truth_membership(conn, out / "truth")
        with (out / "truth" / "members.csv").open(encoding="utf-8", newline="") as handle:
            members = {
                r["person_id"]: TrueMember(r["network_id"], r["role"])
                for r in csv.DictReader(handle)
            }
        with store.transaction() as conn:
            started = time.perf_counter()
            network = build_network(conn, None)
            built = time.perf_counter() - started
        started = time.perf_counter()
        detected, _ = detect_networks(network)
        found = time.perf_counter() - started
        result = evaluate(network, detected, truth, members)
        store.dispose()
    print(f"demo world: seed {seed}, scale {scale}, {result.true_networks} true networks")
    print(f"  graph: {len(network.nodes)} actors, {len(network.edges)} ties; build {built:.2f} s")
    print(f"  detected networks: {result.detected_networks} (detect + summaries {found:.2f} s)")
    print(f"  true members in the graph: {result.members_seen}")
    print(f"  ARI {result.ari:.3f}   NMI {result.nmi:.3f}")
    print(
        f"  true leaders among top-10 key players: {result.leaders_in_top}/{result.leaders}"
        f" = {result.leader_share:.2f}"
    )


def demo_like_graph(seed: int = 7) -> ig.Graph:
    rng = random.Random(seed)
    networks, size, background, household, workplace = 25_000, 20, 500_000, 8, 40
    offset = networks * size
    graph = ig.Graph(n=offset + background)
    chunk: list[tuple[int, int]] = []

    def flush(force: bool = False) -> None:
        if force or len(chunk) > 500_000:
            graph.add_edges(chunk)
            chunk.clear()

    pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
    for net in range(networks):
        base = net * size
        chunk.extend((base + i, base + j) for i, j in pairs if rng.random() < 0.5)
        flush()
    for block, count in ((household, 1_000_000), (workplace, 1_200_000)):
        for _ in range(count):
            u = rng.randrange(background)
            v = (u // block) * block + rng.randrange(block)
            chunk.append((offset + u, offset + v))
            flush()
    for _ in range(250_000):
        chunk.append((offset + rng.randrange(background), offset + rng.randrange(background)))
        flush()
    for _ in range(networks * 6):
        chunk.append((rng.randrange(offset), offset + rng.randrange(background)))
        flush()
    flush(force=True)
    graph.simplify()
    graph.es["weight"] = [0.5 + 2.5 * rng.random() for _ in range(graph.ecount())]
    return graph


def performance(sample_global: bool, objective: str, resolution: float) -> None:
    from crosslink.graph.analytics import (
        CentralityOptions,
        CommunityOptions,
        betweenness,
        communities,
        components,
        structural_betweenness,
    )

    started = time.perf_counter()
    graph = demo_like_graph()
    print(
        f"demo-like graph: {graph.vcount():,} nodes, {graph.ecount():,} edges "
        f"(generated in {time.perf_counter() - started:.1f} s, peak {_peak_mib():.0f} MiB)"
    )
    timings: dict[str, float] = {}
    started = time.perf_counter()
    parts = components(graph)
    timings["components"] = time.perf_counter() - started
    print(f"  components: {len(parts):,} (largest {len(parts[0]):,}) {timings['components']:.1f} s")
    started = time.perf_counter()
    membership = communities(
        graph, CommunityOptions(objective=objective, resolution=resolution, iterations=2)
    )
    timings["communities"] = time.perf_counter() - started
    print(
        f"  communities (Leiden, {objective}, resolution {resolution}): {max(membership) + 1:,}"
        f" in {timings['communities']:.1f} s"
    )
    started = time.perf_counter()
    structural_betweenness(graph, membership, CentralityOptions(samples=64))
    timings["betweenness"] = time.perf_counter() - started
    print(
        "  betweenness (exact within communities up to 2,000 nodes, 64 samples above, "
        f"plus between communities): {timings['betweenness']:.1f} s"
    )
    total = sum(timings.values())
    print(f"  total {total:.1f} s (budget 60 s); peak memory {_peak_mib():.0f} MiB (budget 4096)")
    if sample_global:
        started = time.perf_counter()
        betweenness(graph, CentralityOptions(samples=64))
        print(
            "  for comparison, 64-source betweenness over the whole giant component: "
            f"{time.perf_counter() - started:.1f} s"
        )


def _timed(what: str, run: Callable[[], object]) -> object:
    # CPU time too: on a shared machine the wall clock also counts other people's work.
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(f"  {what}: {wall:.2f} s (CPU {used:.2f} s)")
    return result


def timing(url: str, label: str, cache_root: Path) -> None:
    """User-facing network times on the store at ``url`` (demo accounts created if missing)."""
    from sqlalchemy import func, select

    from crosslink.access import load_subject
    from crosslink.api.demo import ensure_demo_accounts
    from crosslink.api.network import EgoQuery, ego_view
    from crosslink.graph import build_network
    from crosslink.graph.cache import NetworkCache
    from crosslink.graph.listing import list_networks
    from crosslink.store import Store
    from crosslink.store.schema import records

    store = Store.from_url(url)
    store.migrate()
    with store.transaction() as conn:
        ensure_demo_accounts(conn, demo=True)
    with store.engine.connect() as conn, conn.begin() as transaction:
        count = conn.execute(select(func.count()).select_from(records)).scalar_one()
        print(f"{label}: {count:,} records")
        analyst = load_subject(conn, "analyst")
        network = cast("Network", _timed("build", lambda: build_network(conn, analyst)))
        print(f"    ({len(network.nodes):,} actors, {len(network.edges):,} ties)")
        cache_dir = cache_root / label
        _timed(
            "first cached read (build + detect + write)",
            lambda: NetworkCache(cache_dir).get(conn, analyst),
        )
        cache = NetworkCache(cache_dir)
        _timed("read by another process (policy query + file)", lambda: cache.get(conn, analyst))
        _timed("read again in the same process", lambda: cache.get(conn, analyst))
        listing = cast(
            "Listing",
            _timed(
                "network list", lambda: list_networks(conn, analyst, cache, justification="bench")
            ),
        )
        graph = network.graph()
        degrees = graph.degree()
        center = network.nodes[max(range(len(degrees)), key=degrees.__getitem__)].id
        query = EgoQuery(center, hops=2)
        view = cast(
            "EgoView",
            _timed(
                "ego view, 2 hops",
                lambda: ego_view(conn, analyst, query, justification="bench", cache=cache),
            ),
        )
        print(f"    ({len(listing.rows)} networks listed; ego view of {len(view.nodes)} actors)")
        transaction.rollback()
    store.dispose()


def timing_world(scale: int, seed: int, cache_root: Path) -> None:
    from tests.graph.helpers import assign_truth_membership

    from crosslink.demo import WorldConfig, generate_world, load_world
    from crosslink.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "world"
        generate_world(WorldConfig(seed=seed, scale=scale), out)
        url = f"sqlite:///{tmp}/bench.db"
        store = Store.from_url(url)
        store.migrate()
        with store.transaction() as conn:
            load_world(conn, out)
            assign_truth_membership(conn, out / "truth")
        store.dispose()
        timing(url, f"demo world, scale {scale}", cache_root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=2000)
    parser.add_argument("--records-per-network", type=int, default=250)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--global-betweenness", action="store_true")
    parser.add_argument("--objective", default="cpm", choices=("cpm", "modularity"))
    parser.add_argument("--resolution", type=float, default=0.005)
    parser.add_argument("--timing-scales", default="", help="Comma-separated demo scales.")
    parser.add_argument("--timing-db", action="append", default=[], help="A SQLite store.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache_root:
        for scale in [int(x) for x in args.timing_scales.split(",") if x.strip()]:
            timing_world(scale, args.seed, Path(cache_root))
        for db in args.timing_db:
            timing(f"sqlite:///{Path(db).resolve()}", Path(db).parent.name, Path(cache_root))
    if not args.skip_accuracy:
        accuracy(args.scale, args.records_per_network, args.seed)
    if not args.skip_large:
        performance(args.global_betweenness, args.objective, args.resolution)


if __name__ == "__main__":
    main()
