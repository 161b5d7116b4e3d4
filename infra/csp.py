"""The Content-Security-Policy of the site and of the API, computed from what they actually serve.

mkdocs-material puts small inline scripts in every page (one sets `__md_scope` relative to the page's depth, one
opens a tab from the URL fragment). Rather than allow 'unsafe-inline', the site's policy lists the SHA-256 of every
distinct executable inline script found in the built site (a handful: the scripts differ only by page depth).
JSON data blocks (`<script type="application/json">`) are not executed, so the policy does not need them.

    python -m infra.csp site/            # prints the site's policy
    python -m infra.csp site/ --report   # and each hash with how many pages carry it

The hashes change only when mkdocs-material changes its inline scripts (an upgrade) or a page appears at a new depth:
the deploy recomputes them from the site it uploads (infra/package.py), so they always match.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# CloudFront refuses a Content-Security-Policy longer than this in a response headers policy.
CLOUDFRONT_CSP_MAX = 1783

EXECUTABLE_TYPES = {
    "",
    "module",
    "text/javascript",
    "application/javascript",
    "application/ecmascript",
    "text/ecmascript",
    "application/x-javascript",
}

# Directives shared by the site and by the API's pages.
COMMON = [
    "object-src 'none'",
    "frame-ancestors 'none'",
    "upgrade-insecure-requests",
]

# The API answers JSON, and for browsers without JavaScript small HTML pages (api/chalicelib/web/pages.py and the rooms' pages.py) that carry
# their own <style> and style attributes, post forms back to the API and run no script.
API_CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        *COMMON,
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class CspError(ValueError):
    pass


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@dataclass
class Inline:
    scripts: Counter = field(default_factory=Counter)  # hash source -> pages
    styles: Counter = field(default_factory=Counter)  # <style> elements
    style_attributes: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)  # what no hash can allow: event handlers, javascript: URLs


class _PageScanner(HTMLParser):
    def __init__(self, page: str, found: Inline):
        super().__init__(convert_charrefs=True)
        self.page, self.found = page, found
        self._capture: str | None = None  # "script" or "style" while inside an executable one
        self._text: list[str] = []
        self._seen: set[tuple[str, str]] = set()  # count each hash once per page

    def _count(self, kind: str, counter: Counter, text: str) -> None:
        source = sha256_source(text)
        if (kind, source) not in self._seen:
            self._seen.add((kind, source))
            counter[source] += 1

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.problems.append(f"{self.page}: <{tag} {name}=...> (inline event handler)")
            elif name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.found.problems.append(f'{self.page}: <{tag} {name}="javascript:...">')
        if "style" in attributes:
            self._count("style-attr", self.found.style_attributes, attributes["style"])
        if tag == "script" and "src" not in attributes:
            kind = attributes.get("type", "").strip().lower()
            if kind in EXECUTABLE_TYPES:
                self._capture, self._text = "script", []
        elif tag == "style":
            self._capture, self._text = "style", []

    def handle_data(self, data):
        if self._capture:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._capture and tag == self._capture:
            counter = self.found.scripts if tag == "script" else self.found.styles
            self._count(tag, counter, "".join(self._text))
            self._capture = None


def scan(site: Path) -> Inline:
    """Every inline script, style element and style attribute of the site's HTML pages, by hash."""
    site = Path(site)
    pages = sorted(site.rglob("*.html"))
    if not pages:
        raise CspError(f"no HTML page under {site}: build the site first (make build)")
    found = Inline()
    for page in pages:
        # Browsers hash the text after normalising line breaks to LF, so do the same.
        text = page.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        scanner = _PageScanner(str(page.relative_to(site)), found)
        scanner.feed(text)
        scanner.close()
    return found


def site_csp(site: Path) -> str:
    """The site's policy: only 'self', plus the hashes of the inline scripts (and styles) the built site has."""
    found = scan(site)
    if found.problems:
        listed = "\n  ".join(found.problems[:20])
        raise CspError(f"inline code that a hash cannot allow (move it to a .js file):\n  {listed}")
    # 'wasm-unsafe-eval': the search (Pagefind) compiles its WebAssembly; JavaScript's eval() stays forbidden.
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(found.scripts)])
    style_sources = ["'self'", *sorted(found.styles)]
    if found.style_attributes:
        style_sources += ["'unsafe-hashes'", *sorted(found.style_attributes)]
    policy = "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            f"style-src {' '.join(style_sources)}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "base-uri 'self'",
            "form-action 'self'",
            *COMMON,
        ]
    )
    if len(policy) > CLOUDFRONT_CSP_MAX:
        raise CspError(
            f"the site's Content-Security-Policy is {len(policy)} characters, over CloudFront's {CLOUDFRONT_CSP_MAX}: "
            f"{len(found.scripts)} distinct inline scripts. Move them to a file, or allow 'unsafe-inline' in script-src."
        )
    return policy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"))
    parser.add_argument("--report", action="store_true", help="list each hash and how many pages carry it")
    args = parser.parse_args(argv)
    try:
        policy = site_csp(args.site)
    except CspError as error:
        print(f"infra.csp: {error}", file=sys.stderr)
        return 1
    if args.report:
        found = scan(args.site)
        for label, counter in (("script", found.scripts), ("style", found.styles), ("style=", found.style_attributes)):
            for source, pages in counter.most_common():
                print(f"{label:7} {source}  {pages} page(s)")
        print(f"{len(policy)} characters (CloudFront's limit: {CLOUDFRONT_CSP_MAX})")
    print(policy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
