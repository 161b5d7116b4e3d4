"""The catalog: every published challenge with its window and URLs; the API's source of truth, and open data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
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
    SITE_NAME,
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


def build_catalog(site: Site, stylesheet: str | None = None) -> dict:
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
        # What the API's own pages share with the site's (api/chalicelib/web/pages.py): its name, its home page in
        # each language, the pages they link to, and the site's stylesheets as one versioned file.
        "site": {
            "name": {lang: gettext(lang, SITE_NAME) for lang in site.languages},
            "home": {lang: urls.url_of(urls.content_page(lang, "index")) for lang in site.languages},
            "stylesheet": stylesheet,
        },
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


def catalog_json(site: Site, stylesheet: str | None = None, console: dict[str, str] | None = None) -> str:
    """The catalog; `stylesheet`: the API pages' (pages_stylesheet); `console`: the staff console's versioned
    stylesheet and script (console_assets)."""
    catalog = build_catalog(site, stylesheet)
    if console:
        catalog["console"] = console
    return json.dumps(catalog, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


# The API's pages link files of the site (same origin) by the names the catalog gives them, which change with their
# content, so that a browser may keep them as long as it likes.
CONSOLE_ASSETS = {"stylesheet": "assets/stylesheets/console.css", "script": "assets/javascripts/console.js"}
PAGES_STYLESHEET = "assets/stylesheets/pages.css"


def versioned(site_dir: Path, path: str, data: bytes) -> str:
    """Write `data` beside `path` (from the site root) named by its content's hash (console.<12 hex>.css), the older
    versions removed; the new file's path, as the catalog names it."""
    stem, suffix = path.rsplit(".", 1)
    name = f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}.{suffix}"
    target = site_dir / name
    older = re.compile(rf"{re.escape(Path(stem).name)}\.[0-9a-f]{{12}}\.{re.escape(suffix)}")
    for old in target.parent.glob(f"{Path(stem).name}.*.{suffix}"):
        if old != target and older.fullmatch(old.name):
            old.unlink()
    target.write_bytes(data)
    return name


def pages_stylesheet(site_dir: Path, extra_css: list[str]) -> str | None:
    """The site's stylesheets (the theme's, then ours) as one versioned file for the API's pages
    (api/chalicelib/web/pages.py): the same look from the same origin. None if the theme's stylesheet is not there."""
    theme = sorted((site_dir / "assets" / "stylesheets").glob("main.*.min.css"))
    if not theme:
        return None
    parts = [theme[0].read_bytes()] + [(site_dir / name).read_bytes() for name in extra_css]
    # Material's stylesheet ends with its source-map comment; each part on its own line keeps the rules apart.
    return versioned(site_dir, PAGES_STYLESHEET, b"\n".join(parts))


def console_assets(site_dir: Path) -> dict[str, str]:
    """The staff console's stylesheet and script, versioned, by kind (those the site has)."""
    return {
        kind: versioned(site_dir, path, (site_dir / path).read_bytes())
        for kind, path in CONSOLE_ASSETS.items()
        if (site_dir / path).is_file()
    }
