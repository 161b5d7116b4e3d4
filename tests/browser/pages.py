"""The pages the browser tests visit: one of each page type, in both languages."""

from __future__ import annotations

LANGUAGES = ("fr", "en")
PROGRAM = "paris-2017"
CHALLENGE = "air-quality-sensors"
THEME = "air-quality"

# Page type -> path in the default language (French, at the site root).
PAGES: dict[str, str] = {
    "home": "/",
    "program": f"/{PROGRAM}/",
    "index": f"/{PROGRAM}/all/",
    "theme": f"/{PROGRAM}/theme/{THEME}/",
    "challenge": f"/{PROGRAM}/challenges/{CHALLENGE}/",
    # A challenge of a program whose consultation is open on DATACITY_NOW: it has the vote and comment forms.
    "open-challenge": "/montreal-2026/challenges/icy-sidewalks-seniors/",
    # The example's closed program with its exported results, and a program whose consultation has not opened yet.
    "results": f"/{PROGRAM}/results/",
    "upcoming-program": "/lyon-2027/",
    "glossary": "/glossary/",
    "privacy": "/privacy/",
    # This browser's voter code and the check of a code against the published vote logs (pages/my_votes.py).
    "my-votes": "/my-votes/",
    "accessibility": "/accessibility/",
}


def url(lang: str, path: str) -> str:
    """Site path of a page in a language: French at the root, English under /en/."""
    return path if lang == LANGUAGES[0] else f"/{lang}{path}"


def other(lang: str) -> str:
    return LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0]
