"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in each of the site's languages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import PHONE
from .pages import MATRIX, PAGES, SITE_LANGUAGES, pages_in, url

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Also checked, beyond WCAG 2.1 AA: WCAG 2.2's minimum target size, and a few best practices.
EXTRA_RULES = ["target-size", "aria-dialog-name", "landmark-one-main", "page-has-heading-one", "region"]

_axe = Axe()


def violations_report(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    target: {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def run_axe(page) -> list[dict]:
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
        "resultTypes": ["violations"],
    }
    return _axe.run(page, options=options).response["violations"]


def check(page, path: str, label: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    violations = run_axe(page)
    assert not violations, f"{path} ({label})\n" + violations_report(violations)


@pytest.mark.parametrize(("lang", "kind", "path"), MATRIX, ids=[f"{lang}-{kind}" for lang, kind, _p in MATRIX])
def test_no_violations_on_a_desktop(page, lang, kind, path):
    check(page, url(lang, path), "1280px")


PHONE_KINDS = ("index", "open-challenge")


@pytest.mark.parametrize("lang", SITE_LANGUAGES)
@pytest.mark.parametrize("kind", PHONE_KINDS)
def test_no_violations_on_a_phone(new_context, lang, kind):
    """The phone layout (navigation drawer, stacked filters) differs enough to be checked too."""
    check(new_context(viewport=PHONE).new_page(), url(lang, pages_in(lang)[kind]), "375px")


def test_open_search_panel_has_no_violations(page):
    """The header's search panel, open with a query and its results, is readable too."""
    page.goto(url("fr", PAGES["home"]))
    page.locator("#dc-search-input").click()
    page.locator("#dc-search-input").press_sequentially("défi")
    page.locator(".dc-search__result").first.wait_for()
    violations = run_axe(page)
    assert not violations, violations_report(violations)
