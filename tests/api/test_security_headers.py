"""One definition of the security headers (chalicelib/web/security_headers.py), and its users agree with it.

The local server's answers are checked in test_local_server.py, CloudFront's policies in tests/infra
(test_package.py, test_template.py); here: the definition itself and the API's own HTML pages.
"""

from __future__ import annotations

import pytest

from chalicelib.adapters.sqlite import SQLiteStore
from chalicelib.web import security_headers

from .conftest import serve_api


def directives(policy: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in policy.split("; ")}


@pytest.mark.parametrize("policy", [security_headers.api_csp, security_headers.site_csp])
def test_over_http_only_the_https_parts_are_left_out(policy):
    https, http = policy(https=True), policy(https=False)
    assert https == f"{http}; upgrade-insecure-requests"
    with_tls = security_headers.headers(https, https=True)
    without = security_headers.headers(http, https=False)
    assert with_tls[1:] == [*without[1:], ("Strict-Transport-Security", security_headers.STRICT_TRANSPORT_SECURITY)]
    for each in (https, http):
        found = directives(each)
        assert found["frame-ancestors"] == "'none'" and found["object-src"] == "'none'"
        assert "'unsafe-inline'" not in found.get("script-src", "") and "'unsafe-eval'" not in each


def test_every_answer_gets_the_headers_production_sets():
    names = [name for name, _ in security_headers.headers("default-src 'none'", https=True)]
    assert names == [
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "X-XSS-Protection",
        "Strict-Transport-Security",
    ]


def test_the_site_policy_allows_exactly_the_built_pages_inline_scripts(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<script>var a=1;</script><script type="application/json">{}</script>')
    (tmp_path / "a" / "index.html").write_text("<script>var a=1;</script><script>var b=2;</script>")
    scripts = directives(security_headers.site_policy(tmp_path, https=False))["script-src"].split()
    assert scripts == [
        "'self'",
        "'wasm-unsafe-eval'",  # Pagefind's WebAssembly, not eval()
        *sorted([security_headers.sha256_source("var a=1;"), security_headers.sha256_source("var b=2;")]),
    ]
    (tmp_path / "b.html").write_text('<a onclick="x()">x</a>')
    with pytest.raises(security_headers.PolicyError, match="onclick"):
        security_headers.site_policy(tmp_path)


@pytest.mark.parametrize(
    "markup",
    [
        "<img/onerror=alert(1) src=x>",  # a slash, not a space, before the attribute
        "<p ONCLICK='x()'>x</p>",
        '<a href=" JavaScript:alert(1)">x</a>',
        "<svg><a onmouseover=x()>x</a></svg>",
        "<form><button formaction=javascript:x()>x</button></form>",
    ],
)
def test_inline_code_no_hash_can_allow_is_found_as_a_browser_parses_it(tmp_path, markup):
    (tmp_path / "index.html").write_text(f"<!doctype html><title>t</title>{markup}")
    with pytest.raises(security_headers.PolicyError):
        security_headers.site_policy(tmp_path)


def test_text_that_only_looks_like_a_handler_is_not_refused(tmp_path):
    page = "<!doctype html><title>t</title><p>Add-on = extension; 'onward = forward'. <code>a.onload = f</code></p>"
    (tmp_path / "index.html").write_text(page)
    (tmp_path / "styled.html").write_text('<p style="color: red">x</p><svg><style>a{}</style></svg>')
    found = security_headers.scan(tmp_path)
    assert not found.problems
    assert set(found.style_attributes) == {security_headers.sha256_source("color: red")}
    assert set(found.styles) == {security_headers.sha256_source("a{}")}


@pytest.mark.parametrize(("origin", "https"), [("http://testserver.local", False), ("https://example.org", True)])
def test_the_api_s_html_pages_carry_the_api_policy(tmp_path, origin, https):
    """Without a server or CDN in front (chalice local, the test client), the pages still cannot be framed."""
    api = serve_api(SQLiteStore(tmp_path / "api.sqlite3"), tmp_path, SITE_ORIGIN=origin)
    client = next(api)
    try:
        page = client.client.http.get("/challenges/leaks/comments?format=html&lang=fr")
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        assert page.headers["Content-Security-Policy"] == security_headers.api_csp(https=https)
    finally:
        api.close()
