"""The pages the browser tests visit: one of each page type, in each of the site's languages."""

from __future__ import annotations

# The site's languages (mkdocs.yml), the default first: French at the site root, the others under /<code>/.
SITE_LANGUAGES = ("fr", "en", "ca", "es")
# The languages of the Paris, Montréal and Lyon programs, whose pages PAGES are.
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

# Barcelona 2027 publishes in Catalan and Spanish only (open on DATACITY_NOW): its pages are the program page
# types in those languages; the site's own pages are the same as in French and English.
CATALAN_SPANISH_PAGES: dict[str, str] = {
    "home": "/",
    "program": "/barcelona-2027/",
    "index": "/barcelona-2027/all/",
    "theme": "/barcelona-2027/theme/climate-adaptation/",
    "open-challenge": "/barcelona-2027/challenges/climate-shelters/",
    "glossary": "/glossary/",
    "privacy": "/privacy/",
    "my-votes": "/my-votes/",
    "accessibility": "/accessibility/",
}


def pages_in(lang: str) -> dict[str, str]:
    """One page of each type that exists in the language (the programs publish in some of the site's languages)."""
    return PAGES if lang in LANGUAGES else CATALAN_SPANISH_PAGES


# (language, page type, path in the default language): one page of each type in each language.
MATRIX: list[tuple[str, str, str]] = [
    (lang, kind, path) for lang in SITE_LANGUAGES for kind, path in pages_in(lang).items()
]


def url(lang: str, path: str) -> str:
    """Site path of a page in a language: the default language (French) at the root, the others under /<code>/."""
    return path if lang == SITE_LANGUAGES[0] else f"/{lang}{path}"
