#!/usr/bin/env python3
"""Page weight: what a first visit transfers, measured in Chromium, on the example site and on generated sites.

Not a test: a script. For each site (the repository's example site; generated sites of 1,000 and 5,000 challenges
made by scripts/bench_site.py's generator), it builds the site, serves it with `api/serve.py --site` (whatever
serves the site: compression and cache headers are that server's business), and loads the home, a listing and a
challenge page in the system Chromium, each with a cold cache. For every response it records the bytes Chromium
received (`encodedDataLength`: headers and body as they came over the wire, so compressed if the server
compresses) and computes the body's gzip -6 size (what a server that compresses would send; images already
compressed are counted as they are). Then the cost of one search: the bytes the header's search fetches (Pagefind's
script, worker, WebAssembly, index and fragments) for a one-word query. With --lighthouse it also runs
Lighthouse 12 (mobile) on the three pages of each site.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/bench_page_weight.py                       # example + 1,000 + 5,000 challenges
    .venv/bin/python scripts/bench_page_weight.py --sizes 0             # the example site only
    .venv/bin/python scripts/bench_page_weight.py --lighthouse --no-write

The figures go into docs/benchmarks.md under "## Page weight" (replaced if a previous run wrote it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_site  # noqa: E402 - the synthetic content generator
import check_pages  # noqa: E402 - the server and Lighthouse, as make check-pages runs them

SCRIPT = ROOT / "overrides" / "assets" / "javascripts" / "participate.js"
DOC = ROOT / "docs" / "benchmarks.md"
EXAMPLE_NOW = "2017-10-25T12:00:00+02:00"  # Paris open: the challenge page has its vote and comment forms
CHROMIUM = check_pages.CHROMIUM
CHROMIUM_ARGS = check_pages.CHROMIUM_ARGS
BY_RESOURCE_TYPE = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "image": "Images", "font": "Fonts"}
INCOMPRESSIBLE = {
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".gif",
    ".avif",
    ".woff2",
    ".woff",
    ".pagefind",
    ".pf_meta",
    ".pf_index",
    ".pf_fragment",
}  # Pagefind's files are gzipped already
SECTION_START = "<!-- page-weight: written by scripts/bench_page_weight.py -->"
SECTION_END = "<!-- /page-weight -->"
BUDGET = 60 * 1024


@dataclass
class Load:
    label: str
    path: str
    received: int = 0  # bytes Chromium received (headers + body, as sent)
    gzipped: int = 0  # body bytes at gzip -6 (+ the same headers)
    files: list[tuple[str, int, int]] = field(default_factory=list)
    api: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    encodings: dict[str, int] = field(default_factory=dict)  # Content-Encoding as sent -> files


def build_example(dest: Path, port: int) -> tuple[Path, str]:
    """The repository's example site in a private copy of the sources, built for the local server's address."""
    source = dest / "src"
    (source / ".build" / "docs").mkdir(parents=True)
    for name in ("mkdocs.yml", "content", "challenges", "overrides", "results"):
        if (ROOT / name).exists():
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, source / name)
    return _build(source, EXAMPLE_NOW, port), EXAMPLE_NOW


def build_generated(dest: Path, challenges: int, port: int) -> tuple[Path, str]:
    now = dt.datetime.fromisoformat(bench_site.DEFAULT_NOW)
    args = SimpleNamespace(challenges=challenges, programs=5, seed=2017)
    info = bench_site.make_root(dest, args, now, bench_site._env(bench_site.DEFAULT_NOW))
    return _build(Path(info["root"]), bench_site.DEFAULT_NOW, port), bench_site.DEFAULT_NOW


def _build(source: Path, now: str, port: int) -> Path:
    env = {
        **os.environ,
        "DATACITY_NOW": now,
        "NO_MKDOCS_2_WARNING": "1",
        "DATACITY_SITE_URL": f"http://127.0.0.1:{port}/",
    }
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(source / "mkdocs.yml"),
        "-d",
        str(source / "site"),
    ]
    done = subprocess.run(cmd, cwd=source, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        sys.exit("the build failed:\n" + (done.stdout + done.stderr)[-3000:])
    return source / "site"


def pages_of(site: Path) -> list[tuple[str, str]]:
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    newest = sorted(catalog["programs"], key=lambda p: -p["season"])[0]["id"]
    challenge = next(c for c in catalog["challenges"] if c["program"] == newest)
    return [("home", "/"), ("listing", f"/{newest}/all/"), ("challenge", "/" + challenge["urls"]["fr"])]


def search_word(site: Path, path: str) -> str:
    html = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    title = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
    return max(re.findall(r"\w+", title), key=len).lower()


def _record(load: Load, response, origin: str) -> None:
    url, path = response.url, urlsplit(response.url).path
    if not url.startswith(origin):
        load.failed.append(f"{url} (another site!)")
        return
    sizes = response.request.sizes()
    received = sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
    if path.startswith("/api/"):
        load.api.append(f"{path} {response.status}, {received} B")
        return
    if response.status >= 400:
        load.failed.append(f"{path} (HTTP {response.status})")
    try:
        body = response.body()
    except Exception:  # noqa: BLE001 - a worker's body may be gone; count what came
        body = b""
    compressible = Path(path).suffix.lower() not in INCOMPRESSIBLE
    gz = (len(gzip.compress(body, compresslevel=6)) if compressible else len(body)) + sizes["responseHeadersSize"]
    load.received += received
    load.gzipped += gz
    encoding = response.headers.get("content-encoding", "none")
    load.encodings[encoding] = load.encodings.get(encoding, 0) + 1
    load.files.append((path, received, gz))


def measure(origin: str, site: Path, width: int) -> tuple[list[Load], Load, str]:
    from playwright.sync_api import sync_playwright

    loads: list[Load] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for label, path in pages_of(site):
                context = browser.new_context(viewport={"width": width, "height": 900}, base_url=origin)
                load = Load(label, path)
                context.on("requestfinished", lambda request, load=load: _record(load, request.response(), origin))
                page = context.new_page()
                page.goto(path, wait_until="networkidle")
                page.wait_for_timeout(300)
                loads.append(load)
                context.close()
            # A one-word search from the challenge page, after its first visit: only Pagefind's requests count.
            word = search_word(site, loads[-1].path)
            context = browser.new_context(viewport={"width": width, "height": 900}, base_url=origin)
            page = context.new_page()
            page.goto(loads[-1].path, wait_until="networkidle")
            search = Load("search", word)
            context.on("requestfinished", lambda request: _record(search, request.response(), origin))
            page.locator("#dc-search-input").click()
            page.keyboard.type(word, delay=30)
            page.locator(".dc-search__result").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            context.close()
            version = browser.version
        finally:
            browser.close()
    return loads, search, version


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def measure_site(label: str, site: Path, port: int, width: int, lighthouse: bool, work: Path) -> dict:
    data = work / f"data-{port}"
    data.mkdir()
    with check_pages.served(site, port, data) as origin:
        loads, search, version = measure(origin, site, width)
        scores = {}
        if lighthouse:
            installed = subprocess.run(
                [str(ROOT / "scripts" / "install_page_checkers.sh")], capture_output=True, text=True
            )
            node_modules = Path(installed.stdout.strip().splitlines()[-1])
            for load in loads:
                result = check_pages.lighthouse(origin, load.path, node_modules, work)
                scores[load.label] = {k: round((c["score"] or 0) * 100) for k, c in result["categories"].items()}
    pages = sum(1 for _ in site.rglob("index.html"))
    return {"label": label, "pages": pages, "loads": loads, "search": search, "browser": version, "scores": scores}


def _served_as(results: list[dict]) -> str:
    """What the server did, read from the answers' Content-Encoding rather than assumed."""
    counts: dict[str, int] = {}
    for r in results:
        for load in r["loads"]:
            for encoding, n in load.encodings.items():
                counts[encoding] = counts.get(encoding, 0) + n
    compressed = {k: v for k, v in counts.items() if k != "none"}
    if not compressed:
        return "The server of this run sent every body uncompressed, so *received* is the uncompressed weight."
    said = ", ".join(f"{k} for {v} files" for k, v in sorted(compressed.items()))
    return (
        f"The server of this run compressed ({said}; {counts.get('none', 0)} files uncompressed: images and files "
        "compressed already), so *received* is the compressed weight, below gzip -6 where brotli was sent."
    )


def report(results: list[dict], width: int, script: dict) -> str:
    today = dt.date.today().isoformat()
    browser = results[0]["browser"]
    lines = [
        SECTION_START,
        "## Page weight",
        "",
        f"What a first visit (cold cache) transfers, measured on {today} by `scripts/bench_page_weight.py` in Chromium "
        f"{browser}, {width} px wide, each site served by `api/serve.py --site` (1 KB = 1024 bytes). **Received** is "
        "what Chromium counted over the wire (`encodedDataLength`: headers and bodies as the server sent them); "
        "**gzip -6** is each body compressed at level 6 by the script, plus the same headers (images and Pagefind's "
        "files, already compressed, as they are), for comparison with a server that compresses with gzip. "
        f"{_served_as(results)} Budget: 60 KB received per page.",
        "",
        "| Site | Pages built | Page | Files | Received | gzip -6 | ≤ 60 KB |",
        "|---|---:|---|---:|---:|---:|---|",
    ]
    for r in results:
        for load in r["loads"]:
            ok = "PASS" if load.received <= BUDGET else "FAIL"
            lines.append(
                f"| {r['label']} | {r['pages']:,} | {load.label} `{load.path}` | {len(load.files)} | {kb(load.received)} | "
                f"**{kb(load.gzipped)}** | {ok} |"
            )
    lines += [
        "",
        "A one-word search typed in the header of the challenge page, after its first visit (Pagefind's "
        "script, worker, WebAssembly, the language's metadata, index chunks and result fragments):",
        "",
        "| Site | Word | Files | Received | gzip -6 |",
        "|---|---|---:|---:|---:|",
    ]
    for r in results:
        s = r["search"]
        lines.append(f"| {r['label']} | `{s.path}` | {len(s.files)} | {kb(s.received)} | {kb(s.gzipped)} |")
    if any(r["scores"] for r in results):
        lines += [
            "",
            "Lighthouse 12 (mobile: simulated slow 4G, a mid-range phone), on the same server:",
            "",
            "| Site | Page | Performance | Accessibility | Best practices | SEO |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for r in results:
            for label, sc in r["scores"].items():
                lines.append(
                    f"| {r['label']} | {label} | {sc.get('performance')} | {sc.get('accessibility')} | "
                    f"{sc.get('best-practices')} | {sc.get('seo')} |"
                )
    first = results[0]["loads"][-1]
    biggest = sorted(first.files, key=lambda f: -f[2])[:6]
    lines += [
        "",
        f"The files of the challenge page of the {results[0]['label']} (gzip -6): "
        + "; ".join(f"`{path}` {kb(gz)}" for path, _, gz in biggest)
        + ".",
    ]
    api = sorted({a.split(" ")[0] for r in results for load in r["loads"] for a in load.api})
    if api:
        lines += [
            "",
            "Not counted: the API's answers (" + ", ".join(f"`{a}`" for a in api[:4]) + "), a few hundred bytes each.",
        ]
    failed = [
        f"{r['label']} {load.label}: {f}" for r in results for load in [*r["loads"], r["search"]] for f in load.failed
    ]
    lines += ["", "Failed requests: " + ("; ".join(failed) if failed else "none, on every page measured.")]
    raw, gz = script["raw"], script["gzipped"]
    lines += [
        "",
        f"Our own script, `overrides/assets/javascripts/participate.js`: {kb(raw)} raw ({raw} bytes), {kb(gz)} gzipped. "
        "The site serves it unminified.",
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
    DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[1000, 5000],
        help="generated sites to measure besides the example (default: 1000 5000; none: --sizes)",
    )
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse 12 (mobile) on each page")
    parser.add_argument("--no-write", action="store_true", help="print the section without writing the file")
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="datacity-weight-") as tmp:
        work = Path(tmp)
        sites = [("example site", None)] + [(f"{n:,} challenges", n) for n in args.sizes if n]
        for label, n in sites:
            port = check_pages.free_port()
            where = work / (label.split()[0].replace(",", ""))
            where.mkdir()
            print(f"{label}: building...", flush=True)
            site, _ = build_example(where, port) if n is None else build_generated(where, n, port)
            result = measure_site(label, site, port, args.width, args.lighthouse, work)
            for load in [*result["loads"], result["search"]]:
                print(
                    f"  {load.label:9} {load.path:50} {len(load.files):3} files  received {kb(load.received):>9}  "
                    f"gzip {kb(load.gzipped):>8}  {result['scores'].get(load.label, '')}",
                    flush=True,
                )
            results.append(result)
    raw = SCRIPT.read_bytes()
    section = report(results, args.width, {"raw": len(raw), "gzipped": len(gzip.compress(raw, compresslevel=6))})
    print()
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
