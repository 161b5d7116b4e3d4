"""Staff decisions (moderation/rules.py): possible transitions, reasons, and the public record."""

from __future__ import annotations

import pytest

from chalicelib.kernel.errors import ApiError
from chalicelib.moderation import rules


@pytest.mark.parametrize(
    ("status", "reports", "action", "new"),
    [
        ("pending", 0, "approve", "published"),
        ("pending", 0, "reject", "rejected"),
        ("published", 0, "hide", "hidden"),
        ("published", 2, "approve", "published"),  # approving a reported comment clears its reports
        ("hidden", 3, "restore", "published"),
        ("hidden", 3, "reject", "rejected"),
    ],
)
def test_possible_decisions(status, reports, action, new):
    assert rules.comment_transition(status, reports, action) == new


@pytest.mark.parametrize(
    ("status", "reports", "action"),
    [("published", 0, "approve"), ("rejected", 0, "restore"), ("pending", 0, "hide"), ("published", 0, "restore")],
)
def test_impossible_decisions_name_the_current_status(status, reports, action):
    with pytest.raises(ApiError) as refused:
        rules.comment_transition(status, reports, action)
    assert refused.value.status == 409 and refused.value.extra == {"status": status}
    assert f"({status})" in refused.value.detail["en"] and f"({status})" in refused.value.detail["fr"]


def test_proposals_are_decided_once():
    assert rules.proposal_transition("pending", "approve") == "approved"
    with pytest.raises(ApiError, match="Cannot reject"):
        rules.proposal_transition("approved", "reject")


def test_reasons_go_with_reject_and_hide_only():
    assert [a for a in rules.COMMENT_ACTIONS if rules.reason_required(a)] == ["reject", "hide"]
    assert rules.kept_reason("hidden", "spam") == "spam" and rules.kept_reason("published", "spam") is None


def test_the_record_counts_and_never_goes_below_zero():
    counters = {
        "published": 4,
        "pending": -1,  # a counter that raced below zero is shown as none
        "hidden:spam": 2,
        "rejected:abuse": 1,
        "hidden:reports": 0,
        "proposals:received": 5,
        "proposals:approved": 1,
        "proposals:rejected": 2,
    }
    assert rules.moderation_record(counters) == {
        "moderation": {"published": 4, "pending": 0, "hidden": {"spam": 2}, "rejected": {"abuse": 1}},
        "proposals": {"received": 5, "approved": 1, "rejected": 2, "pending": 2},
    }
