"""Schemathesis, a fuzzer driven by the OpenAPI document, over every public operation of the local server:
no server error, and every status code, content type, header and body as the document says."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .conftest import INSIDE, catalog_data
from .local_server import environment, running

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
    env = environment(
        site,
        tmp_path / "data",
        DATACITY_NOW=INSIDE.isoformat(),
        # One address sends everything here: limits high enough that the fuzzer reaches what they guard.
        **{
            f"RATE_{a}_PER_{s}": "100000"
            for a in ("VOTES", "COMMENTS", "REPORTS", "PROPOSALS")
            for s in ("TOKEN", "IP")
        },
    )
    with running(site, env) as server:
        yield server.origin, env


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
