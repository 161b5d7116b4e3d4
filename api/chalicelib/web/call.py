"""One request, seen through what the routes need: its language, its participant, its body, and its answers.

The middleware (web/middleware.py) makes one Call per request; a route reaches it with `web.call()`.
"""

from __future__ import annotations

import contextvars
import json
from typing import TYPE_CHECKING

from chalice import Response

from ..identity.rules import client_address
from ..kernel.errors import PROBLEM_TYPE, ApiError, preferred_language
from ..kernel.inputs import FORM, JSON, media_type, read_body
from ..kernel.messages import N_
from . import pages, security_headers
from .function_url import FORM_PREFIX

if TYPE_CHECKING:
    from ..consultation import Consultation
    from ..identity.rules import Participant
    from ..kernel.catalog import ProgramEntry
    from ..staff_access.rules import Actor

STATE_CHANGING = ("POST", "PUT", "DELETE", "PATCH")
_current: contextvars.ContextVar[Call] = contextvars.ContextVar("datacity_call")


def call() -> Call:
    """The request being answered (set by the middleware)."""
    return _current.get()


class Call:
    def __init__(self, request, consultation: Consultation):
        self.request = request
        self.headers = request.headers or {}
        self.consultation = consultation
        self.settings = consultation.settings
        self.lang = preferred_language(
            self.headers.get("accept-language"), consultation.context.catalog.vocabulary.languages
        )
        self.set_cookie: str | None = None
        # A form post, or a page a person follows a link to (?format=html): answers, errors too, are pages.
        self.is_form = (self.query("format") == "html") if request.method == "GET" else False
        self.control: dict[str, str | None] = {}
        # For form posts: the page to go back to, the form's action and the text to give back on error.
        self.back_path: str | None = None
        self.back: str | None = None
        self.action: str | None = None
        self.kept: dict[str, str] = {}
        # The problem type answered, if any (the request log line's `problem`).
        self.problem_kind: str | None = None

    def start(self) -> contextvars.Token:
        return _current.set(self)

    @staticmethod
    def end(token: contextvars.Token) -> None:
        _current.reset(token)

    @property
    def source_ip(self) -> str:
        """The address the per-address limits count (identity/rules.py client_address: no port, IPv6 by /64)."""
        header = self.settings.client_ip_header
        if header:
            value = self.headers.get(header.lower(), "")
            if value:
                return client_address(value, has_port=header.lower() == "cloudfront-viewer-address")
        context = self.request.context or {}
        socket = (context.get("identity") or {}).get("sourceIp", "") or ""
        return client_address(socket) if socket else ""

    def participant(self, create: bool) -> Participant | None:
        identity = self.consultation.identity
        who = identity.participant(self.headers.get("cookie"), self.source_ip, create)
        if who is not None and who.new_token:
            self.set_cookie = identity.cookie(who.new_token)
        return who

    def voter(self, program: ProgramEntry, create: bool, back: str = "") -> Participant | None:
        """Who votes in `program`: the cookie's participant, or in a verified program the verified voter.

        A verified program without a verified session: None when only reading (`create=False`), else the 403 that
        links to verifying, then back to `back` (the site path the resident was on).
        """
        if not program.verified:
            return self.participant(create)
        verification = self.consultation.verification
        if not create:
            return verification.participant(program, self.headers.get("cookie"), self.source_ip)
        # Back to the challenge's vote (its "Take part" section) once verified.
        return verification.require(
            program, self.headers.get("cookie"), self.source_ip, self.lang, f"/{back}#participate"
        )

    def staff(self) -> Actor:
        """The staff member behind this request (docs/staff.md): 401 without valid credentials."""
        context = self.request.context or {}
        arn = (context.get("identity") or {}).get("userArn")
        return self.consultation.staff.actor(self.headers.get("authorization"), arn)

    def check_origin(self) -> None:
        """Refuse state changes asked by another site (form posts are not covered by CORS), or by a client that says
        nothing of where it comes from (docs/api.md, "Where a request comes from").

        A resident's browser sends Origin with every POST, PUT and DELETE, and Sec-Fetch-Site too: a request with
        neither is a script or a very old browser, and a page of another site could make such a browser cast votes
        from its residents' addresses. Staff routes are exempt: a Bearer token, not a cookie, says who sends them.
        """
        if self.request.method not in STATE_CHANGING:
            return
        origin = self.headers.get("origin")
        fetch_site = self.headers.get("sec-fetch-site")
        if origin is not None:
            if origin.rstrip("/") != self.settings.site_origin:
                raise _other_site()
        elif fetch_site is not None:
            if fetch_site not in ("same-origin", "none"):
                raise _other_site()
        elif not (self.request.path or "").startswith("/staff/"):
            raise ApiError(
                "forbidden-origin",
                N_("Your browser did not say which site this request came from: update it, or try another browser."),
            )

    def query(self, name: str) -> str | None:
        params = self.request.query_params or {}
        return params.get(name)

    def wants_page(self) -> bool:
        """?format=html: a page for a person who followed a link; json (or nothing): JSON; anything else: 400."""
        shape = self.query("format")
        if shape not in (None, "json", "html"):
            raise ApiError("bad-request", N_("format must be json or html."), field="format")
        return shape == "html"

    def page_lang(self) -> str:
        """The language of a page the API renders: ?lang= if it is one of the site's, else the request's."""
        wanted = self.query("lang")
        return wanted if wanted in self.consultation.context.catalog.vocabulary.languages else self.lang

    # Bodies
    def body(self, *control: str) -> dict:
        """The request's fields. Form posts also carry `lang` and the given control fields, removed here."""
        content_type = self.headers.get("content-type")
        self.is_form = media_type(content_type) == FORM
        data = read_body(self.request.raw_body, content_type, self.settings.max_body_bytes)
        # Forms carry the page's language (a script may send it too): the answer's, if the site has it.
        lang = data.pop("lang", None)
        if lang is not None and not isinstance(lang, str):
            raise ApiError("invalid-field", N_("lang must be text."), field="lang")
        if lang in self.consultation.context.catalog.vocabulary.languages:
            self.lang = lang
        self.control = {name: data.pop(name, None) for name in control}
        return data

    def staff_body(self, max_bytes: int | None = None) -> dict:
        """A staff request's JSON object (forms are refused: the staff commands send JSON)."""
        content_type = self.headers.get("content-type")
        if media_type(content_type) not in (JSON, ""):
            raise ApiError(
                "unsupported-media-type",
                N_("Send the data as JSON (application/json)."),
            )
        return read_body(self.request.raw_body, content_type, max_bytes or self.settings.max_body_bytes)

    def for_form(self, back: str, action: str, data: dict, *kept: str) -> None:
        """For a form post: where to go back, where the form posts, which fields to give back on an error."""
        if self.is_form:
            self.back_path = back
            self.back = f"{self.settings.site_origin}/{back}"
            # Forms post under FORM_PREFIX: in production that path reaches the function URL taking unsigned bodies.
            self.action = f"{self.settings.api_base}{FORM_PREFIX}{action}"
            self.kept = {name: str(data.get(name) or "") for name in kept}

    # Answers
    def answer(self, body: dict, status: int, outcome: str) -> Response:
        """JSON for scripts; for a form post, 303 back to the page, showing the outcome's message."""
        if not self.is_form:
            return self.json(body, status)
        if outcome not in self.consultation.context.catalog.vocabulary.outcomes:
            raise ValueError(f"'{outcome}' is not an outcome the pages know (site_builder/vocabulary.py OUTCOMES)")
        code, headers = pages.redirect(self.settings.site_origin, self.back_path or "", outcome)
        return self._response("", code, headers)

    def see_other(self, url: str) -> Response:
        """A 303 to `url` (a page of the site or of the API: the caller made it, never a request's value)."""
        return self._response("", 303, {"Location": url, "Cache-Control": "no-store"})

    def html(self, text: str, status: int = 200, scripts: bool = False) -> Response:
        """An HTML page; `scripts`: it runs the site's own script files (the console's policy)."""
        https = self.settings.site_origin.startswith("https://")
        headers = {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "Content-Security-Policy": security_headers.console_csp(https)
            if scripts
            else security_headers.api_csp(https),
            "Content-Language": self.lang,
        }
        return self._response(text, status, headers)

    def json(self, body: dict, status: int = 200) -> Response:
        headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
        return self._response(json.dumps(body, ensure_ascii=False), status, headers)

    def problem(self, error: ApiError) -> Response:
        """The error as problem+json, or for a form post as a page that gives the resident's text back."""
        self.problem_kind = error.kind
        if self.is_form:
            page = pages.error_page(self.lang, error, self.back, self.action, self.kept)
            response = self.html(page, error.status)
            if error.retry_after is not None:
                response.headers["Retry-After"] = str(error.retry_after)
            return response
        headers = {**error.headers(), "Content-Language": self.lang, "Cache-Control": "no-store"}
        return self._response(json.dumps(error.body(self.lang), ensure_ascii=False), error.status, headers)

    def _response(self, body: str, status: int, headers: dict[str, str]) -> Response:
        if self.set_cookie:
            headers["Set-Cookie"] = self.set_cookie
        return Response(body=body, status_code=status, headers=headers)


def _other_site() -> ApiError:
    return ApiError(
        "forbidden-origin",
        N_("This action must be made from the consultation's own site."),
    )


def unavailable(full: bool = False) -> ApiError:
    """The 503 when the service cannot start or meets a fault (`full`: its storage is full): nothing recorded is lost."""
    if full:
        return ApiError(
            "unavailable",
            N_(
                "The service cannot record anything for now: its storage is full. The team has been alerted; try again later. Nothing already recorded was lost."
            ),
            retry_after=300,
        )
    return ApiError(
        "unavailable",
        N_("The service has a problem; try again in a moment. Nothing already recorded was lost."),
        retry_after=30,
    )


def bare_problem(error: ApiError, lang: str = "fr") -> Response:
    """A problem answer when there is no Call to make it (the service could not even start)."""
    return Response(
        body=json.dumps(error.body(lang), ensure_ascii=False),
        status_code=error.status,
        headers={**error.headers(), "Content-Language": lang, "Content-Type": PROBLEM_TYPE},
    )
