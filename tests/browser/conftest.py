"""Browser tests: build the site once, serve it on 127.0.0.1, and drive Debian's Chromium with Playwright.

Playwright cannot download its own browsers here, so the system Chromium is launched (`make chromium`).
Skip these tests with `pytest -m "not browser"`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
# Pinned so that "open", "closed" and "upcoming" states do not depend on the day the tests run.
NOW = "2026-11-26T12:00:00+00:00"
_CHROMIUM = json.loads((ROOT / "scripts" / "chromium.json").read_text(encoding="utf-8"))
CHROMIUM = os.environ.get("CHROMIUM", _CHROMIUM["path"])
CHROMIUM_ARGS: list[str] = _CHROMIUM["args"]
BUILD_TIMEOUT = 300  # seconds
SERVER_LIFETIME = 900  # seconds: the server stops itself even if the session never tears down
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def build_site(dest: Path) -> Path:
    """`mkdocs build --strict` of the repository into dest; raises RuntimeError with the log on failure."""
    env = {**os.environ, "DATACITY_NOW": NOW, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if done.returncode != 0 or not (dest / "index.html").is_file():
        log = (done.stdout + done.stderr).strip().splitlines()
        raise RuntimeError(f"`{' '.join(cmd[1:])}` failed (exit {done.returncode}):\n" + "\n".join(log[-40:]))
    return dest


class _QuietHandler(SimpleHTTPRequestHandler):
    timeout = 10  # a stuck connection frees its thread after this many seconds

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The browser drops connections it no longer needs; that is not a test failure.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, lifetime: float = SERVER_LIFETIME) -> Iterator[str]:
    """Serve a directory on a free port of 127.0.0.1; yields the origin, e.g. http://127.0.0.1:40123."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    watchdog = threading.Timer(lifetime, server.shutdown)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright) -> Browser:
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f'Chromium not found at {CHROMIUM}: run `make chromium`, or skip with -m "not browser"')
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def browser_on_a_fresh_build() -> Iterator[tuple[Browser, str]]:
    """Chromium and the address of a fresh build of the site, served: for the runnable helpers of this folder
    (screenshots.py, accessibility_record.py), which run outside pytest."""
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(Path(tmp) / "site")
        with serve(site) as base_url, sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                yield browser, base_url
            finally:
                browser.close()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        return build_site(tmp_path_factory.mktemp("site"))
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        yield chromium
        chromium.close()


def same_origin(address: str, origin: str) -> bool:
    """True for the site's own URLs (and data:/blob: URLs, which never leave the browser)."""
    if address.startswith(("data:", "blob:")):
        return True
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}" == origin


@pytest.fixture
def new_context(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    """A factory of browser contexts on the served site; takes Browser.new_context() options.

    Every test that uses it also checks that no page asked anything of another site (no fonts, analytics,
    CDNs): the site promises its readers that nothing leaks to third parties.
    """
    contexts: list[BrowserContext] = []
    foreign: list[str] = []

    def make(**options) -> BrowserContext:
        options = {"base_url": base_url, "viewport": DESKTOP, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        context.on("request", lambda r: same_origin(r.url, base_url) or foreign.append(r.url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not foreign, "requests to other sites:\n" + "\n".join(foreign)


@pytest.fixture
def page(new_context) -> Page:
    """A desktop-sized page with JavaScript on."""
    return new_context().new_page()
