#!/usr/bin/env python3
"""`make check-pages`: build the site, serve it as `make serve` does, and check its pages with tools written by others.

1. `mkdocs build --strict` (DATACITY_NOW pinned, so that a consultation is open and its forms are on the pages;
   site_url set to the local server, so that canonical links, language alternates and the sitemap can be followed).
2. `api/serve.py --site` with the API on a temporary SQLite store, on a free port of 127.0.0.1.
3. The Nu Html Checker (vnu.jar) on every built HTML page, and on the DOM of each page type once its scripts ran.
4. Chromium: each page type in each language loads with no failed request, no request to another site and no
   JavaScript error; a one-word search on it returns results.
5. pa11y with HTML_CodeSniffer and axe-core (WCAG 2.1 AA) on each page type in each language.
6. LinkChecker from the home pages and the sitemap: every link and anchor of the site, and every sitemap URL.
7. Lighthouse 12 (mobile) on the home, a listing and a challenge page: accessibility, best practices and SEO must
   be 100; performance is printed, not checked (it moves by 10-20 points between runs on a shared machine;
   scripts/bench_page_weight.py measures it with the weights).

Exit 1 with every finding listed if any check fails. Needs the venv, Chromium, Java and the npm checkers
(scripts/install_page_checkers.sh; `make check-pages` runs both). Options: --site DIR (skip the build), --keep,
--only NAME (vnu, browser, pa11y, links, lighthouse; repeatable), --no-lighthouse.

What ran and what it found is written to .cache/check-pages/record.json (--record FILE): the tools, their versions,
how many pages each checked and its findings. `python -m tests.browser.accessibility_record` puts it into
content/accessibility-checks.json, so the accessibility statement lists these checks among the tests done.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
NOW = "2026-11-26T12:00:00+00:00"  # as in tests/browser: Montréal 2026 is open, Paris 2017 is closed
_CHROMIUM = json.loads((ROOT / "scripts" / "chromium.json").read_text(encoding="utf-8"))
CHROMIUM = os.environ.get("CHROMIUM", _CHROMIUM["path"])
CHROMIUM_ARGS: list[str] = _CHROMIUM["args"]
CHECKS = ("vnu", "browser", "pa11y", "links", "lighthouse")
LIGHTHOUSE_EXACT = ("accessibility", "best-practices", "seo")
LIGHTHOUSE_PAGES = ("home", "listing", "challenge")
RECORD = ROOT / ".cache" / "check-pages" / "record.json"
# The tools the accessibility statement names (tests/browser/accessibility_record.py), by their npm package.
RECORDED = {"Nu Html Checker": "vnu-jar", "pa11y": "pa11y", "Lighthouse": "lighthouse"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(dest: Path, origin: str) -> None:
    env = {**os.environ, "DATACITY_NOW": NOW, "DATACITY_SITE_URL": origin + "/", "NO_MKDOCS_2_WARNING": "1"}
    # Never -q with --strict: mkdocs then exits 0 on warnings.
    done = subprocess.run(
        [PY, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        sys.exit("check_pages: the site did not build:\n" + (done.stdout + done.stderr)[-4000:])


@contextmanager
def served(site: Path, port: int, data_dir: Path):
    """api/serve.py as `make serve` runs it (one worker is enough here), until the block ends."""
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "CATALOG_PATH": str(site / "catalog.json"),
        "SITE_ORIGIN": f"http://127.0.0.1:{port}",
    }
    cmd = [PY, "api/serve.py", "--site", str(site), "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    log = open(data_dir / "serve.log", "w")  # noqa: SIM115 - closed below, after the server
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                sys.exit("check_pages: the server did not start:\n" + (data_dir / "serve.log").read_text()[-3000:])
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def page_types(site: Path) -> dict[str, str]:
    """One page of each type (path in the default language), found in the built site's catalog."""
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    program_of = {p["id"]: p for p in catalog["programs"]}
    now = dt.datetime.fromisoformat(NOW)

    def open_now(challenge: dict) -> bool:  # `open`, and its window holds NOW (not a program yet to open)
        window = challenge.get("window") or {}
        return (
            challenge.get("status") == "open"
            and bool(window)
            and (dt.datetime.fromisoformat(window["opens"]) <= now < dt.datetime.fromisoformat(window["closes"]))
        )

    # Pages are checked in French and English (urls_to_check): challenges of programs published in both (Barcelona's
    # are in Catalan and Spanish only; the browser tests check every language).
    published = [c for c in catalog["challenges"] if {"fr", "en"} <= set(c.get("urls") or {})]
    open_ones = [c for c in published if open_now(c)]
    closed = [c for c in published if c.get("status") != "open"]
    challenge = (closed or published)[0]
    program = program_of[challenge["program"]]["id"]
    pages = {
        "home": "/",
        "program": f"/{program}/",
        "listing": f"/{program}/all/",
        "theme listing": f"/{program}/theme/{challenge['themes'][0]}/" if challenge.get("themes") else None,
        "challenge": "/" + challenge["urls"]["fr"],
        "open challenge": "/" + open_ones[0]["urls"]["fr"] if open_ones else None,
        "propose": f"/{open_ones[0]['program']}/propose/" if open_ones else None,
        "glossary": "/glossary/",
        "content page": "/privacy/",
        "search": "/search/",
        "my votes": "/my-votes/",
    }
    results = sorted(p.parent.name for p in site.glob("*/results/index.html"))
    if results:
        pages["results"] = f"/{results[0]}/results/"
    return {kind: path for kind, path in pages.items() if path and (site / path.strip("/") / "index.html").is_file()}


def in_language(path: str, lang: str) -> str:
    return path if lang == "fr" else f"/{lang}{path}"


def urls_to_check(site: Path) -> list[tuple[str, str]]:
    out = []
    for lang in ("fr", "en"):
        for kind, path in page_types(site).items():
            out.append((f"{kind} ({lang})", in_language(path, lang)))
    out.append(("404", "/no-such-page/at/all/"))
    return out


def run(cmd: list[str], timeout: int, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


# -- 3. The Nu Html Checker ---------------------------------------------------------------------------------------


def check_vnu(site: Path, rendered: dict[str, str], node_modules: Path, work: Path) -> list[str]:
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    files = sorted(str(p) for p in site.rglob("*.html") if "pagefind" not in p.parts)
    dom_dir = work / "rendered"
    dom_dir.mkdir(exist_ok=True)
    for i, (label, html) in enumerate(rendered.items()):
        name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        target = dom_dir / f"{i:02d}-{name}.html"
        target.write_text(html, encoding="utf-8")
        files.append(str(target))
    done = run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *files], timeout=600)
    try:
        messages = json.loads(done.stdout or done.stderr)["messages"]
    except (ValueError, KeyError):
        return [f"vnu did not run (exit {done.returncode}): {(done.stdout + done.stderr)[-1500:]}"]
    findings = []
    for m in messages:
        if m.get("type") == "error" or m.get("subType") == "fatal":
            where = m.get("url", "").replace("file:", "")
            where = os.path.relpath(where, site) if where.startswith(str(site)) else os.path.relpath(where, work)
            findings.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()}]")
    print(f"  vnu: {len(files)} documents ({len(rendered)} rendered by Chromium), {len(findings)} error(s)")
    return findings


# -- 4. Chromium: requests, errors, search -----------------------------------------------------------------------


def check_browser(origin: str, pages: list[tuple[str, str]]) -> tuple[list[str], dict[str, str]]:
    from playwright.sync_api import sync_playwright

    findings: list[str] = []
    rendered: dict[str, str] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=origin, viewport={"width": 1280, "height": 900})
            context.set_default_timeout(20_000)
            where = ""

            def on_response(response):
                path = urlsplit(response.url).path
                # The 404 page itself; and the API's documented answer "this browser has no voter code yet" (this
                # browser never voted), which the "my votes" page asks for and shows as such.
                expected_404 = (where == "404" and path.startswith("/no-such-page/")) or (
                    response.status == 404 and path == "/api/me/receipt"
                )
                if response.status >= 400 and not expected_404:
                    findings.append(f"{where}: {response.url} answered HTTP {response.status}")

            def on_request(request):
                if not request.url.startswith((origin + "/", "data:", "blob:")):
                    findings.append(f"{where}: a request to another site: {request.url}")

            def on_failed(request):
                if "ERR_ABORTED" not in (request.failure or ""):
                    findings.append(f"{where}: {request.url} failed ({request.failure})")

            context.on("response", on_response)
            context.on("request", on_request)
            context.on("requestfailed", on_failed)
            page = context.new_page()
            page.on("pageerror", lambda error: findings.append(f"{where}: JavaScript error: {error}"))
            for label, path in pages:
                where = label
                page.goto(path, wait_until="networkidle")
                rendered[label] = page.content()
            for lang, word in (("fr", "quartier"), ("en", "street")):
                where = f"search ({lang})"
                page.goto(in_language("/", lang), wait_until="networkidle")
                page.locator("#dc-search-input").click()
                page.keyboard.type(word, delay=20)
                try:
                    page.locator(".dc-search__result").first.wait_for()
                except Exception:  # noqa: BLE001 - reported as a finding
                    findings.append(f"{where}: no result for '{word}' in the header's search")
                page.wait_for_load_state("networkidle")
                rendered[f"home with search results ({lang})"] = page.content()
        finally:
            browser.close()
    print(f"  Chromium: {len(pages)} pages and 2 searches, {len(findings)} problem(s)")
    return findings, rendered


# -- 5. pa11y --------------------------------------------------------------------------------------------------------


def check_pa11y(origin: str, pages: list[tuple[str, str]], node_modules: Path) -> list[str]:
    script = ROOT / "scripts" / "page_checkers" / "pa11y_pages.js"
    urls = [origin + path for _, path in pages]
    env = {**os.environ, "NODE_PATH": str(node_modules), "PUPPETEER_SKIP_DOWNLOAD": "1", "CHROMIUM": CHROMIUM}
    done = run(["node", str(script), *urls], timeout=900, env=env)
    if done.returncode != 0:
        return [f"pa11y did not run (exit {done.returncode}): {done.stderr[-2000:]}"]
    found = json.loads(done.stdout)
    findings = []
    labels = {origin + path: label for label, path in pages}
    for url, issues in found.items():
        for issue in issues:
            findings.append(
                f"{labels.get(url, url)}: [{issue['runner']}] {issue['code']}: {issue['message']} "
                f"at {issue['selector']} {issue['context'][:160]!r}"
            )
    print(f"  pa11y (htmlcs + axe, WCAG2AA): {len(urls)} pages, {len(findings)} issue(s)")
    return findings


# -- 6. LinkChecker --------------------------------------------------------------------------------------------------


@contextmanager
def static_for_linkchecker(site: Path):
    """The same site folder over the standard library's server, adding the `LinkChecker` header.

    LinkChecker waits 0.1-0.6 s between two requests to a host unless its answers carry that header (its way of
    being allowed to crawl fast): 3,000 links and anchors took 5 minutes. The API is not crawled (see below), so the
    static files are enough for this check.
    """
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("LinkChecker", "allowed")
            super().end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def check_links(site: Path, work: Path) -> list[str]:
    linkchecker = Path(PY).parent / "linkchecker"
    config = work / "linkcheckerrc"
    # Only the site itself, nothing on other sites. Not the anchors: LinkChecker's AnchorCheck fetches a page again
    # for each of its 2,500 #fragments (4-5 minutes here); MkDocs validates them at build time and tests/site checks
    # every built link's target. The API's links (/api/me/receipt...) answer according to the visitor's cookie (404: "nothing recorded for you"):
    # tests/api checks them, not a crawler.
    config.write_text("[checking]\nthreads=8\n[filtering]\ncheckextern=0\nignore=\n  /api/\n", encoding="utf-8")
    with static_for_linkchecker(site) as origin:
        # Started as root (CI) it runs as "nobody": its report comes on standard output, not in a file.
        cmd = [str(linkchecker), "--config", str(config), "--no-status", "--output", "csv"]
        cmd += [f"{origin}/", f"{origin}/en/", f"{origin}/sitemap.xml"]
        done = run(cmd, timeout=900, cwd=tempfile.gettempdir())
    if done.returncode not in (0, 1) or "urlname" not in done.stdout:
        return [f"linkchecker did not run (exit {done.returncode}): {(done.stdout + done.stderr)[-2000:]}"]
    import csv

    lines = [line for line in done.stdout.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    findings = []
    for row in rows:
        where = (row.get("parentname") or "(start)").replace(origin, "")
        if row.get("valid") not in ("True", "1"):
            findings.append(f"{where}: {row.get('urlname')} -> {row.get('result')}")
        elif row.get("warningstring"):
            findings.append(f"{where}: {row.get('urlname')} -> {row['warningstring']}")
    stats = re.search(r"(\d+) links? in (\d+) URLs", done.stdout + done.stderr)
    checked = f"{stats.group(1)} links in {stats.group(2)} URLs" if stats else "the site"
    print(f"  LinkChecker: {checked} checked, {len(findings)} problem(s)")
    return findings


# -- 7. Lighthouse ---------------------------------------------------------------------------------------------------


def lighthouse(origin: str, path: str, node_modules: Path, work: Path) -> dict:
    report = work / f"lighthouse-{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-') or 'home'}.json"
    cmd = [
        "node",
        str(node_modules / "lighthouse" / "cli" / "index.js"),
        origin + path,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=" + " ".join(CHROMIUM_ARGS),
    ]
    # On a loaded machine Chromium's trace sometimes misses the navigation's start (NO_NAVSTART, NO_FCP): Lighthouse
    # itself says to run it again, which is a fact about the trace, not about the page; a third miss is reported.
    for _attempt in range(3):
        report.unlink(missing_ok=True)
        done = run(cmd, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM})
        if done.returncode == 0 and report.exists():
            return json.loads(report.read_text(encoding="utf-8"))
        if "run Lighthouse again" not in done.stderr:
            break
    raise RuntimeError(f"lighthouse failed on {path} (exit {done.returncode}): {done.stderr[-1500:]}")


def check_lighthouse(origin: str, site: Path, node_modules: Path, work: Path) -> list[str]:
    types = page_types(site)
    findings = []
    for kind in LIGHTHOUSE_PAGES:
        try:
            result = lighthouse(origin, types[kind], node_modules, work)
        except RuntimeError as error:
            findings.append(str(error))
            continue
        scores = {name: round((cat["score"] or 0) * 100) for name, cat in result["categories"].items()}
        print(f"  Lighthouse (mobile) {kind} {types[kind]}: " + ", ".join(f"{k} {v}" for k, v in scores.items()))
        for name in LIGHTHOUSE_EXACT:
            if scores.get(name) != 100:
                failed = [
                    f"{a['id']} ({a['title']})"
                    for ref in result["categories"][name]["auditRefs"]
                    if ref["weight"] and (a := result["audits"][ref["id"]])["score"] not in (None, 1)
                ]
                findings.append(f"{kind}: Lighthouse {name} {scores.get(name)}: " + "; ".join(failed))
    return findings


@contextmanager
def timed(name: str):
    start = time.monotonic()
    yield
    print(f"    ({name}: {time.monotonic() - start:.0f} s)", flush=True)


def write_record(path: Path, checked: dict[str, int], findings: dict[str, list[str]], node_modules: Path) -> None:
    """What the statement's tools ran: name, version (its npm package's), pages checked, findings, the day."""
    tools = []
    for name, package in RECORDED.items():
        if name not in checked:
            continue
        meta = json.loads((node_modules / package / "package.json").read_text(encoding="utf-8"))
        tools.append(
            {"name": name, "version": meta["version"], "pages": checked[name], "problems": len(findings[name])}
        )
    record = {"date": dt.datetime.now(dt.UTC).date().isoformat(), "standard": "WCAG 2.1 AA", "tools": tools}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"check_pages: {path} records {', '.join(t['name'] for t in tools) or 'no tool'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site built for http://127.0.0.1:PORT/ (with --port)")
    parser.add_argument("--port", type=int, help="the port the site was built for (default: a free one)")
    parser.add_argument("--only", action="append", choices=CHECKS, help="run only these checks (repeatable)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (site, reports)")
    parser.add_argument("--record", type=Path, default=RECORD, help=f"where to write what ran (default: {RECORD})")
    args = parser.parse_args()
    checks = set(args.only or CHECKS) - ({"lighthouse"} if args.no_lighthouse else set())

    started = time.monotonic()
    installed = run([str(ROOT / "scripts" / "install_page_checkers.sh")], timeout=900)
    if installed.returncode != 0:
        sys.exit(installed.stderr.strip() or "check_pages: scripts/install_page_checkers.sh failed")
    node_modules = Path(installed.stdout.strip().splitlines()[-1])

    work = Path(tempfile.mkdtemp(prefix="datacity-check-pages-"))
    port = args.port or free_port()
    origin = f"http://127.0.0.1:{port}"
    findings: dict[str, list[str]] = {}
    checked: dict[str, int] = {}  # pages each recorded tool checked
    try:
        site = args.site.resolve() if args.site else work / "site"
        if not args.site:
            print(f"check_pages: building the site for {origin}/ ...", flush=True)
            build(site, origin)
        data = work / "data"
        data.mkdir()
        pages = urls_to_check(site)
        with served(site, port, data) as origin:
            print(f"check_pages: {len(pages)} pages ({len(page_types(site))} types x 2 languages, and the 404)")
            rendered: dict[str, str] = {}
            if checks & {"browser", "vnu"}:
                with timed("Chromium"):
                    findings["Chromium"], rendered = check_browser(origin, pages)
                if "browser" not in checks:
                    findings.pop("Chromium")
            if "vnu" in checks:
                with timed("vnu"):
                    findings["Nu Html Checker"] = check_vnu(site, rendered, node_modules, work)
                # Every built page, and the DOM of each page type once its scripts ran (check_vnu's documents).
                built = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
                checked["Nu Html Checker"] = len(built) + len(rendered)
            if "pa11y" in checks:
                with timed("pa11y"):
                    findings["pa11y"] = check_pa11y(origin, pages, node_modules)
                checked["pa11y"] = len(pages)
            if "links" in checks:
                with timed("links"):
                    findings["LinkChecker"] = check_links(site, work)
            if "lighthouse" in checks:
                with timed("lighthouse"):
                    findings["Lighthouse"] = check_lighthouse(origin, site, node_modules, work)
                checked["Lighthouse"] = len(LIGHTHOUSE_PAGES)
    finally:
        if args.keep:
            print(f"check_pages: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    write_record(args.record, checked, findings, node_modules)
    failed = {name: items for name, items in findings.items() if items}
    for name, items in failed.items():
        print(f"\n{name}: {len(items)} finding(s)")
        for item in items[:60]:
            print(f"  {item}")
        if len(items) > 60:
            print(f"  ... and {len(items) - 60} more")
    elapsed = time.monotonic() - started
    if failed:
        print(f"\ncheck_pages: FAILED ({', '.join(failed)}) in {elapsed:.0f} s")
        return 1
    print(f"\ncheck_pages: all green ({', '.join(findings)}) in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
