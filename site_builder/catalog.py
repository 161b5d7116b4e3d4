"""The catalog: every published challenge with its window and URLs; the API's source of truth, and open data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from . import urls
from .i18n import gettext
from .model import Site, Window
from .vocabulary import (
    CHANNELS,
    FORMATS,
    HIDDEN_BY_REPORTS,
    LIMITS,
    MODERATION_REASONS,
    OPEN_LICENCE,
    OUTCOMES,
    QUEUES,
    REPORT_REASONS,
    SDGS,
    THEMES,
)

CATALOG_VERSION = 1
LICENSE = f"{OPEN_LICENCE['title']} (Etalab)"


def _window(window: Window) -> dict[str, str]:
    # Absolute instants with their offset: the API needs no time-zone database to compare them.
    return {"opens": window.opens.isoformat(), "closes": window.closes.isoformat(), "timezone": window.timezone}


def read_window(data: dict) -> Window:
    """A window as the catalog writes it (the staff commands read the published catalog)."""
    return Window(dt.datetime.fromisoformat(data["opens"]), dt.datetime.fromisoformat(data["closes"]), data["timezone"])


def build_catalog(site: Site) -> dict:
    urls.use_default_language(site.languages[0])
    programs = []
    for program in sorted(site.programs.values(), key=lambda p: p.id):
        programs.append(
            {
                "id": program.id,
                "city": program.city,
                "season": program.season,
                "title": program.title,
                "languages": program.languages,
                "window": _window(program.window),
                "moderation": program.moderation,
                "tallies": program.tallies,
                "participation": list(program.participation),
                **({"oidc": dict(program.oidc)} if program.oidc else {}),
                "urls": {lang: urls.url_of(urls.program_home(lang, program.id)) for lang in program.languages},
                "propose_urls": {lang: urls.url_of(urls.propose_page(lang, program.id)) for lang in program.languages},
            }
        )
    challenges = []
    for challenge in sorted(site.published(), key=lambda c: (c.program, c.id)):
        challenges.append(
            {
                "id": challenge.id,
                "program": challenge.program,
                "status": challenge.status,
                "title": challenge.title,
                "themes": challenge.themes,
                "sdgs": challenge.sdgs,
                "window": _window(challenge.window),
                "languages": [lang for lang in site.programs[challenge.program].languages if lang in challenge.body],
                "urls": {
                    lang: urls.url_of(urls.challenge_page(lang, challenge.program, challenge.id))
                    for lang in site.programs[challenge.program].languages
                },
            }
        )
    return {
        "version": CATALOG_VERSION,
        "license": LICENSE,
        "note": "URLs are relative to the site root. Windows: 'closes' is exclusive.",
        "vocabulary": vocabulary(site.languages),
        "programs": programs,
        "challenges": challenges,
        # Site pages the API's own pages link to.
        "pages": {"my_votes": {lang: urls.url_of(urls.content_page(lang, "my-votes")) for lang in site.languages}},
    }


def _labels(labels: dict, languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """{id: {language: label}} for every site language, from the catalogs."""
    return {str(key): {lang: gettext(lang, label) for lang in languages} for key, label in labels.items()}


def vocabulary(languages: tuple[str, ...]) -> dict:
    """What the API must agree on with the pages (site_builder/vocabulary.py), as the catalog carries it."""
    return {
        "themes": _labels(THEMES, languages),
        "sdgs": _labels(SDGS, languages),
        "languages": list(languages),
        "report_reasons": _labels(REPORT_REASONS, languages),
        "moderation_reasons": _labels(MODERATION_REASONS, languages),
        "hidden_by_reports": _labels(HIDDEN_BY_REPORTS, languages),
        "channels": _labels(CHANNELS, languages),
        "limits": LIMITS,
        "queues": list(QUEUES),
        "outcomes": list(OUTCOMES),
        "formats": FORMATS,
        "licence": OPEN_LICENCE,
    }


def catalog_json(site: Site, console: dict[str, str] | None = None) -> str:
    """The catalog; `console`: the staff console's versioned stylesheet and script (console_assets)."""
    catalog = build_catalog(site)
    if console:
        catalog["console"] = console
    return json.dumps(catalog, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


# The staff console's own files among the site's assets (overrides/assets/): pages of the API link them by the names
# the catalog gives, which change with their content, so that a browser may keep them as long as it likes.
CONSOLE_ASSETS = {"stylesheet": "assets/stylesheets/console.css", "script": "assets/javascripts/console.js"}


def console_assets(site_dir: Path) -> dict[str, str]:
    """Write a copy of each console file named by its content's hash (console.<12 hex>.css); their paths."""
    found = {}
    for kind, path in CONSOLE_ASSETS.items():
        source = site_dir / path
        if not source.is_file():
            continue
        data = source.read_bytes()
        stem, suffix = path.rsplit(".", 1)
        versioned = f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{suffix}"
        target = site_dir / versioned
        if not target.is_file():
            target.write_bytes(data)
        found[kind] = versioned
    return found
