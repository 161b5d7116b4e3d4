#!/usr/bin/env python3
"""One challenge receiving votes as fast as DynamoDB Local takes them, against the paper model of 5,000 votes/s.

Not a test: a script that prints a report (and can write it as JSON). It starts DynamoDB Local (AWS's engine,
tests/api/dynamodb_local.py), creates the production table (chalicelib.adapters.dynamodb.create_table) and casts
new votes on ONE challenge through the store's own `cast_vote` (the two-item transaction, with the store's
retries of conflicts) from --threads threads for --seconds, then checks that the tally equals the vote items.

The paper model (docs/benchmarks.md, "One challenge at 5,000 votes/s"): on AWS a shard's partition takes 1,000
write units/s; a vote writes 2 units on its shard's counter and 2 on its vote item in the same partition, so one
shard takes 250 votes/s and one challenge 250 x TALLY_SHARDS votes/s (5,000 with 20 shards, at 100 % of the
limit; 40 shards for 50 % headroom). DynamoDB Local is one Java process on this machine's cores, with no
partitions: what it sustains measures the store's per-vote work and conflicts, not AWS's limits.

Usage: .venv/bin/python scripts/bench_one_challenge.py --seconds 20 --threads 16 --shards 40 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "api")]

TARGET = 5_000  # votes/s on one challenge (issue #16)
PARTITION_WCU = 1_000
UNITS_PER_VOTE_IN_SHARD = 4  # 2 (vote item, transactional) + 2 (shard counter, transactional)


def paper(shards: int) -> dict:
    per_shard = PARTITION_WCU / UNITS_PER_VOTE_IN_SHARD
    return {
        "votes_per_second_per_shard": per_shard,
        "challenge_ceiling_votes_per_second": per_shard * shards,
        "shards_needed_for_target": -(-TARGET * UNITS_PER_VOTE_IN_SHARD // PARTITION_WCU),
        "share_of_partition_limit_at_target": round(TARGET / shards * UNITS_PER_VOTE_IN_SHARD / PARTITION_WCU, 3),
    }


def run(args) -> dict:
    from chalicelib.adapters.dynamodb import DynamoDBStore, create_table
    from tests.api.dynamodb_local import DynamoDBLocal, ensure_installed, make_client

    with tempfile.TemporaryDirectory() as work:
        server = DynamoDBLocal(ensure_installed(), Path(work))
        server.start()
        try:
            client = make_client(server.endpoint_url)
            create_table(client, "bench")
            store = DynamoDBStore("bench", shards=args.shards, client=client)
            latencies: list[float] = []
            lock = threading.Lock()
            counter = iter(range(10**9))
            stop = time.monotonic() + args.seconds

            def worker() -> None:
                mine = []
                while time.monotonic() < stop:
                    with lock:
                        n = next(counter)
                    began = time.perf_counter()
                    assert store.cast_vote("one", f"{n:040x}", "2026-11-26T12:00:00.000000+00:00")
                    mine.append(time.perf_counter() - began)
                with lock:
                    latencies.extend(mine)

            started = time.monotonic()
            threads = [threading.Thread(target=worker) for _ in range(args.threads)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            tally = store.tally("one")
            records = len(store.vote_records("one"))
        finally:
            server.stop()
    latencies.sort()
    sustained = len(latencies) / elapsed
    model = paper(args.shards)
    return {
        "engine": "DynamoDB Local (npm amplify-dynamodb-simulator), one process on this machine",
        "shards": args.shards,
        "threads": args.threads,
        "seconds": round(elapsed, 1),
        "votes": len(latencies),
        "sustained_votes_per_second": round(sustained),
        "latency_ms": {
            "p50": round(statistics.median(latencies) * 1000, 1),
            "p99": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        },
        "tally_equals_vote_items": tally == records == len(latencies),
        "paper_model": model,
        "ratio_to_target": round(sustained / TARGET, 3),
        "ratio_to_paper_ceiling": round(sustained / model["challenge_ceiling_votes_per_second"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--shards", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = run(args)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if report["tally_equals_vote_items"] else 1


if __name__ == "__main__":
    sys.exit(main())
