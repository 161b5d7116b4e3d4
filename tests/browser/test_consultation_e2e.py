"""One whole consultation on the locally served product, from publishing a challenge to verified open results.

Issue #5's acceptance test. A private copy of the repository's content is the "repository" staff work in:

1. staff publish a new challenge (a file in challenges/montreal-2026/), it validates and the site is built;
2. citizens vote, comment and propose in Chromium (one with JavaScript, one without);
3. staff moderate with the `datacity` commands, over HTTP, with a staff token created by the CLI;
4. the approved proposal becomes a draft challenge file that validates;
5. a workshop's paper sheet is imported;
6. the consultation closes (the server restarts with its clock after the closing date, on the same data);
7. results and the vote log are exported, the tallies recomputed from the log match the results;
8. the site is built again with the results: the results page shows them and axe-core finds no violation.

Montréal 2026 is pre-moderation with tallies hidden until the close, the stricter case for every step.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, expect

from site_builder.cli import main as datacity

from .conftest import serve
from .product import SOURCES, Product, start, stop_process
from .test_accessibility import run_axe, violations_report
from .test_participation import READY, TEXT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = "montreal-2026"
OPEN = "2026-11-26T12:00:00+00:00"
CLOSED = "2027-03-02T12:00:00+00:00"  # the window closes at the end of 2027-02-28, Montréal time
NEW = "e2e-frozen-fountains"


def build(root: Path, dest: Path, now: str) -> Path:
    env = {**os.environ, "DATACITY_NOW": now, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(dest)]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"build failed:\n{(done.stdout + done.stderr)[-4000:]}"
    return dest


def run(*args: str, api: str | None = None, token: str | None = None, ok: bool = True) -> str:
    env = {"DATACITY_API": api or "", "DATACITY_STAFF_TOKEN": token or ""}
    result = CliRunner().invoke(datacity, list(args), env=env, catch_exceptions=False)
    assert (result.exit_code == 0) == ok, f"datacity {' '.join(args)} (exit {result.exit_code}):\n{result.output}"
    if token:
        assert token not in result.output, "a command printed the staff token"
    return result.output


def publish(root: Path) -> None:
    """What a staff member's pull request does: a new challenge file, from an existing one of the program."""
    source = (root / "challenges" / PROGRAM / "heated-bus-shelters.md").read_text(encoding="utf-8")
    text = source.replace("id: heated-bus-shelters", f"id: {NEW}", 1)
    assert text != source, "the example challenge's id line changed: update this test"
    lines = text.splitlines()
    in_title = False
    for i, line in enumerate(lines):  # new titles, so the results page shows which challenge is which
        if line.startswith("title:"):
            in_title = True
        elif in_title and line.startswith("  fr:"):
            lines[i] = "  fr: Des fontaines qui ne gèlent pas"
        elif in_title and line.startswith("  en:"):
            lines[i] = "  en: Drinking fountains that do not freeze"
        elif in_title and not line.startswith(" "):
            in_title = False
    (root / "challenges" / PROGRAM / f"{NEW}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".build" / "docs").mkdir(parents=True)
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    return root


def vote_and_comment(browser: Browser, product: Product, comment: str, js: bool) -> str | None:
    """One citizen's visit; returns the voter code the receipt page showed them (with JavaScript only)."""
    context = browser.new_context(base_url=product.origin, java_script_enabled=js, locale="fr-FR")
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
    page.goto(f"/{PROGRAM}/challenges/{NEW}/")
    if js:
        page.wait_for_function(READY)
        page.locator("[data-dc=vote-button]").click()
        expect(page.locator(".dc-live")).to_have_text(TEXT["fr"]["vote-recorded"])
        page.locator("#dc-comment-text").fill(comment)
        page.get_by_role("button", name=TEXT["fr"]["send"]).click()
        expect(page.locator("form[data-dc=comment] [data-dc=status]")).to_have_text(TEXT["fr"]["comment-pending"])
        # The privacy page's link to the voter's own code, to find their votes in the log after the close.
        page.goto("/privacy/")
        page.get_by_role("link", name="Mon code de vote et mes votes").click()
        expect(page.locator("h1")).to_have_text("Mon code de vote et mes votes")
        expect(page.locator("#dc-my-code")).to_have_text(re.compile(r"^(\w{4}-){6}\w{4}$"))
        violations = run_axe(page)
        assert not violations, violations_report(violations)
        receipt = page.locator("#dc-my-code").inner_text()
    else:
        with page.expect_navigation():
            page.locator("[data-dc=vote-button]").click()
        expect(page.locator("#dc-msg-vote-recorded")).to_be_visible()
        page.locator("#dc-comment-text").fill(comment)
        with page.expect_navigation():
            page.get_by_role("button", name=TEXT["fr"]["send"]).click()
        expect(page.locator("#dc-msg-comment-pending")).to_be_visible()
        # ... and proposes a challenge of their own.
        page.goto(f"/{PROGRAM}/propose/")
        page.locator("#dc-p-title").fill("Des bancs chauffés aux arrêts de bus")
        page.locator("#dc-p-description").fill("Attendre le bus à -20 °C est difficile pour les aînés.")
        page.locator("#dc-p-theme").select_option("mobility")
        with page.expect_navigation():
            page.get_by_role("button", name="Envoyer ma proposition").click()
        expect(page.locator("#dc-msg-proposal-received")).to_be_visible()
        receipt = None
    assert not errors, errors
    context.close()
    return receipt


def test_a_whole_consultation(browser: Browser, repository: Path, tmp_path: Path):
    root = repository
    # 1. Publish: the new challenge validates and is in the built site and its catalog.
    publish(root)
    assert "OK:" in run("validate", "--root", str(root))
    site = build(root, tmp_path / "site-open", OPEN)
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert NEW in {c["id"] for c in catalog["challenges"]}

    data = tmp_path / "data"
    product = start("e2e-open", site, data, OPEN)
    try:
        api = product.origin + "/api"
        # 2. Citizens take part in the browser: one with JavaScript, one without (who also proposes).
        receipt = vote_and_comment(browser, product, "Bonne idée, surtout près des parcs.", js=True)
        vote_and_comment(browser, product, "Achetez des fontaines moins chères !!! www.example.com", js=False)

        # 3. Staff moderate with the CLI: a token for this program only, created by the CLI.
        created = CliRunner().invoke(
            datacity, ["staff-token", "create", "-p", PROGRAM, "--name", "E2E moderator", "--data-dir", str(data)]
        )
        assert created.exit_code == 0, created.output
        token = created.stdout.strip()
        queue = json.loads(run("moderate", "queue", "-p", PROGRAM, "--json", api=api, token=token))
        by_text = {item["text"]: item["id"] for item in queue}
        assert set(by_text) == {
            "Bonne idée, surtout près des parcs.",
            "Achetez des fontaines moins chères !!! www.example.com",
        }
        run("moderate", "approve", by_text["Bonne idée, surtout près des parcs."], api=api, token=token)
        spam = by_text["Achetez des fontaines moins chères !!! www.example.com"]
        run("moderate", "reject", spam, "--reason", "spam", "--note", "publicité", api=api, token=token)
        # The public moderation record, linked from the program's page: counts by reason, never the text.
        # (axe runs as a script, so JavaScript is on; the page itself has none and needs none.)
        context = browser.new_context(base_url=product.origin)
        page = context.new_page()
        page.goto(f"/{PROGRAM}/")
        page.get_by_role("link", name="Registre de modération").click()
        expect(page.locator("h1")).to_contain_text("Registre de modération")
        expect(page.get_by_role("row", name="Publicité ou messages répétés (spam)")).to_have_text(re.compile(r"0\s*1$"))
        assert "www.example.com" not in page.content()
        violations = run_axe(page)
        assert not violations, violations_report(violations)
        context.close()
        proposals = json.loads(run("moderate", "proposals", "-p", PROGRAM, "--json", api=api, token=token))
        assert [p["title"] for p in proposals] == ["Des bancs chauffés aux arrêts de bus"]
        run("moderate", "approve-proposal", proposals[0]["id"], api=api, token=token)

        # 4. The approved proposal becomes a draft challenge file that validates (and is not published).
        run(
            "proposal",
            "to-challenge",
            proposals[0]["id"],
            "--root",
            str(root),
            "--id",
            "heated-benches",
            api=api,
            token=token,
        )
        draft = (root / "challenges" / PROGRAM / "heated-benches.md").read_text(encoding="utf-8")
        assert "status: draft" in draft and proposals[0]["id"] in draft
        assert "OK:" in run("validate", "--root", str(root))

        # 5. A workshop's paper sheet: two votes and a comment for the new challenge.
        sheet = tmp_path / "atelier-verdun.csv"
        with sheet.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["channel", "challenge", "kind", "text", "display_name", "collected_on"])
            writer.writerow(["workshop", NEW, "vote", "", "", "2026-11-20"])
            writer.writerow(["workshop", NEW, "vote", "", "", "2026-11-20"])
            writer.writerow(["paper", NEW, "comment", "Et des toilettes publiques ouvertes l'hiver.", "", "2026-11-21"])
        run("import-workshop", "-p", PROGRAM, str(sheet), api=api, token=token)
        # The vote log is not available while the consultation is open.
        assert "409" in run(
            "vote-log", "export", "-p", PROGRAM, "--out", str(tmp_path / "early"), api=api, token=token, ok=False
        )
    finally:
        stop_process(product.process)

    # 6. The consultation closes: the same data, the clock after the closing date.
    product = start("e2e-closed", site, data, CLOSED)
    try:
        api = product.origin + "/api"
        # 7. Results and the vote log, exported into the repository, where a pull request would publish them.
        out = root / "results" / PROGRAM
        run("results", "export", "-p", PROGRAM, "--out", str(out), api=api, token=token)
        run("vote-log", "export", "-p", PROGRAM, "--out", str(out), api=api, token=token)
    finally:
        stop_process(product.process)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["final"] is True and results["licence"]["name"] == "etalab-2.0"
    row = next(c for c in results["challenges"] if c["id"] == NEW)
    assert row["votes"]["online"] == 2 and row["votes"]["workshop"] == 2 and row["votes_total"] == 4
    assert row["comments"] == 2  # the approved one and the workshop's; never the rejected one
    assert results["moderation"]["rejected"] == {"spam": 1}
    texts = {c["text"] for c in results["comments"]}
    assert "Bonne idée, surtout près des parcs." in texts and not any("www.example.com" in t for t in texts)
    # Anyone can recompute every tally from the vote log, with the standard library only.
    check = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "verify_tally.py"),
            str(out / "vote-log.csv"),
            "--results",
            str(out / "results.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    # The citizen who kept their code finds their vote, and only that one.
    mine = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "verify_tally.py"), str(out / "vote-log.json"), "--token", receipt],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert mine.returncode == 0 and NEW in mine.stdout, mine.stdout + mine.stderr
    assert "heated-bus-shelters" not in mine.stdout

    # 8. The site built with the results: a results page, accessible, with the exported numbers.
    site = build(root, tmp_path / "site-closed", CLOSED)
    with serve(site) as origin:
        context = browser.new_context(base_url=origin)
        page = context.new_page()
        for path in (f"/{PROGRAM}/results/", f"/en/{PROGRAM}/results/"):
            response = page.goto(path)
            assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
            violations = run_axe(page)
            assert not violations, f"{path}\n" + violations_report(violations)
            table = page.locator("table", has_text="4").first
            expect(table).to_be_visible()
        expect(page.locator("main")).to_contain_text("Drinking fountains that do not freeze")
        context.close()
