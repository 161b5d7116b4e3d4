"""The staff commands against the real API, served over HTTP by api/serve.py on a temporary SQLite store.

One consultation from opening to published results: citizens vote, comment and propose; staff moderate, import a
workshop's sheet, turn a proposal into a draft challenge, export results, the vote log and the audit log; anyone
verifies the tallies. The API's clock is pinned (DATACITY_NOW); half-way the server is restarted on the same
store with its clock past the closing date.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.catalog import build_catalog
from site_builder.cli import main
from site_builder.load import load_site

from .local_server import environment, start

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "valid"
PROGRAM = "test-city"  # open 2026-11-01 to 2026-12-31 (Europe/Paris), pre-moderation
INSIDE = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
AFTER = dt.datetime(2027, 1, 2, 12, tzinfo=dt.UTC)


class Product:
    """The site and the API on one local origin, and what the test needs to drive it."""

    def __init__(self, data_dir: Path, root: Path, site: Path):
        self.data_dir, self.root, self.site = data_dir, root, site
        self.server = None
        self.start(INSIDE)

    def start(self, now: dt.datetime) -> None:
        """(Re)start the server on the same store, its clock pinned at `now`."""
        if self.server is not None:
            assert self.server.stop() == 0
        env = environment(self.site, self.data_dir, DATACITY_NOW=now.isoformat())
        self.server = start(self.site, env)
        self.port = self.server.port
        self.api = f"{self.server.origin}/api"

    def citizen(self, method: str, path: str, body: dict | None = None, cookie: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{self.port}"}
        if cookie:
            headers["Cookie"] = cookie
        payload = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
        conn.request(method, "/api" + path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        set_cookie = response.getheader("Set-Cookie")
        conn.close()
        return response.status, (json.loads(data) if data else {}), (set_cookie or "").split(";", 1)[0] or cookie

    def run(self, *args: str, token: str | None = None, ok: bool = True):
        env = {"DATACITY_API": self.api, "DATACITY_STAFF_TOKEN": token or self.token}
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, f"{args}: {result.output}"
        else:
            assert result.exit_code != 0, f"{args} should fail: {result.output}"
        assert (token or self.token) not in result.output
        return result

    def new_token(self, program: str, name: str) -> str:
        result = CliRunner().invoke(
            main, ["staff-token", "create", "-p", program, "--name", name, "--data-dir", str(self.data_dir)]
        )
        assert result.exit_code == 0, result.output
        return result.stdout.strip()


@pytest.fixture
def product(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    site_model, problems = load_site(root)
    assert problems == []
    site = tmp_path / "site"
    site.mkdir()
    (site / "catalog.json").write_text(json.dumps(build_catalog(site_model)), encoding="utf-8")
    product = Product(tmp_path / "data", root, site)
    try:
        yield product
    finally:
        product.server.stop()


def test_a_consultation_from_opening_to_verified_results(product, tmp_path):
    product.token = product.new_token(PROGRAM, "Alice (moderation)")
    outsider = product.new_token("elsewhere", "Bob")

    # Citizens take part: three voters, two comments (pre-moderation: pending), a proposal.
    cookies = []
    for _ in range(3):
        status, _, cookie = product.citizen("PUT", "/challenges/water-leaks/vote")
        assert status == 200
        cookies.append(cookie)
    assert product.citizen("PUT", "/challenges/quiet-streets/vote", cookie=cookies[0])[0] == 409  # selected: closed
    long = "Des capteurs sur les canalisations des écoles, " + "et dans les gymnases aussi, " * 4 + "fin."
    for text in (long, "=cmd|' /C calc'!A0 achetez mes montres"):
        status, body, _ = product.citizen("POST", "/challenges/water-leaks/comments", {"text": text}, cookies[1])
        assert status == 201, body
    status, body, _ = product.citizen(
        "POST",
        "/programs/test-city/proposals",
        {
            "title": "Des fontaines à eau dans les parcs",
            "description": "L'été, il n'y a pas d'eau potable dans les petits parcs.",
            "theme": "water",
            "email": "resident@example.org",
            "consent": True,
        },
        cookies[2],
    )
    assert status == 201, body
    proposal_id = body["proposal"]

    # The moderation queue, as a table and as JSON.
    table = product.run("moderate", "queue", "-p", PROGRAM).output
    assert long in table and "2 in the pending queue" in table  # the whole text, not a 60-character cell
    pending = json.loads(product.run("moderate", "queue", "-p", PROGRAM, "--json").output)
    good, spam = (c["id"] for c in sorted(pending, key=lambda c: c["text"], reverse=True))
    assert product.run("moderate", "approve", good).output.strip() == f"comment {good}: approve: pending → published."
    assert "hide (spam): published → hidden" in product.run("moderate", "hide", good, "--reason", "spam").output
    assert "published" in product.run("moderate", "restore", good, "--note", "finalement correct").output
    product.run("moderate", "reject", spam, "--reason", "spam", "--note", "publicité")
    # A transition the contract refuses: the API's message, one line, exit 1.
    refused = product.run("moderate", "approve", spam, ok=False)
    assert "409" in refused.output and "rejected" in refused.output and "Traceback" not in refused.output
    assert "Nothing in the pending queue" in product.run("moderate", "queue", "-p", PROGRAM).output

    # Proposals: listed, shown (never the email), approved, turned into a draft challenge.
    assert "Des fontaines à eau" in product.run("moderate", "proposals", "-p", PROGRAM).output
    shown = product.run("moderate", "proposal", proposal_id).output
    assert "has_contact:  True" in shown and "resident@example.org" not in shown
    early = product.run("proposal", "to-challenge", proposal_id, "--root", str(product.root), ok=False)
    assert "not approved" in early.output
    product.run("moderate", "approve-proposal", proposal_id, "--note", "bonne idée")
    made = product.run("proposal", "to-challenge", proposal_id, "--root", str(product.root))
    path = product.root / "challenges" / PROGRAM / "des-fontaines-a-eau-dans-les-parcs.md"
    assert path.is_file() and "passes datacity validate" in made.output
    assert f"proposal: {proposal_id}" in path.read_text() and "resident@example.org" not in path.read_text()
    again = product.run("proposal", "to-challenge", proposal_id, "--root", str(product.root), ok=False)
    assert "already exists" in again.output
    assert CliRunner().invoke(main, ["validate", "--root", str(product.root)]).exit_code == 0

    # A workshop's sheet: a file with a problem sends nothing; a good one is imported once.
    bad = tmp_path / "atelier-bad.csv"
    bad.write_text(
        "channel,challenge,kind,text,display_name,collected_on\nworkshop,water-leaks,vote,,,2027-01-05\n", "utf-8"
    )
    refused = product.run("import-workshop", "-p", PROGRAM, str(bad), ok=False)
    assert f"{bad}:2: collected_on: 2027-01-05 is outside the consultation window" in refused.output
    # A stale catalog lets a row through the local check: the API's 422 problems are shown the same way.
    stale = json.loads((product.site / "catalog.json").read_text())
    stale["challenges"].append({**stale["challenges"][-1], "id": "ghost"})
    (tmp_path / "stale.json").write_text(json.dumps(stale))
    ghost = tmp_path / "ghost.csv"
    ghost.write_text("channel,challenge,kind,text,display_name,collected_on\npaper,ghost,vote,,,2026-11-20\n", "utf-8")
    refused = product.run(
        "import-workshop", "-p", PROGRAM, str(ghost), "--catalog", str(tmp_path / "stale.json"), ok=False
    )
    assert f"{ghost}:2: challenge: 'ghost' is not a challenge of the program test-city" in refused.output
    assert "the API found 1 problem; nothing was imported" in refused.output
    sheet = tmp_path / "atelier.csv"
    sheet.write_text(
        "channel,challenge,kind,text,display_name,collected_on\n"
        "workshop,water-leaks,vote,,,2026-11-20\n"
        "workshop,water-leaks,vote,,,2026-11-20\n"
        "paper,quiet-streets,vote,,,2026-11-21\n"
        'paper,water-leaks,comment,"Réparer vite, c\'est économiser",Léa,2026-11-21\n',
        "utf-8",
    )
    imported = product.run("import-workshop", "-p", PROGRAM, str(sheet)).output
    assert "Imported" in imported and "3 votes and 1 comment" in imported
    twice = product.run("import-workshop", "-p", PROGRAM, str(sheet), ok=False)
    assert "409" in twice.output and "already imported" in twice.output

    # While open: provisional results; no vote log yet.
    out = tmp_path / "results" / PROGRAM
    provisional = product.run("results", "export", "-p", PROGRAM, "--out", str(out))
    assert "provisional" in provisional.output
    assert json.loads((out / "results.json").read_text())["final"] is False
    closed_only = product.run("vote-log", "export", "-p", PROGRAM, "--out", str(out), ok=False)
    assert "409" in closed_only.output and "once the consultation" in closed_only.output

    # The consultation closes.
    product.start(AFTER)
    product.run("results", "export", "-p", PROGRAM, "--out", str(out))
    product.run("vote-log", "export", "-p", PROGRAM, "--out", str(out))
    results = json.loads((out / "results.json").read_text())
    assert results["final"] is True and results["channels"] == ["online", "workshop", "paper"]
    by_id = {c["id"]: c for c in results["challenges"]}
    assert by_id["water-leaks"]["votes"] == {"online": 3, "workshop": 2, "paper": 0}
    assert by_id["quiet-streets"]["votes"] == {"online": 0, "workshop": 0, "paper": 1}
    rows = {r["challenge"]: r for r in csv.DictReader((out / "results.csv").open(encoding="utf-8"))}
    assert rows["water-leaks"]["title_fr"] == "Trouver les fuites d'eau" and rows["water-leaks"]["votes_total"] == "5"
    assert rows["water-leaks"]["themes"] == "water" and rows["water-leaks"]["sdgs"] == "6;11"
    comments = list(csv.DictReader((out / "comments.csv").open(encoding="utf-8")))
    assert {c["channel"] for c in comments} == {"online", "paper"}
    assert all("Léa" not in json.dumps(c) for c in comments)
    package = json.loads((out / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert {r["path"] for r in package["resources"]} >= {"results.csv", "comments.csv", "vote-log.csv"}
    log_rows = list(csv.DictReader((out / "vote-log.csv").open(encoding="utf-8")))
    assert len(log_rows) == 6

    # Anyone verifies the tallies; a voter finds their own entries with the token their browser kept.
    assert "OK: 6 vote(s)" in CliRunner().invoke(main, ["verify-tally", str(out)]).output
    _, receipt, _ = product.citizen("GET", "/me/receipt", cookie=cookies[0])
    mine = CliRunner().invoke(main, ["verify-tally", str(out / "vote-log.json"), "--token", receipt["token"]])
    assert mine.exit_code == 0 and "1 challenge(s)" in mine.output and "water-leaks (online)" in mine.output

    # The audit log: every decision, the import and the exports, with who did it.
    product.run("audit", "export", "-p", PROGRAM, "--out", str(tmp_path / "audit.json"))
    product.run("audit", "export", "-p", PROGRAM, "--out", str(tmp_path / "audit.csv"))
    entries = json.loads((tmp_path / "audit.json").read_text())["entries"]
    actions = [e["action"] for e in entries]
    for action in ("comment.approve", "comment.hide", "comment.restore", "comment.reject", "proposal.approve"):
        assert action in actions
    assert actions.count("import.create") == 1
    assert {"results.export", "vote-log.export"} <= set(actions)
    assert {e["actor"]["name"] for e in entries} == {"Alice (moderation)"}
    audit_rows = list(csv.DictReader((tmp_path / "audit.csv").open(encoding="utf-8")))
    assert [r["action"] for r in audit_rows] == actions and audit_rows[0]["actor_name"] == "Alice (moderation)"

    # Tokens: another program's token gets 403; a revoked token gets 401.
    forbidden = product.run("moderate", "queue", "-p", PROGRAM, token=outsider, ok=False)
    assert "403" in forbidden.output
    token_id = product.token.split("_")[1]
    CliRunner().invoke(main, ["staff-token", "revoke", token_id, "--data-dir", str(product.data_dir)])
    revoked = product.run("moderate", "queue", "-p", PROGRAM, ok=False)
    assert "401" in revoked.output and "revoked" in revoked.output


def test_ids_that_start_with_a_dash_are_taken_as_ids(product):
    """Comment and proposal ids are URL-safe base64, so about one in 64 starts with "-": not an option."""
    product.token = product.new_token(PROGRAM, "Alice (moderation)")
    unknown = "-AAAAAAAAAAAAAAA"
    for args in (
        ["moderate", "hide", unknown, "--reason", "spam"],
        ["moderate", "approve", "--note", "vu", unknown],
        ["moderate", "proposal", unknown],
        ["moderate", "reject-proposal", unknown, "--reason", "duplicate"],
        ["proposal", "to-challenge", unknown, "--root", str(product.root)],
    ):
        output = product.run(*args, ok=False).output
        assert "No such option" not in output, output
        assert "404" in output or "n'existe pas" in output, output
