"""When results are final and the vote log may be published (results/rules.py)."""

from __future__ import annotations

import pytest

from chalicelib.kernel.errors import ApiError
from chalicelib.results import rules

from ..helpers import AFTER, INSIDE, challenge, program


def test_results_are_final_once_every_window_has_closed():
    assert rules.program_closed(program(), [challenge()], AFTER)
    assert not rules.program_closed(program(), [challenge()], INSIDE)


def test_the_vote_log_waits_for_the_close_and_says_until_when():
    with pytest.raises(ApiError) as refused:
        rules.require_closed(program(), [challenge()], INSIDE)
    assert refused.value.status == 409 and "to 31 December 2026 inclusive" in refused.value.detail["en"]
    rules.require_closed(program(), [challenge()], AFTER)


def test_votes_by_channel_follow_the_documents_channels():
    assert rules.vote_counts(3, {"paper": 2}, ["online", "workshop", "paper"]) == {
        "online": 3,
        "workshop": 0,
        "paper": 2,
    }
