"""Where each generated page lives in the docs tree, and its URL in the built site.

The default language is served at the site root and every other language under /<lang>/,
as mkdocs-static-i18n does with its folder layout. URLs are directory URLs, relative to the site root.
"""

from __future__ import annotations

import functools
import posixpath

PAGE_SIZE = 20
# The language served at the site's root (the first in mkdocs.yml): set by load_site for the site being built.
_default: str | None = None


def use_default_language(lang: str) -> None:
    global _default
    _default = lang


def default_language() -> str:
    if _default is None:
        raise RuntimeError("urls: the site's default language is not known yet (load_site sets it)")
    return _default


def source(lang: str, *parts: str) -> str:
    """Docs-tree path of a page, e.g. source('en', 'paris-2017', 'index') -> 'en/paris-2017/index.md'."""
    return "/".join((lang, *parts)) + ".md"


def url_of(source_path: str) -> str:
    """Site URL (directory style, no leading slash) of a docs-tree Markdown path."""
    return _url_of(source_path, default_language())


@functools.lru_cache(maxsize=1 << 14)  # generation asks for the same few thousand URLs 120,000 times
def _url_of(source_path: str, default: str) -> str:
    lang, rest = source_path.split("/", 1)
    stem = rest[: -len(".md")]
    if stem == "index":
        stem = ""
    elif stem.endswith("/index"):
        stem = stem[: -len("/index")]
    parts = [part for part in ("" if lang == default else lang, stem) if part]
    return "/".join(parts) + "/" if parts else ""


def relative(from_source: str, to_url: str) -> str:
    """Relative link from the page built from `from_source` to a site URL.

    String arithmetic on the path segments: posixpath.relpath would call os.getcwd() twice per link (60,000 links
    for 1,000 challenges). Both are site URLs without '.' or '..' segments.
    """
    here = url_of(from_source).split("/")[:-1]  # a directory URL: "a/b/" -> ["a", "b"]; "" -> []
    target = to_url.split("/")
    if target[-1] == "":
        target.pop()
    n, common = 0, min(len(here), len(target))
    while n < common and here[n] == target[n]:
        n += 1
    rel = "/".join([".."] * (len(here) - n) + target[n:])
    if not rel:
        return "./"
    return rel + "/" if to_url.endswith("/") or not to_url else rel


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


def results_page(lang: str, program: str) -> str:
    return source(lang, program, "results")


def results_file(program: str, file_name: str) -> str:
    """Language-neutral path (docs tree and site) of a downloadable results file: next to the French page."""
    return posixpath.join(program, "results", file_name)


def asset(program: str, file_name: str) -> str:
    """Language-neutral path (docs tree and site) of a challenge image."""
    return posixpath.join("assets", "challenges", program, file_name)
