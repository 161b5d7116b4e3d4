"""The operator's re-sharding command against DynamoDB Local: announce, too early, switch, show."""

from __future__ import annotations

import json

from chalicelib.adapters.dynamodb import DynamoDBStore
from chalicelib.votes.store import SHARDING_WAIT_SECONDS
from infra import reshard

AT = "2026-11-26T12:00:00.000000+00:00"


def test_the_command_moves_an_open_challenge_to_more_shards_in_two_runs(dynamodb_local, capsys):
    table = dynamodb_local.new_table()
    client = dynamodb_local.make_client()
    api = DynamoDBStore(table, shards=10, client=client)
    try:
        assert all(api.cast_vote("leaks", f"v{i}", AT) for i in range(30))
        base = ["--table", table, "--challenge", "leaks", "--tally-shards", "10"]
        assert reshard.main([*base, "--shards", "25"], client=client, now=lambda: 1_000) == 0
        announced = json.loads(capsys.readouterr().out)
        assert (announced["write"], announced["pending"], announced["lookup"]) == (10, 25, [10, 25])
        assert reshard.main([*base, "--shards", "25"], client=client, now=lambda: 1_010) == 1
        assert "try in" in capsys.readouterr().err
        assert reshard.main([*base, "--shards", "25"], client=client, now=lambda: 1_000 + SHARDING_WAIT_SECONDS) == 0
        switched = json.loads(capsys.readouterr().out)
        assert (switched["write"], switched["pending"], switched["span"]) == (25, None, 25)
        api.forget_sharding()  # the API's containers re-read it within SHARDING_CACHE_SECONDS
        assert not any(api.cast_vote("leaks", f"v{i}", AT) for i in range(30))
        assert all(api.cast_vote("leaks", f"w{i}", AT) for i in range(30))
        assert api.tally("leaks") == 60 == len(api.vote_records("leaks"))
        assert reshard.main([*base, "--show"], client=client) == 0
        assert json.loads(capsys.readouterr().out)["write"] == 25
    finally:
        dynamodb_local.drop_table(table)
