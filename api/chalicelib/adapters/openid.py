"""The OpenID provider over HTTPS: its discovery document, its keys and its token endpoint (oidc/ decides).

Three plain requests, made with the standard library's urllib rather than requests or httpx: the Lambda package stays
without an HTTP stack of its own, and Authlib's framework clients would bring one. Every fault (unreachable,
timeout, not JSON, an error status) is a `Refused`, never a 500: a token endpoint's 4xx (a code already used,
a wrong verifier) is the answer's fault ("token"), anything else the provider's ("provider").
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from ..oidc.rules import Refused

TIMEOUT_SECONDS = 10
MAX_BYTES = 1_000_000
DISCOVERY = "/.well-known/openid-configuration"


class OpenIdHttp:
    """What oidc/service.py asks of a provider (its `Provider` protocol)."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS):
        self.timeout = timeout

    def discovery(self, issuer: str) -> object:
        return self._json(urllib.request.Request(issuer.rstrip("/") + DISCOVERY, headers=_ACCEPT))

    def jwks(self, url: str) -> object:
        return self._json(urllib.request.Request(url, headers=_ACCEPT))

    def token(self, url: str, form: dict, basic: tuple[str, str] | None) -> object:
        headers = {**_ACCEPT, "Content-Type": "application/x-www-form-urlencoded"}
        if basic is not None:
            # RFC 6749 2.3.1: each part form-encoded before the Basic encoding.
            pair = ":".join(urllib.parse.quote(part, safe="") for part in basic)
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        body = urllib.parse.urlencode(form).encode()
        return self._json(urllib.request.Request(url, data=body, headers=headers, method="POST"), token=True)

    def _json(self, request: urllib.request.Request, token: bool = False) -> object:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 (checked URLs)
                raw = answer.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            reason = "token" if token and 400 <= error.code < 500 else "provider"
            raise Refused(reason, f"{request.full_url} answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise Refused("provider", f"{request.full_url} cannot be reached: {error}") from None
        if len(raw) > MAX_BYTES:
            raise Refused("provider", f"{request.full_url} answered more than {MAX_BYTES} bytes")
        try:
            return json.loads(raw)
        except ValueError:
            raise Refused("provider", f"{request.full_url} did not answer JSON") from None


_ACCEPT = {"Accept": "application/json", "User-Agent": "DataCity (OpenID Connect client)"}
