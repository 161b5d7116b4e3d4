"""Open-data files from the results document and the vote log (docs/staff.md): CSV, and a Frictionless Data Package.

Pure functions over the API's JSON documents; the command writes the returned texts.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from babel import Locale, UnknownLocaleError

from site_builder.staff_text import S_, text
from site_builder.vocabulary import CHANNELS, FORMATS, OPEN_LICENCE

from .catalog import Catalog
from .client import StaffError

RESULTS_FORMAT = FORMATS["results"]
VOTE_LOG_FORMAT = FORMATS["vote_log"]
# Spreadsheets run a cell starting with one of these as a formula; residents' text must never be code.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_results(doc: object, program: str) -> dict:
    if not isinstance(doc, dict) or doc.get("format") != RESULTS_FORMAT:
        raise StaffError(text(S_("the API did not send a {format} document"), format=RESULTS_FORMAT))
    if doc.get("program") != program:
        raise StaffError(
            text(
                S_("the results are for program {found}, not {program}"),
                found=repr(doc.get("program")),
                program=repr(program),
            )
        )
    for key in ("channels", "challenges", "comments"):
        if not isinstance(doc.get(key), list):
            raise StaffError(text(S_("the results document has no '{key}' list"), key=key))
    return doc


def check_vote_log(doc: object, program: str) -> dict:
    if not isinstance(doc, dict) or doc.get("format") != VOTE_LOG_FORMAT:
        raise StaffError(text(S_("the API did not send a {format} document"), format=VOTE_LOG_FORMAT))
    if doc.get("program") != program:
        raise StaffError(
            text(
                S_("the vote log is for program {found}, not {program}"),
                found=repr(doc.get("program")),
                program=repr(program),
            )
        )
    if not isinstance(doc.get("challenges"), list):
        raise StaffError(text(S_("the vote log has no 'challenges' list")))
    return doc


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading formula character gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def results_columns(channels: list[str], languages: list[str]) -> list[tuple[str, str, str]]:
    """(name, Frictionless type, description) of results.csv: a title column per language the program publishes
    in (none without a catalog), a vote column per channel."""
    return [
        ("challenge", "string", "The challenge's id (its page is <site>/<program>/challenges/<id>/)."),
        *[
            (f"title_{lang}", "string", f"The challenge's title in {language_name(lang)} (from the site's catalog).")
            for lang in languages
        ],
        ("themes", "string", "The challenge's themes, ids separated by ';' (empty if the catalog does not list them)."),
        ("sdgs", "string", "UN Sustainable Development Goals (1 to 17), separated by ';' (empty if not listed)."),
        *[(f"votes_{c}", "integer", f"Votes collected through the '{c}' channel.") for c in channels],
        ("votes_total", "integer", "All votes for the challenge, every channel together."),
        ("comments", "integer", "Published comments on the challenge, every channel together."),
    ]


COMMENT_COLUMNS = [
    ("id", "string", "The comment's id."),
    ("challenge", "string", "The id of the challenge commented on."),
    ("created_at", "datetime", "When the comment was written or collected (ISO 8601 with its UTC offset)."),
    ("channel", "string", f"How it was collected: {', '.join(tuple(CHANNELS)[:-1])} or {tuple(CHANNELS)[-1]}."),
    (
        "text",
        "string",
        "The comment as published (no author name). A text starting with = + - or @ is prefixed with an "
        "apostrophe so that spreadsheets do not run it; results.json has it unchanged.",
    ),
]

VOTE_LOG_COLUMNS = [
    ("challenge", "string", "The id of the challenge voted for."),
    ("channel", "string", "How the vote was collected: online, workshop, paper or phone."),
    (
        "entry",
        "string",
        "sha256(bytes.fromhex(salt) + token) in hex: the salt of the challenge is in vote-log.json; a voter who kept "
        "their token finds their own entry; offline votes use 'import:<import id>:<line>' as token.",
    ),
]


def language_name(code: str) -> str:
    """The language's English name for the data package's descriptions ('ca' gives 'Catalan'), from CLDR."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def title_languages(doc: dict, catalog: Catalog | None) -> list[str]:
    """The languages of results.csv's title columns: the program's, as the catalog says; none without it."""
    return catalog.languages(doc["program"]) if catalog else []


def written_title_languages(path: Path) -> list[str]:
    """The title columns' languages of a results.csv already written (so its data package describes that file)."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f), [])
    except OSError:
        return []
    return [name.removeprefix("title_") for name in header if name.startswith("title_")]


def results_csv(doc: dict, catalog: Catalog | None) -> str:
    channels = list(doc["channels"])
    languages = title_languages(doc, catalog)
    rows = []
    for item in sorted(doc["challenges"], key=lambda c: c["id"]):
        cid = item["id"]
        votes = item.get("votes") or {}
        rows.append(
            [
                cid,
                *[safe_cell(catalog.title(cid, lang)) for lang in languages if catalog],
                ";".join(catalog.themes(cid)) if catalog else "",
                ";".join(str(n) for n in catalog.sdgs(cid)) if catalog else "",
                *[int(votes.get(c, 0)) for c in channels],
                int(item.get("votes_total", sum(int(v) for v in votes.values()))),
                int(item.get("comments", 0)),
            ]
        )
    return _csv([name for name, _, _ in results_columns(channels, languages)], rows)


def comments_csv(doc: dict) -> str:
    comments = sorted(doc["comments"], key=lambda c: (c.get("challenge", ""), c.get("created_at", ""), c.get("id", "")))
    rows = [[safe_cell(c.get(name)) for name, _, _ in COMMENT_COLUMNS] for c in comments]
    return _csv([name for name, _, _ in COMMENT_COLUMNS], rows)


def vote_log_rows(doc: dict) -> list[tuple[str, str, str]]:
    return sorted(
        (str(challenge["id"]), str(entry["channel"]), str(entry["entry"]))
        for challenge in doc["challenges"]
        for entry in challenge.get("entries", [])
    )


def vote_log_csv(doc: dict) -> str:
    return _csv([name for name, _, _ in VOTE_LOG_COLUMNS], [list(row) for row in vote_log_rows(doc)])


def _table(name: str, path: str, title: str, columns: list[tuple[str, str, str]], key: str | None) -> dict:
    fields = []
    for field_name, kind, description in columns:
        spec = {"name": field_name, "type": kind, "description": description}
        if kind == "datetime":
            spec["format"] = "any"
        if kind == "integer":
            spec["constraints"] = {"minimum": 0}
        fields.append(spec)
    schema: dict = {"fields": fields}
    if key:
        schema["primaryKey"] = key
    return {
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": schema,
    }


def datapackage(results: dict, has_vote_log: bool = False, languages: list[str] = ()) -> dict:
    """The Frictionless Data Package (v1) describing the files written next to it."""
    program = results["program"]
    final = results.get("final") is True
    resources = [
        _table(
            "results",
            "results.csv",
            "Votes and comments per challenge / Votes et commentaires par défi",
            results_columns(list(results["channels"]), list(languages)),
            "challenge",
        ),
        _table("comments", "comments.csv", "Published comments / Commentaires publiés", COMMENT_COLUMNS, "id"),
        {
            "name": "results-document",
            "path": "results.json",
            "title": f"The full results document ({RESULTS_FORMAT}), as produced by the API",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
        },
    ]
    if has_vote_log:
        resources += [
            _table(
                "vote-log",
                "vote-log.csv",
                "Vote log: one line per vote, to recompute the tallies / Journal des votes",
                VOTE_LOG_COLUMNS,
                None,
            ),
            {
                "name": "vote-log-document",
                "path": "vote-log.json",
                "title": f"The vote log with each challenge's salt ({VOTE_LOG_FORMAT})",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            },
        ]
    return {
        "profile": "tabular-data-package",
        "name": f"datacity-{program}-results",
        "title": f"DataCity {program}: {'final' if final else 'provisional'} results of the citizen consultation",
        "description": (
            "Votes and published comments of the consultation, per challenge and channel. No personal data: "
            "no names, no voter identifiers, no email addresses. Anyone can recompute the tallies from the vote log "
            "with scripts/verify_tally.py."
        ),
        "licenses": [dict(results.get("licence") or OPEN_LICENCE)],
        "created": results.get("generated_at"),
        "keywords": ["datacity", "consultation", "participation", program],
        "resources": resources,
    }


def json_text(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write every file (each atomically: a reader never sees half a file)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(folder / name)
    return written
