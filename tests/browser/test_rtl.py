"""A right-to-left site in real Chromium: the Arabic fixture (tests/fixtures/rtl/) has no axe-core violation on any
page type, at a phone's and a desktop's width, and its layout is mirrored (the header, the breadcrumb, the cards,
the participation forms, the results chart). Screenshots for people to look at go to screenshots/rtl/:

    .venv/bin/python -m pytest tests/browser/test_rtl.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .conftest import BUILD_TIMEOUT, DESKTOP, NOW, PHONE, ROOT, same_origin, serve
from .screenshots import OUT_DIR
from .test_accessibility import run_axe, violations_report

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "rtl"
SHOTS = OUT_DIR / "rtl"
LANGUAGES = re.compile(r"^      languages:\n(?:        .*\n)+", re.M)
ARABIC = "      languages:\n        - locale: ar\n          name: العربية\n          default: true\n"

# One page of each type (tests/browser/pages.py has the same types for the example site).
PAGES: dict[str, str] = {
    "home": "/",
    "program": "/al-waha-2026/",
    "index": "/al-waha-2026/all/",
    "theme": "/al-waha-2026/theme/nature/",
    "challenge": "/al-waha-2025/challenges/shawari-madrasiyya/",
    "open-challenge": "/al-waha-2026/challenges/hadaiq-mushtaraka/",
    "propose": "/al-waha-2026/propose/",
    "results": "/al-waha-2025/results/",
    "upcoming-program": "/al-waha-2027/",
    "glossary": "/glossary/",
    "privacy": "/privacy/",
    "my-votes": "/my-votes/",
    "not-found": "/404.html",
}


@pytest.fixture(scope="module")
def rtl_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("rtl") / "root"
    shutil.copytree(FIXTURE, root)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert LANGUAGES.search(config), "mkdocs.yml's languages block moved: update this test"
    (root / "mkdocs.yml").write_text(LANGUAGES.sub(ARABIC, config), encoding="utf-8")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    (root / ".build" / "docs").mkdir(parents=True)
    site = root.parent / "site"
    env = {**os.environ, "DATACITY_NOW": NOW, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if done.returncode != 0:
        pytest.fail(f"the right-to-left fixture does not build:\n{done.stderr[-3000:]}", pytrace=False)
    with serve(site) as origin:
        yield origin


@pytest.fixture
def open_page(browser: Browser, rtl_origin: str):
    """open_page(path, viewport) -> a Playwright page of the fixture; no request to another site."""
    contexts, foreign = [], []

    def make(path: str, viewport: dict) -> Page:
        context = browser.new_context(base_url=rtl_origin, viewport=viewport, reduced_motion="reduce")
        context.set_default_timeout(15_000)
        context.on("request", lambda r: same_origin(r.url, rtl_origin) or foreign.append(r.url))
        contexts.append(context)
        page = context.new_page()
        response = page.goto(path)
        assert response is not None and (response.ok or path == "/404.html")
        return page

    yield make
    for context in contexts:
        context.close()
    assert not foreign, "requests to other sites:\n" + "\n".join(foreign)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_axe_violations_right_to_left(open_page, kind, viewport):
    page = open_page(PAGES[kind], viewport)
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    violations = run_axe(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ar-{kind}-{viewport['width']}.png"), full_page=True, animations="disabled")
    assert not violations, f"{PAGES[kind]} ({viewport['width']}px)\n" + violations_report(violations)
    # Nothing is pushed off the side of a phone by a physical margin that should have been a logical one.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"], kind


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def right(b: dict) -> float:
    return b["x"] + b["width"]


def text_box(page: Page, selector: str) -> dict:
    """Where the words of an element are drawn (a block element's own box spans its whole line)."""
    return page.locator(selector).first.evaluate(
        """e => { const r = document.createRange(); r.selectNodeContents(e);
                  const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, width: b.width, height: b.height}; }"""
    )


def test_the_layout_is_mirrored(open_page):
    page = open_page(PAGES["open-challenge"], DESKTOP)
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    # The header: the logo at the right, the title to its left.
    assert box(page, ".md-header__button.md-logo")["x"] > box(page, ".md-header__title")["x"]
    # The breadcrumb reads from the right: its first step is right of the second.
    assert box(page, ".dc-breadcrumb li:nth-child(1)")["x"] > box(page, ".dc-breadcrumb li:nth-child(2)")["x"]
    # The participation script gave its section the page's direction; the form's labels start at the right.
    assert page.locator(".dc-participate[data-dc-ready]").get_attribute("dir") == "rtl"
    form, label = box(page, ".dc-comment-form"), text_box(page, "label[for=dc-comment-text]")
    assert abs(right(form) - right(label)) < 2 and label["x"] > form["x"] + 50, (form, label)
    # A message's coloured rule is on its start side: the right.
    borders = page.locator(".dc-participate .dc-live").evaluate(
        "e => { e.textContent = 'x'; const s = getComputedStyle(e); return [s.borderRightWidth, s.borderLeftWidth]; }"
    )
    assert borders[0] != "0px" and borders[1] == "0px", borders

    cards = open_page(PAGES["index"], DESKTOP)
    card, title = box(cards, ".dc-card"), text_box(cards, ".dc-card__title")
    assert right(card) - right(title) < title["x"] - card["x"], ("the card's title starts at the right", card, title)


def test_the_results_chart_is_mirrored(open_page):
    page = open_page(PAGES["results"], DESKTOP)
    svg = box(page, ".dc-chart__svg")
    label, bar = box(page, ".dc-chart__label"), box(page, ".dc-chart__svg > rect")
    assert abs(right(svg) - right(label)) < 2, (svg, label)
    assert abs(right(svg) - right(bar)) < 2, (svg, bar)
    value = box(page, ".dc-chart__value")
    assert right(value) < right(svg) - 10 and value["x"] >= svg["x"] - 1
