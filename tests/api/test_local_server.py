"""The local product server: site and API on one origin, concurrent requests, data surviving a restart."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib import identity, runtime

from .conftest import catalog_data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path, monkeypatch):
    import serve

    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(catalog_data()), encoding="utf-8")
    (site / "index.html").write_text("<!doctype html><title>home</title>", encoding="utf-8")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CATALOG_PATH", str(site / "catalog.json"))
    monkeypatch.setenv("DATACITY_QUIET", "1")
    started = []

    def start():
        runtime.install(None)
        port = free_port()
        server = serve.make_server(site, "127.0.0.1", port)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append(server)
        return server, port

    yield start
    for server in started:
        server.shutdown()
        server.server_close()
    runtime.install(None)


def call(port, method, path, cookie=None, origin=True):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = f"http://127.0.0.1:{port}"
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=b"" if method != "GET" else None, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def test_site_and_api_share_one_origin(served):
    server, port = served()
    status, _, body = call(port, "GET", "/")
    assert status == 200 and b"home" in body
    status, headers, body = call(port, "GET", "/api/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, _, _ = call(port, "GET", "/api/challenges/nope/tally")
    assert status == 404


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


def test_a_client_cannot_choose_its_own_address(served):
    _, port = served()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "PUT",
        "/api/challenges/leaks/vote",
        body=b"",
        headers={"Origin": f"http://127.0.0.1:{port}", "X-Local-Client-Ip": "1.2.3.4"},
    )
    assert conn.getresponse().status == 200
    conn.close()
    service = runtime.service()
    counters = [row[0] for row in service.store._connection().execute("SELECT key FROM counters")]
    real, forged = (identity.ip_key(service.keys.hash_key, ip) for ip in ("127.0.0.1", "1.2.3.4"))
    assert any(real in key for key in counters)
    assert not any(forged in key for key in counters)


def test_oversized_requests_are_refused_before_reading(served):
    _, port = served()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", "/api/challenges/leaks/comments")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.putheader("Origin", f"http://127.0.0.1:{port}")
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
