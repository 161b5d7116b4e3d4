#!/usr/bin/env python3
"""The SQLite store's bound on its write-ahead log, against no bound, under sustained votes (docs/benchmarks.md).

Not a test: a benchmark. Each run is a fresh interpreter that casts `--votes` votes from 8 threads the way
`Consultation.vote` writes them (one batch: two rate-limit hits and the vote) into a new database, and reports the
wall time, the latency percentiles of one write and the size of the -wal file at the end. Modes alternate
(bounded, unbounded, unbounded, bounded, ...) so that a machine that gets busier slows both alike:

- `bounded`: the store as it is (TRUNCATE checkpoint under the write lock past WAL_LIMIT_BYTES);
- `unbounded`: the same store with that checkpoint taken out, which is how it ran before (its checkpoints beside
  the writers never restarted the log while writes kept coming).

    .venv/bin/python scripts/bench_wal.py --runs 3 --votes 20000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = 8
AT = "2026-11-26T12:00:00.000000+00:00"


def one_run(mode: str, votes: int) -> dict:
    sys.path.insert(0, str(ROOT / "api"))
    from chalicelib.adapters.sqlite import SQLiteStore, connection

    if mode == "unbounded":
        connection.Connection._bound_wal = lambda self, db: None
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        store = SQLiteStore(path)

        def voter(thread: int) -> None:
            mine = []
            for n in range(votes // THREADS):
                voter_key = f"voter-{thread}-{n:07d}"
                started = time.perf_counter()
                with store.batch():
                    store.count_hit("votes", "token", voter_key, 0, 3600)
                    store.count_hit("votes", "ip", f"ip-{thread}", 0, 3600)
                    store.cast_vote(f"challenge-{n % 40}", voter_key, AT, receipt="f" * 64)
                mine.append(time.perf_counter() - started)
            latencies.extend(mine)

        threads = [threading.Thread(target=voter, args=(k,)) for k in range(THREADS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        wal = Path(f"{path}-wal").stat().st_size
        tally = sum(store.tally(f"challenge-{n}") for n in range(40))
    latencies.sort()
    return {
        "mode": mode,
        "votes": len(latencies),
        "tally": tally,
        "wall_s": round(wall, 2),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "wal_kb_at_end": wal // 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode (default 3)")
    parser.add_argument("--votes", type=int, default=20_000, help="votes per run (default 20,000)")
    parser.add_argument("--json", type=Path, help="write the report here too")
    parser.add_argument("--_one", choices=("bounded", "unbounded"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._one:
        print(json.dumps(one_run(args._one, args.votes)))
        return 0
    runs: list[dict] = []
    order = ("bounded", "unbounded")
    for n in range(args.runs):
        for mode in order if n % 2 == 0 else order[::-1]:
            done = subprocess.run(
                [sys.executable, __file__, "--_one", mode, "--votes", str(args.votes)],
                check=True,
                capture_output=True,
                text=True,
            )
            run = json.loads(done.stdout)
            runs.append(run)
            print(
                f"{mode:9}  {run['wall_s']:6.1f} s  p50 {run['p50_ms']:5.2f} ms  p99 {run['p99_ms']:6.1f} ms"
                f"  max {run['max_ms']:6.0f} ms  -wal {run['wal_kb_at_end']:>8,} KB  tally {run['tally']:,}",
                flush=True,
            )
    summary = {}
    for mode in order:
        mine = [r for r in runs if r["mode"] == mode]
        summary[mode] = {key: statistics.median(r[key] for r in mine) for key in ("wall_s", "p99_ms", "wal_kb_at_end")}
    summary["ratio_wall"] = round(summary["bounded"]["wall_s"] / summary["unbounded"]["wall_s"], 3)
    report = {"votes": args.votes, "runs": runs, "summary": summary, "load_avg_at_end": os.getloadavg()}
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
