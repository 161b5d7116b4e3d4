"""The results page in real Chromium: no axe-core violation (WCAG 2.1 A/AA), fits a phone, works without JavaScript.

This builds tests/fixtures/valid with the results overlay (tests/fixtures/results: small known numbers, a
pre-moderation program) and serves it; the example's own results page (Paris 2017) is checked with every other page
type (pages.py). Screenshots for people to look at go to screenshots/results/:

    .venv/bin/python -m pytest tests/browser/test_results_page.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from .conftest import BUILD_TIMEOUT, DESKTOP, NOW, PHONE, ROOT, same_origin, serve
from .screenshots import OUT_DIR, png_size
from .test_accessibility import run_axe, violations_report

pytestmark = pytest.mark.browser

FIXTURES = ROOT / "tests" / "fixtures"
PATHS = {"fr": "/test-city/results/", "en": "/en/test-city/results/"}
SHOTS = OUT_DIR / "results"


@pytest.fixture(scope="module")
def results_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("results") / "root"
    shutil.copytree(FIXTURES / "valid", root)
    shutil.copytree(FIXTURES / "results", root, dirs_exist_ok=True)
    shutil.copytree(ROOT / "overrides", root / "overrides")
    (root / ".build" / "docs").mkdir(parents=True)
    site = root.parent / "site"
    env = {**os.environ, "DATACITY_NOW": NOW, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if done.returncode != 0:
        pytest.fail(f"the results fixture does not build:\n{done.stderr[-3000:]}", pytrace=False)
    with serve(site) as origin:
        yield origin


@pytest.fixture
def open_page(browser: Browser, results_origin: str):
    """open_page(lang, viewport, javascript=True) -> a Playwright page on the results page; no third-party request."""
    contexts, foreign = [], []

    def make(lang: str, viewport: dict, javascript: bool = True):
        context = browser.new_context(
            base_url=results_origin, viewport=viewport, java_script_enabled=javascript, reduced_motion="reduce"
        )
        context.set_default_timeout(15_000)
        context.on("request", lambda r: same_origin(r.url, results_origin) or foreign.append(r.url))
        contexts.append(context)
        page = context.new_page()
        response = page.goto(PATHS[lang])
        assert response is not None and response.ok
        return page

    yield make
    for context in contexts:
        context.close()
    assert not foreign, "requests to other sites:\n" + "\n".join(foreign)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_axe_violations(open_page, lang, viewport):
    page = open_page(lang, viewport)
    violations = run_axe(page)
    assert not violations, f"{PATHS[lang]} ({viewport['width']}px)\n" + violations_report(violations)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_fits_a_phone_and_tables_scroll_in_a_labelled_focusable_region(open_page, lang):
    page = open_page(lang, PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    regions = page.locator(".dc-table-scroll")
    assert regions.count() == 4
    for i in range(regions.count()):
        region = regions.nth(i)
        assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
        label_id = region.get_attribute("aria-labelledby")
        assert page.locator(f"#{label_id}").evaluate("e => e.tagName") == "CAPTION"
    # The widest table scrolls inside its region, and the keyboard reaches that region.
    wide = regions.first
    assert wide.evaluate("e => e.scrollWidth > e.clientWidth")
    wide.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=wide.element_handle(), timeout=5_000)
    # Charts follow the column's width.
    for box in page.locator("svg.dc-chart__svg").evaluate_all("es => es.map(e => e.getBoundingClientRect().right)"):
        assert box <= PHONE["width"]


def test_works_without_javascript(open_page):
    page = open_page("fr", DESKTOP, javascript=False)
    assert page.locator("#table-challenges").is_visible()
    assert page.locator("svg[role=img]").count() == 3
    assert page.get_by_role("link", name="results.csv").is_visible()


def test_screenshots_to_look_at(open_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for lang in ("fr", "en"):
        for viewport in (PHONE, DESKTOP):
            page = open_page(lang, viewport)
            target = SHOTS / f"{lang}-results-{viewport['width']}.png"
            page.screenshot(path=str(target), full_page=True, animations="disabled")
            if png_size(target)[0] != viewport["width"]:
                problems.append(f"{target.name}: the page is wider than the {viewport['width']}px window")
    assert not problems, "\n".join(problems)
