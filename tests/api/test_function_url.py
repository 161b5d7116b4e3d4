"""Production's handler: function URL events (payload 2.0, as CloudFront's origin gets them) answered by the app."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlencode

import pytest

from chalicelib.web.function_url import route_path

from .conftest import SITE, serve_api

VIEWER = "203.0.113.7:4242"


def url_event(method: str, raw_path: str, *, query: str = "", body: bytes | None = None, cookies=(), headers=None):
    """An event as a Lambda function URL delivers it (lower-case headers, cookies apart, raw path and query)."""
    sent = {"cloudfront-viewer-address": VIEWER, "origin": SITE, "content-type": "application/json"}
    sent.update(headers or {})
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": query,
        "headers": sent,
        "requestContext": {
            "http": {"method": method, "path": raw_path, "sourceIp": "130.176.0.1", "protocol": "HTTP/1.1"},
            "requestId": "r-1",
            "domainName": "abc.lambda-url.eu-west-3.on.aws",
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = list(cookies)
    if body is not None:
        event["body"] = base64.b64encode(body).decode()
        event["isBase64Encoded"] = True
    return event


@pytest.fixture
def served(tmp_path):
    import app as app_module
    from chalicelib.adapters.sqlite import SQLiteStore

    for api in serve_api(SQLiteStore(tmp_path / "api.sqlite3"), tmp_path):
        yield api, app_module.function_url


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ("/api/challenges/x/tally", "/challenges/x/tally"),
        ("/api/form/challenges/x/vote", "/challenges/x/vote"),
        ("/api", "/"),
        ("/api/form", "/"),
        ("/apix/challenges", None),
        ("/challenges/x/tally", None),
        ("/api/formx/y", "/formx/y"),
    ],
)
def test_the_viewer_path_becomes_the_apps_path(raw, path):
    assert route_path(raw) == path


def test_a_vote_through_the_function_url_sets_the_cookie_and_counts_once(served):
    api, handle = served
    first = handle(url_event("PUT", "/api/challenges/leaks/vote", body=b"{}"), None)
    assert first["statusCode"] == 200, first
    assert json.loads(first["body"])["voted"] is True
    # Set-Cookie comes back in the function URL's own list, never folded into a header.
    assert [c for c in first["cookies"] if c.startswith("dc_voter=")]
    assert not any(name.lower() == "set-cookie" for name in first["headers"])
    cookie = next(c for c in first["cookies"] if c.startswith("dc_voter=")).split(";")[0]
    again = handle(url_event("PUT", "/api/challenges/leaks/vote", body=b"{}", cookies=[cookie]), None)
    assert again["statusCode"] == 200 and json.loads(again["body"])["count"] == 1
    tally = handle(url_event("GET", "/api/challenges/leaks/tally", cookies=[cookie]), None)
    assert json.loads(tally["body"])["voted"] is True and api.service.store.tally("leaks") == 1


def test_a_form_without_javascript_posts_under_the_form_prefix_and_is_redirected(served):
    api, handle = served
    body = urlencode({"lang": "en"}).encode()
    answer = handle(
        url_event(
            "POST",
            "/api/form/challenges/leaks/vote",
            body=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        ),
        None,
    )
    assert answer["statusCode"] in (303, 200), answer
    assert api.service.store.tally("leaks") == 1


def test_path_parameters_arrive_decoded_and_the_query_string_is_read(served):
    _, handle = served
    answer = handle(url_event("GET", "/api/challenges/le%61ks/comments", query="order=newest&limit=2"), None)
    assert answer["statusCode"] == 200, answer
    unknown = handle(url_event("GET", "/api/challenges/nope/comments", query="order=sideways"), None)
    assert unknown["statusCode"] in (400, 404)


def test_unknown_paths_and_methods_are_problems_not_errors(served):
    _, handle = served
    missing = handle(url_event("GET", "/api/no/such/route"), None)
    assert missing["statusCode"] == 404
    assert json.loads(missing["body"])["type"] == "/api/problems/not-found"
    # In the visitor's language, from the API's catalogs, as every problem of the API.
    french = handle(url_event("GET", "/api/no/such/route", headers={"accept-language": "fr-FR,fr;q=0.9"}), None)
    assert french["headers"]["Content-Language"] == "fr"
    assert json.loads(french["body"])["title"] != "Not found"
    assert "Aucune adresse de l'API" in json.loads(french["body"])["detail"]
    outside = handle(url_event("GET", "/index.html"), None)
    assert outside["statusCode"] == 404
    wrong = handle(url_event("PATCH", "/api/challenges/leaks/tally"), None)
    assert wrong["statusCode"] == 405 and "GET" in wrong["headers"]["Allow"]


def test_a_cors_preflight_is_answered_as_api_gateway_did(served):
    _, handle = served
    answer = handle(url_event("OPTIONS", "/api/challenges/leaks/vote"), None)
    assert answer["statusCode"] == 200
    methods = answer["headers"]["Access-Control-Allow-Methods"].split(",")
    assert {"PUT", "DELETE", "POST", "OPTIONS"} <= set(methods)
    no_cors = handle(url_event("OPTIONS", "/api/health"), None)
    assert no_cors["statusCode"] == 405


def test_the_origin_lock_still_applies_behind_the_function_url(tmp_path):
    """Defence in depth: a request that reached the function without CloudFront's header is still refused."""
    import app as app_module

    from .test_origin_lock import CURRENT, FakeSecret, locked

    for api in locked(tmp_path, FakeSecret(json.dumps({"current": CURRENT, "previous": ""}))):
        refused = app_module.function_url(url_event("PUT", "/api/challenges/leaks/vote", body=b"{}"), None)
        assert refused["statusCode"] == 403
        assert json.loads(refused["body"])["type"] == "/api/problems/direct-access"
        signed = url_event(
            "PUT", "/api/challenges/leaks/vote", body=b"{}", headers={"x-datacity-origin-verify": CURRENT}
        )
        ok = app_module.function_url(signed, None)
        assert ok["statusCode"] == 200 and api.service.store.tally("leaks") == 1


def test_the_site_and_the_apis_pages_post_their_forms_under_the_form_prefix(served):
    """The built pages (site_builder) and the API's own pages put their forms where CloudFront sends unsigned
    bodies; the script's calls stay under /api/ (signed)."""
    from chalicelib.web.function_url import FORM_PREFIX
    from site_builder.pages import participation

    assert participation.FORM_PREFIX == FORM_PREFIX
    _, handle = served
    # A form refused for its content comes back as a page with the form to send again.
    body = urlencode({"lang": "en", "text": ""}).encode()
    form = {"content-type": "application/x-www-form-urlencoded", "accept": "text/html"}
    page = handle(url_event("POST", "/api/form/challenges/leaks/comments", body=body, headers=form), None)
    assert page["statusCode"] == 422, page
    actions = re.findall(r'action="([^"]+)"', page["body"])
    assert actions and all(a.startswith(f"/api{FORM_PREFIX}/") for a in actions)
