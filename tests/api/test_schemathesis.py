"""Schemathesis, a fuzzer driven by the OpenAPI document, over every public operation of the local server:
no server error, and every status code, content type, header and body as the document says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import INSIDE, catalog_data
from .test_local_server import free_port

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

pytestmark = pytest.mark.skipif(not SCHEMATHESIS.exists(), reason="schemathesis is installed by make test")


@pytest.fixture
def product(tmp_path):
    """api/serve.py as `make serve` runs it, on a test catalog, its clock inside the open windows."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(catalog_data()), encoding="utf-8")
    (site / "index.html").write_text("<!doctype html><title>home</title>", encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "CATALOG_PATH": str(site / "catalog.json"),
        "DATACITY_NOW": INSIDE.isoformat(),
        "DATACITY_QUIET": "1",
        # One address sends everything here: limits high enough that the fuzzer reaches what they guard.
        **{
            f"RATE_{a}_PER_{s}": "100000"
            for a in ("VOTES", "COMMENTS", "REPORTS", "PROPOSALS")
            for s in ("TOKEN", "IP")
        },
    }
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "api" / "serve.py"), "--site", str(site), "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/health", timeout=2).read()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    try:
        yield base, env
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_every_public_operation_answers_as_documented(product):
    base, env = product
    request = urllib.request.Request(
        f"{base}/api/challenges/leaks/comments",
        data=json.dumps({"text": "Un commentaire à signaler"}).encode(),
        headers={"Content-Type": "application/json", "Origin": base},
        method="POST",
    )
    comment = json.loads(urllib.request.urlopen(request, timeout=10).read())["id"]
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(CONFIG),
            "run",
            f"{base}/api/openapi.json",
            "--checks",
            "all",
            "--exclude-tag",
            "staff",
        ],
        env={**env, "ORIGIN": base, "CHALLENGE": "leaks", "PROGRAM": "live-post", "COMMENT": comment},
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = result.stdout[-6000:]
    assert result.returncode == 0, report
    assert "No issues found" in result.stdout or " passed" in result.stdout, report
