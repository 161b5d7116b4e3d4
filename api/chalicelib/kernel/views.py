"""What an answer shows of a record: some of its fields, by name."""

from __future__ import annotations


def pick(record: object, names: tuple[str, ...]) -> dict:
    return {name: getattr(record, name) for name in names}
