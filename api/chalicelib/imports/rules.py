"""Offline participation (docs/staff.md, "Offline participation"): the import body, checked row by row.

Every problem of every row is collected, with its line and field, as a message written in the answer's language;
an import with any problem writes nothing (422). No storage, no web framework.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass

from ..kernel.catalog import ProgramEntry
from ..kernel.errors import ApiError, Detail
from ..kernel.inputs import Fields
from ..kernel.messages import N_, NP_, Plural

KINDS = ("vote", "comment")
DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")
ROW_FIELDS = {"line", "channel", "challenge", "kind", "text", "display_name", "collected_on"}
BODY_FIELDS = {"source", "digest", "rows"}
SOURCE_MAX_CHARS = 200
REFUSED = NP_("The import has {n} problem; nothing was recorded.", "The import has {n} problems; nothing was recorded.")


@dataclass(frozen=True)
class Row:
    line: int
    channel: str
    challenge: str
    kind: str
    text: str | None
    display_name: str | None
    collected_on: str  # YYYY-MM-DD


@dataclass(frozen=True)
class ImportRequest:
    source: str
    digest: str
    rows: tuple[Row, ...]

    @property
    def import_id(self) -> str:
        """Derived from the file's digest: a retry of the same import writes the same keys (idempotent)."""
        return self.digest[:16]

    def rows_sha256(self) -> str:
        """What the rows say, canonically: a retry must carry the same rows as the attempt it completes."""
        canonical = json.dumps([list(vars(row).values()) for row in self.rows], ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _Problems:
    """Each problem's message is kept untranslated (a Detail): the answer writes it in its own language."""

    def __init__(self):
        self.items: list[tuple[int | None, str, Detail]] = []

    def add(self, line: int | None, field: str, message: str | Plural, **values: object) -> None:
        self.items.append((line, field, Detail(message, values)))

    def add_detail(self, line: int | None, field: str, detail: Detail) -> None:
        self.items.append((line, field, detail))

    def error(self) -> ApiError:
        return ApiError(
            "invalid-field",
            REFUSED,
            values={"n": len(self.items)},
            field="rows",
            extra={
                "problems": [{"line": line, "field": field, "message": message} for line, field, message in self.items]
            },
        )


def _window_days(program: ProgramEntry) -> tuple[dt.date, dt.date]:
    """The first and last days of the consultation, in the window's own time zone offset."""
    return program.window.opens.date(), (program.window.closes - dt.timedelta(microseconds=1)).date()


def check_import(
    data: dict,
    program: ProgramEntry,
    challenges: set[str],
    channels: tuple[str, ...],
    limits: dict[str, int],
) -> ImportRequest:
    """The import request, or a 422 listing every problem (`problems`: line, field, message); `channels` are the
    offline channels and `limits` the text and row limits (the catalog's vocabulary)."""
    comment_max_chars, name_max_chars, max_rows = limits["comment"], limits["display_name"], limits["import_rows"]
    fields = Fields(data, BODY_FIELDS)
    source = fields.text("source", required=True, max_chars=SOURCE_MAX_CHARS, label=N_("source"))
    digest = data.get("digest")
    if not isinstance(digest, str) or not DIGEST_RE.match(digest):
        raise ApiError(
            "invalid-field",
            N_("digest must be the file's SHA-256, as 64 lowercase hexadecimal digits."),
            field="digest",
        )
    rows = data.get("rows")
    if not isinstance(rows, list) or not 1 <= len(rows) <= max_rows:
        raise ApiError(
            "invalid-field",
            NP_("rows must be a list of 1 to {n} row.", "rows must be a list of 1 to {n} rows."),
            values={"n": max_rows},
            field="rows",
        )
    problems = _Problems()
    first, last = _window_days(program)
    seen: set[int] = set()
    checked: list[Row] = []
    for index, raw in enumerate(rows):
        row = _check_row(
            raw, index, program, challenges, channels, comment_max_chars, name_max_chars, first, last, seen, problems
        )
        if row is not None:
            checked.append(row)
    if problems.items:
        raise problems.error()
    return ImportRequest(source, digest, tuple(checked))


def _check_row(
    raw, index, program, challenges, channels, comment_max, name_max, first, last, seen, problems
) -> Row | None:
    if not isinstance(raw, dict):
        problems.add(None, "rows", N_("Row #{row} is not an object."), row=index + 1)
        return None
    line = raw.get("line")
    if isinstance(line, bool) or not isinstance(line, int) or not 1 <= line <= 10_000_000:
        problems.add(None, "line", N_("Row #{row} has no line number (a positive integer)."), row=index + 1)
        return None
    before = len(problems.items)
    if line in seen:
        problems.add(line, "line", N_("This line number appears twice."))
    seen.add(line)
    for name in sorted(set(raw) - ROW_FIELDS):
        problems.add(
            line,
            str(name)[:40],
            N_("Unknown column; accepted columns: {columns}."),
            columns=", ".join(sorted(ROW_FIELDS - {"line"})),
        )
    values = {name: _text(raw.get(name)) for name in ROW_FIELDS - {"line"}}
    for name, value in values.items():
        if value is _WRONG:
            problems.add(line, name, N_("Must be text."))
    channel, challenge, kind = values["channel"], values["challenge"], values["kind"]
    if channel is not _WRONG and channel not in channels:
        problems.add(line, "channel", N_("Must be one of: {channels}."), channels=", ".join(channels))
    if challenge is not _WRONG and challenge not in challenges:
        problems.add(
            line,
            "challenge",
            N_("'{challenge}' is not a challenge of the program {program}."),
            challenge=_clip(challenge),
            program=program.id,
        )
    if kind is not _WRONG and kind not in KINDS:
        problems.add(line, "kind", N_("Must be vote or comment."))
    text = _checked_text(line, "text", values["text"], comment_max, True, problems)
    name = _checked_text(line, "display_name", values["display_name"], name_max, False, problems)
    if kind == "comment" and values["text"] is not _WRONG and not text:
        problems.add(line, "text", N_("Required for a comment."))
    if kind == "vote" and values["text"] is not _WRONG and values["text"]:
        problems.add(line, "text", N_("Must be empty for a vote."))
    collected = values["collected_on"]
    if collected is not _WRONG:
        day = _date(collected)
        if day is None:
            problems.add(line, "collected_on", N_("Must be a date YYYY-MM-DD (example: 2017-05-12)."))
        elif not first <= day <= last:
            # The dates as the file writes them (ISO), so the staff see which values the column accepts.
            problems.add(
                line,
                "collected_on",
                N_("{day} is outside the consultation ({first} to {last})."),
                day=day.isoformat(),
                first=first.isoformat(),
                last=last.isoformat(),
            )
    if len(problems.items) != before:
        return None
    return Row(line, channel, challenge, kind, text if kind == "comment" else None, name, collected)


_WRONG = object()


def _text(value):
    if value is None:
        return ""
    if not isinstance(value, str):
        return _WRONG
    return value


def _checked_text(line, name, value, max_chars, multiline, problems) -> str | None:
    """The text as a citizen's would be stored (Fields.text: NFC, trimmed, no control characters), or None."""
    if value is _WRONG or not value or not value.strip():
        return None
    label = N_("The text") if name == "text" else N_("The display name")
    try:
        return Fields({name: value}, {name}).text(
            name, required=False, max_chars=max_chars, multiline=multiline, label=label
        )
    except ApiError as error:
        problems.add_detail(line, name, error.detail)
        return None


def _date(value: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _clip(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def imported_comment_id(import_id: str, line: int) -> str:
    """The same id on every attempt of one import: a retry writes the comment once."""
    digest = hashlib.sha256(f"import:{import_id}:{line}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:16]


def offline_vote_key(import_id: str, line: int) -> str:
    """An offline vote's key: the same on a retry of the import, so the vote is written once."""
    return f"{import_id}#{line:07d}"


def line_of_key(key: str) -> int:
    """The import line an offline vote's key carries (offline_vote_key)."""
    return int(key.rsplit("#", 1)[1])


def imported_author(import_id: str, line: int) -> str:
    """What an imported comment has for an author: its import and line, never a person."""
    return f"import:{import_id}:{line}"


def line_of_author(author: str) -> int:
    return int(author.rsplit(":", 1)[1])


def rows_of_csv(data: bytes, max_rows: int) -> list[dict]:
    """A workshop's CSV file (UTF-8, a header row) as the import's rows, each with its line number; a 422 listing
    what makes the file unreadable (encoding, quotes, cell counts). What the cells say is check_import's business,
    so a file uploaded in the console meets the same rules, and messages, as one sent by `datacity import`."""
    problems = _Problems()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # the byte order mark spreadsheets add
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(line, "", N_("The file is not UTF-8: save it as 'CSV UTF-8'."))
        raise problems.error() from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[dict] = []
    header: list[str] | None = None
    try:
        while True:
            start = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                continue
            if len(cells) != len(header):
                problems.add(
                    start,
                    "",
                    NP_(
                        "The row has {n} cell, the header {header}: "
                        'put text containing commas between double quotes ("...").',
                        "The row has {n} cells, the header {header}: "
                        'put text containing commas between double quotes ("...").',
                    ),
                    n=len(cells),
                    header=len(header),
                )
                continue
            rows.append({"line": start, **{name: cell.strip() for name, cell in zip(header, cells, strict=True)}})
            if len(rows) > max_rows:
                problems.add(
                    None,
                    "rows",
                    NP_("More than {n} row: split the file.", "More than {n} rows: split the file."),
                    n=max_rows,
                )
                break
    except csv.Error as exc:
        problems.add(
            reader.line_num, "", N_("The row cannot be read as CSV ({error}): check the quotes."), error=str(exc)
        )
    if header is None or (not rows and not problems.items):
        problems.add(1, "", N_("The file has no row to import (a header, then one row per vote or comment)."))
    if problems.items:
        raise problems.error()
    return rows
