"""Shared by every kind of test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _staff_messages_in_english(monkeypatch):
    """The staff's messages follow LANGUAGE/LC_ALL/LANG (site_builder/staff_text.py): tests read them in English
    whatever the machine's locale, unless a test sets its own."""
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture(scope="session", autouse=True)
def _nothing_remembered_is_stored(tmp_path_factory):
    """After the whole session: no file a test wrote holds an OpenID subject or an email in clear (issue #12)."""
    yield
    from .never_stored import NEVER_STORED, files_holding

    found = files_holding(tmp_path_factory.getbasetemp(), NEVER_STORED)
    assert not found, f"stored in clear: {found}"
