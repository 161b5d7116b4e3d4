"""The whole product for browser tests: the built site and the API on one origin (api/serve.py), clock pinned.

Loaded as a plugin by the test modules that need it (`pytest_plugins = ["tests.browser.product"]`), so its
session fixtures exist once per session however many modules use them.

Two servers, each in its own process: the API keeps its service, its site origin (CORS, Origin checks) and its
clock in module globals, so one process can only be one origin at one pinned time.

- `paris`: the site built on DATACITY_NOW=2017-10-25 (Paris open, Montréal upcoming), API clock on the same
  instant. Votes, comments, reports and proposals are accepted for Paris.
- `montreal`: the site built on 2026-11-26 (Montréal open, Paris closed), API clock on the same instant. This is
  the build the other browser tests use (conftest's `site_dir`), so the whole browser suite builds twice, not
  three times. The API clock decides what is accepted; the build time decides the static state text only.

Each server has its own temporary DATA_DIR. Per-IP rate limits are raised: every browser context of the tests
comes from 127.0.0.1, which would otherwise look like one very busy citizen. Per-token limits stay as shipped.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import DESKTOP, same_origin

ROOT = Path(__file__).resolve().parents[2]
PARIS_NOW = "2017-10-25T12:00:00+02:00"
MONTREAL_NOW = "2026-11-26T12:00:00+00:00"
# Lyon 2027 open: its residents confirm by email before voting (participation: [email]).
LYON_NOW = "2027-09-20T12:00:00+02:00"
BUILD_TIMEOUT = 300  # seconds
# What a build reads, but results/: these builds stand at a time when nothing has been exported yet.
SOURCES = ("mkdocs.yml", "content", "challenges", "overrides")
START_TIMEOUT = 60  # seconds for the API server to answer /api/health
SERVER_LIFETIME = 1200  # seconds: a server stops itself even if the test session never tears it down
RAISED_IP_LIMITS = {
    f"RATE_{action}_PER_IP": "100000" for action in ("VOTES", "COMMENTS", "REPORTS", "PROPOSALS", "VERIFICATIONS")
}

# Runs api/serve.py, but exits when the test process that started it dies or after SERVER_LIFETIME seconds,
# so that an interrupted session never leaves a server behind.
_BOOT = """
import os, runpy, sys, threading, time
parent, lifetime = os.getppid(), float(sys.argv[1])
def watch():
    start = time.monotonic()
    while os.getppid() == parent and time.monotonic() - start < lifetime:
        time.sleep(1)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def start_build(dest: Path, now: str) -> subprocess.Popen:
    """Start `mkdocs build --strict` with the pages' build time pinned; finish it with wait_build().

    The build runs in a private copy of the sources: MkDocs' docs_dir (.build/docs, where the plugin writes the
    generated pages) is shared by every build of one checkout, so two builds at once would mix their pages.
    """
    source = dest.parent / f"{dest.name}-src"
    (source / ".build" / "docs").mkdir(parents=True)
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name)
    env = {**os.environ, "DATACITY_NOW": now, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(source / "mkdocs.yml"), "-d", str(dest)]
    log = (dest.parent / f"{dest.name}-build.log").open("wb")
    try:
        return subprocess.Popen(cmd, cwd=source, env=env, stdout=log, stderr=subprocess.STDOUT)
    finally:
        log.close()


def wait_build(process: subprocess.Popen, dest: Path) -> Path:
    """Wait for a build; raises RuntimeError with the end of its log if it failed or took too long."""
    try:
        code = process.wait(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        stop_process(process)
        code = "timeout"
    if code != 0 or not (dest / "catalog.json").is_file():
        log = (dest.parent / f"{dest.name}-build.log").read_text(errors="replace").strip().splitlines()
        raise RuntimeError(f"`mkdocs build` of {dest} failed ({code}):\n" + "\n".join(log[-40:]))
    return dest


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def cookie(self) -> str | None:
        """The `name=value` part of the Set-Cookie header, to send back as Cookie."""
        value = self.headers.get("set-cookie")
        return value.split(";", 1)[0] if value else None


@dataclass
class Product:
    """One running server: the site at /, the API at /api, on `origin`."""

    name: str
    origin: str
    site: Path
    data_dir: Path
    now: str
    process: subprocess.Popen
    log: Path

    def url(self, path: str) -> str:
        return self.origin + path

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: dict | None = None,
        form: dict | None = None,
        cookie: str | None = None,
        lang: str = "fr",
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """An API request as the site's own pages make it (same Origin); `path` starts after /api. `headers`: more
        (a staff token's Authorization)."""
        headers = {"Origin": self.origin, "Accept-Language": lang, **(headers or {})}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif method != "GET":
            body = b""
        if cookie:
            headers["Cookie"] = cookie
        host, port = self.origin.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request(method, "/api" + path, body=body, headers=headers)
            response = conn.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()

    def query(self, sql: str, *params) -> list[tuple]:
        """Read the server's SQLite store directly (read-only), e.g. to see what was stored verbatim."""
        db = sqlite3.connect(f"file:{self.data_dir / 'datacity.sqlite3'}?mode=ro", uri=True, timeout=30)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health(origin: str) -> bool:
    host, port = origin.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("GET", "/api/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def start(name: str, site: Path, data_dir: Path, now: str) -> Product:
    """Start api/serve.py on a free port of 127.0.0.1 and wait until its API answers."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"{name}-server.log"
    env = {
        **os.environ,
        **RAISED_IP_LIMITS,
        "DATA_DIR": str(data_dir),
        "CATALOG_PATH": str(site / "catalog.json"),
        "DATACITY_NOW": now,
        "DATACITY_QUIET": "1",
        "STORE": "sqlite",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("SITE_ORIGIN", None)  # serve.py sets it from the port
    for _attempt in range(3):  # another process may take the free port between the check and the bind
        port = _free_port()
        origin = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-c", _BOOT, str(SERVER_LIFETIME), str(ROOT / "api" / "serve.py")]
        cmd += ["--site", str(site), "--host", "127.0.0.1", "--port", str(port)]
        with log.open("ab") as out:
            process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _health(origin):
                return Product(name, origin, site, data_dir, now, process, log)
            time.sleep(0.2)
        stop_process(process)
    raise RuntimeError(f"the {name} server did not start; its log:\n{log.read_text(errors='replace')[-3000:]}")


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def montreal_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The other browser tests' build when it is pinned on the same day (it is), else a build of our own."""
    from . import conftest

    if getattr(conftest, "NOW", None) == MONTREAL_NOW:
        return request.getfixturevalue("site_dir")
    dest = tmp_path_factory.mktemp("site-2026")
    try:
        return wait_build(start_build(dest, MONTREAL_NOW), dest)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def paris_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built on 2017-10-25, while the 2026 build runs: the two builds overlap (private sources)."""
    dest = tmp_path_factory.mktemp("site-2017")
    process = start_build(dest, PARIS_NOW)
    try:
        request.getfixturevalue("montreal_site")
    finally:
        try:
            wait_build(process, dest)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
    return dest


def _serve(name: str, site: Path, now: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    try:
        product = start(name, site, tmp_path_factory.mktemp(f"{name}-data") / "data", now)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield product
    finally:
        stop_process(product.process)


@pytest.fixture(scope="session")
def paris(paris_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    """Paris 2017 open (post-moderation, live tallies): site built and API clock on 2017-10-25."""
    yield from _serve("paris", paris_site, PARIS_NOW, tmp_path_factory)


@pytest.fixture(scope="session")
def montreal(montreal_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    """Montréal 2026 open (pre-moderation, tallies hidden until the close), Paris closed: 2026-11-26."""
    yield from _serve("montreal", montreal_site, MONTREAL_NOW, tmp_path_factory)


@dataclass
class Watched:
    """What the pages of one browser context did: every request, script errors, dialogs."""

    product: Product
    context: BrowserContext
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # Content-Security-Policy violations
    # Answers to the confirmations a test expects (True: OK), taken in order; what they asked, once answered.
    answers: list[bool] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)

    def page(self) -> Page:
        return self.context.new_page()

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not same_origin(u, self.product.origin)]

    def api_requests(self) -> list[str]:
        return [u for u in self.requests if u.startswith(self.product.origin + "/api/")]


# Reports every Content-Security-Policy violation of a page (the local server sends production's policies).
_CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => window.__dcBlocked(
  `${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"} (${e.sourceFile}:${e.lineNumber})`));
"""


def _watch_page(watched: Watched, page: Page) -> None:
    page.on("pageerror", lambda error: watched.errors.append(f"{page.url}: {error}"))

    def on_dialog(dialog) -> None:
        if dialog.type == "confirm" and watched.answers:
            watched.answered.append(dialog.message)
            dialog.accept() if watched.answers.pop(0) else dialog.dismiss()
            return
        watched.dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)


@pytest.fixture
def browse(browser: Browser) -> Iterator[Callable[..., Watched]]:
    """A factory of watched browser contexts on a product server: browse(paris, java_script_enabled=False).

    At the end of the test, fails if any page asked anything of another origin, raised a script error, opened a
    dialog (alert, confirm, prompt) or had something blocked by the security headers the server sends.
    """
    opened: list[Watched] = []
    expect.set_options(timeout=15_000)  # the default 5 s is short on a busy machine

    def make(product: Product, **options) -> Watched:
        options = {"base_url": product.origin, "viewport": DESKTOP, "locale": "fr-FR", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        watched = Watched(product, context)
        context.on("request", lambda r: watched.requests.append(r.url))
        context.on("page", lambda p: _watch_page(watched, p))
        context.expose_function("__dcBlocked", lambda text: watched.blocked.append(text))
        context.add_init_script(_CSP_WATCH)
        opened.append(watched)
        return watched

    yield make
    problems: list[str] = []
    for watched in opened:
        watched.context.close()
        problems += [f"request to another origin: {u}" for u in watched.foreign()]
        problems += [f"script error: {e}" for e in watched.errors]
        problems += [f"dialog: {d}" for d in watched.dialogs]
        problems += [f"blocked by the Content-Security-Policy: {b}" for b in watched.blocked]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def lyon_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built on 2027-09-20 (Lyon 2027 open; its votes need a verified resident)."""
    dest = tmp_path_factory.mktemp("site-2027")
    try:
        return wait_build(start_build(dest, LYON_NOW), dest)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def lyon(lyon_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    """Lyon 2027 open (email verification, live tallies): site built and API clock on 2027-09-20; mail to the
    local outbox, shown at /api/outbox (the local stage's MAIL=outbox and OUTBOX_PAGE=true)."""
    yield from _serve("lyon", lyon_site, LYON_NOW, tmp_path_factory)
