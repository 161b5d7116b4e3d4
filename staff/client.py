"""The staff API over HTTP, with the standard library only. The token is sent, never printed or logged."""

from __future__ import annotations

import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.staff_text import S_, language, text

from .tokens import TOKEN_RE

DEFAULT_API = "http://127.0.0.1:8000/api"
TOKEN_ENV = "DATACITY_STAFF_TOKEN"
API_ENV = "DATACITY_API"
USER_AGENT = "datacity-staff/1"
# Pages of a listing (queue, audit) followed at most; 50 entries a page.
MAX_PAGES = 10_000


class StaffError(Exception):
    """A failure to show to staff as one clear message (never with the token in it)."""


@dataclass
class ApiProblem(StaffError):
    """An error answer from the API (problem+json), or no answer at all (status 0)."""

    status: int
    message: str
    body: dict = field(default_factory=dict)

    def __post_init__(self):
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @property
    def problems(self) -> list[dict]:
        found = self.body.get("problems")
        return found if isinstance(found, list) else []


def read_token(token_file: Path | None = None, environ: dict | None = None) -> str:
    """The staff token from --token-file or DATACITY_STAFF_TOKEN; checked for shape, never echoed."""
    env = os.environ if environ is None else environ
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise StaffError(
                text(S_("cannot read the token file {file}: {error}"), file=token_file, error=exc.strerror)
            ) from exc
        source = text(S_("the token file {file}"), file=token_file)
    else:
        token = (env.get(TOKEN_ENV) or "").strip()
        source = TOKEN_ENV
        if not token:
            raise StaffError(
                text(
                    S_(
                        "no staff token: set {variable} (or use --token-file); an administrator creates one with: "
                        "datacity staff-token create --program P --name N"
                    ),
                    variable=TOKEN_ENV,
                )
            )
    if not TOKEN_RE.match(token):
        raise StaffError(
            text(S_("{source} does not hold a staff token (expected dcs_<8 hex>_<43 characters>)"), source=source)
        )
    return token


def api_base(option: str | None, environ: dict | None = None) -> str:
    env = os.environ if environ is None else environ
    base = (option or env.get(API_ENV) or DEFAULT_API).strip().rstrip("/")
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StaffError(
            text(S_("'{base}' is not an API address; give e.g. --api https://consultation.example.org/api"), base=base)
        )
    if parts.scheme == "http" and not _is_local(parts.hostname or ""):
        raise StaffError(
            text(
                S_(
                    "refusing to send a staff token in clear text to {host}; use https:// "
                    "(plain http is only for 127.0.0.1/localhost)"
                ),
                host=parts.netloc,
            )
        )
    return base


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def site_origin(base: str) -> str:
    """The site's origin from the API base (the API is under /api on the same origin)."""
    parts = urllib.parse.urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


class StaffApi:
    def __init__(self, base: str, token: str | None, timeout: float = 60.0):
        self.base = base.rstrip("/")
        self._token = token
        self.timeout = timeout

    def __repr__(self) -> str:  # never shows the token
        return f"StaffApi({self.base!r})"

    def url(self, path: str, query: dict | None = None) -> str:
        query = {k: v for k, v in (query or {}).items() if v not in (None, "")}
        return self.base + path + (("?" + urllib.parse.urlencode(query)) if query else "")

    def raw(self, method: str, path: str, body: object = None, query: dict | None = None) -> bytes:
        """The response body of a successful call; an ApiProblem otherwise."""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Accept": "application/json", "Accept-Language": language(), "User-Agent": USER_AGENT}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        request = urllib.request.Request(self.url(path, query), data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise problem_from(exc.code, exc.read(), method, path) from None
        except urllib.error.URLError as exc:
            raise ApiProblem(
                0,
                text(
                    S_("cannot reach the API at {base} ({error}); is it running? Set --api or {variable}"),
                    base=self.base,
                    error=exc.reason,
                    variable=API_ENV,
                ),
            ) from None
        except (TimeoutError, OSError) as exc:
            raise ApiProblem(
                0, text(S_("no answer from the API at {base} ({error})"), base=self.base, error=exc)
            ) from None

    def call(self, method: str, path: str, body: object = None, query: dict | None = None) -> dict:
        payload = self.raw(method, path, body, query)
        try:
            return json.loads(payload) if payload else {}
        except ValueError:
            raise ApiProblem(
                200,
                text(S_("the API answered {method} {path} with something that is not JSON"), method=method, path=path),
            ) from None

    def get(self, path: str, query: dict | None = None) -> dict:
        return self.call("GET", path, query=query)

    def post(self, path: str, body: object) -> dict:
        return self.call("POST", path, body=body)

    def pages(self, path: str, query: dict | None = None) -> Iterator[dict]:
        """Every page of a cursor-paginated listing."""
        query = dict(query or {})
        for _ in range(MAX_PAGES):
            page = self.get(path, query)
            yield page
            cursor = page.get("cursor") or page.get("next_cursor") or page.get("next")
            if not cursor or cursor == query.get("cursor"):
                return
            query["cursor"] = cursor
        raise ApiProblem(0, text(S_("{path}: more than {count} pages; stopping"), path=path, count=MAX_PAGES))


LIST_KEYS = ("items", "entries", "comments", "proposals", "queue", "audit")


def items_of(page: dict) -> list[dict]:
    """The entries of one listing page, whatever the listing calls them."""
    for key in LIST_KEYS:
        if isinstance(page.get(key), list):
            return page[key]
    return []


HINTS = {
    401: S_("check DATACITY_STAFF_TOKEN (unknown, wrong or revoked token)"),
    403: S_("this token is not allowed for that program"),
}


def problem_from(status: int, payload: bytes, method: str, path: str) -> ApiProblem:
    """An ApiProblem from an HTTP error answer: the problem+json's own message, else the status."""
    try:
        body = json.loads(payload) if payload else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = body.get("detail")
    if isinstance(detail, dict):  # some answers carry {"fr": ..., "en": ...}: the staff's language first
        detail = detail.get(language()) or detail.get("en") or detail.get("fr")
    message = detail or body.get("title") or f"HTTP {status}"
    if body.get("field"):
        message = f"{body['field']}: {message}"
    shown = f"{method} {path}: {status} {message}"
    if status in HINTS:
        shown += f" ({text(HINTS[status])})"
    return ApiProblem(status, shown, body)
