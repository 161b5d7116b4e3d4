"""Change one challenge's number of tally shards while its consultation is open (docs/operations.md, "Re-sharding").

    python -m infra.reshard --table datacity-prod --region eu-west-3 --challenge C --shards 20 [--tally-shards 10]
    python -m infra.reshard --table datacity-prod --region eu-west-3 --challenge C --show

Run it twice with the same --shards: the first run announces the new count (the API then also looks votes up under
it, and keeps writing them as before); the second, at least SHARDING_WAIT_SECONDS (60 s) later, makes new votes go
to the new shards. Votes already cast stay where they are and still count once (api/chalicelib/adapters/dynamodb/
votes.py). Each run prints the challenge's sharding as JSON. --tally-shards is the deployment's TALLY_SHARDS (what a
challenge never re-sharded uses). Needs an operator's credentials: GetItem, BatchGetItem and PutItem on the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def store(table: str, tally_shards: int, client=None, region: str | None = None):
    api = str(ROOT / "api")
    if api not in sys.path:
        sys.path.insert(0, api)
    from chalicelib.adapters.dynamodb import DynamoDBStore, make_client

    return DynamoDBStore(table, shards=tally_shards, client=client or make_client(region_name=region))


def main(argv: list[str] | None = None, client=None, now=time.time) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", required=True)
    parser.add_argument("--region")
    parser.add_argument("--challenge", required=True)
    parser.add_argument("--tally-shards", type=int, default=10, help="the deployment's TALLY_SHARDS (default 10)")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--shards", type=int, help="the new number of shards (1 to 100)")
    action.add_argument("--show", action="store_true", help="print the challenge's sharding, change nothing")
    args = parser.parse_args(argv)
    votes = store(args.table, args.tally_shards, client, args.region)
    try:
        sharding = (
            votes.sharding(args.challenge) if args.show else votes.reshard(args.challenge, args.shards, int(now()))
        )
    except ValueError as error:
        print(f"infra.reshard: {error}", file=sys.stderr)
        return 1
    print(json.dumps({"challenge": args.challenge, **dataclasses.asdict(sharding), "span": sharding.span}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
