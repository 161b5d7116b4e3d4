"""CPU time of one vote through production's handler (the function URL adapter) on DynamoDB Local.

    .venv/bin/python scripts/bench_function_url.py [--votes 500]

What docs/storage.md's Lambda line needs: Lambda bills duration, which is the handler's CPU time (stretched by the
share of a core the memory size buys: 256 MB is about 1/7 of a vCPU) plus the DynamoDB round trips. Each vote is a
new voter (a full `PUT .../vote`: cookie, rate limits, the transaction, the answer), in one thread, after a warm-up.
Prints the median and 90th percentile of CPU milliseconds per vote, and of wall milliseconds (DynamoDB Local's own
latency included, not AWS's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "api")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=500)
    args = parser.parse_args()

    import app as app_module
    from chalicelib.adapters.dynamodb import DynamoDBStore, create_table
    from tests.api.conftest import serve_api
    from tests.api.dynamodb_local import DynamoDBLocal, ensure_installed, make_client
    from tests.api.test_function_url import url_event

    with tempfile.TemporaryDirectory() as work:
        server = DynamoDBLocal(ensure_installed(), Path(work))
        server.start()
        try:
            client = make_client(server.endpoint_url)
            create_table(client, "bench")
            store = DynamoDBStore("bench", shards=10, client=client)
            limits = {"RATE_VOTES_PER_TOKEN": "120", "RATE_VOTES_PER_IP": "1000000"}
            for _api in serve_api(store, Path(work), **limits):
                cpu, wall = [], []
                for n in range(args.votes + 50):
                    event = url_event("PUT", "/api/challenges/leaks/vote", body=b"{}")
                    started_cpu, started = time.process_time(), time.perf_counter()
                    answer = app_module.function_url(event, None)
                    if n >= 50:  # the first ones warm the caches (catalog, clients, keys)
                        cpu.append((time.process_time() - started_cpu) * 1000)
                        wall.append((time.perf_counter() - started) * 1000)
                    assert answer["statusCode"] == 200, answer
                print(
                    json.dumps(
                        {
                            "votes": args.votes,
                            "cpu_ms_median": round(statistics.median(cpu), 2),
                            "cpu_ms_p90": round(statistics.quantiles(cpu, n=10)[-1], 2),
                            "wall_ms_median": round(statistics.median(wall), 2),
                            "wall_ms_p90": round(statistics.quantiles(wall, n=10)[-1], 2),
                            "tally": store.tally("leaks"),
                        }
                    )
                )
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
