"""The published catalog (written by the site build): which challenges exist, when people may take part, and the
vocabulary the pages and the API must agree on (report reasons, channels, text limits, formats, licence).

The catalog is the contract between the build and the API: the API never imports the build, it reads this file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ApiError
from .inputs import check_slug
from .messages import N_


@dataclass(frozen=True)
class Window:
    opens: dt.datetime
    closes: dt.datetime  # exclusive

    @classmethod
    def parse(cls, data: dict) -> Window:
        return cls(dt.datetime.fromisoformat(data["opens"]), dt.datetime.fromisoformat(data["closes"]))

    def to_json(self) -> dict:
        return {"opens": self.opens.isoformat(), "closes": self.closes.isoformat()}


@dataclass(frozen=True)
class ProgramEntry:
    id: str
    title: dict
    window: Window
    moderation: str  # pre | post
    tallies: str  # live | after-close
    urls: dict
    propose_urls: dict
    # ("anonymous",), or the verification methods a resident may use before voting ("email", "oidc").
    participation: tuple[str, ...] = ("anonymous",)
    # program.yml's `oidc:` (site_builder validates it): {"issuer": ..., "client_id": ...}; empty: not offered.
    oidc: dict = field(default_factory=dict)
    languages: tuple[str, ...] = ()  # as published, in the program's order (program.yml)

    @property
    def verified(self) -> bool:
        """Whether a vote needs a verified session (verification/): one vote per verified resident."""
        return self.participation != ("anonymous",)


@dataclass(frozen=True)
class ChallengeEntry:
    id: str
    program: str
    status: str
    title: dict
    window: Window
    urls: dict


@dataclass(frozen=True)
class Vocabulary:
    """What the pages and the API must agree on; defined once in site_builder/vocabulary.py."""

    themes: dict[str, dict[str, str]]
    languages: tuple[str, ...]
    report_reasons: dict[str, dict[str, str]]
    moderation_reasons: dict[str, dict[str, str]]
    # The one record category of a comment hidden by residents' reports (its key), with its label.
    hidden_by_reports: str
    hidden_by_reports_label: dict[str, str]
    channels: dict[str, dict[str, str]]
    limits: dict[str, int]
    outcomes: tuple[str, ...]
    queues: tuple[str, ...]
    formats: dict[str, str]
    licence: dict[str, str]

    @classmethod
    def parse(cls, data: dict) -> Vocabulary:
        hidden = data["hidden_by_reports"]
        (key, label), *_ = hidden.items()
        return cls(
            themes=data.get("themes", {}),
            languages=tuple(data["languages"]),
            report_reasons=data["report_reasons"],
            moderation_reasons=data["moderation_reasons"],
            hidden_by_reports=key,
            hidden_by_reports_label=label,
            channels=data["channels"],
            limits=data["limits"],
            outcomes=tuple(data["outcomes"]),
            queues=tuple(data["queues"]),
            formats=data["formats"],
            licence=data["licence"],
        )

    @property
    def offline_channels(self) -> tuple[str, ...]:
        """Every channel but the first (online): the ways staff import."""
        return tuple(self.channels)[1:]

    def record_label(self, category: str, lang: str) -> str:
        """The moderation record's label of a reason category (a staff reason, or hidden by reports)."""
        if category == self.hidden_by_reports:
            return self.hidden_by_reports_label[lang]
        return self.moderation_reasons[category][lang]


_ASSET_RE = re.compile(r"^assets/(stylesheets|javascripts)/console\.[0-9a-f]{12}\.(css|js)$")


class Catalog:
    def __init__(self, data: dict):
        # The staff console's versioned stylesheet and script (site_builder/catalog.py console_assets), if built.
        self.console_assets = {
            kind: path
            for kind, path in (data.get("console") or {}).items()
            if kind in ("stylesheet", "script") and isinstance(path, str) and _ASSET_RE.match(path)
        }
        self.programs = {
            p["id"]: ProgramEntry(
                p["id"],
                p["title"],
                Window.parse(p["window"]),
                p["moderation"],
                p["tallies"],
                p.get("urls", {}),
                p.get("propose_urls", {}),
                tuple(p.get("participation", ("anonymous",))),
                p.get("oidc") or {},
                languages=tuple(p.get("languages") or p["title"]),
            )
            for p in data["programs"]
        }
        self.challenges = {
            c["id"]: ChallengeEntry(
                c["id"], c["program"], c["status"], c["title"], Window.parse(c["window"]), c.get("urls", {})
            )
            for c in data["challenges"]
        }
        self.vocabulary = Vocabulary.parse(data["vocabulary"])
        # Site pages the API's pages link to, by name then language (a catalog written before them has none).
        self.pages: dict[str, dict[str, str]] = data.get("pages", {})
        self.themes = self.vocabulary.themes
        # A program's challenges by id, once per catalog (a program page's tallies are on a resident's path).
        self._by_program: dict[str, list[ChallengeEntry]] = {}
        for entry in sorted(self.challenges.values(), key=lambda c: c.id):
            self._by_program.setdefault(entry.program, []).append(entry)

    def challenge(self, challenge_id: str) -> ChallengeEntry | None:
        return self.challenges.get(challenge_id)

    def program(self, program_id: str) -> ProgramEntry | None:
        return self.programs.get(program_id)

    def require_challenge(self, challenge_id: str) -> tuple[ChallengeEntry, ProgramEntry]:
        """The published challenge and its program; 400 for an id that cannot be one, 404 for an unknown one."""
        check_slug(challenge_id, N_("challenge"))
        challenge = self.challenges.get(challenge_id)
        if challenge is None:
            raise ApiError(
                "not-found",
                N_("This challenge does not exist or is not published."),
            )
        return challenge, self.programs[challenge.program]

    def require_program(self, program_id: str) -> ProgramEntry:
        check_slug(program_id, N_("program"))
        program = self.programs.get(program_id)
        if program is None:
            raise ApiError("not-found", N_("This program does not exist."))
        return program

    def challenges_of(self, program_id: str) -> list[ChallengeEntry]:
        """The program's published challenges, by id (indexed when the catalog is read)."""
        return list(self._by_program.get(program_id, ()))


class CatalogFile:
    """Reads the catalog file again whenever it changes, so a rebuild changes what the API accepts."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._catalog: Catalog | None = None

    def get(self) -> Catalog:
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._catalog = Catalog(json.loads(self.path.read_text(encoding="utf-8")))
                self._stamp = stamp
            return self._catalog
