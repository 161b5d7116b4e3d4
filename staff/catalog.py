"""The site's public catalog.json: which challenges exist, their program, window, titles (and themes and SDGs)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from site_builder.catalog import read_window
from site_builder.model import Window
from site_builder.staff_text import S_, text

from .client import USER_AGENT, StaffError, site_origin


class Catalog:
    def __init__(self, data: dict, source: str = "catalog.json"):
        self.source = source
        self.data = data
        try:
            self.programs = {p["id"]: p for p in data["programs"]}
            self.challenges = {c["id"]: c for c in data["challenges"]}
        except (KeyError, TypeError) as exc:
            raise StaffError(
                text(S_("{source} is not a DataCity catalog (missing {key})"), source=source, key=exc)
            ) from exc

    def program_challenges(self, program: str) -> dict[str, dict]:
        return {cid: c for cid, c in self.challenges.items() if c.get("program") == program}

    def window(self, program: str, challenge: str | None = None) -> Window | None:
        entry = self.challenges.get(challenge or "") or self.programs.get(program)
        try:
            return read_window(entry["window"]) if entry else None
        except (KeyError, TypeError, ValueError):
            return None

    def languages(self, program: str) -> list[str]:
        """The languages the program publishes in; the site's for a catalog that does not say (older catalogs)."""
        found = self.programs.get(program, {}).get("languages") or self.data.get("vocabulary", {}).get("languages")
        return [str(lang) for lang in found] if isinstance(found, list) else []

    def title(self, challenge: str, lang: str) -> str:
        title = self.challenges.get(challenge, {}).get("title")
        return title.get(lang, "") if isinstance(title, dict) else ""

    def themes(self, challenge: str) -> list[str]:
        """Empty when the catalog does not list themes (older catalogs)."""
        return [str(t) for t in self.challenges.get(challenge, {}).get("themes") or []]

    def sdgs(self, challenge: str) -> list[int]:
        return [int(n) for n in self.challenges.get(challenge, {}).get("sdgs") or []]


def catalog_location(option: str | None, base: str) -> str:
    return option or f"{site_origin(base)}/catalog.json"


def load_catalog(location: str, timeout: float = 30.0) -> Catalog:
    """From a file path or an http(s) URL; a StaffError if it cannot be read."""
    try:
        if location.startswith(("http://", "https://")):
            request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                payload = response.read()
        else:
            payload = Path(location).read_bytes()
        data = json.loads(payload)
    except urllib.error.HTTPError as exc:
        raise StaffError(
            text(S_("cannot read the catalog {location}: {error}"), location=location, error=f"HTTP {exc.code}")
        ) from None
    except urllib.error.URLError as exc:
        raise StaffError(
            text(S_("cannot read the catalog {location}: {error}"), location=location, error=exc.reason)
        ) from None
    except OSError as exc:
        raise StaffError(
            text(S_("cannot read the catalog {location}: {error}"), location=location, error=exc.strerror or exc)
        ) from None
    except ValueError as exc:
        raise StaffError(
            text(S_("the catalog {location} is not JSON: {error}"), location=location, error=exc)
        ) from None
    if not isinstance(data, dict):
        raise StaffError(text(S_("{location} is not a DataCity catalog"), location=location))
    return Catalog(data, location)
