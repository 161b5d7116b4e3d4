"""The example data shows every state of a consultation, and its results are real, verifiable exports.

Paris 2017 is closed with exported results and vote log, Montréal 2026 is open, Lyon 2027 has not opened yet (on
the build's pinned day, 2026-11-26). The results were produced by scripts/example_consultation.py, which runs the
consultation on the local product; `--check` runs it again and compares.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.votes import receipts

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "results" / "paris-2017"
VERIFY = REPO / "scripts" / "verify_tally.py"
SCRIPT = REPO / "scripts" / "example_consultation.py"


def verify(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(VERIFY), *args], capture_output=True, text=True, timeout=60, cwd=REPO, check=False
    )


def example_script():
    spec = importlib.util.spec_from_file_location("example_consultation", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_example_results_validate_against_the_vote_log():
    for log in ("vote-log.csv", "vote-log.json"):
        done = verify(str(RESULTS / log), "--results", str(RESULTS / "results.json"))
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("OK:"), done.stdout
    results = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
    assert results["final"] is True and results["program"] == "paris-2017"
    # Not a trivial example: every channel, moderation decisions of every kind, proposals in every state.
    assert results["channels"] == ["online", "workshop", "paper"]
    assert all(c["votes_total"] > 0 for c in results["challenges"])
    assert results["moderation"]["hidden"] and results["moderation"]["rejected"]
    assert all(results["proposals"][state] > 0 for state in ("approved", "rejected", "pending"))


def test_the_voter_code_the_readme_gives_finds_that_residents_votes():
    script = example_script()
    token = script.voter_token(script.FEATURED)
    readme = (REPO / "results" / "README.md").read_text(encoding="utf-8")
    # The README gives the code as the site shows it (grouped), and the cookie's own form, which is accepted too.
    code = receipts.code(token)
    assert f"--token {code}" in readme and f"`{token}`" in readme
    for typed in (code, token):
        done = verify(str(RESULTS / "vote-log.json"), "--token", typed)
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(re.findall(r"^  [a-z0-9-]+ \(online\)$", done.stdout, re.M)) == 3, done.stdout
    other = verify(str(RESULTS / "vote-log.json"), "--token", script.voter_token(10_000))
    assert not re.findall(r"\(online\)", other.stdout), other.stdout


def test_a_changed_tally_is_caught(tmp_path):
    """The check above can fail: one vote less in the results is reported."""
    results = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
    row = results["challenges"][0]
    row["votes"]["online"] -= 1
    row["votes_total"] -= 1
    (tmp_path / "results.json").write_text(json.dumps(results), encoding="utf-8")
    done = verify(str(RESULTS / "vote-log.csv"), "--results", str(tmp_path / "results.json"))
    assert done.returncode == 1 and f"{row['id']} [online]" in done.stdout, done.stdout


def test_the_results_page_is_built_with_the_exported_numbers(built_site):
    results = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
    total = sum(c["votes_total"] for c in results["challenges"])
    for page in ("paris-2017/results/index.html", "en/paris-2017/results/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        assert f">{total}<" in html, f"{page} does not show the {total} votes"
    for name in ("results.json", "results.csv", "comments.csv", "datapackage.json", "vote-log.csv", "vote-log.json"):
        assert (built_site / "paris-2017" / "results" / name).read_bytes() == (RESULTS / name).read_bytes()
    assert 'href="results/"' in (built_site / "paris-2017" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("program", "state"), [("paris-2017", "closed"), ("montreal-2026", "open"), ("lyon-2027", "upcoming")]
)
def test_the_example_programs_show_every_state(built_site, program, state):
    for lang in ("", "en/"):
        html = (built_site / f"{lang}{program}" / "index.html").read_text(encoding="utf-8")
        assert f"dc-badge--{state}" in html, f"{lang}{program} is not {state} on the pinned day"


@pytest.mark.slow
def test_the_committed_example_is_what_the_consultation_produces():
    """Runs the whole consultation again (about 15 s): residents over HTTP, staff commands, exports."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=600, cwd=REPO, check=False
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
