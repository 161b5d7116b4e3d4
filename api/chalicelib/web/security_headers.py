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
import re
from collections import Counter
from dataclasses import dataclass, field
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


def console_csp(https: bool = True) -> str:
    """The staff console's pages (/staff/*): the API's policy, plus the site's own script and stylesheet files
    (same origin, versioned), never inline script."""
    return _policy((*API_DIRECTIVES, "script-src 'self'", "connect-src 'none'"), https)


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


# Could a page hold an event handler attribute or a javascript: URL? A superset (text may match too), to walk every
# element only then: browsers read `<img/onerror=...>` as an attribute, hence the slash and the quotes. The search
# starts from the literal "on" (a leading character class would make the regular expression engine try every
# position: it took longer than parsing the page).
_ON_NAME = re.compile(r"on[a-z]+\s*=")
_BEFORE_ATTRIBUTE = frozenset(" \t\n\r\f/\"'")


def _maybe_handler(text: str) -> bool:
    lower = text.lower()
    if "javascript:" in lower:
        return True
    return any(m.start() > 0 and lower[m.start() - 1] in _BEFORE_ATTRIBUTE for m in _ON_NAME.finditer(lower))


def _scan_page(page: str, text: str, found: Inline) -> None:
    from selectolax.lexbor import LexborHTMLParser  # the local server and the packaging only, never the Lambda

    seen: set[tuple[str, str]] = set()  # count each hash once per page

    def count(kind: str, counter: Counter, content: str) -> None:
        source = sha256_source(content)
        if (kind, source) not in seen:
            seen.add((kind, source))
            counter[source] += 1

    tree = LexborHTMLParser(text)
    for node in tree.css("script:not([src])"):
        if (node.attributes.get("type") or "").strip().lower() in EXECUTABLE_TYPES:
            count("script", found.scripts, node.text(deep=True))
    for node in tree.css("style"):
        count("style", found.styles, node.text(deep=True))
    for node in tree.css("[style]"):
        count("style-attr", found.style_attributes, node.attributes.get("style") or "")
    if tree.root is None or not _maybe_handler(text):
        return
    for node in tree.root.traverse():
        for name, value in node.attributes.items():
            name, value = name.lower(), value or ""
            if name.startswith("on"):
                found.problems.append(f"{page}: <{node.tag} {name}=...> (inline event handler)")
            elif name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                found.problems.append(f'{page}: <{node.tag} {name}="javascript:...">')


def scan(site: Path) -> Inline:
    """Every inline script, style element and style attribute of the site's HTML pages, by hash.

    Parsed as browsers parse (Lexbor, an HTML5 parser, through selectolax): the text a browser hashes is the text
    of the element it builds, line breaks normalised. Python's html.parser took 5 ms a page, a minute before the
    local server could start on a site of 1,000 challenges; this takes a fifth of the CPU time.
    """
    site = Path(site)
    pages = sorted(page for page in site.rglob("*.html") if page.is_file())  # not a pipe, which would block
    if not pages:
        raise PolicyError(f"no HTML page under {site}: build the site first (make build)")
    found = Inline()
    for page in pages:
        _scan_page(str(page.relative_to(site)), page.read_bytes().decode("utf-8"), found)
    return found


def site_policy(site: Path, https: bool = True) -> str:
    """The site's policy for this built site; PolicyError if a page has inline code that a hash cannot allow."""
    found = scan(site)
    if found.problems:
        listed = "\n  ".join(found.problems[:20])
        raise PolicyError(f"inline code that a hash cannot allow (move it to a .js file):\n  {listed}")
    return site_csp(found.scripts, found.styles, found.style_attributes, https)
