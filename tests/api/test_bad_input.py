"""Every malformed, oversized or hostile input is a 4xx problem with a readable message; nothing is half-written."""

from __future__ import annotations

import random

import pytest

PATHS = [
    ("POST", "/challenges/leaks/comments"),
    ("POST", "/programs/live-post/proposals"),
    ("POST", "/comments/AAAAAAAAAAAAAAAA/reports"),
]


def assert_problem(api, response, status):
    assert response.status_code == status, response.body
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = api.json(response)
    assert problem["status"] == status and problem["detail"] and problem["title"]
    return problem


@pytest.mark.parametrize(
    "raw,expected",
    [
        (b"{not json", "invalide"),
        (b'{"text": "a", "text": "b"}', "duplicate key"),
        (b"[1, 2]", "objet"),
        (b'{"text": NaN}', "invalide"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"[" * 100_00, "invalide"),
    ],
)
def test_malformed_bodies(api, raw, expected):
    problem = assert_problem(api, api.request("POST", "/challenges/leaks/comments", raw=raw), 400)
    assert expected in problem["detail"]


def test_wrong_types_and_unknown_fields(api):
    problem = assert_problem(api, api.request("POST", "/challenges/leaks/comments", {"text": 42}), 422)
    assert problem["field"] == "text" and "texte" in problem["detail"]
    problem = assert_problem(
        api, api.request("POST", "/challenges/leaks/comments", {"text": "ok", "is_admin": True}), 422
    )
    assert problem["field"] == "is_admin" and "inconnu" in problem["detail"]
    problem = assert_problem(
        api,
        api.request("POST", "/programs/live-post/proposals", {"title": "T", "description": "D", "consent": "maybe"}),
        422,
    )
    assert problem["field"] == "consent"


def test_oversized_and_too_long(api):
    assert_problem(api, api.request("POST", "/challenges/leaks/comments", {"text": "x" * 20_000}), 413)
    problem = assert_problem(api, api.request("POST", "/challenges/leaks/comments", {"text": "x" * 2001}), 422)
    assert "2001" in problem["detail"] and "2000" in problem["detail"]


@pytest.mark.parametrize("text", ["bell\x07", "nul\x00byte", "escape\x1b[31m", "bidi\u202eevil", "lone\ud800"])
def test_control_characters(api, text):
    problem = assert_problem(api, api.request("POST", "/challenges/leaks/comments", {"text": text}), 422)
    assert problem["field"] == "text"


def test_unsupported_media_type(api):
    assert_problem(
        api, api.request("POST", "/challenges/leaks/comments", raw=b"text=hi", content_type="text/plain"), 415
    )


def test_nothing_half_written(api):
    api.request("POST", "/challenges/leaks/comments", {"text": "ok", "extra": 1})
    api.request("POST", "/challenges/leaks/comments", raw=b"{broken")
    assert api.json(api.request("GET", "/challenges/leaks/comments"))["comments"] == []


def test_random_bodies_never_cause_a_server_error(api):
    rng = random.Random(2026)
    alphabet = [
        b"{",
        b"}",
        b"[",
        b"]",
        b'"',
        b":",
        b",",
        b"text",
        b"reason",
        b"\\u0000",
        b"\xff",
        b"null",
        b"1e999",
        b"true",
        b" ",
        b"title",
        b"description",
        b"\xc3\xa9",
        b"spam",
    ]
    for i in range(300):
        raw = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        method, path = PATHS[i % len(PATHS)]
        content_type = rng.choice(["application/json", "application/x-www-form-urlencoded", None, "text/plain"])
        response = api.request(method, path, raw=raw, content_type=content_type)
        assert 200 <= response.status_code < 500, (raw, response.status_code, response.body)


@pytest.mark.parametrize(
    "path",
    [
        "/challenges/%3Cscript%3E/tally",
        "/challenges/..%2F..%2Fetc/tally",
        "/challenges/" + "a" * 200 + "/tally",
        "/challenges/UPPER/tally",
    ],
)
def test_hostile_ids(api, path):
    response = api.request("GET", path)
    assert 400 <= response.status_code < 500


# --- The staff routes: the same guarantees behind a valid token ----------------------------------------------------

STAFF_POSTS = [
    "/staff/comments/AAAAAAAAAAAAAAAA/decision",
    "/staff/proposals/AAAAAAAAAAAAAAAA/decision",
    "/staff/programs/live-post/imports",
]


@pytest.fixture
def staff_headers(api):
    from .test_staff import new_token

    token, _ = new_token(api, ["live-post", "hidden-pre", "old", "soon"])
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path", STAFF_POSTS)
@pytest.mark.parametrize(
    "raw", [b"{not json", b'{"action": "approve", "action": "x"}', b"[1]", b"\xff\xfe", b"[" * 10_000]
)
def test_staff_malformed_bodies(api, staff_headers, path, raw):
    assert_problem(api, api.request("POST", path, raw=raw, headers=staff_headers, origin=None), 400)


@pytest.mark.parametrize(
    "path",
    [
        "/staff/programs/%3Cscript%3E/queue",
        "/staff/programs/" + "a" * 200 + "/results",
        "/staff/programs/UPPER/vote-log",
        "/staff/programs/nope/audit?cursor=%00",
        "/staff/programs/live-post/audit?cursor=" + "A" * 500,
        "/staff/programs/live-post/queue?kind=%00&cursor=x",
        "/staff/programs/old/vote-log?challenge=..%2F",
        "/staff/proposals/..%2F..%2Fetc",
        "/programs/..%2F/moderation",
    ],
)
def test_staff_hostile_ids_and_queries(api, staff_headers, path):
    response = api.request("GET", path, headers=staff_headers, origin=None)
    assert 400 <= response.status_code < 500, response.body


def test_staff_random_bodies_never_cause_a_server_error(api, staff_headers):
    rng = random.Random(2027)
    alphabet = [b"{", b"}", b"[", b"]", b'"', b":", b",", b"action", b"reason", b"note", b"rows", b"line", b"digest",
                b"source", b"approve", b"spam", b"null", b"1e999", b"-1", b"true", b" ", b"\xff", b"channel", b"kind"]  # fmt: skip
    for i in range(300):
        raw = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        content_type = rng.choice(["application/json", "application/x-www-form-urlencoded", None, "text/plain"])
        response = api.request(
            "POST", STAFF_POSTS[i % len(STAFF_POSTS)], raw=raw, content_type=content_type, headers=staff_headers
        )
        assert 200 <= response.status_code < 500, (raw, response.status_code, response.body)
