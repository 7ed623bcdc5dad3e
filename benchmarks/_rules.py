"""The resolution rules a benchmark run applies: ``--rules "+strict-dates -chain-check"``
switches rules of :mod:`crosslink.resolve.rules` on (+) or off (-) beside the defaults, for
every Crosslink case of the run (passed to the child processes in the environment)."""

from __future__ import annotations

import argparse
import os

from crosslink.resolve.rules import RuleSet, rule_set

ENV = "CROSSLINK_BENCH_RULES"


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules", default="", help='rules switched on (+name) or off (-name): "+strict-dates"'
    )


def export(args: argparse.Namespace) -> None:
    """Hand ``--rules`` to the child processes (which are called without it)."""
    if args.rules:
        os.environ[ENV] = args.rules


def chosen(remove: tuple[str, ...] = ()) -> RuleSet:
    """The defaults, changed as ``--rules`` says, and without ``remove``."""
    words = os.environ.get(ENV, "").split()
    add = [w[1:] for w in words if w.startswith("+")]
    off = [w[1:] for w in words if w.startswith("-")]
    return rule_set(add, [*off, *remove])
