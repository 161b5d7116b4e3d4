"""Reading one cookie out of a Cookie header, for the rooms that keep a secret in one (identity, console)."""

from __future__ import annotations

import re
from http.cookies import CookieError, SimpleCookie


def cookie_value(header: str | None, name: str, shape: re.Pattern[str]) -> str | None:
    """The cookie's value if the header has it in the expected shape; None for anything else, never an error.

    The shape check matters: a value the server did not make (too long, other characters) is never looked up.
    """
    if not header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None and shape.match(morsel.value) else None
