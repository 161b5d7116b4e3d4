"""Keyboard use: the skip link comes first, the language switcher keeps the page, focus is always visible."""

from __future__ import annotations

import pytest

from .conftest import PHONE
from .pages import LANGUAGES, PAGES, SITE_LANGUAGES, url

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const main = document.querySelector(".md-content");
  return {
    tag: el.tagName.toLowerCase(),
    cls: el.className || "",
    href: el.getAttribute("href"),
    text: (el.innerText || el.getAttribute("aria-label") || "").trim(),
    hreflang: el.getAttribute("hreflang"),
    inMain: !!main && main.contains(el),
  };
}"""


def tab(page, times: int = 1):
    for _ in range(times):
        page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["challenge", "index", "home"])
def test_skip_link_is_first_and_jumps_to_main_content(page, lang, kind):
    page.goto(url(lang, PAGES[kind]))
    first = tab(page)
    assert first is not None and "md-skip" in first["cls"], f"first Tab stop is {first}, not the skip link"
    skip = page.locator("a.md-skip")
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0, "the focused skip link is off-screen"
    target_id = first["href"].lstrip("#")
    assert page.evaluate(
        "id => document.querySelector('.md-content').contains(document.getElementById(id))", target_id
    ), f"the skip link's target #{target_id} is not in the main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == first["href"]
    after = tab(page)
    assert after is not None and after["inMain"], f"after the skip link, Tab went to {after}, outside the content"


def switch_language_with_keyboard(page, to_lang: str) -> None:
    """Tab to the language menu, then to the link of the other language, and press Enter."""
    for _ in range(30):
        focused = tab(page)
        if focused and focused["hreflang"] == to_lang:
            break
    else:
        pytest.fail(f"no link with hreflang={to_lang} among the first 30 Tab stops")
    assert page.locator(f"a.md-select__link[hreflang='{to_lang}']").is_visible(), "the focused language link is hidden"
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("kind", ["challenge", "theme", "glossary"])
def test_language_switcher_keeps_the_page(page, kind):
    path = PAGES[kind]
    page.goto(url("fr", path))
    assert page.locator("html").get_attribute("lang") == "fr"
    switch_language_with_keyboard(page, "en")
    assert page.url.endswith(url("en", path)), page.url
    assert page.locator("html").get_attribute("lang") == "en"
    switch_language_with_keyboard(page, "fr")
    assert page.url.endswith(url("fr", path)) and "/en/" not in page.url, page.url
    assert page.locator("html").get_attribute("lang") == "fr"


def test_language_links_are_marked_up(page):
    """Each language's name is in its own language (WCAG 3.1.2) and the page's language is marked current."""
    path = PAGES["challenge"]
    for lang in LANGUAGES:
        page.goto(url(lang, path))
        assert page.locator("html").get_attribute("lang") == lang
        for code in LANGUAGES:
            link = page.locator(f"a.md-select__link[hreflang='{code}']")
            assert link.get_attribute("lang") == code
            assert link.evaluate("a => new URL(a.href).pathname") == url(code, path)
            assert (link.get_attribute("aria-current") is not None) == (code == lang)
        # Paris is not published in the site's other languages: the menu leads to their home pages instead.
        for code in set(SITE_LANGUAGES) - set(LANGUAGES):
            link = page.locator(f"a.md-select__link[hreflang='{code}']")
            assert link.get_attribute("lang") == code
            assert link.evaluate("a => new URL(a.href).pathname") == url(code, "/")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_focus_is_visible_on_content_links(new_context, viewport):
    page = new_context(**({"viewport": viewport} if viewport else {})).new_page()
    page.goto(url("fr", PAGES["index"]))
    page.locator("a.md-skip").focus()
    page.keyboard.press("Enter")
    for _ in range(5):
        focused = tab(page)
        assert focused and focused["inMain"], focused
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"
        )
        assert style["style"] != "none" and style["width"] >= 2, f"no visible focus outline on {focused}: {style}"
