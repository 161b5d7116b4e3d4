"""The validated content: programs, challenges, glossary and pages. Pure data, no I/O."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Localized = dict[str, str]


@dataclass(frozen=True)
class Window:
    """A consultation window; `closes` is exclusive (a closing date means the end of that day)."""

    opens: dt.datetime
    closes: dt.datetime
    timezone: str

    @classmethod
    def from_fields(cls, opens: dt.date, closes: dt.date, timezone: str) -> Window:
        tz = zoneinfo.ZoneInfo(timezone)
        return cls(_instant(opens, tz, end_of_day=False), _instant(closes, tz, end_of_day=True), timezone)

    def state(self, now: dt.datetime) -> str:
        """'upcoming', 'open' or 'closed' at `now` (an aware datetime)."""
        if now < self.opens:
            return "upcoming"
        if now < self.closes:
            return "open"
        return "closed"

    @property
    def last_moment(self) -> dt.datetime:
        """The last instant inside the window, for display ('until 6 November')."""
        return self.closes - dt.timedelta(seconds=1)

    @property
    def first_day(self) -> dt.date:
        """The first local day of the window (the instants carry the city's offset)."""
        return self.opens.date()

    @property
    def last_day(self) -> dt.date:
        return (self.closes - dt.timedelta(microseconds=1)).date()

    def contains_day(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


def _instant(value: dt.date, tz: zoneinfo.ZoneInfo, end_of_day: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=tz)
    day = value + dt.timedelta(days=1) if end_of_day else value
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)


@dataclass(frozen=True)
class Partner:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Image:
    source: Path
    alt: Localized
    size: tuple[int, int]  # intrinsic (width, height) in CSS pixels, declared in the page

    @property
    def file_name(self) -> str:
        return self.source.name


@dataclass(frozen=True)
class Link:
    kind: str  # url | challenge | page
    target: str
    title: Localized | None = None


@dataclass(frozen=True)
class Origin:
    """Where a challenge comes from, when not from staff: a resident's proposal, accepted by moderators."""

    kind: str  # resident-proposal
    proposal: str
    proposed_on: dt.date


@dataclass
class Program:
    id: str
    city: Localized
    season: int
    title: Localized
    description: Localized
    languages: list[str]
    window: Window
    moderation: str
    tallies: str
    partners: list[Partner]
    path: Path
    # contact.email and contact.privacy of program.yml (empty when the file has none: the site's serve).
    contact: dict[str, str] = field(default_factory=dict)
    # ("anonymous",) or the verification methods offered, in vocabulary order ("email", "oidc").
    participation: tuple[str, ...] = ("anonymous",)
    # With oidc in participation: {"issuer", "client_id", "name"} of the OpenID provider (program.yml `oidc`).
    oidc: dict[str, str] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        """Whether residents verify before voting (one vote per verified resident, not per browser)."""
        return self.participation != ("anonymous",)

    def shown_in(self, lang: str) -> str:
        """The language a page in `lang` shows this program in: `lang` if the program is published in it."""
        return lang if lang in self.languages else self.languages[0]


@dataclass
class Challenge:
    id: str
    program: str
    status: str
    title: Localized
    summary: Localized
    themes: list[str]
    sdgs: list[int]
    window: Window
    window_overridden: bool
    partners: list[Partner]
    image: Image | None
    links: list[Link]
    body: Localized
    path: Path
    origin: Origin | None = None

    @property
    def published(self) -> bool:
        return self.status != "draft"

    def state(self, now: dt.datetime) -> str:
        """What residents are shown (vocabulary.STATES): an "open" file follows its window; the others say so."""
        return self.window.state(now) if self.status == "open" else self.status


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: Localized
    short: Localized
    explanation: Localized
    # Other spellings that get the same tooltip, per language.
    aliases: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Site:
    programs: dict[str, Program]
    challenges: list[Challenge]
    glossary: list[GlossaryEntry]
    # Page name (file name without .md) -> language -> file path.
    pages: dict[str, dict[str, Path]]
    # Page name -> language -> the page's own '# ' heading, for links to it.
    page_titles: dict[str, Localized] = field(default_factory=dict)
    # Program id -> its exported results (results/<program>/results.json, site_builder/results.py), read and
    # checked once when the site is loaded.
    results: dict[str, Any] = field(default_factory=dict)
    # The site's languages (mkdocs.yml), the default first.
    languages: tuple[str, ...] = ()
    # content/site.yml: the publisher's name per language, and its contacts (email, privacy, accessibility).
    publisher: Localized = field(default_factory=dict)
    contact: dict[str, str] = field(default_factory=dict)
    # content/site.yml's accessibility block, and the automated checks recorded in content/accessibility-checks.json.
    accessibility: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)

    def published(self, program: str | None = None) -> list[Challenge]:
        return [c for c in self.challenges if c.published and (program is None or c.program == program)]

    def challenge(self, challenge_id: str) -> Challenge | None:
        return next((c for c in self.challenges if c.id == challenge_id), None)
