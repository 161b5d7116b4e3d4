"""No third-party requests (privacy: nothing leaks to other sites), and the site works without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import same_origin
from .pages import LANGUAGES, PAGES, url

pytestmark = pytest.mark.browser


def tolerated_miss(address: str) -> bool:
    path = urlsplit(address).path
    # The static test server has no API (api/serve.py adds it at /api; tests/api cover it, and make check-pages
    # loads every page type from api/serve.py with no failed request at all).
    return path == "/api" or path.startswith("/api/")


def test_every_request_stays_on_the_site(new_context, base_url):
    context = new_context()
    requests: list[tuple[str, str]] = []
    failures: list[str] = []
    errors: list[str] = []
    where = "start"

    def on_response(response):
        if response.status >= 400 and not tolerated_miss(response.url):
            failures.append(f"{where}: {response.url} HTTP {response.status}")

    context.on("request", lambda r: requests.append((where, r.url)))
    # Requests cut short because the test moved on to the next page are not failures.
    context.on(
        "requestfailed",
        lambda r: "ERR_ABORTED" in (r.failure or "") or failures.append(f"{where}: {r.url} ({r.failure})"),
    )
    context.on("response", on_response)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(f"{where}: {e}"))
    for lang in LANGUAGES:
        for path in PAGES.values():
            where = url(lang, path)
            page.goto(where)
    # The search (Pagefind: its script, worker, WebAssembly and index fragments) must stay on the site too.
    where = "search"
    page.locator("#dc-search-input").click()
    page.locator("#dc-search-input").press_sequentially("air")
    page.locator(".dc-search__result").first.wait_for()
    page.wait_for_load_state("networkidle")

    assert len({u for _, u in requests}) > 5, "suspiciously few requests recorded"
    foreign = [f"{w}: {u}" for w, u in requests if not same_origin(u, base_url)]
    assert not foreign, "third-party requests:\n" + "\n".join(foreign)
    assert not failures, "failed requests:\n" + "\n".join(failures)
    assert not errors, "JavaScript errors:\n" + "\n".join(errors)


@pytest.fixture
def nojs_page(new_context):
    return new_context(java_script_enabled=False).new_page()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_challenge_page_without_javascript(nojs_page, lang):
    page = nojs_page
    path = url(lang, PAGES["challenge"])
    page.goto(path)
    heading = page.locator("article h1")
    assert heading.is_visible()
    title = heading.inner_text().strip()
    assert title and page.title().startswith(title), (title, page.title())
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".dc-breadcrumb").is_visible()
    assert page.locator(".dc-badge").first.is_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_listing_filters_navigate_without_javascript(nojs_page, lang):
    page = nojs_page
    page.goto(url(lang, PAGES["index"]))
    start_heading = page.locator("article h1").inner_text()
    for group in ("theme", "status", "sdg"):
        link = page.locator(f"nav.dc-filters a[href*='/{group}/']").first
        if not link.is_visible():  # the SDG filters are folded in a <details>, which opens without JavaScript
            page.locator("nav.dc-filters details > summary").click()
        label = link.inner_text().rsplit("(", 1)[0].strip()
        with page.expect_navigation():
            link.click()
        assert f"/{group}/" in page.url, page.url
        assert page.locator("article h1").inner_text() != start_heading
        current = page.locator("nav.dc-filters a[aria-current='page']")
        assert current.count() == 1 and current.inner_text().startswith(label)
        cards = page.locator("ul.dc-cards > li.dc-card")
        assert cards.count() >= 1
        with page.expect_navigation():
            cards.first.locator("a").first.click()
        assert "/challenges/" in page.url and page.locator("article h1").is_visible()
        page.go_back()
    with page.expect_navigation():
        page.locator("nav.dc-filters .dc-filters__all a").click()
    assert page.locator("article h1").inner_text() == start_heading
