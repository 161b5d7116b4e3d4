#!/usr/bin/env python3
"""Page weight: what a first visit to a challenge page downloads, by type, measured in Chromium.

Not a test: a script that serves a built site (static files are enough: the API is left out), loads a challenge
page in the system Chromium with a cold cache, and records every response body from the network, grouped into
HTML, CSS, JS, images, fonts and other. The local server does not compress, so the raw bytes are recorded and
each resource is also gzipped at level 6, the figure a CDN would send. It also measures our own script,
overrides/assets/javascripts/participate.js: raw, gzipped, and minified with terser (through npx) if npm can
fetch it.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/bench_page_weight.py                  # builds the site in a temporary folder
    .venv/bin/python scripts/bench_page_weight.py --site site      # uses a site already built (make build)
    .venv/bin/python scripts/bench_page_weight.py --no-write       # prints only, leaves docs/benchmarks.md

The figures go into docs/benchmarks.md under "## Page weight": the section is appended, or replaced if a
previous run wrote it; the rest of the file is left as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "overrides" / "assets" / "javascripts" / "participate.js"
DOC = ROOT / "docs" / "benchmarks.md"
NOW = "2017-10-25T12:00:00+02:00"  # Paris open: the challenge page has its vote and comment forms
DEFAULT_PAGE = "/paris-2017/challenges/air-quality-sensors/"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KINDS = ("HTML", "CSS", "JS", "Images", "Fonts", "Other")
BY_RESOURCE_TYPE = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "image": "Images", "font": "Fonts"}
BY_SUFFIX = {
    ".html": "HTML",
    ".css": "CSS",
    ".js": "JS",
    ".png": "Images",
    ".svg": "Images",
    ".jpg": "Images",
    ".webp": "Images",
    ".ico": "Images",
    ".woff2": "Fonts",
    ".woff": "Fonts",
}
# Already compressed: a CDN sends these as they are.
INCOMPRESSIBLE = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif", ".woff2", ".woff"}
SECTION_START = "<!-- page-weight: written by scripts/bench_page_weight.py -->"
SECTION_END = "<!-- /page-weight -->"


def build(dest: Path) -> Path:
    """`mkdocs build --strict` in a private copy of the sources (builds of one checkout share .build/docs)."""
    source = dest.parent / "src"
    (source / ".build" / "docs").mkdir(parents=True)
    for name in ("mkdocs.yml", "content", "challenges", "overrides"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, source / name)
    env = {**os.environ, "DATACITY_NOW": NOW, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(source / "mkdocs.yml"), "-d", str(dest)]
    done = subprocess.run(cmd, cwd=source, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit("the build failed:\n" + (done.stdout + done.stderr)[-3000:])
    return dest


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Resource:
    url: str
    kind: str
    raw: int
    gzipped: int


@dataclass
class Visit:
    page: str
    resources: list[Resource] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    browser: str = ""

    def total(self, kind: str | None = None) -> tuple[int, int, int]:
        chosen = [r for r in self.resources if kind is None or r.kind == kind]
        return len(chosen), sum(r.raw for r in chosen), sum(r.gzipped for r in chosen)


def kind_of(resource_type: str, url: str) -> str:
    if resource_type in BY_RESOURCE_TYPE:
        return BY_RESOURCE_TYPE[resource_type]
    suffix = Path(urlsplit(url).path).suffix.lower()
    return BY_SUFFIX.get(suffix, "Other")


def measure(site: Path, page_path: str, width: int) -> Visit:
    from playwright.sync_api import sync_playwright

    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    visit = Visit(page_path)
    responses = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                visit.browser = f"Chromium {browser.version}"
                context = browser.new_context(viewport={"width": width, "height": 900}, base_url=origin)
                context.on("response", lambda response: responses.append(response))
                page = context.new_page()
                page.goto(page_path, wait_until="networkidle")
                page.wait_for_timeout(500)  # the search worker's index, if it comes
                for response in list(responses):
                    url = response.url
                    if not url.startswith(origin):
                        visit.left_out.append(f"{url} (another origin!)")
                        continue
                    if urlsplit(url).path.startswith("/api/"):
                        visit.left_out.append(f"{urlsplit(url).path} (API: not on the static server)")
                        continue
                    if response.status >= 300:
                        visit.left_out.append(f"{urlsplit(url).path} (HTTP {response.status})")
                        continue
                    try:
                        body = response.body()
                    except Exception as error:  # a body the browser did not keep (e.g. a worker's)
                        visit.left_out.append(f"{urlsplit(url).path} (body unavailable: {error})")
                        continue
                    kind = kind_of(response.request.resource_type, url)
                    compressible = Path(urlsplit(url).path).suffix.lower() not in INCOMPRESSIBLE
                    sent = len(gzip.compress(body, compresslevel=6)) if compressible else len(body)
                    visit.resources.append(Resource(url, kind, len(body), sent))
                context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return visit


def minified_size(path: Path) -> tuple[int | None, int | None, str]:
    """Bytes of terser's output (and gzipped), or None with the reason it could not be minified."""
    npx = shutil.which("npx")
    if npx is None:
        return None, None, "npx not found"
    try:
        done = subprocess.run(
            [npx, "--yes", "terser@5", str(path), "--compress", "--mangle"],
            capture_output=True,
            timeout=300,
            cwd=tempfile.gettempdir(),
        )
    except subprocess.TimeoutExpired:
        return None, None, "npx terser timed out"
    if done.returncode != 0 or not done.stdout:
        return None, None, "npx terser failed: " + done.stderr.decode(errors="replace").strip()[-300:]
    version = subprocess.run([npx, "--yes", "terser@5", "--version"], capture_output=True, text=True, timeout=120)
    return len(done.stdout), len(gzip.compress(done.stdout, compresslevel=6)), version.stdout.strip() or "terser 5"


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def report(visit: Visit, width: int, script: dict) -> str:
    today = dt.date.today().isoformat()
    lines = [
        SECTION_START,
        "## Page weight",
        "",
        f"What a first visit (cold cache) to a challenge page downloads: `{visit.page}`, {width} px wide, in "
        f"{visit.browser}, measured on {today} by `scripts/bench_page_weight.py` (response bodies from the network; "
        "1 KB = 1024 bytes). The local server does not compress: *raw* is what it sent, *gzip -6* is each "
        "resource compressed at level 6 (images already compressed are counted as they are), about what a CDN "
        "with compression sends.",
        "",
        "| Type | Files | Raw | gzip -6 |",
        "|------|------:|----:|--------:|",
    ]
    for kind in KINDS:
        count, raw, gz = visit.total(kind)
        lines.append(f"| {kind} | {count} | {kb(raw)} | {kb(gz)} |" if count else f"| {kind} | 0 | – | – |")
    count, raw, gz = visit.total()
    lines += [f"| **Total** | **{count}** | **{kb(raw)}** | **{kb(gz)}** |", ""]
    biggest = sorted(visit.resources, key=lambda r: r.raw, reverse=True)[:5]
    lines.append(
        "Largest files: "
        + "; ".join(f"`{urlsplit(r.url).path}` {kb(r.raw)} ({kb(r.gzipped)} gzipped)" for r in biggest)
        + "."
    )
    lines.append("")
    index = [r for r in visit.resources if urlsplit(r.url).path.endswith("/search_index.json")]
    if index:
        share_raw, share_gz = index[0].raw / raw, index[0].gzipped / gz
        lines.append(
            f"The search index alone is {share_raw:.0%} of the raw bytes ({share_gz:.0%} gzipped): Material's search "
            "worker fetches it on every first visit, before anyone searches. Without it the page weighs "
            f"{kb(raw - index[0].raw)} raw, {kb(gz - index[0].gzipped)} gzipped."
        )
        lines.append("")
    if visit.left_out:
        lines.append("Not counted: " + "; ".join(f"`{item}`" for item in visit.left_out) + ".")
        lines.append("")
    raw, gz = script["raw"], script["gzipped"]
    if script["min"] is not None:
        minified = f"minified with {script['terser']} (`--compress --mangle`): {kb(script['min'])} ({script['min']} bytes), {kb(script['min_gz'])} gzipped"
    else:
        minified = f"it could not be minified ({script['terser']})"
    lines += [
        f"Our own script, `overrides/assets/javascripts/participate.js`: {kb(raw)} raw ({raw} bytes), "
        f"{kb(gz)} gzipped; {minified}. The site serves it unminified.",
        SECTION_END,
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    """Append the section to docs/benchmarks.md, or replace the one a previous run wrote; keep everything else."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    pattern = re.compile(re.escape(SECTION_START) + r".*?" + re.escape(SECTION_END) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one in a temporary folder)")
    parser.add_argument("--page", default=DEFAULT_PAGE, help=f"the page to load (default: {DEFAULT_PAGE})")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--no-write", action="store_true", help="print the section without writing the file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else build(Path(tmp) / "site")
        if not (site / args.page.lstrip("/") / "index.html").is_file():
            sys.exit(f"{args.page} is not in {site}")
        visit = measure(site, args.page, args.width)
    raw = SCRIPT.read_bytes()
    minified, minified_gz, terser = minified_size(SCRIPT)
    script = {
        "raw": len(raw),
        "gzipped": len(gzip.compress(raw, compresslevel=6)),
        "min": minified,
        "min_gz": minified_gz,
        "terser": terser,
    }
    for r in sorted(visit.resources, key=lambda r: (KINDS.index(r.kind), -r.raw)):
        print(f"{r.kind:7} {r.raw:9,d} {r.gzipped:9,d}  {urlsplit(r.url).path}")
    section = report(visit, args.width, script)
    print()
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
