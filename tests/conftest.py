"""Shared by every kind of test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _staff_messages_in_english(monkeypatch):
    """The staff's messages follow LANGUAGE/LC_ALL/LANG (site_builder/staff_text.py): tests read them in English
    whatever the machine's locale, unless a test sets its own."""
    monkeypatch.setenv("LANGUAGE", "en")
