"""The local server's security headers in real Chromium: the pages work with them, and they do protect.

Every test that uses `browse` (product.py) already fails on any Content-Security-Policy violation; here, the
browser is shown to enforce them: an injected inline script does not run, and no page can be framed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .product import Product

pytest_plugins = ["tests.browser.product"]
pytestmark = pytest.mark.browser

CHALLENGE_PAGE = "/montreal-2026/challenges/heated-bus-shelters/"
COMMENTS_PAGE = "/api/challenges/heated-bus-shelters/comments?format=html&lang=fr"


@pytest.mark.parametrize("path", [CHALLENGE_PAGE, COMMENTS_PAGE, "/nowhere/"])
def test_what_the_browser_gets_is_protected(montreal: Product, browse, path):
    watched = browse(montreal)
    page = watched.page()
    response = page.goto(path)
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin" and "camera=()" in headers["permissions-policy"]

    # Inline code nobody hashed does not run, and is reported (the fixture would fail the test on it).
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; "
                  "document.head.append(s); }")  # fmt: skip
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.__ran") is None
    page.wait_for_timeout(200)  # the violation event is queued
    assert any("script-src" in entry for entry in watched.blocked), watched.blocked
    watched.blocked.clear()

    # Framed, even by a page of the same origin, the page is refused.
    page.goto(CHALLENGE_PAGE)
    page.evaluate(
        """(src) => new Promise((done) => { const f = document.createElement('iframe'); f.src = src;
           f.onload = done; document.body.append(f); setTimeout(done, 5000); })""",
        path,
    )
    framed = page.frames[-1]
    assert framed is not page.main_frame
    assert framed.url.startswith("chrome-error://") or framed.evaluate("() => document.body.innerText") == ""
