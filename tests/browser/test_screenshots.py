"""Screenshots for people to look at (screenshots/), and no page scrolls sideways on a phone."""

from __future__ import annotations

import pytest

from .screenshots import OUT_DIR, capture, png_size

pytestmark = pytest.mark.browser


def test_screenshots_of_every_page_type(new_context):
    shots = capture(new_context, OUT_DIR)
    assert shots, "no screenshot taken"
    problems = []
    for path, scroll_width in sorted(shots.items()):
        width = int(path.stem.rsplit("-", 1)[1])
        png_width, png_height = png_size(path)
        if scroll_width > width or png_width != width:
            problems.append(f"{path.name}: the page is {scroll_width}px wide in a {width}px window")
        if png_height < 300:
            problems.append(f"{path.name}: only {png_height}px high")
    assert not problems, "\n".join(problems)
