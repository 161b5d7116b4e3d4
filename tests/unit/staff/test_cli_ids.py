"""The staff commands take any comment or proposal id, one that starts with '-' included (made before 2026-12)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from staff.client import StaffApi

TOKEN = "dcs_1a2b3c4d_" + "A" * 43
DASHED = "-dH6jq0Zk1Vb_x2A"


@pytest.fixture
def sent(monkeypatch):
    calls = []

    def post(self, path, body):
        calls.append((path, body))
        return {"id": path.split("/")[3], "previous": "pending", "status": "rejected"}

    monkeypatch.setattr(StaffApi, "post", post)
    return calls


def run(*args: str):
    result = CliRunner().invoke(main, list(args), env={"DATACITY_STAFF_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["moderate", "reject", DASHED, "--reason", "spam"],
        ["moderate", "reject", "--reason", "spam", DASHED],
        ["moderate", "reject", "--reason", "spam", "--", DASHED],
    ],
)
def test_an_id_that_starts_with_a_dash_is_the_id(sent, args):
    run(*args)
    assert sent == [(f"/staff/comments/{DASHED}/decision", {"action": "reject", "reason": "spam"})]


def test_a_value_shaped_like_an_id_stays_its_options_value(sent):
    run("moderate", "approve-proposal", "Abcdefghijklmnop", "--note", DASHED)
    assert sent == [("/staff/proposals/Abcdefghijklmnop/decision", {"action": "approve", "note": DASHED})]


def test_a_real_option_is_still_refused():
    result = CliRunner().invoke(main, ["moderate", "reject", "-x"], env={"DATACITY_STAFF_TOKEN": TOKEN})
    assert result.exit_code == 2 and "No such option" in result.output
