"""A comment's life (comments/rules.py): first status, queues, counters, reports that hide."""

from __future__ import annotations

import pytest

from chalicelib.comments import rules

from ..helpers import HIDDEN, comment, program


def test_pre_moderated_programs_hold_comments_for_review():
    assert rules.initial_status(program("pre")) == "pending"
    assert rules.initial_status(program("post")) == "published"


@pytest.mark.parametrize(
    ("status", "reports", "reason", "queue"),
    [
        ("pending", 0, None, "pending"),
        ("published", 0, None, None),
        ("published", 1, None, "reported"),
        ("hidden", 3, HIDDEN, "reported"),  # hidden by reports: staff restore or reject it
        ("hidden", 0, None, "reported"),  # hidden before reasons were recorded: by reports
        ("hidden", 0, "spam", None),  # hidden by staff: decided
        ("rejected", 2, "abuse", None),
    ],
)
def test_each_state_waits_in_one_queue_or_none(status, reports, reason, queue):
    assert rules.queue_of(status, reports, reason, HIDDEN) == queue


def test_counters_follow_the_status_and_reason():
    assert rules.counter_of("published", None, HIDDEN) == "published"
    assert rules.counter_of("hidden", None, HIDDEN) == f"hidden:{HIDDEN}"
    assert rules.counter_of("rejected", "spam", HIDDEN) == "rejected:spam"
    new = comment("pending")
    assert rules.counter_delta(None, new, HIDDEN) == {"pending": 1}
    assert rules.counter_delta(new, comment("published"), HIDDEN) == {"pending": -1, "published": 1}
    assert rules.counter_delta(comment(reports=1), comment(reports=2), HIDDEN) == {}


def test_a_published_comment_is_hidden_when_reports_reach_the_threshold():
    once = rules.reported(comment(), hide_at=2, hidden_by_reports=HIDDEN)
    assert (once.status, once.reports, once.queue) == ("published", 1, "reported")
    twice = rules.reported(once, hide_at=2, hidden_by_reports=HIDDEN)
    assert (twice.status, twice.reason, twice.reports, twice.queue) == ("hidden", HIDDEN, 2, "reported")
    assert rules.counter_delta(once, twice, HIDDEN) == {"published": -1, f"hidden:{HIDDEN}": 1}
    # Only a published comment is hidden by reports: one already hidden stays as it is, counting the report.
    again = rules.reported(twice, hide_at=2, hidden_by_reports=HIDDEN)
    assert (again.status, again.reports) == ("hidden", 3)
