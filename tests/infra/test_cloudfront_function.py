"""The CloudFront Function (infra/cloudfront/index_rewrite.js), run with Node.js on CloudFront-shaped events."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

FUNCTION = Path(__file__).resolve().parents[2] / "infra" / "cloudfront" / "index_rewrite.js"

HARNESS = r"""
const vm = require("node:vm");
const fs = require("node:fs");
const context = {};
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8") + "\nthis.handler = handler;", context);
const events = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(events.map((event) => context.handler(event))));
"""


def run(requests: list[dict], function: Path = FUNCTION) -> list[dict]:
    assert shutil.which("node"), "Node.js is needed (it is also DynamoDB Local's installer's)"
    events = [{"version": "1.0", "context": {"eventType": "viewer-request"}, "request": r} for r in requests]
    done = subprocess.run(
        ["node", "-e", HARNESS, str(function)], input=json.dumps(events), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def request(uri: str, querystring: dict | None = None) -> dict:
    return {"method": "GET", "uri": uri, "querystring": querystring or {}, "headers": {}, "cookies": {}}


@pytest.mark.parametrize(
    ("uri", "rewritten"),
    [
        ("/", "/index.html"),
        ("/paris-2017/", "/paris-2017/index.html"),
        (
            "/en/montreal-2026/challenges/heated-bus-shelters/",
            "/en/montreal-2026/challenges/heated-bus-shelters/index.html",
        ),
        ("/assets/javascripts/participate.js", "/assets/javascripts/participate.js"),
        ("/catalog.json", "/catalog.json"),
        ("/sitemap.xml.gz", "/sitemap.xml.gz"),
    ],
)
def test_directory_urls_are_served_from_index_html(uri, rewritten):
    (result,) = run([request(uri)])
    assert result["uri"] == rewritten


def test_a_directory_without_its_slash_is_redirected_with_its_query():
    plain, with_query, repeated = run(
        [
            request("/paris-2017"),
            request("/search", {"q": {"value": "bus%20shelters"}}),
            request("/x", {"a": {"value": "1", "multiValue": [{"value": "1"}, {"value": "2"}]}, "flag": {"value": ""}}),
        ]
    )
    assert plain["statusCode"] == 301 and plain["headers"]["location"]["value"] == "/paris-2017/"
    assert with_query["headers"]["location"]["value"] == "/search/?q=bus%20shelters"
    assert repeated["headers"]["location"]["value"] == "/x/?a=1&a=2&flag"


def test_never_an_open_redirect():
    redirect, dotted, page = run([request("//evil"), request("//evil.example"), request("///evil.example/page/")])
    assert redirect["headers"]["location"]["value"] == "/evil/"  # a path on this site, never "//evil/"
    assert dotted["uri"] == "/evil.example"
    assert page["uri"] == "/evil.example/page/index.html"


def test_the_function_fits_cloudfront_limits():
    code = FUNCTION.read_text(encoding="utf-8")
    assert len(code.encode()) < 10_240  # CloudFront Functions: 10 KB of code
    assert "require(" not in code and "fetch(" not in code  # no modules, no network in CloudFront Functions


STAFF_FUNCTION = FUNCTION.with_name("staff_rewrite.js")


@pytest.mark.parametrize(
    ("uri", "rewritten"),
    [
        ("/staff/", "/api/console"),
        ("/staff/sign-in", "/api/console/sign-in"),
        ("/staff/programs/paris-2017/queue", "/api/console/programs/paris-2017/queue"),
    ],
)
def test_the_staff_console_reaches_the_apis_console_routes(uri, rewritten):
    (answer,) = run([request(uri, {"lang": {"value": "en"}})], STAFF_FUNCTION)
    assert answer["uri"] == rewritten and answer["querystring"] == {"lang": {"value": "en"}}
