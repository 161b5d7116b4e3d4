"""Catalog entries and comments for the API's unit tests."""

from __future__ import annotations

import datetime as dt

from chalicelib.comments.store import Comment
from chalicelib.kernel.catalog import ChallengeEntry, ProgramEntry, Vocabulary, Window
from site_builder.catalog import vocabulary

PARIS = dt.timezone(dt.timedelta(hours=1))
WINDOW = Window(dt.datetime(2026, 11, 1, tzinfo=PARIS), dt.datetime(2027, 1, 1, tzinfo=PARIS))
BEFORE = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
INSIDE = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
AFTER = dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
VOCABULARY = Vocabulary.parse(vocabulary(("fr", "en")))
HIDDEN = VOCABULARY.hidden_by_reports


def program(moderation: str = "post", tallies: str = "live", window: Window = WINDOW) -> ProgramEntry:
    return ProgramEntry("p", {"fr": "P", "en": "P"}, window, moderation, tallies, {}, {})


def challenge(status: str = "open", window: Window = WINDOW) -> ChallengeEntry:
    return ChallengeEntry("c", "p", status, {"fr": "C", "en": "C"}, window, {})


def comment(status: str = "published", reports: int = 0, reason: str | None = None) -> Comment:
    return Comment(
        "a" * 16, "c", "p", "text", None, status, "2026-11-26T12:00:00.000000+00:00", "voter", reports, reason
    )
