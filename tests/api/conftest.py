"""API test fixtures: stores for the contract suite, and an app wired to a fake clock and client IPs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from site_builder.catalog import vocabulary

API_DIR = Path(__file__).resolve().parents[2] / "api"
# app.py reads its CORS origin when imported: make it the test site's before any test imports it.
os.environ.setdefault("SITE_ORIGIN", "http://testserver.local")
if str(API_DIR) not in sys.path:
    sys.path.insert(0, str(API_DIR))

from chalicelib.adapters.sqlite import SQLiteStore  # noqa: E402

from .dynamodb_local import dynamodb_local  # noqa: E402, F401  (session fixture: DynamoDB Local, started on first use)
from .oidc_provider import oidc_provider  # noqa: E402, F401  (module fixture: a real OpenID provider)

STORES = ["sqlite", "dynamodb-local"]


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    if request.param == "sqlite":
        yield SQLiteStore(tmp_path / "store.sqlite3")
    elif request.param == "dynamodb-local":
        from chalicelib.adapters.dynamodb import DynamoDBStore

        server = request.getfixturevalue("dynamodb_local")
        table = server.new_table()  # a fresh table per test on the shared server
        yield DynamoDBStore(table, shards=10, client=server.client)
        server.drop_table(table)
    else:
        raise AssertionError(request.param)


# --- The app, wired to a test catalog, a fixed clock and a temporary SQLite store -------------------------------

import datetime as dt  # noqa: E402
import json  # noqa: E402

from chalicelib import runtime  # noqa: E402
from chalicelib.consultation import Consultation  # noqa: E402
from chalicelib.kernel.catalog import CatalogFile  # noqa: E402
from chalicelib.kernel.clock import FixedClock  # noqa: E402
from chalicelib.kernel.keys import Keys  # noqa: E402
from chalicelib.settings import Settings  # noqa: E402

SITE = "http://testserver.local"
INSIDE = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def window(opens: str, closes: str) -> dict:
    return {"opens": opens, "closes": closes, "timezone": "Europe/Paris"}


OPEN = window("2026-11-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00")
PAST = window("2017-10-20T00:00:00+02:00", "2017-11-07T00:00:00+01:00")
FUTURE = window("2027-03-01T00:00:00+01:00", "2027-04-01T00:00:00+02:00")


def catalog_data() -> dict:
    def program(pid, win, moderation, tallies):
        return {
            "id": pid,
            "title": {"fr": pid, "en": pid},
            "window": win,
            "moderation": moderation,
            "tallies": tallies,
            "urls": {"fr": f"{pid}/", "en": f"en/{pid}/"},
            "propose_urls": {"fr": f"{pid}/propose/", "en": f"en/{pid}/propose/"},
        }

    def challenge(cid, pid, win, status="open"):
        return {
            "id": cid,
            "program": pid,
            "status": status,
            "title": {"fr": cid, "en": cid},
            "window": win,
            "urls": {"fr": f"{pid}/challenges/{cid}/", "en": f"en/{pid}/challenges/{cid}/"},
        }

    return {
        "version": 1,
        # The vocabulary the build ships (site_builder/vocabulary.py), with two themes of the test's own.
        "vocabulary": {
            **vocabulary(("fr", "en")),
            "themes": {"water": {"fr": "Eau", "en": "Water"}, "mobility": {"fr": "M", "en": "M"}},
        },
        "programs": [
            program("live-post", OPEN, "post", "live"),
            program("hidden-pre", OPEN, "pre", "after-close"),
            program("old", PAST, "post", "live"),
            program("soon", FUTURE, "post", "live"),
        ],
        "challenges": [
            challenge("leaks", "live-post", OPEN),
            challenge("noise", "hidden-pre", OPEN),
            challenge("archive", "old", PAST),
            challenge("later", "soon", FUTURE),
            challenge("kept", "live-post", OPEN, status="selected"),
        ],
    }


class Api:
    """A Chalice test client plus what tests need to see behind it."""

    def __init__(self, client, service, clock, catalog_path):
        self.client, self.service, self.clock, self.catalog_path = client, service, clock, catalog_path
        self.cookie: str | None = None
        self.ip = "203.0.113.7"

    def request(
        self,
        method: str,
        path: str,
        body=None,
        *,
        headers=None,
        raw: bytes | None = None,
        content_type="application/json",
        origin=SITE,
        cookie=True,
    ):
        sent = {"CloudFront-Viewer-Address": f"{self.ip}:4242"}
        if content_type:
            sent["Content-Type"] = content_type
        if origin:
            sent["Origin"] = origin
        if cookie and self.cookie:
            sent["Cookie"] = self.cookie
        sent.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        response = getattr(self.client.http, method.lower())(path, headers=sent, body=payload)
        set_cookie = response.headers.get("Set-Cookie") or response.headers.get("set-cookie")
        if set_cookie and cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        return response

    def json(self, response):
        return json.loads(response.body)


def serve_api(store, tmp_path, origin=None, **overrides):
    """Yield an Api over `store`: a test catalog, a fixed clock, test rate limits (overridable); `origin`: the
    origin lock's secret (adapters/secrets.py OriginSecret), none by default."""
    from chalice.test import Client

    import app as app_module

    catalog_path = tmp_path / "catalog.json"
    catalog_path.write_text(json.dumps(catalog_data()), encoding="utf-8")
    env = {
        "SITE_ORIGIN": SITE,
        "CLIENT_IP_HEADER": "CloudFront-Viewer-Address",
        "DATA_DIR": str(tmp_path),
        "CATALOG_PATH": str(catalog_path),
        "REPORTS_TO_HIDE": "2",
        "COMMENTS_PAGE_SIZE": "3",
        "RATE_VOTES_PER_TOKEN": "30",
        "RATE_VOTES_PER_IP": "40",
        **overrides,
    }
    clock = FixedClock(INSIDE)
    service = Consultation(
        Settings.load(environ=env),
        store,
        CatalogFile(catalog_path),
        Keys.from_json(Keys.generate_json()),
        clock,
        origin=origin,
    )
    runtime.install(service)
    try:
        with Client(app_module.app, stage_name="test", project_dir=str(API_DIR)) as client:
            yield Api(client, service, clock, catalog_path)
    finally:
        runtime.install(None)


@pytest.fixture
def api(tmp_path):
    """The API on SQLite (most HTTP behaviour does not depend on the store)."""
    yield from serve_api(SQLiteStore(tmp_path / "api.sqlite3"), tmp_path)


@pytest.fixture
def api_on_store(store, tmp_path):
    """The API on each store of the contract suite."""
    yield from serve_api(store, tmp_path)
