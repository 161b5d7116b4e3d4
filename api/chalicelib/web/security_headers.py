"""The security headers of every answer, in production and locally: one definition.

Production's CloudFront response headers policies are filled from `headers(...)` (infra/package.py), the local server
adds the same headers to every answer it gives (api/serve.py), and the API sets the same Content-Security-Policy on
its own HTML pages (web/call.py), so the three cannot drift apart (tests/api/test_security_headers.py compares them).

Two policies: the site's (its script hashes computed from the built pages by `site_policy`) and the API's (JSON,
and small HTML pages with inline styles that post forms back to the API and run no script). Over plain HTTP (the
local server) `https=False` leaves out the two parts that only mean something over HTTPS:
`Strict-Transport-Security`, which browsers ignore over HTTP, and `upgrade-insecure-requests`, which makes a
browser ask for https:// instead, where nothing answers (Chromium spares 127.0.0.1 and localhost, not a
server reached by its address on a local network). Everything else is the same, byte for byte.

mkdocs-material puts small inline scripts in every page (one sets `__md_scope` relative to the page's depth, one
opens a tab from the URL fragment). Rather than allow 'unsafe-inline', the site's policy lists the SHA-256 of
every distinct executable inline script found in the built site; JSON data blocks are not executed, so the policy
does not need them. Pure: no I/O but reading the built site's pages in `scan`.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "same-origin"
CROSS_ORIGIN_OPENER_POLICY = "same-origin"
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"  # two years; HTTPS only
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

# Directives of both policies; UPGRADE only over HTTPS.
COMMON = ("object-src 'none'", "frame-ancestors 'none'")
UPGRADE = "upgrade-insecure-requests"

API_DIRECTIVES = (
    "default-src 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
)

EXECUTABLE_TYPES = {
    "",
    "module",
    "text/javascript",
    "application/javascript",
    "application/ecmascript",
    "text/ecmascript",
    "application/x-javascript",
}


class PolicyError(ValueError):
    """The built site has something no policy without 'unsafe-inline' can allow."""


def _policy(directives, https: bool) -> str:
    return "; ".join([*directives, *COMMON, *([UPGRADE] if https else [])])


def api_csp(https: bool = True) -> str:
    """The API's policy: its JSON answers and its HTML pages for browsers without JavaScript."""
    return _policy(API_DIRECTIVES, https)


def site_csp(scripts=(), styles=(), style_attributes=(), https: bool = True) -> str:
    """The site's policy: only 'self', plus the given hash sources of inline scripts, styles and style attributes."""
    style_sources = ["'self'", *sorted(styles)]
    if style_attributes:
        style_sources += ["'unsafe-hashes'", *sorted(style_attributes)]
    # 'wasm-unsafe-eval': the search (Pagefind) compiles its WebAssembly; JavaScript's eval() stays forbidden.
    script_sources = ["'self'", "'wasm-unsafe-eval'", *sorted(scripts)]
    directives = (
        "default-src 'self'",
        f"script-src {' '.join(script_sources)}",
        f"style-src {' '.join(style_sources)}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    )
    return _policy(directives, https)


def headers(csp: str, https: bool = True) -> list[tuple[str, str]]:
    """Every security header of an answer carrying this policy (what CloudFront's response headers policy sets)."""
    answer = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", FRAME_OPTIONS),
        ("Referrer-Policy", REFERRER_POLICY),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Opener-Policy", CROSS_ORIGIN_OPENER_POLICY),
        ("X-XSS-Protection", "0"),  # the old filter is itself a hole; CSP replaces it
    ]
    if https:
        answer.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
    return answer


# --------------------------------------------------------------------------------------------------------------
# The inline code of the built site
# --------------------------------------------------------------------------------------------------------------


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
    pages = sorted(page for page in site.rglob("*.html") if page.is_file())  # not a pipe, which would block
    if not pages:
        raise PolicyError(f"no HTML page under {site}: build the site first (make build)")
    found = Inline()
    for page in pages:
        # Browsers hash the text after normalising line breaks to LF, so do the same.
        text = page.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        scanner = _PageScanner(str(page.relative_to(site)), found)
        scanner.feed(text)
        scanner.close()
    return found


def site_policy(site: Path, https: bool = True) -> str:
    """The site's policy for this built site; PolicyError if a page has inline code that a hash cannot allow."""
    found = scan(site)
    if found.problems:
        listed = "\n  ".join(found.problems[:20])
        raise PolicyError(f"inline code that a hash cannot allow (move it to a .js file):\n  {listed}")
    return site_csp(found.scripts, found.styles, found.style_attributes, https)
