"""What a test gave the product that no stored file may hold in clear (OpenID subjects, emails typed to verify).

A test registers each such value with `remember`; at the end of the whole session, tests/conftest.py reads every
file the session's tests wrote (pytest's temporary folders: each store, data folder, outbox and log) and fails if
any holds one of them.
"""

from __future__ import annotations

from pathlib import Path

NEVER_STORED: set[str] = set()


def remember(value: str) -> str:
    NEVER_STORED.add(value)
    return value


# The local outbox (api/chalicelib/adapters/mail.py OUTBOX) stands for the resident's mailbox: a message sent to an
# address holds it, as it would on any mail server. It is the mail's way out, not the product's store.
MAILBOXES = {"outbox"}


def files_holding(root: Path, values: set[str]) -> dict[str, list[str]]:
    """value -> the files under `root` that contain it (UTF-8 bytes), for every value given; mailboxes excepted."""
    found: dict[str, list[str]] = {}
    needles = {value: value.encode() for value in values}
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink() or MAILBOXES & set(path.relative_to(root).parts):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for value, needle in needles.items():
            if needle in data:
                found.setdefault(value, []).append(str(path))
    return found
