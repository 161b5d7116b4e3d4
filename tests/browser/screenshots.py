"""Full-page screenshots of every page type, in each of the site's languages, on a phone and a desktop.

Run by tests/browser/test_screenshots.py, or alone to look at the site after a change:

    .venv/bin/python -m tests.browser.screenshots            # builds the site, writes screenshots/

The PNGs are named <lang>-<page type>-<width>.png and are not committed (screenshots/ is gitignored).
"""

from __future__ import annotations

import functools
import struct
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext

from .pages import MATRIX, url

OUT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = (375, 1280)
HEIGHT = {375: 812, 1280: 900}


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as f:
        header = f.read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", header[16:24])


def capture(new_context: Callable[..., BrowserContext], out_dir: Path = OUT_DIR) -> dict[Path, int]:
    """Save the screenshots; returns each file with the page's scroll width (wider than the window: overflow).

    new_context(**options) opens a browser context on the served site (see conftest.new_context).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.png"):
        stale.unlink()
    shots: dict[Path, int] = {}
    for width in WIDTHS:
        context = new_context(viewport={"width": width, "height": HEIGHT[width]}, reduced_motion="reduce")
        try:
            page = context.new_page()
            for lang, kind, path in MATRIX:
                page.goto(url(lang, path))
                target = out_dir / f"{lang}-{kind}-{width}.png"
                page.screenshot(path=str(target), full_page=True, animations="disabled")
                shots[target] = page.evaluate("() => document.documentElement.scrollWidth")
        finally:
            context.close()
    return shots


def main() -> int:
    from .conftest import browser_on_a_fresh_build

    with browser_on_a_fresh_build() as (browser, base_url):
        shots = capture(functools.partial(browser.new_context, base_url=base_url))
    for path in sorted(shots):
        print(path.relative_to(OUT_DIR.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
