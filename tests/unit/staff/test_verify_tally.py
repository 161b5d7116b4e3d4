"""scripts/verify_tally.py: anyone recomputes the tallies from the vote log; a difference is exit 1 with a diff."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from staff import exports
from staff.cli import load_verify_tally
from tests import ROOT

SCRIPT = ROOT / "scripts" / "verify_tally.py"
verify = load_verify_tally()


def salt(challenge: str) -> str:
    return hmac.new(b"k" * 32, f"vote-log-salt:{challenge}".encode(), hashlib.sha256).hexdigest()


def entry(salt_hex: str, text: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt_hex) + text.encode()).hexdigest()


def published(folder: Path) -> Path:
    """A consistent results.json + vote-log.json + vote-log.csv, as the staff commands write them."""
    votes = {
        "air": [("alice-token", "online"), ("bob-token", "online"), ("import:abc:2", "workshop")],
        "bike": [("alice-token", "online"), ("import:abc:3", "paper")],
        "noise": [],
    }
    log = {
        "format": "datacity-vote-log/1",
        "program": "paris-2017",
        "generated_at": "2017-11-07T08:00:00+00:00",
        "hash": "sha256(bytes.fromhex(salt) + token)",
        "challenges": [
            {"id": cid, "salt": salt(cid), "entries": [{"entry": entry(salt(cid), t), "channel": ch} for t, ch in vs]}
            for cid, vs in votes.items()
        ],
    }
    channels = ["online", "workshop", "paper"]
    results = {
        "format": "datacity-results/1",
        "program": "paris-2017",
        "final": True,
        "channels": channels,
        "challenges": [
            {
                "id": cid,
                "votes": {c: sum(1 for _, ch in vs if ch == c) for c in channels},
                "votes_total": len(vs),
                "comments": 0,
            }
            for cid, vs in votes.items()
        ],
        "comments": [],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
    (folder / "vote-log.json").write_text(json.dumps(log), encoding="utf-8")
    (folder / "vote-log.csv").write_text(exports.vote_log_csv(log), encoding="utf-8")
    return folder


def test_matching_files_exit_0(tmp_path, capsys):
    folder = published(tmp_path / "results")
    assert verify.main([str(folder)]) == 0
    assert "OK: 5 vote(s) in vote-log.csv match results.json for 3 challenge(s)" in capsys.readouterr().out
    assert verify.main([str(folder / "vote-log.json")]) == 0


def mismatch(capsys, target) -> str:
    """What verify_tally prints when the results and the log disagree (it exits 1)."""
    assert verify.main([str(target)]) == 1
    return capsys.readouterr().out


def test_a_changed_tally_is_a_readable_difference(tmp_path, capsys):
    folder = published(tmp_path / "results")
    results = json.loads((folder / "results.json").read_text())
    results["challenges"][0]["votes"]["online"] = 3
    results["challenges"][0]["votes_total"] = 4
    (folder / "results.json").write_text(json.dumps(results))
    out = mismatch(capsys, folder)
    assert "MISMATCH" in out
    assert "air [online]: results.json says 3, the vote log has 2 (-1)" in out


def test_a_removed_or_repeated_log_line_is_found(tmp_path, capsys):
    folder = published(tmp_path / "results")
    lines = (folder / "vote-log.csv").read_text().splitlines()
    (folder / "vote-log.csv").write_text("\n".join(lines[:-1] + [lines[1]]) + "\n")
    out = mismatch(capsys, folder / "vote-log.csv")
    assert "appears 2 times" in out
    assert "bike [paper]: results.json says 1, the vote log has 0 (-1)" in out
    assert "air [online]: results.json says 2, the vote log has 3 (+1)" in out


def test_votes_for_an_unknown_challenge_or_channel(tmp_path, capsys):
    folder = published(tmp_path / "results")
    with (folder / "vote-log.csv").open("a") as out:
        out.write(f"ghost,online,{'a' * 64}\nair,carrier-pigeon,{'b' * 64}\n")
    out = mismatch(capsys, folder)
    assert "ghost: 1 vote(s) in the log, but no such challenge in results.json" in out
    assert "channel 'carrier-pigeon' is in the log but not in results.json's channels" in out


def test_token_lookup_lists_the_challenges_it_voted_for(tmp_path, capsys):
    folder = published(tmp_path / "results")
    assert verify.main([str(folder / "vote-log.json"), "--token", "alice-token"]) == 0
    out = capsys.readouterr().out
    assert "2 challenge(s)" in out and "  air (online)" in out and "  bike (online)" in out
    assert verify.main([str(folder), "--token", "bob-token"]) == 0
    assert "  air (online)" in capsys.readouterr().out
    assert verify.main([str(folder / "vote-log.csv"), "--token", "nobody"]) == 0  # finds the .json next to it
    assert "No vote in this log matches that token" in capsys.readouterr().out


def test_unreadable_files_exit_2(tmp_path, capsys):
    assert verify.main([str(tmp_path)]) == 2
    assert "no vote-log.csv or vote-log.json" in capsys.readouterr().err


@pytest.mark.parametrize("args", [[], ["--token", "alice-token"]])
def test_runs_alone_with_python3_and_the_standard_library(tmp_path, args):
    folder = published(tmp_path / "results")
    lonely = tmp_path / "downloaded" / "verify_tally.py"
    lonely.parent.mkdir()
    lonely.write_bytes(SCRIPT.read_bytes())
    # -I: isolated mode, no site-packages and no project on the path.
    done = subprocess.run(
        [sys.executable, "-I", str(lonely), *args], cwd=folder, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert ("OK:" in done.stdout) if not args else ("air (online)" in done.stdout)


def test_datacity_verify_tally_is_the_same_script(tmp_path):
    folder = published(tmp_path / "results")
    result = CliRunner().invoke(main, ["verify-tally", str(folder)])
    assert result.exit_code == 0 and "OK:" in result.output
    (folder / "vote-log.csv").write_text("challenge,channel,entry\n")
    result = CliRunner().invoke(main, ["verify-tally", str(folder)])
    assert result.exit_code == 1 and "MISMATCH" in result.output


def test_a_voter_code_finds_the_same_votes_as_its_token_and_a_mistyped_one_is_refused(capsys):
    """The code residents see (grouped, upper case, two check characters) stands for the cookie's token."""
    log = ROOT / "results" / "paris-2017" / "vote-log.json"
    code = "2NS8-GNSG-CK77-M4YS-KM5P-19P4-RWG9"  # results/README.md's resident number 3
    outputs = []
    for typed in (code, code.lower().replace("-", " "), "VcohXMGTOehPZnQtgpsTHA"):
        assert verify.main([str(log), "--token", typed]) == 0
        outputs.append(capsys.readouterr().out)
    assert "3 challenge(s)" in outputs[0] and len(set(outputs)) == 1
    assert verify.main([str(log), "--token", code[:-1] + "8"]) == 2
    assert "not a voter code" in capsys.readouterr().err
