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
from dataclasses import dataclass, field

from site_builder.staff_text import S_, text
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
    # The {placeholders} of message and fix, filled in the staff's language when shown (as site_builder's Problem).
    values: tuple = field(default=(), compare=False)

    def format(self, file_name: str) -> str:
        values = dict(self.values)
        head = f"{self.column}: " if self.column else ""
        tail = f"; {text(self.fix, **values)}" if self.fix else ""
        return f"{file_name}:{self.line}: {head}{text(self.message, **values)}{tail}"


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
    return text(S_(' (did you mean "{word}"?)'), word=match[0]) if match else ""


def check_file(data: bytes, program: str, catalog: Catalog) -> CheckedFile:
    """Check the raw bytes of a CSV file for `program`; returns the rows to send and every problem found."""
    digest = hashlib.sha256(data).hexdigest()
    problems: list[RowProblem] = []
    rows: list[dict] = []

    def fail(line: int, column: str, message: str, fix: str = "", /, **values: object) -> None:
        problems.append(RowProblem(line, column, message, fix, tuple(values.items())))

    columns = ",".join(COLUMNS)

    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        fail(
            1,
            "",
            S_("the file is empty"),
            S_("export the sheet as CSV with the header row: {columns}"),
            columns=columns,
        )
        return CheckedFile(rows, problems, digest)
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        fail(
            line,
            "",
            S_("invalid UTF-8 (byte 0x{byte})"),
            S_("save the file as 'CSV UTF-8' (in LibreOffice: character set Unicode (UTF-8))"),
            byte=f"{data[exc.start]:02x}",
        )
        return CheckedFile(rows, problems, digest)
    decoded = decoded.removeprefix("\ufeff")  # the byte order mark spreadsheets add

    reader = csv.reader(io.StringIO(decoded, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        fail(
            1,
            "",
            S_("the header row cannot be read ({error})"),
            S_("write the header row: {columns}"),
            error=exc,
            columns=columns,
        )
        return CheckedFile(rows, problems, digest)
    header = [h.strip() for h in header]
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in COLUMNS and name not in index:
            index[name] = i
        elif name in index:
            fail(1, name, S_("column '{name}' appears twice"), S_("keep one column of that name"), name=name)
        else:
            fail(
                1,
                name or text(S_("column {number}"), number=i + 1),
                S_("unknown column '{name}'{hint}"),
                S_("remove it or rename it; the columns are: {columns}"),
                name=name,
                hint=_close(name, COLUMNS),
                columns=columns,
            )
    for name in COLUMNS:
        if name not in index:
            fail(
                1,
                name,
                S_("missing column '{name}'"),
                S_("add it to the header row: {columns}"),
                name=name,
                columns=columns,
            )

    known = catalog.program_challenges(program)
    line, count = 1, 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            fail(
                reader.line_num,
                "",
                S_("the row cannot be read as CSV ({error})"),
                S_("check the quotes on that line"),
                error=exc,
            )
            break
        line = start
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        count += 1
        if len(cells) != len(header):
            fail(
                line,
                "",
                S_("the row has a different number of cells ({count}) than the header ({header})"),
                S_('put text containing commas between double quotes ("...")'),
                count=len(cells),
                header=len(header),
            )
            continue
        row = {name: cells[i].strip() for name, i in index.items()}
        before = len(problems)
        _check_row(row, line, program, catalog, known, fail)
        if len(problems) == before and len(index) == len(COLUMNS):
            rows.append({"line": line, **{name: row[name] for name in COLUMNS}})
    if not rows and not problems:
        fail(line + 1, "", S_("the file has a header but no rows"), S_("add one row per vote or comment"))
    if count > MAX_ROWS:
        fail(
            1,
            "",
            S_("the file has {count} rows, more than {limit}"),
            S_("split it into files of at most {limit}"),
            count=count,
            limit=MAX_ROWS,
        )
    problems.sort()
    return CheckedFile(rows, problems, digest)


def _check_row(row: dict, line: int, program: str, catalog: Catalog, known: dict, fail) -> None:
    for column, allowed in (("channel", CHANNELS), ("kind", KINDS)):
        value = row.get(column)
        if value is not None and value not in allowed:
            fail(
                line,
                column,
                S_("unknown {column} '{value}'{hint}") if value else S_("is empty"),
                S_("write one of: {allowed}"),
                column=column,
                value=value,
                hint=_close(value, allowed),
                allowed=", ".join(allowed),
            )
    kind = row.get("kind")
    challenge = row.get("challenge")
    if challenge is not None and challenge not in known:
        other = catalog.challenges.get(challenge, {}).get("program")
        if not challenge:
            fail(
                line,
                "challenge",
                S_("is empty"),
                S_("write the challenge id, e.g. {example}"),
                example=next(iter(known), "air-quality"),
            )
        elif other:
            fail(
                line,
                "challenge",
                S_("'{challenge}' belongs to program {other}, not {program}"),
                S_("check the program"),
                challenge=challenge,
                other=other,
                program=program,
            )
        else:
            fail(
                line,
                "challenge",
                S_("unknown challenge '{challenge}'{hint}"),
                S_("use the id of a published challenge of this program (the end of its page address)"),
                challenge=challenge,
                hint=_close(challenge, known),
            )
    said = row.get("text")
    if said is not None and kind in KINDS:
        if kind == "comment" and not said:
            fail(line, "text", S_("a comment needs its text"), S_("copy the comment, or write kind 'vote' for a vote"))
        elif kind == "vote" and said:
            fail(line, "text", S_("a vote has no text"), S_("leave text empty, or write kind 'comment' for a comment"))
    too_long = S_("is {length} characters long, more than {limit}")
    if said and len(said) > TEXT_MAX_CHARS:
        fail(line, "text", too_long, S_("shorten it"), length=len(said), limit=TEXT_MAX_CHARS)
    name = row.get("display_name")
    if name and len(name) > NAME_MAX_CHARS:
        fail(line, "display_name", too_long, S_("shorten it"), length=len(name), limit=NAME_MAX_CHARS)
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
        fail(
            line,
            "collected_on",
            S_("'{when}' is not a date") if when else S_("is empty"),
            S_("write the date as YYYY-MM-DD"),
            when=when,
        )
        return
    window = catalog.window(program)  # the program's window, as the API checks
    if window is not None and not window.contains_day(day):
        fail(
            line,
            "collected_on",
            S_("{when} is outside the consultation window ({first} to {last})"),
            S_("check the date; only participation collected during the consultation counts"),
            when=when,
            first=window.first_day,
            last=window.last_day,
        )


def request_body(source: str, checked: CheckedFile) -> dict:
    """The body of POST /staff/programs/{program}/imports."""
    return {"source": source, "digest": checked.digest, "rows": checked.rows}
