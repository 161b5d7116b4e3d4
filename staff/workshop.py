"""Offline votes and comments (workshops, paper, phone): check a whole CSV file before anything is sent.

Every problem is reported as `FILE:line: column: problem; fix`; a file with any problem imports nothing.
The API checks again with the same rules (docs/staff.md, "Offline participation").
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import re
from dataclasses import dataclass

from site_builder.vocabulary import CHANNELS as ALL_CHANNELS
from site_builder.vocabulary import LIMITS

from .catalog import Catalog

COLUMNS = ("channel", "challenge", "kind", "text", "display_name", "collected_on")
CHANNELS = tuple(ALL_CHANNELS)[1:]  # every way but online
KINDS = ("vote", "comment")
MAX_ROWS = LIMITS["import_rows"]
TEXT_MAX_CHARS = LIMITS["comment"]
NAME_MAX_CHARS = LIMITS["display_name"]
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True)
class RowProblem:
    line: int
    column: str
    message: str
    fix: str = ""

    def format(self, file_name: str) -> str:
        head = f"{self.column}: " if self.column else ""
        tail = f"; {self.fix}" if self.fix else ""
        return f"{file_name}:{self.line}: {head}{self.message}{tail}"


@dataclass
class CheckedFile:
    rows: list[dict]
    problems: list[RowProblem]
    digest: str

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        votes = sum(1 for r in self.rows if r["kind"] == "vote")
        return {"rows": len(self.rows), "votes": votes, "comments": len(self.rows) - votes}


def _close(word: str, choices) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""


def check_file(data: bytes, program: str, catalog: Catalog) -> CheckedFile:
    """Check the raw bytes of a CSV file for `program`; returns the rows to send and every problem found."""
    digest = hashlib.sha256(data).hexdigest()
    problems: list[RowProblem] = []
    rows: list[dict] = []

    def fail(line: int, column: str, message: str, fix: str = "") -> None:
        problems.append(RowProblem(line, column, message, fix))

    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        fail(1, "", "the file is empty", f"export the sheet as CSV with the header row: {','.join(COLUMNS)}")
        return CheckedFile(rows, problems, digest)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        fail(
            line,
            "",
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as 'CSV UTF-8' (in LibreOffice: character set Unicode (UTF-8))",
        )
        return CheckedFile(rows, problems, digest)
    text = text.removeprefix("\ufeff")  # the byte order mark spreadsheets add

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        fail(1, "", f"the header row cannot be read ({exc})", f"write the header row: {','.join(COLUMNS)}")
        return CheckedFile(rows, problems, digest)
    header = [h.strip() for h in header]
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in COLUMNS and name not in index:
            index[name] = i
        elif name in index:
            fail(1, name, f"column '{name}' appears twice", "keep one column of that name")
        else:
            fail(
                1,
                name or f"column {i + 1}",
                f"unknown column '{name}'{_close(name, COLUMNS)}",
                f"remove it or rename it; the columns are: {','.join(COLUMNS)}",
            )
    for name in COLUMNS:
        if name not in index:
            fail(1, name, f"missing column '{name}'", f"add it to the header row: {','.join(COLUMNS)}")

    known = catalog.program_challenges(program)
    line, count = 1, 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            fail(reader.line_num, "", f"the row cannot be read as CSV ({exc})", "check the quotes on that line")
            break
        line = start
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        count += 1
        if len(cells) != len(header):
            fail(
                line,
                "",
                f"has {len(cells)} cells, the header has {len(header)}",
                'put text containing commas between double quotes ("...")',
            )
            continue
        row = {name: cells[i].strip() for name, i in index.items()}
        before = len(problems)
        _check_row(row, line, program, catalog, known, fail)
        if len(problems) == before and len(index) == len(COLUMNS):
            rows.append({"line": line, **{name: row[name] for name in COLUMNS}})
    if not rows and not problems:
        fail(line + 1, "", "the file has a header but no rows", "add one row per vote or comment")
    if count > MAX_ROWS:
        fail(1, "", f"the file has {count} rows, more than {MAX_ROWS}", f"split it into files of at most {MAX_ROWS}")
    problems.sort()
    return CheckedFile(rows, problems, digest)


def _check_row(row: dict, line: int, program: str, catalog: Catalog, known: dict, fail) -> None:
    for column, allowed in (("channel", CHANNELS), ("kind", KINDS)):
        value = row.get(column)
        if value is not None and value not in allowed:
            fail(
                line,
                column,
                f"unknown {column} '{value}'{_close(value, allowed)}" if value else "is empty",
                f"write one of: {', '.join(allowed)}",
            )
    kind = row.get("kind")
    challenge = row.get("challenge")
    if challenge is not None and challenge not in known:
        other = catalog.challenges.get(challenge, {}).get("program")
        if not challenge:
            fail(line, "challenge", "is empty", f"write the challenge id, e.g. {next(iter(known), 'air-quality')}")
        elif other:
            fail(line, "challenge", f"'{challenge}' belongs to program {other}, not {program}", "check the program")
        else:
            fail(
                line,
                "challenge",
                f"unknown challenge '{challenge}'{_close(challenge, known)}",
                "use the id of a published challenge of this program (the end of its page address)",
            )
    text = row.get("text")
    if text is not None and kind in KINDS:
        if kind == "comment" and not text:
            fail(line, "text", "a comment needs its text", "copy the comment, or write kind 'vote' for a vote")
        elif kind == "vote" and text:
            fail(line, "text", "a vote has no text", "leave text empty, or write kind 'comment' for a comment")
    if text and len(text) > TEXT_MAX_CHARS:
        fail(line, "text", f"is {len(text)} characters long, more than {TEXT_MAX_CHARS}", "shorten it")
    name = row.get("display_name")
    if name and len(name) > NAME_MAX_CHARS:
        fail(line, "display_name", f"is {len(name)} characters long, more than {NAME_MAX_CHARS}", "shorten it")
    when = row.get("collected_on")
    if when is not None:
        _check_date(when, line, program, catalog, fail)


def _check_date(when: str, line: int, program: str, catalog: Catalog, fail) -> None:
    day = None
    if DATE_RE.match(when):
        try:
            day = dt.date.fromisoformat(when)
        except ValueError:
            day = None
    if day is None:
        fail(line, "collected_on", f"'{when}' is not a date" if when else "is empty", "write the date as YYYY-MM-DD")
        return
    window = catalog.window(program)  # the program's window, as the API checks
    if window is not None and not window.contains_day(day):
        fail(
            line,
            "collected_on",
            f"{when} is outside the consultation window ({window.first_day} to {window.last_day})",
            "check the date; only participation collected during the consultation counts",
        )


def request_body(source: str, checked: CheckedFile) -> dict:
    """The body of POST /staff/programs/{program}/imports."""
    return {"source": source, "digest": checked.digest, "rows": checked.rows}
