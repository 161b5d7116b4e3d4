"""The site's Content-Security-Policy, exactly as packaged for prod, breaks nothing in real Chromium.

The built site is served with the policy from the prod template's response headers policy; every page type loads
(and the search runs its worker) without a single CSP violation. Hashes that do not match the built pages would
show up here as "Refused to execute inline script".
"""

from __future__ import annotations

import functools
import json
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


def site_policy(template: dict) -> str:
    config = template["Resources"]["SiteResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    # Served over plain HTTP on 127.0.0.1 here: upgrading requests to https would break the test, not the site.
    return "; ".join(d.strip() for d in policy.split(";") if d.strip() != "upgrade-insecure-requests")


@pytest.fixture(scope="module")
def origin(infra_site: Path, prod):
    policy = site_policy(prod)

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(infra_site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def page(origin):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium`", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=origin)
        context.add_init_script(WATCH)
        page = context.new_page()
        page.set_default_timeout(15_000)
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
        page.csp_console = messages
        yield page
        browser.close()


def pages(site: Path) -> list[str]:
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    # A program published in French and English (not every program is: Barcelona is in Catalan and Spanish).
    challenge = next(c["urls"] for c in catalog["challenges"] if {"fr", "en"} <= set(c["urls"]))
    program = next(p["urls"] for p in catalog["programs"] if {"fr", "en"} <= set(p["urls"]))
    return ["/", "/en/", f"/{program['fr']}", f"/{challenge['fr']}", f"/{challenge['en']}", "/glossary/", "/404.html"]


def violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.csp_console


def test_every_page_type_runs_under_the_policy(page, infra_site):
    for path in pages(infra_site):
        page.csp_console.clear()
        page.goto(path, wait_until="load")
        page.wait_for_timeout(200)  # late scripts (tooltips, participation) have run
        assert violations(page) == [], f"{path}: {violations(page)}"
        assert page.evaluate("typeof __md_scope") == "object", f"{path}: material's inline script did not run"


def test_search_works_under_the_policy(page):
    page.csp_console.clear()
    page.goto("/", wait_until="load")
    page.locator("#dc-search-input").click()
    page.keyboard.type("eau", delay=20)
    page.wait_for_selector(".dc-search__result", timeout=15_000)
    assert violations(page) == []
