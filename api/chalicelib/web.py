"""HTTP glue shared by the routes: identity from cookies, origin checks, problem responses. Knows Chalice."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable

from chalice import Response

from . import forms, identity, runtime, security_headers
from .errors import PROBLEM_TYPE, ApiError, preferred_language
from .inputs import FORM, JSON, media_type, read_body

log = logging.getLogger("datacity.api")
STATE_CHANGING = ("POST", "PUT", "DELETE", "PATCH")


class Call:
    """One request, seen through what the routes need."""

    def __init__(self, request):
        self.request = request
        self.headers = request.headers or {}
        self.service = runtime.service()
        self.settings = self.service.settings
        self.lang = preferred_language(self.headers.get("accept-language"))
        self.set_cookie: str | None = None
        self.is_form = False
        # For form posts: the page to go back to, the form's action and the text to give back on error.
        self.back: str | None = None
        self.action: str | None = None
        self.kept: dict[str, str] = {}

    @property
    def source_ip(self) -> str:
        header = self.settings.client_ip_header
        if header:
            value = self.headers.get(header.lower(), "")
            if value:
                # CloudFront-Viewer-Address is "ip:port"; X-Forwarded-For's first entry is the client.
                first = value.split(",")[0].strip()
                if first.startswith("["):
                    return first[1:].split("]")[0]
                return first.split(":")[0] if first.count(":") == 1 else first
        context = self.request.context or {}
        return (context.get("identity") or {}).get("sourceIp", "") or ""

    def participant(self, create: bool) -> identity.Participant | None:
        who = identity.resolve(self.service.keys.hash_key, self.headers.get("cookie"), self.source_ip, create)
        if who is not None and who.new_token:
            self.set_cookie = identity.cookie_header(
                who.new_token, self.settings.cookie_secure, self.settings.cookie_max_age_days
            )
        return who

    def check_origin(self) -> None:
        """Refuse state changes asked by another site; form posts are not covered by CORS."""
        if self.request.method not in STATE_CHANGING:
            return
        origin = self.headers.get("origin")
        if origin is not None:
            if origin.rstrip("/") != self.settings.site_origin:
                raise ApiError(
                    "forbidden-origin",
                    "Cette action doit être faite depuis le site de la consultation.",
                    "This action must be made from the consultation's own site.",
                )
            return
        if self.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            raise ApiError(
                "forbidden-origin",
                "Cette action doit être faite depuis le site de la consultation.",
                "This action must be made from the consultation's own site.",
            )

    def body(self, *control: str) -> dict:
        """The request's fields. Form posts also carry `lang` and the given control fields, removed here."""
        content_type = self.headers.get("content-type")
        self.is_form = media_type(content_type) == FORM
        data = read_body(self.request.raw_body, content_type, self.settings.max_body_bytes)
        if self.is_form:
            if data.get("lang") in ("fr", "en"):
                self.lang = data["lang"]
            data.pop("lang", None)
        self.control = {name: data.pop(name, None) for name in control}
        return data

    def staff(self):
        """The staff member behind this request (docs/staff.md): 401 without valid credentials."""
        context = self.request.context or {}
        arn = (context.get("identity") or {}).get("userArn")
        return self.service.staff_actor(self.headers.get("authorization"), arn)

    def staff_body(self, max_bytes: int | None = None) -> dict:
        """A staff request's JSON object (forms are refused: the staff commands send JSON)."""
        content_type = self.headers.get("content-type")
        if media_type(content_type) not in (JSON, ""):
            raise ApiError(
                "unsupported-media-type",
                "Envoyez les données en JSON (application/json).",
                "Send the data as JSON (application/json).",
            )
        return read_body(self.request.raw_body, content_type, max_bytes or self.settings.max_body_bytes)

    def for_form(self, back: str, action: str, data: dict, *kept: str) -> None:
        if self.is_form:
            self.back_path = back
            self.back = f"{self.settings.site_origin}/{back}"
            self.action = f"{self.settings.api_base}{action}"
            self.kept = {name: str(data.get(name) or "") for name in kept}

    def answer(self, body: dict, status: int, message: str) -> Response:
        """JSON for scripts; for a form post, 303 back to the page with the outcome's message."""
        if not self.is_form:
            return self.json(body, status)
        code, headers = forms.redirect(self.settings.site_origin, self.back_path, message)
        if self.set_cookie:
            headers["Set-Cookie"] = self.set_cookie
        return Response(body="", status_code=code, headers=headers)

    def html(self, text: str, status: int = 200) -> Response:
        headers = {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "Content-Security-Policy": security_headers.api_csp(self.settings.site_origin.startswith("https://")),
            "Content-Language": self.lang,
        }
        if self.set_cookie:
            headers["Set-Cookie"] = self.set_cookie
        return Response(body=text, status_code=status, headers=headers)

    def query(self, name: str) -> str | None:
        params = self.request.query_params or {}
        return params.get(name)

    def json(self, body: dict, status: int = 200) -> Response:
        headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
        if self.set_cookie:
            headers["Set-Cookie"] = self.set_cookie
        return Response(body=json.dumps(body, ensure_ascii=False), status_code=status, headers=headers)

    def problem(self, error: ApiError) -> Response:
        if self.is_form:
            page = forms.error_page(self.lang, error, self.back, self.action, self.kept)
            response = self.html(page, error.status)
            if error.retry_after is not None:
                response.headers["Retry-After"] = str(error.retry_after)
            return response
        headers = {**error.headers(), "Content-Language": self.lang, "Cache-Control": "no-store"}
        if self.set_cookie:
            headers["Set-Cookie"] = self.set_cookie
        return Response(
            body=json.dumps(error.body(self.lang), ensure_ascii=False), status_code=error.status, headers=headers
        )


def endpoint(app) -> Callable:
    """Wrap a route: build the Call, check the origin, turn ApiError into problem+json and faults into 503."""

    def decorate(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def wrapper(*args, **kwargs):
            try:
                call = Call(app.current_request)
            except Exception:
                log.exception("could not start the service")
                return _unavailable()
            try:
                call.check_origin()
                return handler(call, *args, **kwargs)
            except ApiError as error:
                return call.problem(error)
            except Exception:
                log.exception("unexpected error on %s %s", app.current_request.method, app.current_request.path)
                return _unavailable(call.lang)

        return wrapper

    return decorate


def _unavailable(lang: str = "fr") -> Response:
    error = ApiError(
        "unavailable",
        "Le service rencontre un problème ; réessayez dans un instant. Rien n'a été perdu "
        "de ce qui était déjà enregistré.",
        "The service has a problem; try again in a moment. Nothing already recorded was lost.",
        retry_after=30,
    )
    return Response(
        body=json.dumps(error.body(lang), ensure_ascii=False),
        status_code=503,
        headers={**error.headers(), "Content-Language": lang, "Content-Type": PROBLEM_TYPE},
    )
