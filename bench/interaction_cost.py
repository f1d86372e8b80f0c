"""Interaction cost: the server CPU each kind of reader interaction takes, for several
commits side by side.

    .venv/bin/python bench/interaction_cost.py [--sessions 120] [--data DIR] [--json FILE] REV [REV ...]

Starts one replica (as capacity.py's "direct" one: deploy/streamlit_run.py, no file
watcher) of each commit on a free loopback port, then, one reader at a time, takes turns
over the commits session by session, so every commit sees the same machine load: a reader
opens one of capacity.LINKS and does SEQUENCE (the same mix of date steps, record picks and
alliance changes as capacity.py's readers), each interaction's CPU read from /proc. A reader
of its own stays connected to each replica all along, as under load (with none, Streamlit
compiles app.py again for every new session).

Prints, per commit, the mean CPU milliseconds of each kind, the mean per interaction
weighted as capacity.py's readers mix them (an open, then 3 dates, 2 records, 1 alliance),
and its ratio to the first commit's. A replica's capacity under load follows this figure:
at saturation it answers about 1 / (cost per interaction) interactions per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

from _protocol import Client
from capacity import ACTIONS, KINDS, LINKS, TIMEOUT, Direct, snapshot, source_address, warm
from load_test import cpu_seconds

import _common  # noqa: E402  (bench/ is this script's folder)

SEQUENCE = ("date", "date", "country", "alliance", "date", "country")  # capacity.CHOICES' mix
WEIGHTS = {"open": 1, "date": 3, "country": 2, "alliance": 1}
SETTLE = 0.03  # seconds after an interaction, for the server to finish its own bookkeeping


async def session(server: Direct, n: int, costs: dict[str, list[float]]) -> None:
    pid = server.replica_pids()[0]
    rng = random.Random(n)
    client = Client(server.url, timeout=TIMEOUT, source=source_address(n))
    try:
        before = cpu_seconds(pid)
        await client.open(LINKS[n % len(LINKS)])
        await asyncio.sleep(SETTLE)
        costs["open"].append(cpu_seconds(pid) - before)
        for kind in SEQUENCE:
            before = cpu_seconds(pid)
            await ACTIONS[kind](client, rng)
            await asyncio.sleep(SETTLE)
            costs[kind].append(cpu_seconds(pid) - before)
    finally:
        await client.close()


async def measure(servers: dict[str, Direct], sessions: int) -> dict[str, dict[str, list[float]]]:
    keepers = [Client(s.url, timeout=TIMEOUT) for s in servers.values()]
    for keeper in keepers:
        await keeper.open()
    costs = {rev: {kind: [] for kind in KINDS} for rev in servers}
    try:
        for n in range(sessions):
            for rev, server in servers.items():
                await session(server, n, costs[rev])
    finally:
        for keeper in keepers:
            await keeper.close()
    return costs


def per_interaction(means: dict[str, float]) -> float:
    return sum(WEIGHTS[k] * means[k] for k in WEIGHTS) / sum(WEIGHTS.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revs", nargs="+", metavar="REV", help="commits to compare; the first is the baseline")
    parser.add_argument("--sessions", type=int, default=120, help="reader sessions per commit (default 120)")
    parser.add_argument("--data", type=Path, help="the data folder (default: each commit's data/)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 2000:
        parser.error("--sessions: 1 to 2000")
    print(_common.machine(), flush=True)
    work = tempfile.TemporaryDirectory(prefix="stances-cost-")
    servers: dict[str, Direct] = {}
    try:
        for i, rev in enumerate(args.revs):
            name = rev if rev not in servers else f"{rev} ({i + 1})"  # a commit twice: the noise
            tree = snapshot(Path(work.name) / f"tree-{i}", rev)
            servers[name] = Direct(tree, args.data or tree / "data", name=name)
        for server in servers.values():
            for _ in range(3):
                asyncio.run(warm(server.url))
        costs = asyncio.run(measure(servers, args.sessions))
    finally:
        for server in servers.values():
            server.stop()
        work.cleanup()
    print(f"\n{args.sessions} sessions per commit; CPU ms, mean\n")
    print("| commit | " + " | ".join(KINDS) + " | per interaction | ratio |")
    print("| --- | " + " | ".join("---:" for _ in KINDS) + " | ---: | ---: |")
    rows = []
    for rev, kinds in costs.items():
        means = {kind: 1000 * statistics.mean(values) for kind, values in kinds.items()}
        cost = per_interaction(means)
        ratio = cost / rows[0]["per_interaction_ms"] if rows else 1.0
        rows.append({"rev": rev, "ms": means, "n": {k: len(v) for k, v in kinds.items()}, "per_interaction_ms": cost})
        rows[-1]["ratio"] = ratio
        cells = " | ".join(f"{means[kind]:.1f}" for kind in KINDS)
        print(f"| {rev} | {cells} | {cost:.2f} | {ratio:.3f} |")
    if args.json:
        args.json.write_text(json.dumps({"sessions": args.sessions, "commits": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
