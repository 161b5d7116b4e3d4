"""Through the HTTP API on every store: windows, rate limits, stable pagination, privacy, and no table scans."""

from __future__ import annotations

import datetime as dt
import sqlite3

from chalicelib.adapters.sqlite import SQLiteStore

from .conftest import INSIDE


def test_window_enforcement(api_on_store):
    api = api_on_store
    assert api.request("PUT", "/challenges/archive/vote").status_code == 409
    assert api.request("PUT", "/challenges/later/vote").status_code == 409
    api.clock.now = dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    assert api.request("PUT", "/challenges/later/vote").status_code == 200
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 409


def test_rate_limits(api_on_store):
    api = api_on_store
    statuses = [api.request("PUT", "/challenges/leaks/vote").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    api.clock.advance(hours=1)
    assert api.request("PUT", "/challenges/leaks/vote").status_code == 200


def test_pagination_is_stable_while_comments_arrive(api_on_store):
    api = api_on_store
    for i in range(5):
        api.clock.now = INSIDE + dt.timedelta(seconds=i)
        api.request("POST", "/challenges/leaks/comments", {"text": f"c{i}"})
    first = api.json(api.request("GET", "/challenges/leaks/comments"))
    api.clock.now = INSIDE + dt.timedelta(seconds=10)
    api.request("POST", "/challenges/leaks/comments", {"text": "late"})
    seen = [c["text"] for c in first["comments"]]
    cursor = first["next"]
    while cursor:
        page = api.json(api.request("GET", f"/challenges/leaks/comments?cursor={cursor}"))
        seen += [c["text"] for c in page["comments"]]
        cursor = page["next"]
    assert seen == ["c0", "c1", "c2", "c3", "c4", "late"]


def _everything_stored(api) -> str:
    """Every value the store holds, as text (tests only: a full dump is never done on a request path)."""
    store = api.service.store
    if isinstance(store, SQLiteStore):
        db = sqlite3.connect(store.path)
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [repr(row) for table in tables for row in db.execute(f"SELECT * FROM {table}")]  # noqa: S608
        raw = store.path.read_bytes() + store.path.with_name(store.path.name + "-wal").read_bytes()
        return "\n".join(rows) + raw.decode("latin-1")
    paginator = store.client.get_paginator("scan")
    return "\n".join(repr(item) for page in paginator.paginate(TableName=store.table) for item in page["Items"])


def test_no_raw_token_address_or_email_is_stored(api_on_store):
    api = api_on_store
    tokens = []
    for ip in ("203.0.113.7", "198.51.100.23"):
        api.cookie, api.ip = None, ip
        api.request("PUT", "/challenges/leaks/vote")
        tokens.append(api.cookie.split("=", 1)[1])
        comment = api.json(api.request("POST", "/challenges/leaks/comments", {"text": "Bien", "display_name": "Awa"}))
    api.request("POST", f"/comments/{comment['id']}/reports", {"reason": "spam"})
    email = "resident.private@example.org"
    proposal = {"title": "Bancs", "description": "Plus de bancs.", "email": email, "consent": True}
    assert api.request("POST", "/programs/live-post/proposals", proposal).status_code == 201
    stored = _everything_stored(api)
    assert "Awa" in stored  # the dump does see what was written
    for secret in [*tokens, "203.0.113.7", "198.51.100.23", email, email.split("@")[0]]:
        assert secret not in stored, secret


def test_no_request_path_scans(api_on_store):
    api = api_on_store
    store = api.service.store
    if isinstance(store, SQLiteStore):
        return  # the property concerns DynamoDB; SQLite's queries all use indexes (see the schema)
    operations: list[str] = []
    store.client.meta.events.register("before-call.dynamodb.*", lambda model, **_: operations.append(model.name))
    api.request("GET", "/health")
    api.request("GET", "/challenges/leaks/tally")
    api.request("PUT", "/challenges/leaks/vote")
    api.request("DELETE", "/challenges/leaks/vote")
    created = api.json(api.request("POST", "/challenges/leaks/comments", {"text": "Un avis"}))
    api.request("GET", "/challenges/leaks/comments?order=newest")
    api.request("POST", f"/comments/{created['id']}/reports", {"reason": "spam"})
    api.request("POST", "/programs/live-post/proposals", {"title": "T", "description": "D"})
    api.service.housekeeping()
    assert operations and "Scan" not in operations, operations
    assert {"TransactWriteItems", "Query"} <= set(operations)


def test_no_staff_operation_scans(api_on_store):
    """The staff endpoints Query and Get; none Scans (the role has no dynamodb:Scan)."""
    from .test_staff import AFTER, Staff, import_body, new_token, row

    api = api_on_store
    store = api.service.store
    if isinstance(store, SQLiteStore):
        return
    staff = Staff(api, new_token(api, ["live-post", "hidden-pre"])[0])
    operations: list[str] = []
    store.client.meta.events.register("before-call.dynamodb.*", lambda model, **_: operations.append(model.name))
    created = api.json(api.request("POST", "/challenges/noise/comments", {"text": "Un avis"}))
    api.request("PUT", "/challenges/leaks/vote")
    proposal = api.json(api.request("POST", "/programs/live-post/proposals", {"title": "T", "description": "D"}))
    for kind in ("pending", "reported", "proposals"):
        assert staff("GET", f"/staff/programs/hidden-pre/queue?kind={kind}").status_code == 200
    assert staff("POST", f"/staff/comments/{created['id']}/decision", {"action": "approve"}).status_code == 200
    assert staff("GET", f"/staff/proposals/{proposal['proposal']}").status_code == 200
    decision = {"action": "reject", "reason": "other"}
    assert staff("POST", f"/staff/proposals/{proposal['proposal']}/decision", decision).status_code == 200
    assert staff("POST", "/staff/programs/live-post/imports", import_body([row()])).status_code == 201
    assert api.request("GET", "/programs/live-post/moderation").status_code == 200
    assert staff("GET", "/staff/programs/live-post/results").status_code == 200
    assert staff("GET", "/staff/programs/live-post/audit").status_code == 200
    api.clock.now = AFTER
    assert staff("GET", "/staff/programs/live-post/vote-log").status_code == 200
    assert operations and "Scan" not in operations, operations
