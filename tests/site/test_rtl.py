"""A right-to-left language: the Arabic fixture (tests/fixtures/rtl/) validates and builds, every page says
`lang="ar"` and `dir="rtl"`, and what the code draws itself (the results chart, the forms) is mirrored."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main

from .conftest import FIXTURES, mkdocs_build
from .test_languages import with_languages

ARABIC = "        - locale: ar\n          name: العربية\n          default: true\n"


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("rtl") / "root"
    shutil.copytree(FIXTURES / "rtl", root)
    with_languages(root, ARABIC)
    site = root.parent / "site"
    built = mkdocs_build(root, site)
    assert built.returncode == 0, built.stderr[-4000:]
    return root, site


def test_the_arabic_fixture_validates(rtl_site):
    root, _site = rtl_site
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output


def test_every_page_reads_right_to_left_in_arabic(rtl_site):
    _root, site = rtl_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if page.name == "404.html":
            # The 404 page speaks every site language, each in its own section.
            assert '<section class="dc-not-found" lang="ar" dir="rtl">' in html
            continue
        assert '<html lang="ar" dir="rtl"' in html, page
        assert '<body dir="rtl"' in html, page
    challenge = (site / "al-waha-2026" / "challenges" / "hadaiq-mushtaraka" / "index.html").read_text(encoding="utf-8")
    assert "حدائق مشتركة في الأحياء" in challenge and "صوّت لهذا التحدي" in challenge
    # The participation script gives its section the language's direction; residents' words get their own.
    assert re.search(r'<section class="dc-participate"[^>]* data-lang="ar" data-dir="rtl">', challenge)
    assert re.search(r'<textarea id="dc-comment-text" name="text" dir="auto"', challenge)
    propose = (site / "al-waha-2026" / "propose" / "index.html").read_text(encoding="utf-8")
    assert '<input id="dc-p-title" name="title" dir="auto"' in propose
    assert '<input id="dc-p-email" name="email" type="email" dir="ltr"' in propose  # an address reads left to right


def test_the_results_chart_grows_from_the_right(rtl_site):
    _root, site = rtl_site
    html = (site / "al-waha-2025" / "results" / "index.html").read_text(encoding="utf-8")
    assert "النتائج النهائية" in html
    chart = re.search(r'<svg class="dc-chart__svg".*?</svg>', html, re.S).group(0)
    # Labels start at the right edge; the first channel's bar of the largest total ends there too.
    assert re.search(r'<text class="dc-chart__label" x="100%"', chart)
    first = re.search(r'<rect x="([\d.]+)%" y="\d+" width="([\d.]+)%"', chart)
    assert abs(float(first.group(1)) + float(first.group(2)) - 100) < 0.01, first.group(0)
    value = re.search(r'<text class="dc-chart__value" x="([\d.]+)%" dx="(-?\d+)"', chart)
    assert float(value.group(1)) < 100 and value.group(2) == "-6"
