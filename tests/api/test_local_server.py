"""The local product server (api/serve.py): site and API on one origin, its HTTP/1.1, concurrency, restarts."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from chalicelib import runtime
from chalicelib.identity import rules as identity

from .conftest import catalog_data

API_DIR = Path(__file__).resolve().parents[2] / "api"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_site(root: Path) -> Path:
    site = root / "site"
    (site / "assets").mkdir(parents=True)
    (site / "about").mkdir()
    (site / "catalog.json").write_text(json.dumps(catalog_data()), encoding="utf-8")
    (site / "index.html").write_text("<!doctype html><title>home</title>", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>lost</title>", encoding="utf-8")
    (site / "about" / "index.html").write_text("<!doctype html><title>about</title>", encoding="utf-8")
    (site / "assets" / "site.css").write_text("body{}", encoding="utf-8")
    (site / "assets" / "site.js").write_text("void 0;", encoding="utf-8")
    (site / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (root / "secret.txt").write_text("outside the site", encoding="utf-8")
    return site


@pytest.fixture
def served(tmp_path, monkeypatch):
    import serve

    site = write_site(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CATALOG_PATH", str(site / "catalog.json"))
    monkeypatch.setenv("DATACITY_QUIET", "1")
    started = []

    def start():
        runtime.install(None)
        server = serve.make_server(site, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append(server)
        return server, server.server_address[1]

    yield start
    for server in started:
        server.shutdown()
        server.server_close()
    runtime.install(None)


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
    return response.status, dict(response.getheaders()), data


def raw(port, data: bytes, timeout: float = 10) -> bytes:
    """Send bytes as they are; everything the server answers until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


# --- The product on one origin ---------------------------------------------------------------------------------


def test_site_and_api_share_one_origin(served):
    server, port = served()
    status, _, body = call(port, "GET", "/")
    assert status == 200 and b"home" in body
    status, headers, body = call(port, "GET", "/api/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert headers["Content-Type"] == "application/json" and headers["Cache-Control"] == "no-store"
    status, headers, body = call(port, "GET", "/api/challenges/nope/tally")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"


def test_unknown_api_routes_and_methods_are_problems(served):
    _, port = served()
    status, headers, body = call(port, "GET", "/api/no/such/route")
    assert status == 404 and headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["status"] == 404
    status, headers, _ = call(port, "PATCH", "/api/challenges/leaks/vote")
    assert status == 405 and "PUT" in headers["Allow"]  # Chalice's own answer, as under `chalice local`
    status, headers, _ = call(port, "POST", "/index.html")
    assert status == 405 and headers["Content-Type"] == "application/problem+json"


def test_cors_preflight_and_headers_pass_through(served):
    from chalicelib.web.routes import CORS

    _, port = served()
    origin = CORS.allow_origin  # the routes read it once per process: the first test server's
    status, headers, _ = call(
        port, "OPTIONS", "/api/challenges/leaks/vote", headers={"Access-Control-Request-Method": "PUT"}
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == origin
    assert {"PUT", "DELETE", "POST", "OPTIONS"} <= set(headers["Access-Control-Allow-Methods"].split(","))
    status, headers, _ = call(port, "GET", "/api/challenges/leaks/tally")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == origin
    assert headers["Access-Control-Allow-Credentials"] == "true"


def test_query_strings_and_form_posts_reach_the_api(served):
    _, port = served()
    status, headers, body = call(port, "GET", "/api/challenges/leaks/comments?order=newest&format=html&lang=en")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<html" in body.lower()
    status, headers, _ = call(
        port,
        "POST",
        "/api/challenges/leaks/vote",
        body=b"intent=vote&lang=fr",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 303 and headers["Location"].startswith(f"http://127.0.0.1:{port}/")
    assert headers["Set-Cookie"].startswith("dc_voter=") and "HttpOnly" in headers["Set-Cookie"]
    status, _, body = call(port, "GET", "/api/challenges/leaks/tally", cookie=headers["Set-Cookie"].split(";")[0])
    assert status == 200 and json.loads(body)["voted"] is True


# --- Votes: concurrency, identity, persistence -------------------------------------------------------------------


def test_concurrent_voters_are_each_counted_once_and_survive_a_restart(served):
    server, port = served()

    def vote(_):
        status, headers, _ = call(port, "PUT", "/api/challenges/leaks/vote")
        assert status == 200, status
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        # The same voter again, concurrently with the others: still one vote.
        assert call(port, "PUT", "/api/challenges/leaks/vote", cookie=cookie)[0] == 200
        return cookie

    with ThreadPoolExecutor(12) as pool:
        cookies = list(pool.map(vote, range(24)))
    assert len(set(cookies)) == 24
    status, _, body = call(port, "GET", "/api/challenges/leaks/tally", cookie=cookies[0])
    assert json.loads(body)["count"] == 24 and json.loads(body)["voted"] is True
    server.shutdown()
    server.server_close()
    _, port = served()
    status, _, body = call(port, "GET", "/api/challenges/leaks/tally", cookie=cookies[0])
    assert json.loads(body)["count"] == 24 and json.loads(body)["voted"] is True


def test_many_keep_alive_connections_voting_at_once_count_each_vote_once(served):
    """32 connections, each several voters, each voter twice and at once on two connections: exact tally."""
    _, port = served()
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
    votes = runtime.service().store.vote_records("leaks")
    assert len(votes) == len(set(votes)) == 96


def test_a_client_cannot_choose_its_own_address(served):
    _, port = served()
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
    service = runtime.service()
    counters = [row[0] for row in service.store._connection().execute("SELECT key FROM counters")]
    real = identity.ip_key(service.keys.hash_key, "127.0.0.1")
    assert any(real in key for key in counters)
    for forged in ("1.2.3.4", "5.6.7.8", "1.2.3.4, 5.6.7.8"):
        assert not any(identity.ip_key(service.keys.hash_key, forged) in key for key in counters)


# --- HTTP/1.1: keep-alive, limits, malformed requests, timeouts ------------------------------------------------


def test_keep_alive_serves_many_requests_on_one_connection(served):
    _, port = served()
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
    _, port = served()
    answer = raw(
        port,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /assets/site.css HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    assert re.findall(rb"HTTP/1.1 (\d{3}) ", answer) == [b"200", b"200", b"404"]
    assert answer.index(b'"status"') < answer.index(b"body{}") < answer.index(b"lost")


def test_http_1_0_closes_unless_asked_to_keep_alive(served):
    _, port = served()
    answer = raw(port, b"GET / HTTP/1.0\r\n\r\n")  # returns: the server closed the connection
    assert status_of(answer) == 200 and b"Connection: close" in answer
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        assert b"Connection: keep-alive" in sock.recv(65536)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /\r\n\r\n", 400),
        (b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
        (b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET http://elsewhere/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\n\r\n", 400),  # no Host
        (b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nName : value\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nA: b\nB: c\r\n\r\n", 400),  # a bare LF
        (b"GET / HTTP/1.1\r\nHost: x\r\nA: b\x00c\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400),
        (b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n", 400),
        (b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        (b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        (b"POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411),
        (b"POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: " + b"a" * 70000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"A: b\r\n" * 101 + b"\r\n", 431),
    ],
)
def test_malformed_requests_are_refused_and_the_connection_closed(served, request_bytes, status):
    _, port = served()
    answer = raw(port, request_bytes)  # returns only once the server has closed the connection
    assert status_of(answer) == status, answer[:200]
    assert b"Connection: close" in answer
    assert b"Content-Type: application/problem+json" in answer


def test_oversized_requests_are_refused_before_reading(served):
    _, port = served()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", "/api/challenges/leaks/comments")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.putheader("Origin", f"http://127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413 and response.getheader("Connection") == "close"
    conn.close()


def test_expect_100_continue_is_answered_before_the_body(served):
    _, port = served()
    body = json.dumps({"text": "Une remarque."}).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/challenges/leaks/comments HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:%d\r\n"
            b"Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % (port, len(body))
        )
        assert sock.recv(1024).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(body)
        assert status_of(sock.recv(65536)) == 201


def test_slow_and_idle_connections_are_closed(served, monkeypatch):
    import serve

    monkeypatch.setattr(serve, "REQUEST_TIMEOUT", 0.3)
    monkeypatch.setattr(serve, "IDLE_TIMEOUT", 0.3)
    _, port = served()
    started = time.monotonic()
    answer = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # a request that never ends
    assert status_of(answer) == 408 and time.monotonic() - started < 5
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status_of(sock.recv(65536)) == 200
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed by the server once idle
        assert time.monotonic() - started < 5


def test_shutdown_is_graceful_and_quick(served):
    server, port = served()
    idle = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    idle.request("GET", "/")
    idle.getresponse().read()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"PUT /api/challenges/leaks/vote HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n")
        time.sleep(0.2)
        done = threading.Thread(target=server.shutdown)
        done.start()
        time.sleep(0.2)
        # A request already started is finished and answered, with Connection: close.
        sock.sendall(b"Origin: http://127.0.0.1:%d\r\n\r\n{}" % port)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        assert status_of(answer) == 200 and b"Connection: close" in answer
    done.join(10)
    assert not done.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# --- The site's files ------------------------------------------------------------------------------------------


def test_static_files_types_folders_and_404_page(served):
    _, port = served()
    types = {
        "/": "text/html",
        "/index.html": "text/html",
        "/about/": "text/html",
        "/assets/site.css": "text/css",
        "/assets/site.js": "text/javascript",
        "/assets/logo.svg": "image/svg+xml",
        "/catalog.json": "application/json",
    }
    for path, expected in types.items():
        status, headers, _ = call(port, "GET", path)
        assert status == 200 and headers["Content-Type"] == expected, path
        assert "Last-Modified" in headers
    status, headers, _ = call(port, "GET", "/about?x=1")
    assert status == 301 and headers["Location"] == "/about/?x=1"
    answer = raw(port, b"GET //about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(answer) == 301 and b"\r\nLocation: /about/\r\n" in answer  # not //about/: another host
    for odd in ("/%ED%A0%80", "/%FF%FE", "/a%00b"):
        assert call(port, "GET", odd)[0] == 404
    status, headers, body = call(port, "GET", "/nowhere/at/all")
    assert status == 404 and body == b"<!doctype html><title>lost</title>"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, _, _ = call(port, "GET", "/index.html/")
    assert status == 404
    status, headers, body = call(port, "HEAD", "/nowhere")
    assert status == 404 and body == b""


def test_if_modified_since_gives_304(served):
    _, port = served()
    _, headers, _ = call(port, "GET", "/assets/site.css")
    status, answer, body = call(
        port, "GET", "/assets/site.css", headers={"If-Modified-Since": headers["Last-Modified"]}
    )
    assert status == 304 and body == b"" and "Content-Length" not in answer
    status, _, _ = call(port, "GET", "/assets/site.css", headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})
    assert status == 200


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
    ],
)
def test_no_file_outside_the_site_is_served(served, tmp_path, path):
    (tmp_path / "site" / "outside").symlink_to(tmp_path)  # a link out of the site counts as outside too
    _, port = served()
    answer = raw(port, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert status_of(answer) == 404 and b"outside the site" not in answer


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
    status, answer, body = adapter.handle("POST", "/items/a1/parts/b2/?x=1&x=2&y=", headers, b"hello", "10.0.0.9")
    assert status == 200
    assert json.loads(body) == {
        "item": "a1",
        "part": "b2",
        "method": "POST",
        "query": {"x": "2", "y": ""},
        "auth": "Bearer abc",
        "body": "hello",
        "ip": "10.0.0.9",
    }
    status, answer, body = adapter.handle("GET", "/items/special/parts/x", {}, None, "10.0.0.9")
    assert (status, body) == (200, b"special") and ("X-Multi", "a") in answer and ("X-Multi", "b") in answer
    assert adapter.handle("POST", "/items/a/parts/b", {"content-type": "image/png"}, b"x", "::1")[0] == 415
    assert adapter.handle("GET", "/nothing", {}, None, "::1")[0] == 404

    @app.authorizer()
    def staff(auth_request):
        allowed = auth_request.token == "Bearer good"
        return AuthResponse(routes=["/staff"] if allowed else [], principal_id="staff")

    @app.route("/staff", methods=["GET"], authorizer=staff)
    def staff_only():
        return {"principal": app.current_request.context["authorizer"]["principalId"]}

    status, _, body = adapter.handle("GET", "/staff", {"authorization": "Bearer good"}, None, "::1")
    assert status == 200 and json.loads(body) == {"principal": "staff"}
    assert adapter.handle("GET", "/staff", {"authorization": "Bearer bad"}, None, "::1")[0] == 403
    assert adapter.handle("GET", "/staff", {}, None, "::1")[0] == 401


# --- Worker processes, as `make serve` runs them ---------------------------------------------------------------


def test_worker_processes_share_the_votes_and_stop_gracefully(tmp_path):
    site = write_site(tmp_path)
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "CATALOG_PATH": str(site / "catalog.json"),
        "DATACITY_QUIET": "1",
        "STORE": "sqlite",
    }
    env.pop("SITE_ORIGIN", None)

    def start(workers):
        port = free_port()
        command = [sys.executable, str(API_DIR / "serve.py"), "--site", str(site), "--port", str(port)]
        if workers == 1:  # as tests/browser/product.py runs it: from elsewhere, through runpy
            run = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
            command[1:1] = ["-c", run]
        command += ["--workers", str(workers)]
        process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                if call(port, "GET", "/api/health")[0] == 200:
                    return process, port
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    process, port = start(2)
    try:
        workers = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(workers) == 2

        def voter(n):
            cookie = f"dc_voter=workers{n:015d}"
            return [call(port, "PUT", "/api/challenges/leaks/vote", cookie=cookie)[0] for _ in range(2)]

        with ThreadPoolExecutor(16) as pool:
            statuses = [s for pair in pool.map(voter, range(48)) for s in pair]
        assert statuses == [200] * 96
        assert json.loads(call(port, "GET", "/api/challenges/leaks/tally")[2])["count"] == 48
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists()
    process, port = start(1)
    try:
        assert json.loads(call(port, "GET", "/api/challenges/leaks/tally")[2])["count"] == 48
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
