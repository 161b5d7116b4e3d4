"""Exported consultation results (`results/<program>/results.json`, format `datacity-results/1`): read and check.

The file is written by `datacity results export` (docs/staff.md, "Results document"). The site build publishes
it as the program's results page, so a file that does not match the published challenges, or whose figures do
not add up, is a problem like any content error: `datacity validate` and the build refuse it, naming the file,
the line and the field. No results file simply means no results page.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from dataclasses import dataclass
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from .model import Site
from .problems import Problem, did_you_mean
from .schema import type_name
from .sources import dotted
from .staff_text import S_, SP_, listed
from .vocabulary import CHANNELS as CHANNEL_LABELS
from .vocabulary import FORMATS, OPEN_LICENCE, RECORD_CATEGORIES, VERIFICATION_METHODS

# How a verification ended (the API's verification/rules.py OUTCOMES, in its results export).
VERIFICATION_OUTCOMES = ("requested", "completed", "refused")

FORMAT = FORMATS["results"]
RESULTS_FOLDER = "results"
RESULTS_FILE = "results.json"
CHANNELS: tuple[str, ...] = tuple(CHANNEL_LABELS)
# Moderation reason categories, as the staff API records them (docs/staff.md): staff reasons, hidden by reports.
REASONS: tuple[str, ...] = tuple(RECORD_CATEGORIES)
PROPOSAL_COUNTS: tuple[str, ...] = ("received", "approved", "rejected", "pending")
# Open licences the issue allows for the exports (Frictionless / SPDX-style names).
LICENCES: tuple[str, ...] = (OPEN_LICENCE["name"], "ODbL-1.0")
ETALAB = OPEN_LICENCE
# The message for an unknown key of an object of counts ({key}: the key, {hint}: a close match).
UNKNOWN_REASON = S_("unknown reason '{key}'{hint}")
UNKNOWN_METHOD = S_("unknown verification method '{key}'{hint}")
UNKNOWN_OUTCOME = S_("unknown outcome '{key}'{hint}")
# Files of the export offered for download when they sit next to results.json, in this order.
DOWNLOADS: tuple[str, ...] = (
    "results.json",
    "results.csv",
    "comments.csv",
    "datapackage.json",
    "vote-log.csv",
    "vote-log.json",
)


@dataclass(frozen=True)
class Licence:
    name: str
    title: str
    path: str


@dataclass(frozen=True)
class ChallengeTally:
    id: str
    votes: dict[str, int]  # channel -> count, one key per channel of the file
    total: int
    comments: int


@dataclass(frozen=True)
class Moderation:
    published: int
    pending: int
    hidden: dict[str, int]  # reason category -> count
    rejected: dict[str, int]


@dataclass(frozen=True)
class Results:
    program: str
    generated_at: dt.datetime
    final: bool
    licence: Licence
    channels: tuple[str, ...]
    challenges: tuple[ChallengeTally, ...]  # as in the file (sorted by id)
    moderation: Moderation
    proposals: dict[str, int] | None
    folder: Path
    files: tuple[str, ...]  # the DOWNLOADS present in `folder`
    # A verified program's (program.yml participation): votes by verification method, and by method the
    # verifications asked, completed and refused; None for an anonymous program.
    verification: dict | None = None

    def votes(self, channel: str | None = None) -> int:
        if channel is None:
            return sum(c.total for c in self.challenges)
        return sum(c.votes[channel] for c in self.challenges)

    @property
    def comments(self) -> int:
        return sum(c.comments for c in self.challenges)


def load_all(root: Path, site: Site) -> tuple[dict[str, Results], list[Problem]]:
    """Every `root/<program>/results.json`, checked against the site's published challenges."""
    found: dict[str, Results] = {}
    problems: list[Problem] = []
    if not root.is_dir():
        return found, problems
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        path = folder / RESULTS_FILE
        if not path.is_file():
            continue
        if folder.name not in site.programs:
            problems.append(
                Problem(
                    path,
                    1,
                    "",
                    S_("there is no program '{program}'{hint}"),
                    S_("put the file in {folder}/<program>/ for a program of challenges/"),
                    (
                        ("program", folder.name),
                        ("hint", did_you_mean(folder.name, site.programs)),
                        ("folder", RESULTS_FOLDER),
                    ),
                )
            )
            continue
        results, found_problems = load_results(path, site)
        problems.extend(found_problems)
        if results is not None:
            found[folder.name] = results
    return found, problems


def load_results(path: Path, site: Site) -> tuple[Results | None, list[Problem]]:
    """Read and check one results file; the program is the name of its folder."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [
            Problem(path, 1, "", S_("the file is not UTF-8 text"), S_("export it again with datacity results export"))
        ]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                path,
                exc.lineno,
                "",
                S_("JSON syntax error: {error} (column {column})"),
                S_("check the commas, quotes and brackets near that line, or export the file again"),
                (("error", exc.msg), ("column", exc.colno)),
            )
        ]
    check = _Check(path, text)
    results = check.document(data, path.parent.name, site)
    return (results if not check.problems else None), check.problems


class _Check:
    """Collects the problems of one file; finds the line of a field only when there is something to report."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.problems: list[Problem] = []
        self._lines: dict[tuple, int] | None = None

    def report(self, where: tuple, message: str | tuple[str, str], fix: str, /, **values: object) -> None:
        """`message` and `fix` marked S_, their {placeholders} in `values` (filled when shown, in the staff's language)."""
        self.problems.append(Problem(self.path, self.line(where), dotted(where), message, fix, tuple(values.items())))

    def line(self, where: tuple) -> int:
        if self._lines is None:
            self._lines = json_lines(self.text)
        while where and where not in self._lines:
            where = where[:-1]
        return self._lines.get(where, 1)

    # Field checks: each returns the value when it is valid, else None (and reports why).

    def record(self, value: Any, where: tuple, example: str) -> dict | None:
        if isinstance(value, dict):
            return value
        if value is None:
            self.report(where, S_("this field is missing"), S_("add it, e.g. {example}"), example=example)
        else:
            self.report(
                where,
                S_("expected an object, not {type}"),
                S_("write it as {example}"),
                type=type_name(value),
                example=example,
            )
        return None

    def count(self, value: Any, where: tuple) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if value is None:
            self.report(where, S_("this count is missing"), S_("add it as a whole number (0 if there is none)"))
        elif isinstance(value, int) and not isinstance(value, bool):
            self.report(where, S_("{value} is negative"), S_("a count is a whole number of 0 or more"), value=value)
        else:
            self.report(
                where,
                S_("{value} is not a count"),
                S_("write a whole number of 0 or more, without quotes"),
                value=_shown(value),
            )
        return None

    def counts_by(self, value: Any, where: tuple, allowed: tuple[str, ...], what: str) -> dict[str, int] | None:
        # `what`: the S_ message for an unknown key ({key}, {hint}), e.g. UNKNOWN_REASON.
        """An object of counts whose keys come from `allowed` (reasons of moderation)."""
        data = self.record(value, where, "{" + f'"{allowed[0]}": 2' + "}")
        if data is None:
            return None
        out, ok = {}, True
        for key, n in data.items():
            if key not in allowed:
                self.report(
                    where + (key,),
                    what,
                    S_("use one of {allowed}"),
                    key=key,
                    hint=did_you_mean(key, allowed),
                    allowed=listed(allowed, "or"),
                )
                ok = False
                continue
            counted = self.count(n, where + (key,))
            ok = ok and counted is not None
            out[key] = counted
        return out if ok else None

    def document(self, data: Any, program_id: str, site: Site) -> Results | None:
        if not isinstance(data, dict):
            self.report(
                (),
                S_("expected a JSON object, not {type}"),
                S_("export the file again ({format})"),
                type=type_name(data),
                format=FORMAT,
            )
            return None
        if data.get("format") != FORMAT:
            found = data.get("format")
            self.report(
                ("format",),
                S_("the format is missing") if found is None else S_("unsupported format {found}"),
                S_('this site reads "format": "{format}"; export the file again with datacity results export'),
                found=_shown(found),
                format=FORMAT,
            )
            return None
        if data.get("program") != program_id:
            found = data.get("program")
            self.report(
                ("program",),
                S_("the program is missing")
                if found is None
                else S_("the file is for {found} but is in the folder of '{program}'"),
                S_('set "program": "{program}", or move the file to {folder}/{raw}/'),
                found=_shown(found),
                program=program_id,
                folder=RESULTS_FOLDER,
                raw=found,
            )
        program = site.programs[program_id]
        licence = self.licence(data.get("licence"))
        generated_at = self.instant(data.get("generated_at"), ("generated_at",))
        final = data.get("final")
        if not isinstance(final, bool):
            self.report(
                ("final",),
                S_("this field is missing") if final is None else S_("expected true or false, not {found}"),
                S_("true once the consultation is closed, false for provisional results"),
                found=_shown(final),
            )
        elif not final and program.tallies == "after-close":
            self.report(
                ("final",),
                S_("provisional results, but {program} shows vote counts only once the consultation has closed"),
                S_("publish the results after the close (final: true), or set tallies: live in program.yml"),
                program=program_id,
            )
        channels = self.channels(data.get("channels"))
        tallies = self.challenges(data.get("challenges"), channels, program_id, site)
        moderation = self.moderation(data.get("moderation"))
        proposals = None
        if data.get("proposals") is not None:
            raw = self.record(data["proposals"], ("proposals",), '{"received": 12, "approved": 3}')
            if raw is not None:
                proposals = {}
                for key in PROPOSAL_COUNTS:
                    if key in raw:
                        proposals[key] = self.count(raw[key], ("proposals", key))
                for key in raw:
                    if key not in PROPOSAL_COUNTS:
                        self.report(
                            ("proposals", key),
                            S_("unknown proposal count '{key}'{hint}"),
                            S_("use {allowed}"),
                            key=key,
                            hint=did_you_mean(key, PROPOSAL_COUNTS),
                            allowed=listed(PROPOSAL_COUNTS, "or"),
                        )
        verification = None
        if data.get("verification") is not None:
            verification = self.verification(data["verification"])
        if "comments" in data and not isinstance(data["comments"], list):
            self.report(
                ("comments",),
                S_("expected a list, not {type}"),
                S_("export the file again"),
                type=type_name(data["comments"]),
            )
        if self.problems:
            return None
        folder = self.path.parent
        return Results(
            program=program_id,
            generated_at=generated_at,
            final=final,
            licence=licence,
            channels=channels,
            challenges=tallies,
            moderation=moderation,
            proposals=proposals,
            folder=folder,
            files=tuple(name for name in DOWNLOADS if (folder / name).is_file()),
            verification=verification,
        )

    def verification(self, value: Any) -> dict | None:
        """{"votes": {method: n}, "verifications": {method: {requested, completed, refused}}}, methods of
        VERIFICATION_METHODS (what the API's results export writes for a verified program)."""
        where = ("verification",)
        data = self.record(value, where, '{"votes": {"email": 12}, "verifications": {"email": {"requested": 20}}}')
        if data is None:
            return None
        votes = self.counts_by(data.get("votes", {}), where + ("votes",), VERIFICATION_METHODS, UNKNOWN_METHOD)
        raw = self.record(data.get("verifications", {}), where + ("verifications",), '{"email": {"requested": 20}}')
        outcomes: dict[str, dict[str, int]] = {}
        for method, counts in (raw or {}).items():
            if method not in VERIFICATION_METHODS:
                self.report(
                    where + ("verifications", method),
                    UNKNOWN_METHOD,
                    S_("use one of {allowed}"),
                    key=method,
                    hint=did_you_mean(method, VERIFICATION_METHODS),
                    allowed=listed(VERIFICATION_METHODS, "or"),
                )
                continue
            found = self.counts_by(counts, where + ("verifications", method), VERIFICATION_OUTCOMES, UNKNOWN_OUTCOME)
            if found is not None:
                outcomes[method] = {o: found.get(o, 0) for o in VERIFICATION_OUTCOMES}
        if votes is None or raw is None:
            return None
        return {"votes": votes, "verifications": outcomes}

    def licence(self, value: Any) -> Licence | None:
        example = json.dumps(ETALAB, ensure_ascii=False)
        if value is None:
            self.report(("licence",), S_("the licence is missing"), S_('add "licence": {example}'), example=example)
            return None
        data = self.record(value, ("licence",), example)
        if data is None:
            return None
        name = data.get("name")
        if name not in LICENCES:
            self.report(
                ("licence", "name"),
                S_("the licence name is missing") if name is None else S_("unknown licence {found}"),
                S_("use an open licence: {licences} (Licence Ouverte 2.0 or ODbL)"),
                found=_shown(name),
                licences=listed(LICENCES, "or"),
            )
            return None
        for key in ("title", "path"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                self.report(
                    ("licence", key),
                    S_("the licence {key} is missing"),
                    S_('add it, e.g. "{key}": "{example}"'),
                    key=key,
                    example=ETALAB[key],
                )
                return None
        if not data["path"].startswith(("https://", "http://")):
            self.report(
                ("licence", "path"),
                S_("{found} is not a web address"),
                S_('give the licence\'s page, e.g. "path": "{example}"'),
                found=_shown(data["path"]),
                example=ETALAB["path"],
            )
            return None
        return Licence(name, data["title"], data["path"])

    def instant(self, value: Any, where: tuple) -> dt.datetime | None:
        when = None
        if isinstance(value, str):
            try:
                when = dt.datetime.fromisoformat(value)
            except ValueError:
                when = None
        if when is None or when.tzinfo is None:
            self.report(
                where,
                S_("this field is missing") if value is None else S_("{found} is not a date and time with its offset"),
                S_("write it in ISO 8601, e.g. 2017-07-01T08:00:00+00:00"),
                found=_shown(value),
            )
            return None
        return when

    def channels(self, value: Any) -> tuple[str, ...] | None:
        where = ("channels",)
        if not isinstance(value, list) or not value:
            self.report(
                where,
                S_("this field is missing") if value is None else S_("expected a list of channels, not {found}"),
                S_('write e.g. "channels": ["online", "workshop"] (from {channels})'),
                found=_shown(value),
                channels=listed(CHANNELS, "or"),
            )
            return None
        ok = True
        for i, channel in enumerate(value):
            if channel not in CHANNELS:
                self.report(
                    where + (i,),
                    S_("unknown channel {found}{hint}"),
                    S_("use one of {allowed}"),
                    found=_shown(channel),
                    hint=did_you_mean(channel, CHANNELS),
                    allowed=listed(CHANNELS, "or"),
                )
                ok = False
            elif channel in value[:i]:
                self.report(
                    where + (i,),
                    S_("the channel '{channel}' is listed twice"),
                    S_("list each channel once"),
                    channel=channel,
                )
                ok = False
        if ok and value[0] != "online":
            self.report(where + (0,), S_("the first channel must be 'online'"), S_('start the list with "online"'))
            ok = False
        return tuple(value) if ok else None

    def challenges(
        self, value: Any, channels: tuple[str, ...] | None, program_id: str, site: Site
    ) -> tuple[ChallengeTally, ...] | None:
        where = ("challenges",)
        if not isinstance(value, list):
            self.report(
                where,
                S_("this field is missing") if value is None else S_("expected a list, not {type}"),
                S_("export the file again: it lists every published challenge of the program"),
                type=type_name(value),
            )
            return None
        published = {c.id for c in site.published(program_id)}
        tallies, seen, ok = [], set(), True
        for i, item in enumerate(value):
            tally = self.challenge(item, where + (i,), channels, program_id, published, seen)
            ok = ok and tally is not None
            if tally is not None:
                tallies.append(tally)
        missing = sorted(published - seen)
        if missing:
            self.report(
                where,
                SP_(
                    "missing published challenge of {program}: {missing}",
                    "missing published challenges of {program}: {missing}",
                ),
                S_("export the results again: every published challenge has an entry, with 0 votes if it has none"),
                program=program_id,
                n=len(missing),
                missing=listed(missing),
            )
            ok = False
        return tuple(tallies) if ok else None

    def challenge(self, item, where, channels, program_id, published, seen) -> ChallengeTally | None:
        data = self.record(item, where, '{"id": "...", "votes": {"online": 0}, "votes_total": 0, "comments": 0}')
        if data is None:
            return None
        cid = data.get("id")
        if not isinstance(cid, str):
            self.report(where + ("id",), S_("the challenge id is missing"), S_("add the id of a published challenge"))
            return None
        if cid in seen:
            self.report(
                where + ("id",), S_("the challenge '{id}' is listed twice"), S_("keep one entry per challenge"), id=cid
            )
            return None
        if cid not in published:
            self.report(
                where + ("id",),
                S_("'{id}' is not a published challenge of {program}{hint}"),
                S_("use the id of a published challenge in challenges/{program}/, or remove the entry"),
                id=cid,
                program=program_id,
                hint=did_you_mean(cid, published),
            )
            return None
        seen.add(cid)
        comments = self.count(data.get("comments"), where + ("comments",))
        votes = self.record(data.get("votes"), where + ("votes",), '{"online": 120, "workshop": 14}')
        if votes is None or channels is None:
            return None
        counts, ok = {}, True
        for channel, n in votes.items():
            if channel not in channels:
                self.report(
                    where + ("votes", channel),
                    S_("'{channel}' is not one of the file's channels ({listed})"),
                    S_('add it to "channels" if it is one of {channels}, or remove this count'),
                    channel=channel,
                    listed=listed(channels),
                    channels=listed(CHANNELS, "or"),
                )
                ok = False
                continue
            counts[channel] = self.count(n, where + ("votes", channel))
            ok = ok and counts[channel] is not None
        for channel in channels:
            if channel not in votes:
                self.report(
                    where + ("votes",),
                    S_("no count for the channel '{channel}'"),
                    S_('add "{channel}": 0 if nobody voted through it'),
                    channel=channel,
                )
                ok = False
        total = self.count(data.get("votes_total"), where + ("votes_total",))
        if not ok or total is None or comments is None:
            return None
        if total != sum(counts.values()):
            self.report(
                where + ("votes_total",),
                S_("{total} is not the sum of the votes by channel ({sum})"),
                S_("correct votes_total or the counts, or export the file again"),
                total=total,
                sum=sum(counts.values()),
            )
            return None
        return ChallengeTally(cid, {ch: counts[ch] for ch in channels}, total, comments)

    def moderation(self, value: Any) -> Moderation | None:
        where = ("moderation",)
        data = self.record(value, where, '{"published": 40, "pending": 0, "hidden": {}, "rejected": {}}')
        if data is None:
            return None
        published = self.count(data.get("published"), where + ("published",))
        pending = self.count(data.get("pending", 0), where + ("pending",))
        hidden = self.counts_by(data.get("hidden", {}), where + ("hidden",), REASONS, UNKNOWN_REASON)
        rejected = self.counts_by(data.get("rejected", {}), where + ("rejected",), REASONS, UNKNOWN_REASON)
        if None in (published, pending, hidden, rejected):
            return None
        return Moderation(published, pending, hidden, rejected)


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:60]


_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def json_lines(text: str) -> dict[tuple, int]:
    """The 1-based line where each value of a valid JSON text starts, by path (keys and list indexes)."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    lines: dict[tuple, int] = {}

    def skip(i: int) -> int:
        return _WS.match(text, i).end()

    def value(i: int, where: tuple) -> int:
        i = skip(i)
        lines[where] = bisect.bisect_right(newlines, i - 1) + 1
        opening = text[i]
        if opening not in "{[":
            return _DECODER.raw_decode(text, i)[1]
        closing = "}" if opening == "{" else "]"
        i, n = skip(i + 1), 0
        if text[i] == closing:
            return i + 1
        while True:
            if opening == "{":
                key, i = scanstring(text, skip(i) + 1)
                i = value(skip(i) + 1, where + (key,))  # past the ':'
            else:
                i = value(i, where + (n,))
                n += 1
            i = skip(i)
            if text[i] == closing:
                return i + 1
            i += 1  # past the ','

    value(0, ())
    return lines
