"""New record ids: 16 URL-safe characters (96 random bits), what ITEM_ID_RE accepts."""

from __future__ import annotations

import secrets


def new_id() -> str:
    return secrets.token_urlsafe(12)


def new_audit_id() -> str:
    return secrets.token_urlsafe(9)
