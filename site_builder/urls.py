"""Where each generated page lives in the docs tree, and its URL in the built site.

The default language is served at the site root and every other language under /<lang>/,
as mkdocs-static-i18n does with its folder layout. URLs are directory URLs, relative to the site root.
"""

from __future__ import annotations

import posixpath

from .vocabulary import SITE_LANGUAGES

DEFAULT_LANGUAGE = SITE_LANGUAGES[0]
PAGE_SIZE = 20


def source(lang: str, *parts: str) -> str:
    """Docs-tree path of a page, e.g. source('en', 'paris-2017', 'index') -> 'en/paris-2017/index.md'."""
    return posixpath.join(lang, *parts) + ".md"


def url_of(source_path: str) -> str:
    """Site URL (directory style, no leading slash) of a docs-tree Markdown path."""
    lang, rest = source_path.split("/", 1)
    stem = rest[: -len(".md")]
    if stem == "index":
        stem = ""
    elif stem.endswith("/index"):
        stem = stem[: -len("/index")]
    parts = [part for part in ("" if lang == DEFAULT_LANGUAGE else lang, stem) if part]
    return "/".join(parts) + "/" if parts else ""


def relative(from_source: str, to_url: str) -> str:
    """Relative link from the page built from `from_source` to a site URL."""
    here = url_of(from_source) or "."
    rel = posixpath.relpath(to_url or ".", here)
    if to_url.endswith("/") or not to_url:
        rel = rel + "/" if rel != "." else "./"
    return rel


def program_home(lang: str, program: str) -> str:
    return source(lang, program, "index")


def challenge_page(lang: str, program: str, challenge: str) -> str:
    return source(lang, program, "challenges", challenge)


def listing(lang: str, program: str, facet: str | None, value: str | None, page: int = 1) -> str:
    """A page of a challenge listing: all challenges (facet None), or those of one theme, SDG or status."""
    parts = [program, "all"] if facet is None else [program, facet, str(value)]
    return source(lang, *parts, "index" if page == 1 else str(page))


def propose_page(lang: str, program: str) -> str:
    return source(lang, program, "propose")


def content_page(lang: str, name: str) -> str:
    return source(lang, name)


def asset(program: str, file_name: str) -> str:
    """Language-neutral path (docs tree and site) of a challenge image."""
    return posixpath.join("assets", "challenges", program, file_name)
