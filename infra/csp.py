"""The site's Content-Security-Policy for CloudFront, computed from the built site (api/chalicelib/web/security_headers.py).

The policies themselves (and every other security header) are defined once, in `chalicelib.web.security_headers`,
which the local server and the API's HTML pages use too. This module adds what is CloudFront's own: the length
limit of a policy in a response headers policy.

    python -m infra.csp site/            # prints the site's policy
    python -m infra.csp site/ --report   # and each hash with how many pages carry it

The hashes change only when mkdocs-material changes its inline scripts (an upgrade) or a page appears at a new depth:
the deploy recomputes them from the site it uploads (infra/package.py), so they always match.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "api") not in sys.path:
    sys.path.insert(0, str(ROOT / "api"))

from chalicelib.web import security_headers  # noqa: E402  (api/ is not an installed package)
from chalicelib.web.security_headers import PolicyError as CspError  # noqa: E402
from chalicelib.web.security_headers import sha256_source  # noqa: E402, F401  (part of this module's interface)

# CloudFront refuses a Content-Security-Policy longer than this in a response headers policy.
CLOUDFRONT_CSP_MAX = 1783

API_CSP = security_headers.api_csp(https=True)
CONSOLE_CSP = security_headers.console_csp(https=True)
PERMISSIONS_POLICY = security_headers.PERMISSIONS_POLICY


def site_csp(site: Path) -> str:
    """The site's policy as production serves it (HTTPS); CspError if CloudFront could not take it."""
    policy = security_headers.site_policy(site, https=True)
    if len(policy) > CLOUDFRONT_CSP_MAX:
        scripts = len(security_headers.scan(site).scripts)
        raise CspError(
            f"the site's Content-Security-Policy is {len(policy)} characters, over CloudFront's {CLOUDFRONT_CSP_MAX}: "
            f"{scripts} distinct inline scripts. Move them to a file, or allow 'unsafe-inline' in script-src."
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
        found = security_headers.scan(args.site)
        for label, counter in (("script", found.scripts), ("style", found.styles), ("style=", found.style_attributes)):
            for source, pages in counter.most_common():
                print(f"{label:7} {source}  {pages} page(s)")
        print(f"{len(policy)} characters (CloudFront's limit: {CLOUDFRONT_CSP_MAX})")
    print(policy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
