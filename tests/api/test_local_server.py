"""The local product server (api/serve.py): site and API on one origin, its limits, concurrency, restarts.

Every test runs the server as `make serve` does, in processes of its own on a free port of 127.0.0.1 (granian's
workers cannot run inside the test process), and reads the SQLite store it wrote directly.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import re
import resource
import signal
import socket
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import pytest

from chalicelib.identity import rules as identity
from chalicelib.kernel.keys import Keys
from chalicelib.web import security_headers

from .conftest import INSIDE, catalog_data
from .local_server import environment, start

VERSIONED_JS = "assets/javascripts/bundle.0123abcd.min.js"
INLINE_SCRIPT = "document.documentElement.className = 'js';"


def write_site(root: Path) -> Path:
    site = root / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "about").mkdir()
    (site / "catalog.json").write_text(json.dumps(catalog_data()), encoding="utf-8")
    (site / "index.html").write_text(f"<!doctype html><title>home</title><script>{INLINE_SCRIPT}</script>", "utf-8")
    (site / "404.html").write_text("<!doctype html><title>lost</title>", encoding="utf-8")
    (site / "about" / "index.html").write_text("<!doctype html><title>about</title>", encoding="utf-8")
    (site / "assets" / "site.css").write_text("body{}", encoding="utf-8")
    (site / "assets" / "big.css").write_text("".join(f".c{n}{{color:#{n:06x}}}\n" for n in range(400)), "utf-8")
    (site / "assets" / "site.js").write_text("void 0;", encoding="utf-8")
    (site / VERSIONED_JS).write_text("var versioned = 1;\n" * 100, encoding="utf-8")
    (site / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (root / "secret.txt").write_text("outside the site", encoding="utf-8")
    return site


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path)


@pytest.fixture
def served(site, tmp_path):
    """start(workers=1, **environment) -> Server; every server started is stopped at the end."""
    servers = []

    def start_server(workers: int = 1, data: Path | None = None, preexec_fn=None, **extra: str):
        env = environment(site, data or tmp_path / "data", **{"DATACITY_NOW": INSIDE.isoformat(), **extra})
        server = start(site, env, workers, preexec_fn=preexec_fn)
        servers.append(server)
        return server

    yield start_server
    for server in servers:
        server.stop()


def call(port, method, path, cookie=None, origin=True, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Content-Type": "application/json"}
    if origin:
        sent["Origin"] = f"http://127.0.0.1:{port}"
    if cookie:
        sent["Cookie"] = cookie
    sent.update(headers or {})
    conn.request(method, path, body=body if method not in ("GET", "HEAD") else None, headers=sent)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def raw(port, data: bytes, timeout: float = 20) -> bytes:
    """Send bytes as they are; everything the server answers until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def store(data: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data / 'datacity.sqlite3'}?mode=ro", uri=True, timeout=30)


# --- The product on one origin ---------------------------------------------------------------------------------


def test_site_and_api_share_one_origin(served):
    port = served().port
    status, _, body = call(port, "GET", "/")
    assert status == 200 and b"home" in body
    status, headers, body = call(port, "GET", "/api/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert headers["content-type"] == "application/json" and headers["cache-control"] == "no-store"
    status, headers, body = call(port, "GET", "/api/challenges/nope/tally")
    assert status == 404 and headers["content-type"] == "application/problem+json"


def test_the_staff_console_is_on_the_same_origin(served):
    port = served().port
    for path in ("/staff", "/staff/", "/staff/?lang=en"):
        status, headers, body = call(port, "GET", path)
        assert status == 200 and headers["content-type"].startswith("text/html") and b'type="password"' in body
        assert "SameSite=Strict" in headers["set-cookie"] and "Path=/staff" in headers["set-cookie"]
    status, _, body = call(port, "GET", "/staff/programs/live-post?lang=en")
    assert status == 401 and b"Sign in" in body
    # A sign-in form posted from another site is refused before anything is counted or opened.
    status, headers, _ = call(
        port,
        "POST",
        "/staff/sign-in",
        origin=False,
        body=b"token=x",
        headers={"Origin": "https://evil.example", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403 and "set-cookie" not in headers


def test_unknown_api_routes_and_methods_are_problems(served):
    port = served().port
    status, headers, body = call(port, "GET", "/api/no/such/route")
    assert status == 404 and headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == 404
    # The same answer as production's function URL, in the request's language.
    status, headers, body = call(port, "GET", "/api/no/such/route", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert status == 404 and headers["content-language"] == "fr"
    assert json.loads(body)["detail"].startswith("Aucune adresse de l'API ne répond à ce chemin")
    status, headers, _ = call(port, "PATCH", "/api/challenges/leaks/vote")
    assert status == 405 and "PUT" in headers["allow"]  # Chalice's own answer, as under `chalice local`
    status, headers, body = call(port, "POST", "/index.html")
    assert status == 405 and headers["content-type"] == "application/problem+json" and headers["allow"] == "GET, HEAD"


def test_cors_preflight_and_headers_pass_through(served):
    server = served()
    port, origin = server.port, server.origin
    status, headers, _ = call(
        port, "OPTIONS", "/api/challenges/leaks/vote", headers={"Access-Control-Request-Method": "PUT"}
    )
    assert status == 200
    assert headers["access-control-allow-origin"] == origin
    assert {"PUT", "DELETE", "POST", "OPTIONS"} <= set(headers["access-control-allow-methods"].split(","))
    status, headers, _ = call(port, "GET", "/api/challenges/leaks/tally")
    assert status == 200 and headers["access-control-allow-origin"] == origin
    assert headers["access-control-allow-credentials"] == "true"


def test_query_strings_and_form_posts_reach_the_api(served):
    port = served().port
    status, headers, body = call(port, "GET", "/api/challenges/leaks/comments?order=newest&format=html&lang=en")
    assert status == 200 and headers["content-type"].startswith("text/html") and b"<html" in body.lower()
    status, headers, _ = call(
        port,
        "POST",
        "/api/challenges/leaks/vote",
        body=b"intent=vote&lang=fr",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 303 and headers["location"].startswith(f"http://127.0.0.1:{port}/")
    assert headers["set-cookie"].startswith("dc_voter=") and "HttpOnly" in headers["set-cookie"]
    status, _, body = call(port, "GET", "/api/challenges/leaks/tally", cookie=headers["set-cookie"].split(";")[0])
    assert status == 200 and json.loads(body)["voted"] is True


def test_path_parameters_are_percent_decoded_as_api_gateway_does(served):
    port = served().port
    status, _, body = call(port, "GET", "/api/challenges/%6C%65aks/tally")
    assert status == 200 and json.loads(body)["challenge"] == "leaks"
    status, headers, body = call(port, "GET", "/api/challenges/caf%C3%A9/tally")
    assert status == 400 and headers["content-type"] == "application/problem+json"
    assert "café" in json.loads(body)["detail"]  # the decoded id, not "caf%C3%A9"


def test_chunked_bodies_are_refused(served):
    """A chunked body cut short by a client that goes away would reach the API as if whole: 411, never half a comment."""
    port = served().port
    body = json.dumps({"text": "Une remarque envoyée en morceaux."}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    answer = raw(
        port,
        b"POST /api/challenges/leaks/comments HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:%d\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" % port + chunked,
    )
    assert status_of(answer) == 411 and b"application/problem+json" in answer and b"Content-Length" in answer
    # The members of the API's own problems, so that one client (and the OpenAPI document) reads both.
    problem = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert problem == {
        "type": "/api/problems/length-required",
        "title": "Length required",
        "status": 411,
        "detail": problem["detail"],
    }


def test_a_body_cut_short_is_not_handed_to_the_api(served, tmp_path):
    port = served().port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/challenges/leaks/comments HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:%d\r\n"
            b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"text": "Une remarque coup' % port
        )
    assert call(port, "GET", "/api/health")[0] == 200
    with store(tmp_path / "data") as db:
        assert db.execute("SELECT count(*) FROM comments").fetchone()[0] == 0


# --- Votes: concurrency, identity, persistence, the pinned clock -------------------------------------------------


def test_concurrent_voters_are_each_counted_once_and_survive_a_restart(served, tmp_path):
    server = served()
    port = server.port

    def vote(_):
        status, headers, _ = call(port, "PUT", "/api/challenges/leaks/vote")
        assert status == 200, status
        cookie = headers["set-cookie"].split(";", 1)[0]
        # The same voter again, concurrently with the others: still one vote.
        assert call(port, "PUT", "/api/challenges/leaks/vote", cookie=cookie)[0] == 200
        return cookie

    with ThreadPoolExecutor(12) as pool:
        cookies = list(pool.map(vote, range(24)))
    assert len(set(cookies)) == 24
    status, _, body = call(port, "GET", "/api/challenges/leaks/tally", cookie=cookies[0])
    assert json.loads(body)["count"] == 24 and json.loads(body)["voted"] is True
    assert server.stop() == 0
    port = served().port  # the same DATA_DIR
    status, _, body = call(port, "GET", "/api/challenges/leaks/tally", cookie=cookies[0])
    assert json.loads(body)["count"] == 24 and json.loads(body)["voted"] is True


def test_many_keep_alive_connections_voting_at_once_count_each_vote_once(served, tmp_path):
    """32 connections, each several voters, each voter twice and at once on two connections: exact tally."""
    port = served(workers=2).port
    voters = [f"dc_voter=keepalive{n:013d}" for n in range(96)]
    origin = f"http://127.0.0.1:{port}"

    def connection(index):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        statuses = []
        for cookie in voters[index % 16 :: 16]:  # connections n and n + 16 cast the same votes
            conn.request("PUT", "/api/challenges/leaks/vote", body=b"", headers={"Origin": origin, "Cookie": cookie})
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        conn.close()
        return statuses

    with ThreadPoolExecutor(32) as pool:
        statuses = [s for result in pool.map(connection, range(32)) for s in result]
    assert statuses == [200] * 192
    _, _, body = call(port, "GET", "/api/challenges/leaks/tally")
    assert json.loads(body)["count"] == 96
    with store(tmp_path / "data") as db:
        votes = [row[0] for row in db.execute("SELECT voter FROM votes WHERE challenge = 'leaks'")]
    assert len(votes) == len(set(votes)) == 96


def test_a_client_cannot_choose_its_own_address(served, tmp_path):
    port = served().port
    for name in ("X-Local-Client-Ip", "x-local-client-ip"):
        status, _, _ = call(port, "PUT", "/api/challenges/leaks/vote", headers={name: "1.2.3.4"})
        assert status == 200
    # Twice, so that a header repeated in one request cannot slip through either.
    answer = raw(
        port,
        b"PUT /api/challenges/leaks/vote HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:%d\r\n"
        b"X-Local-Client-Ip: 1.2.3.4\r\nx-local-client-ip: 5.6.7.8\r\nContent-Length: 0\r\n"
        b"Connection: close\r\n\r\n" % port,
    )
    assert status_of(answer) == 200
    hash_key = Keys.from_json((tmp_path / "data" / "secret.json").read_text()).hash_key
    with store(tmp_path / "data") as db:
        counters = [row[0] for row in db.execute("SELECT key FROM counters")]
    real = identity.ip_key(hash_key, "127.0.0.1")
    assert any(real in key for key in counters)
    for forged in ("1.2.3.4", "5.6.7.8", "1.2.3.4, 5.6.7.8"):
        assert not any(identity.ip_key(hash_key, forged) in key for key in counters)


def test_the_pinned_clock_decides_what_is_open(served, tmp_path):
    # The catalog's "leaks" is open from 2026-11-01 to 2027-01-01 (Paris): a server pinned before it refuses.
    before = served(data=tmp_path / "before", DATACITY_NOW="2026-10-01T12:00:00+02:00")
    status, _, body = call(before.port, "PUT", "/api/challenges/leaks/vote")
    assert status == 409 and json.loads(body)["status"] == 409
    inside = served(data=tmp_path / "inside", DATACITY_NOW="2026-11-26T12:00:00+01:00")
    assert call(inside.port, "PUT", "/api/challenges/leaks/vote")[0] == 200


# --- HTTP/1.1: keep-alive, limits, malformed requests, timeouts ------------------------------------------------


def test_keep_alive_serves_many_requests_on_one_connection(served):
    port = served().port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.connect()
    first = conn.sock
    for path in ("/", "/api/health", "/assets/site.css", "/missing", "/api/challenges/leaks/tally", "/"):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        assert response.status in (200, 404) and response.getheader("Connection") != "close"
    conn.request("HEAD", "/assets/site.js")
    response = conn.getresponse()
    assert response.read() == b"" and response.getheader("Content-Length") == "7"
    conn.request("GET", "/assets/site.js")
    assert conn.getresponse().read() == b"void 0;"  # nothing of the HEAD answer left on the connection
    assert conn.sock is first  # never reconnected
    conn.close()


def test_pipelined_requests_are_answered_in_order(served):
    port = served().port
    answer = raw(
        port,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /assets/site.css HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    assert re.findall(rb"HTTP/1.1 (\d{3}) ", answer) == [b"200", b"200", b"404"]
    assert answer.index(b'"status"') < answer.index(b"body{}") < answer.index(b"lost")


def test_http_1_0_closes_unless_asked_to_keep_alive(served):
    port = served().port
    answer = raw(port, b"GET / HTTP/1.0\r\n\r\n")  # returns: the server closed the connection
    assert status_of(answer) == 200 and b"home" in answer
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        assert b"connection: keep-alive" in sock.recv(65536).lower()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /\r\n\r\n", 400),
        (b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
        (b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nName : value\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nA: b\x00c\r\n\r\n", 400),
        (b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n", 400),
        (b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        (b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        (b"POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: " + b"a" * 200_000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"A: b\r\n" * 101 + b"\r\n", 431),
    ],
)
def test_malformed_requests_are_refused_and_the_connection_closed(served, request_bytes, status):
    port = served().port
    answer = raw(port, request_bytes)  # returns only once the server has closed the connection
    assert status_of(answer) == status, answer[:200]
    assert b"connection: close" in answer.lower()


def test_oversized_requests_are_refused_before_reading(served):
    port = served().port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", "/api/challenges/leaks/comments")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.putheader("Origin", f"http://127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413 and response.getheader("Connection") == "close"
    assert response.getheader("Content-Type") == "application/problem+json"
    conn.close()


def test_a_body_of_lambdas_limit_reaches_the_api_and_one_byte_more_does_not(served):
    import serve

    port = served().port
    path = "/api/staff/programs/live-post/imports"
    status, _, body = call(port, "POST", path, body=b"x" * serve.MAX_REQUEST_BYTES)
    assert status == 401, body[:300]  # read whole, then the API's own answer: no staff token
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", path)
    conn.putheader("Content-Length", str(serve.MAX_REQUEST_BYTES + 1))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413 and json.loads(response.read())["title"] == "Request too large"
    conn.close()


def test_expect_100_continue_is_answered_before_the_body(served):
    port = served().port
    body = json.dumps({"text": "Une remarque."}).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/challenges/leaks/comments HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:%d\r\n"
            b"Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % (port, len(body))
        )
        assert sock.recv(1024).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(body)
        assert status_of(sock.recv(65536)) == 201


def test_slow_and_idle_connections_are_closed(served):
    port = served(DATACITY_HEADER_TIMEOUT="0.5", DATACITY_BODY_TIMEOUT="0.5").port
    assert raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ") == b""  # a head that never ends: closed
    answer = raw(port, b"POST /api/challenges/leaks/comments HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    assert status_of(answer) == 408 and b"application/problem+json" in answer  # a body that never ends
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/")
    response = conn.getresponse()
    assert response.status == 200 and b"home" in response.read()
    assert conn.sock.recv(65536) == b""  # closed by the server once idle
    conn.close()


# --- Stopping, restarting, the workers ---------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_shutdown_is_graceful(served, sig):
    server = served()
    port = server.port
    idle = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    idle.request("GET", "/")
    idle.getresponse().read()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(b"PUT /api/challenges/leaks/vote HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n")
        time.sleep(0.3)
        server.process.send_signal(sig)
        time.sleep(0.3)
        # A request already started is finished and answered, with Connection: close.
        sock.sendall(b"Origin: http://127.0.0.1:%d\r\n\r\n{}" % port)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        assert status_of(answer) == 200 and b"connection: close" in answer.lower()
    assert server.process.wait(timeout=30) == 0
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_worker_processes_share_the_votes_and_stop_gracefully(served, tmp_path):
    server = served(workers=2)
    port = server.port
    workers = server.workers()
    assert len(workers) == 2

    def voter(n):
        cookie = f"dc_voter=workers{n:015d}"
        return [call(port, "PUT", "/api/challenges/leaks/vote", cookie=cookie)[0] for _ in range(2)]

    with ThreadPoolExecutor(16) as pool:
        statuses = [s for pair in pool.map(voter, range(48)) for s in pair]
    assert statuses == [200] * 96
    assert json.loads(call(port, "GET", "/api/challenges/leaks/tally")[2])["count"] == 48
    assert server.stop() == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists()
    # Each worker copied the log back as it stopped: a stopped product leaves no -wal to grow or to lose.
    wal = tmp_path / "data" / "datacity.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    port = served(workers=1).port
    assert json.loads(call(port, "GET", "/api/challenges/leaks/tally")[2])["count"] == 48


def test_workers_stop_when_their_parent_is_killed(served):
    server = served(workers=2)
    workers = server.workers()
    server.process.kill()  # SIGKILL: the parent cannot pass anything on
    server.process.wait()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its parent"
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"


def test_a_port_in_use_is_refused_with_a_message(site, tmp_path):
    import subprocess
    import sys

    from .local_server import API_DIR

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(API_DIR / "serve.py"), "--site", str(site), "--port", str(port)],
            env=environment(site, tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0 and f"127.0.0.1:{port} is already in use" in done.stderr


def test_the_hourly_housekeeping_runs_in_one_worker(served, tmp_path):
    data = tmp_path / "data"
    served().stop()  # creates the store
    with sqlite3.connect(data / "datacity.sqlite3") as db:
        db.execute("INSERT INTO counters (key, n, expires_at) VALUES ('expired', 1, 1)")
    server = served(workers=2)
    deadline = time.monotonic() + 30
    while True:
        with store(data) as db:
            if db.execute("SELECT count(*) FROM counters WHERE key = 'expired'").fetchone()[0] == 0:
                break
        assert time.monotonic() < deadline, "housekeeping did not run"
        time.sleep(0.2)
    import fcntl

    with open(data / "housekeeping.lock", "a+b") as lock, pytest.raises(BlockingIOError):
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held by the worker that runs it
    assert server.process.poll() is None


# --- Bounds: memory, file descriptors ------------------------------------------------------------------------------


def _tree_rss_mb(pid: int) -> float:
    pids = [pid, *(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    total = 0
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def test_many_large_bodies_at_once_keep_memory_bounded(served):
    """60 clients each send 6 MB (360 MB in all) at once: every one is answered, memory grows by far less."""
    import serve

    server = served(workers=1)
    port = server.port
    size = serve.MAX_REQUEST_BYTES
    before = _tree_rss_mb(server.process.pid)
    peak = before
    statuses = []
    lock = threading.Lock()

    def upload(_):
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(
                b"POST /api/staff/programs/live-post/imports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n" % size
            )
            block = b"a" * 65536
            for _ in range(size // len(block)):
                sock.sendall(block)
            answer = sock.recv(64)
        with lock:
            statuses.append(status_of(answer))

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(60)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, _tree_rss_mb(server.process.pid))
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    assert statuses == [401] * 60  # each body read whole, then the API's answer (no staff token)
    # The worker holds at most BODY_BUDGET_BYTES (32 MiB) of bodies at once, plus one being handed to the API.
    assert peak - before < 100, f"memory grew from {before:.0f} MB to {peak:.0f} MB"


def test_out_of_file_descriptors_the_server_keeps_quiet_and_recovers(served):
    """With 1,024 open files at most and 3,000 idle connections: a few log lines, no traceback, then service."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 4096:
        pytest.skip(f"this test opens 3,000 sockets; the hard limit of open files here is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 4096), hard))

    def limited():
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    server = served(preexec_fn=limited, DATACITY_HEADER_TIMEOUT="1")
    port = server.port
    idle = []
    try:
        for _ in range(3000):
            sock = socket.socket()
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                sock.connect(("127.0.0.1", port))
            idle.append(sock)
        time.sleep(3)  # the server runs out of descriptors, and closes idle connections after 1 s
        status, _, _ = call(port, "GET", "/api/health")
        assert status == 200
    finally:
        for sock in idle:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert call(port, "GET", "/api/health")[0] == 200
    log = server.log()
    assert "Traceback" not in log
    assert len(log.splitlines()) < 100, log[-2000:]


# --- The site's files ------------------------------------------------------------------------------------------


def test_static_files_types_folders_and_404_page(served):
    port = served().port
    types = {
        "/": "text/html",
        "/about/": "text/html",
        "/assets/site.css": "text/css",
        "/assets/site.js": "text/javascript",
        "/assets/logo.svg": "image/svg+xml",
        "/catalog.json": "application/json",
    }
    for path, expected in types.items():
        status, headers, _ = call(port, "GET", path)
        assert status == 200 and headers["content-type"].split(";")[0] == expected, path
        assert "last-modified" in headers and "etag" in headers
    status, headers, _ = call(port, "GET", "/about?x=1")
    assert status == 302 and headers["location"] == "about/"  # relative: never to another host
    status, headers, _ = call(port, "GET", "/index.html")
    assert status == 302 and headers["location"] == "./"  # one address per page
    answer = raw(port, b"GET //about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(answer) == 404  # not a redirect to //about/, which a browser reads as another host
    for odd in ("/%ED%A0%80", "/%FF%FE", "/a%00b"):
        assert call(port, "GET", odd)[0] == 404
    status, headers, body = call(port, "GET", "/nowhere/at/all")
    assert status == 404 and body == b"<!doctype html><title>lost</title>"
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert call(port, "GET", "/index.html/")[0] == 404
    status, headers, body = call(port, "HEAD", "/nowhere")
    assert status == 404 and body == b""


def test_conditional_requests_get_304(served):
    port = served().port
    _, headers, _ = call(port, "GET", "/assets/site.css")
    status, answer, body = call(
        port, "GET", "/assets/site.css", headers={"If-Modified-Since": headers["last-modified"]}
    )
    assert status == 304 and body == b""
    status, _, body = call(port, "GET", "/assets/site.css", headers={"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    status, _, _ = call(port, "GET", "/assets/site.css", headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})
    assert status == 200


def test_text_files_are_compressed_and_versioned_assets_cached_for_good(served, site):
    port = served().port
    original = (site / "assets" / "big.css").read_bytes()
    status, headers, body = call(port, "GET", "/assets/big.css", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and headers["content-encoding"] == "br" and brotli.decompress(body) == original
    assert headers["vary"] == "Accept-Encoding" and int(headers["content-length"]) == len(body) < len(original) / 3
    status, headers, body = call(port, "GET", "/assets/big.css", headers={"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == original
    status, headers, body = call(port, "GET", "/assets/big.css", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in headers and body == original
    assert headers["cache-control"] == "max-age=300, public"  # as production's S3 objects
    _, headers, _ = call(port, "GET", "/" + VERSIONED_JS)
    assert headers["cache-control"] == "max-age=315360000, public, immutable"  # a new build, a new name
    _, headers, _ = call(port, "GET", "/assets/site.js", headers={"Accept-Encoding": "br"})
    assert "content-encoding" not in headers  # 7 bytes: not worth it


def test_the_whole_site_is_compressed_after_the_start_without_holding_it_up(served, site, tmp_path):
    """The copies are made by a worker once it answers (a large site takes a minute), and stale ones are removed."""
    stale = tmp_path / "data" / "cache" / "compressed" / "gone.html.1-1.gz"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"a copy of a file the site no longer has")
    served()  # answering already: start() waited for /api/health, before any copy was asked for
    folder = stale.parent / "assets"
    deadline = time.monotonic() + 60
    while not (sorted(folder.glob("big.css.*.br")) and not stale.exists()):
        assert time.monotonic() < deadline, "the site was not compressed in the background"
        time.sleep(0.2)
    assert sorted(folder.glob("big.css.*.gz"))


def test_a_rebuilt_site_is_served_at_once(served, site):
    port = served().port
    call(port, "GET", "/assets/big.css", headers={"Accept-Encoding": "br"})  # its compressed copy now exists
    (site / "assets" / "big.css").write_text("body{color:red}\n" * 100, encoding="utf-8")
    (site / "new").mkdir()
    (site / "new" / "index.html").write_text("<!doctype html><title>new page</title>", encoding="utf-8")
    status, headers, body = call(port, "GET", "/assets/big.css", headers={"Accept-Encoding": "br"})
    assert status == 200 and brotli.decompress(body) == b"body{color:red}\n" * 100
    status, _, body = call(port, "GET", "/new/")
    assert status == 200 and b"new page" in body


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/assets/../../secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%00/index.html",
        "/outside/secret.txt",
        "/linked.txt",
    ],
)
def test_no_file_outside_the_site_is_served(served, tmp_path, path):
    (tmp_path / "site" / "outside").symlink_to(tmp_path)  # a link out of the site counts as outside too
    (tmp_path / "site" / "linked.txt").symlink_to(tmp_path / "secret.txt")
    port = served().port
    answer = raw(port, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert status_of(answer) == 404 and b"outside the site" not in answer


def test_what_is_not_a_regular_file_is_not_served(served, site):
    import os

    os.mkfifo(site / "pipe.html")  # opening it would wait for a writer for ever
    port = served().port
    status, _, body = call(port, "GET", "/pipe.html")
    assert status == 404 and body == b"<!doctype html><title>lost</title>"


def test_ranges_are_served(served, site):
    port = served().port
    status, headers, body = call(port, "GET", "/assets/big.css", headers={"Range": "bytes=10-19"})
    assert status == 206 and body == (site / "assets" / "big.css").read_bytes()[10:20]
    assert headers["content-range"] == f"bytes 10-19/{(site / 'assets' / 'big.css').stat().st_size}"


# --- Security headers on every answer; an access log without addresses ---------------------------------------


def test_every_answer_carries_production_s_security_headers(served, site):
    server = served(DATACITY_BODY_TIMEOUT="0.5")
    port = server.port
    site_headers = security_headers.headers(security_headers.site_policy(site, https=False), https=False)
    api_headers = security_headers.headers(security_headers.api_csp(https=False), https=False)
    assert security_headers.sha256_source(INLINE_SCRIPT) in site_headers[0][1]
    answers = {
        "page": call(port, "GET", "/"),
        "static file": call(port, "GET", "/assets/site.css"),
        "compressed file": call(port, "GET", "/assets/big.css", headers={"Accept-Encoding": "br"}),
        "304": call(port, "GET", "/", headers={"If-None-Match": call(port, "GET", "/")[1]["etag"]}),
        "redirect": call(port, "GET", "/about"),
        "404 page": call(port, "GET", "/nowhere"),
        "405 on the site": call(port, "DELETE", "/"),
        "API JSON": call(port, "GET", "/api/health"),
        "API HTML page": call(port, "GET", "/api/challenges/leaks/comments?format=html&lang=en"),
        "API error": call(port, "GET", "/api/challenges/nope/tally"),
        "API 405": call(port, "PATCH", "/api/challenges/leaks/vote"),
        "API unknown route": call(port, "GET", "/api/nowhere"),
        "413": call(port, "POST", "/api/health", headers={"Content-Length": str(7 * 1024 * 1024)}, body=b""),
    }
    slow = raw(port, b"POST /api/challenges/leaks/comments HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n{")
    head, _, _ = slow.partition(b"\r\n\r\n")
    answers["408"] = (status_of(slow), dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:]), b"")
    for kind, (status, headers, _) in answers.items():
        expected = api_headers if kind.startswith(("API", "413", "408")) else site_headers
        got = {name.lower(): value for name, value in headers.items()}
        for name, value in expected:
            assert got.get(name.lower()) == value, f"{kind} ({status}): {name}"
        assert "strict-transport-security" not in got  # plain HTTP: browsers ignore it there
    # The API's own HTML pages carry the same policy when no server adds it (chalice local, the test client).
    assert "frame-ancestors 'none'" in security_headers.api_csp(https=False)


def test_the_access_log_names_no_address(served):
    server = served(DATACITY_QUIET="0")
    port = server.port
    call(port, "GET", "/")
    call(port, "PUT", "/api/challenges/leaks/vote", headers={"X-Local-Client-Ip": "203.0.113.9"})
    call(port, "GET", "/nowhere")
    deadline = time.monotonic() + 10
    while server.log().count(" client=") < 3:
        assert time.monotonic() < deadline, server.log()
        time.sleep(0.1)
    log = server.log()
    lines = [line for line in log.splitlines() if " client=" in line]
    assert re.search(r'client=[0-9a-f]{12} "PUT /api/challenges/leaks/vote" 200 ', log)
    assert len({re.search(r"client=(\w+)", line).group(1) for line in lines}) == 1  # one client, one name
    for address in ("127.0.0.1", "203.0.113.9", "::1", "::ffff:"):
        assert not any(address in line for line in lines), address


def test_the_access_log_s_client_names_change_every_day():
    import serve

    log = serve.AccessLog(b"k" * 32)
    assert log.client("198.51.100.7", "2026-12-01") == log.client("198.51.100.7", "2026-12-01")
    assert log.client("198.51.100.7", "2026-12-01") != log.client("198.51.100.7", "2026-12-02")
    assert log.client("198.51.100.7", "2026-12-01") != log.client("198.51.100.8", "2026-12-01")
    assert serve.AccessLog(b"j" * 32).client("198.51.100.7", "2026-12-01") != log.client("198.51.100.7", "2026-12-01")


def test_client_addresses_are_read_from_the_socket_forms():
    import serve

    assert serve.client_address("127.0.0.1:4242") == "127.0.0.1"
    assert serve.client_address("[::1]:4242") == "::1"
    assert serve.client_address("[::ffff:198.51.100.7]:4242") == "198.51.100.7"


# --- The API adapter is generic over the app's routes ----------------------------------------------------------


def test_the_adapter_passes_any_route_through_and_sees_routes_added_later():
    import serve
    from chalice import AuthResponse, Chalice, Response
    from chalice.config import Config

    app = Chalice(app_name="adapter-test")

    @app.route("/items/{item}/parts/{part}", methods=["GET", "POST"], content_types=["application/json", "text/plain"])
    def part(item, part):
        request = app.current_request
        return {
            "item": item,
            "part": part,
            "method": request.method,
            "query": dict(request.query_params or {}),
            "auth": request.headers.get("authorization"),
            "body": request.raw_body.decode() if request.raw_body else None,
            "ip": request.headers.get("x-local-client-ip"),
        }

    @app.route("/items/special/parts/{part}", methods=["GET"])
    def special(part):
        return Response(body="special", headers={"Content-Type": "text/plain", "X-Multi": ["a", "b"]})

    adapter = serve.ApiAdapter(app, Config.create(chalice_stage="local", app_name="adapter-test"))
    headers = {"authorization": "Bearer abc", "content-type": "text/plain", "x-local-client-ip": "6.6.6.6"}
    status, answer, body = adapter.handle("POST", "/items/a 1/parts/b2/", "x=1&x=2&y=", headers, b"hello", "10.0.0.9")
    assert status == 200
    assert json.loads(body) == {
        "item": "a 1",
        "part": "b2",
        "method": "POST",
        "query": {"x": "2", "y": ""},
        "auth": "Bearer abc",
        "body": "hello",
        "ip": "10.0.0.9",
    }
    status, answer, body = adapter.handle("GET", "/items/special/parts/x", "", {}, None, "10.0.0.9")
    assert (status, body) == (200, b"special") and ("X-Multi", "a") in answer and ("X-Multi", "b") in answer
    assert adapter.handle("POST", "/items/a/parts/b", "", {"content-type": "image/png"}, b"x", "::1")[0] == 415
    assert adapter.handle("GET", "/nothing", "", {}, None, "::1")[0] == 404

    @app.authorizer()
    def staff(auth_request):
        allowed = auth_request.token == "Bearer good"
        return AuthResponse(routes=["/staff"] if allowed else [], principal_id="staff")

    @app.route("/staff", methods=["GET"], authorizer=staff)
    def staff_only():
        return {"principal": app.current_request.context["authorizer"]["principalId"]}

    status, _, body = adapter.handle("GET", "/staff", "", {"authorization": "Bearer good"}, None, "::1")
    assert status == 200 and json.loads(body) == {"principal": "staff"}
    assert adapter.handle("GET", "/staff", "", {"authorization": "Bearer bad"}, None, "::1")[0] == 403
    assert adapter.handle("GET", "/staff", "", {}, None, "::1")[0] == 401
