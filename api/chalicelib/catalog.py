"""The published catalog (written by the site build): which challenges exist and when people may take part."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from pathlib import Path


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


@dataclass(frozen=True)
class ChallengeEntry:
    id: str
    program: str
    status: str
    title: dict
    window: Window
    urls: dict


class Catalog:
    def __init__(self, data: dict):
        self.programs = {
            p["id"]: ProgramEntry(
                p["id"],
                p["title"],
                Window.parse(p["window"]),
                p["moderation"],
                p["tallies"],
                p.get("urls", {}),
                p.get("propose_urls", {}),
            )
            for p in data["programs"]
        }
        self.challenges = {
            c["id"]: ChallengeEntry(
                c["id"], c["program"], c["status"], c["title"], Window.parse(c["window"]), c.get("urls", {})
            )
            for c in data["challenges"]
        }
        self.themes: dict = data.get("vocabulary", {}).get("themes", {})

    def challenge(self, challenge_id: str) -> ChallengeEntry | None:
        return self.challenges.get(challenge_id)

    def program(self, program_id: str) -> ProgramEntry | None:
        return self.programs.get(program_id)


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
