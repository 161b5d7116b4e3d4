"""How long a proposer's email is kept (proposals/rules.py)."""

from __future__ import annotations

import datetime as dt

from chalicelib.proposals import rules

from ..helpers import WINDOW, program


def test_an_email_is_kept_a_set_time_after_the_close():
    assert rules.email_expiry(program(), 183) == WINDOW.closes + dt.timedelta(days=183)
    assert rules.decided("approved") == "proposals:approved" and rules.RECEIVED == "proposals:received"
