"""The built-in search finds pages in the reader's language.

mkdocs-static-i18n writes one search index for both languages; a word that exists in only one language must
lead to the page in that language. The query words come from the built challenge titles, so the test follows
the content when its wording changes.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from .pages import PAGES, url

pytestmark = pytest.mark.browser


def title_words(site_dir: Path, lang: str) -> list[str]:
    html = (site_dir / url(lang, PAGES["challenge"]).strip("/") / "index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1, "the challenge page has no <h1>"
    return [w.casefold() for w in re.findall(r"\w+", unescape(re.sub(r"<[^>]+>", "", h1.group(1))))]


def query_for(site_dir: Path, lang: str, other: str) -> str:
    """The longest word of the challenge's title in `lang` that is not in its title in `other`."""
    theirs = set(title_words(site_dir, other))
    mine = [w for w in title_words(site_dir, lang) if w not in theirs and len(w) >= 4]
    assert mine, f"no {lang}-only word in the challenge's title"
    return max(mine, key=len)


@pytest.mark.parametrize(("lang", "other"), [("fr", "en"), ("en", "fr")])
def test_search_finds_the_page_in_the_readers_language(page, site_dir, lang, other):
    query = query_for(site_dir, lang, other)
    # The search worker loads the index after the page; typing before that would race it.
    with page.expect_response(lambda r: r.url.endswith("/search_index.json") and r.ok):
        page.goto(url(lang, PAGES["program"]))
    # ... and then builds it; Material shows its "type to start searching" text once it is ready.
    page.wait_for_function(
        """() => {
          const meta = document.querySelector(".md-search-result__meta");
          const config = JSON.parse(document.getElementById("__config").textContent);
          return meta && meta.textContent.trim() === config.translations["search.result.placeholder"];
        }"""
    )
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)
    results = page.locator(".md-search-result__item > .md-search-result__link")
    results.first.wait_for()
    found = results.evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    expected = url(lang, PAGES["challenge"])
    assert found[0].startswith("/en/") == (lang == "en"), f"'{query}' on a {lang} page: first result {found[0]}"
    assert expected in found, f"'{query}' on a {lang} page did not find {expected}: {found}"
    with page.expect_navigation():
        results.nth(found.index(expected)).click()
    assert page.locator("html").get_attribute("lang") == lang
    assert query in page.locator("article h1").inner_text().casefold()
