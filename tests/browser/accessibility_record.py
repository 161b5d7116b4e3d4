"""Run axe-core on every page type, in every language, at 375 and 1280 px, and record what ran and what it found in
content/accessibility-checks.json, the file the build reads for the accessibility statement (issue #15).

    .venv/bin/python -m tests.browser.accessibility_record      # builds the site, rewrites the file

Committed with the site, so the statement states the checks that ran, with their tools, pages, date and counts;
tests/browser/test_accessibility_statement.py fails when the file no longer covers the pages axe checks.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import json
import sys

from tests import ROOT

from .pages import MATRIX, url
from .test_accessibility import EXTRA_RULES, WCAG_TAGS, _axe

RECORD = ROOT / "content" / "accessibility-checks.json"
WIDTHS = (375, 1280)


def record(new_context, browser_version: str, today: dt.date) -> dict:
    """The checks' results: one entry per page, language and width, with its violations by rule."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
        "resultTypes": ["violations"],
    }
    pages, engine = [], ""
    for width in WIDTHS:
        context = new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            for lang, kind, path in MATRIX:
                page.goto(url(lang, path))
                response = _axe.run(page, options=options).response
                engine = response["testEngine"]["version"]
                pages.append(
                    {
                        "page": kind,
                        "path": url(lang, path),
                        "language": lang,
                        "width": width,
                        "violations": sorted(
                            (
                                {
                                    "rule": v["id"],
                                    "impact": v["impact"],
                                    "help": v["help"],
                                    "nodes": len(v["nodes"]),
                                }
                                for v in response["violations"]
                            ),
                            key=lambda v: v["rule"],
                        ),
                    }
                )
        finally:
            context.close()
    return {
        "date": today.isoformat(),
        "standard": "WCAG 2.1 A/AA",
        "rules": WCAG_TAGS + EXTRA_RULES,
        "tools": [
            {"name": "axe-core", "version": engine},
            {"name": "Chromium", "version": browser_version},
            {"name": "Playwright", "version": importlib.metadata.version("playwright")},
        ],
        "pages": pages,
        "violations": sum(v["nodes"] for p in pages for v in p["violations"]),
    }


def main() -> int:
    from .conftest import browser_on_a_fresh_build

    with browser_on_a_fresh_build() as (browser, base_url):
        found = record(
            functools.partial(browser.new_context, base_url=base_url),
            browser.version,
            dt.datetime.now(dt.UTC).date(),
        )
    RECORD.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{RECORD.relative_to(ROOT)}: {len(found['pages'])} pages checked, {found['violations']} violation(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
