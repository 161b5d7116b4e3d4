"""Opaque page cursors: the (sort key, id) of the last item of a page, as URL-safe text."""

from __future__ import annotations

import base64
import binascii
import json

from .errors import ApiError
from .messages import N_

Cursor = tuple[str, str]  # (created_at, id) of the last comment returned; (at, id) of the last audit entry


def encode(after: Cursor) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(after)).encode()).decode().rstrip("=")


def decode(cursor: str | None) -> Cursor | None:
    """The cursor a client sent back, or None for the first page; 400 if it is not one we wrote."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) and len(v) <= 64 for v in value):
            return value[0], value[1]
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise ApiError(
        "bad-request",
        N_("The page cursor is invalid; start again from the first page."),
        field="cursor",
    )


def page_of(found: list, limit: int, key) -> tuple[list, Cursor | None]:
    """The first `limit` of `found` (read with limit + 1) and the cursor of the next page, None on the last one."""
    page = found[:limit]
    return page, (key(page[-1]) if len(found) > limit else None)
