"""Votes through the HTTP API: cookie identity, idempotence, windows, tally visibility."""

from __future__ import annotations

import datetime as dt

from .conftest import SITE


def test_first_vote_issues_a_first_party_cookie_and_counts_once(api):
    first = api.request("PUT", "/challenges/leaks/vote")
    assert first.status_code == 200
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith("dc_voter=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/api" in cookie and "Secure" not in cookie
    assert api.json(first)["count"] == 1 and api.json(first)["voted"] is True
    again = api.request("PUT", "/challenges/leaks/vote")
    assert again.status_code == 200 and "Set-Cookie" not in again.headers
    assert api.json(again)["count"] == 1
    tally = api.json(api.request("GET", "/challenges/leaks/tally"))
    assert tally["count"] == 1 and tally["voted"] is True and tally["participation"]["state"] == "open"


def test_another_token_adds_a_vote_and_withdraw_is_idempotent(api):
    api.request("PUT", "/challenges/leaks/vote")
    first_cookie = api.cookie
    api.cookie = None
    assert api.json(api.request("PUT", "/challenges/leaks/vote"))["count"] == 2
    assert api.json(api.request("DELETE", "/challenges/leaks/vote"))["count"] == 1
    assert api.json(api.request("DELETE", "/challenges/leaks/vote"))["count"] == 1
    api.cookie = first_cookie
    assert api.json(api.request("GET", "/challenges/leaks/tally"))["voted"] is True


def test_only_keyed_hashes_are_stored(api):
    api.request("PUT", "/challenges/leaks/vote")
    token = api.cookie.split("=", 1)[1]
    records = api.service.store.vote_records("leaks")
    assert len(records) == 1 and token not in records[0]
    raw = api.service.store.path.read_bytes() + (api.service.store.path.parent / "api.sqlite3-wal").read_bytes()
    assert token.encode() not in raw and api.ip.encode() not in raw


def test_unknown_challenge_is_404_and_bad_id_is_400(api):
    missing = api.request("PUT", "/challenges/no-such-thing/vote")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"
    problem = api.json(missing)
    assert problem["status"] == 404 and problem["detail"] == "Ce défi n'existe pas ou n'est pas publié."
    english = api.request("GET", "/challenges/no-such-thing/tally", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert api.json(english)["detail"] == "This challenge does not exist or is not published."
    bad = api.request("GET", "/challenges/Not_A_Slug/tally")
    assert bad.status_code == 400 and api.json(bad)["type"] == "/api/problems/invalid-id"


def test_votes_outside_the_window_are_409_with_the_dates(api):
    closed = api.request("PUT", "/challenges/archive/vote", headers={"Accept-Language": "en"})
    assert closed.status_code == 409
    assert (
        api.json(closed)["detail"]
        == "Participation in this challenge closed on 6 November 2017 (it opened on 20 October 2017)."
    )
    upcoming = api.request("PUT", "/challenges/later/vote")
    assert upcoming.status_code == 409
    assert "ouvre le 1 mars 2027" in api.json(upcoming)["detail"]
    assert api.json(upcoming)["window"]["opens"] == "2027-03-01T00:00:00+01:00"
    selected = api.request("DELETE", "/challenges/kept/vote")
    assert selected.status_code == 409


def test_the_window_follows_the_clock(api):
    api.clock.now = dt.datetime(2026, 12, 31, 22, 59, 59, tzinfo=dt.UTC)
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 200
    api.clock.now = dt.datetime(2026, 12, 31, 23, 0, 0, tzinfo=dt.UTC)  # midnight in Paris
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 409


def test_counts_are_hidden_until_close_when_the_program_says_so(api):
    assert api.request("PUT", "/challenges/noise/vote").status_code == 200
    hidden = api.json(api.request("GET", "/challenges/noise/tally"))
    assert hidden["count"] is None and hidden["visible"] is False and hidden["voted"] is True
    api.clock.now = dt.datetime(2027, 1, 2, tzinfo=dt.UTC)
    shown = api.json(api.request("GET", "/challenges/noise/tally"))
    assert shown["count"] == 1 and shown["visible"] is True


def test_a_catalog_rebuild_changes_what_is_accepted(api):
    import json
    import os

    data = json.loads(api.catalog_path.read_text())
    data["challenges"] = [c for c in data["challenges"] if c["id"] != "leaks"]
    api.catalog_path.write_text(json.dumps(data))
    stat = api.catalog_path.stat()
    os.utime(api.catalog_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 404


def test_requests_from_another_site_are_refused(api):
    forged = api.request("PUT", "/challenges/leaks/vote", origin="https://evil.example")
    assert forged.status_code == 403 and api.json(forged)["type"] == "/api/problems/forbidden-origin"
    cross = api.request(
        "POST", "/challenges/leaks/comments", {"text": "hi"}, origin=None, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross.status_code == 403
    assert api.service.store.tally("leaks") == 0
    same = api.request("PUT", "/challenges/leaks/vote", origin=None, headers={"Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 200


def test_a_state_change_that_says_nothing_of_its_origin_is_refused(api):
    """Neither Origin nor Sec-Fetch-Site: not a browser of this site (docs/api.md, "Where a request comes from")."""
    silent = api.request("PUT", "/challenges/leaks/vote", origin=None)
    assert silent.status_code == 403
    body = api.json(silent)
    assert body["type"] == "/api/problems/forbidden-origin" and "navigateur" in body["detail"]
    assert api.service.store.tally("leaks") == 0
    assert api.request("GET", "/challenges/leaks/tally", origin=None).status_code == 200  # reading is fine


def test_cors_allows_only_the_site_origin(api):
    response = api.client.http.get("/challenges/leaks/tally", headers={"Origin": SITE})
    assert response.headers.get("Access-Control-Allow-Origin") == SITE
    assert response.headers.get("Access-Control-Allow-Credentials") == "true"


def test_vote_rate_limits_per_token_and_per_ip(api):
    for _ in range(30):
        assert api.request("PUT", "/challenges/leaks/vote").status_code == 200
    limited = api.request("PUT", "/challenges/leaks/vote")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "minute" in api.json(limited)["detail"]
    # New tokens from the same address: the per-IP limit (40) still applies.
    statuses = []
    for _ in range(12):
        api.cookie = None
        statuses.append(api.request("PUT", "/challenges/leaks/vote").status_code)
    assert statuses.count(429) >= 1
    # Another address is not affected, and the window resets.
    api.cookie, api.ip = None, "198.51.100.9"
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 200
    assert api.service.store.tally("leaks") == len(api.service.store.vote_records("leaks"))


def test_health(api):
    response = api.request("GET", "/health")
    assert response.status_code == 200 and api.json(response)["status"] == "ok"


def test_ipv6_viewers_of_one_64_share_the_per_address_limit_whatever_their_port(api):
    # RATE_VOTES_PER_IP is 40: fresh cookies from addresses and ports of one /64 meet it together.
    statuses = []
    for i in range(45):
        api.cookie, api.ip = None, f"2001:db8:7:9:{i:x}::{i + 1:x}"  # the fixture appends ":4242", as CloudFront does
        statuses.append(api.request("PUT", "/challenges/leaks/vote").status_code)
    assert statuses[:40] == [200] * 40 and statuses[40:] == [429] * 5
    api.cookie, api.ip = None, "2001:db8:7:a::1"  # the next /64 is another subscriber
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 200


def test_a_programs_tallies_in_one_call_each_visible_or_not_as_its_program_says(api_on_store):
    api = api_on_store
    for i in range(3):
        api.cookie, api.ip = None, f"198.51.100.{i + 1}"
        assert api.request("PUT", "/challenges/leaks/vote").status_code == 200
    answer = api.json(api.request("GET", "/programs/live-post/tallies"))
    assert answer["program"] == "live-post"
    assert answer["stale_seconds"] == (0 if api.service.store.cheap_reads else 2)
    by_id = {t["challenge"]: t for t in answer["tallies"]}
    assert by_id.keys() == {"leaks", "kept"}
    assert (by_id["leaks"]["count"], by_id["leaks"]["visible"], by_id["kept"]["count"]) == (3, True, 0)
    assert by_id["leaks"]["participation"]["state"] == "open"
    hidden = api.json(api.request("GET", "/programs/hidden-pre/tallies"))["tallies"]
    assert [(t["challenge"], t["count"], t["visible"]) for t in hidden] == [("noise", None, False)]
    assert api.request("GET", "/programs/nope/tallies").status_code == 404
    assert api.request("GET", "/programs/BAD!/tallies").status_code == 400


def test_tally_views_are_served_from_the_cache_and_own_votes_show_at_once(api_on_store):
    api = api_on_store
    store = api.service.store
    cached = not store.cheap_reads  # DynamoDB: a copy per container; SQLite: its one row, read each time
    reads = []
    original = store.tallies
    store.tallies = lambda ids: reads.append(ids) or original(ids)
    try:
        for _ in range(5):
            api.request("GET", "/challenges/leaks/tally")
        api.request("GET", "/programs/live-post/tallies")
        assert len(reads) == (2 if cached else 6)  # cached: leaks once, then kept (leaks still fresh) once
        assert api.json(api.request("PUT", "/challenges/leaks/vote"))["count"] == 1
        store.cast_vote("leaks", "another-container's-voter", "2026-11-26T12:00:00+00:00")
        # Cached: within the staleness, this container's own vote only.
        assert api.json(api.request("GET", "/challenges/leaks/tally"))["count"] == (1 if cached else 2)
    finally:
        store.tallies = original


def test_rotating_the_hash_key_during_a_consultation_keeps_each_vote_once(api):
    """The two steps of docs/operations.md "Rotating the keys": announce (votes also looked up under the next key),
    switch (written under it, looked up under the old one). The same browser keeps its vote, cannot vote twice,
    can withdraw; a container still on the announce step and one already switched refuse the same person."""
    import base64
    import json
    from dataclasses import replace

    from chalicelib.kernel.keys import Keys

    context = api.service.context
    old = context.keys
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 200
    nxt = base64.urlsafe_b64decode(json.loads(Keys.generate_json())["hash_key"])
    announced = replace(old, lookup_hash_keys=(nxt,))
    switched = replace(old, hash_key=nxt, lookup_hash_keys=(old.hash_key,))
    for keys in (announced, switched, announced, switched):
        context.keys = keys
        tally = api.json(api.request("GET", "/challenges/leaks/tally"))
        assert (tally["voted"], tally["count"]) == (True, 1)
        again = api.json(api.request("PUT", "/challenges/leaks/vote"))
        assert (again["voted"], again["count"]) == (True, 1)
    assert api.service.store.tally("leaks") == 1
    withdrawn = api.json(api.request("DELETE", "/challenges/leaks/vote"))
    assert (withdrawn["voted"], withdrawn["count"]) == (False, 0)
    assert api.json(api.request("PUT", "/challenges/leaks/vote"))["count"] == 1
    # Once the rotation is over, the vote is under the new key: found without any lookup key.
    context.keys = replace(switched, lookup_hash_keys=())
    assert api.json(api.request("GET", "/challenges/leaks/tally"))["voted"] is True
    assert api.service.store.tally("leaks") == 1
