"""The Chalice app behind a Lambda function URL: function URL events (payload format 2.0) in, answers out.

Production serves the API through CloudFront from a Lambda function URL instead of API Gateway's REST API (which
alone cost $3.50 per million requests: docs/storage.md, "Cost per million votes"). Chalice (1.34) only speaks
API Gateway's REST proxy format (1.0), so each function URL event is translated into the event API Gateway would
have sent, and the answer back. Hand-written because no library does this for Chalice: Mangum and its kind adapt
ASGI apps, and Chalice is not one; `chalice.local`, whose LocalGateway api/serve.py uses, is not in the Lambda
package. The route table is the app's own (`app.routes`), so no route is listed twice.

Paths: CloudFront passes the viewer's path unchanged, so the function sees `/api/...` (the REST API's stage name
used to absorb that prefix) and, for the forms that work without JavaScript, `/api/form/...` (`FORM_PREFIX`: a
separate CloudFront behaviour, see `route_path`). Both prefixes are removed before matching. Routes with an
authorizer (STAFF_AUTH=iam) cannot be served here: nothing would check the signature, so such a request is
refused (and infra/package.py refuses to package such a stage).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote

from ..kernel.errors import ApiError, preferred_language
from ..kernel.messages import N_

API_PREFIX = "/api"
# The forms of pages that work without JavaScript post under this prefix: CloudFront sends them to the function
# URL that takes unsigned bodies (a browser cannot compute the x-amz-content-sha256 header a form's body would
# need for origin access control; docs/operations.md, "Protection").
FORM_PREFIX = "/form"


def route_path(raw_path: str) -> str | None:
    """The app's path for a viewer path: `/api/x` and `/api/form/x` are `/x`; None outside `/api`."""
    if raw_path != API_PREFIX and not raw_path.startswith(API_PREFIX + "/"):
        return None
    path = raw_path[len(API_PREFIX) :] or "/"
    if path == FORM_PREFIX or path.startswith(FORM_PREFIX + "/"):
        path = path[len(FORM_PREFIX) :] or "/"
    return path


class RouteTable:
    """The app's routes, matched as API Gateway matches them: exact paths first, then templates with {captures}."""

    def __init__(self, app):
        self.app = app
        self._compiled_for: tuple[int, int] | None = None
        self._exact: dict[str, str] = {}
        self._patterns: list[tuple[Callable[[str], re.Match | None], str]] = []

    def _compile(self) -> None:
        routes = self.app.routes
        exact: dict[str, str] = {}
        patterns = []
        for route in sorted(routes):  # a concrete segment sorts before a capture, as in chalice.local
            if "{" not in route:
                exact.setdefault(route, route)
                continue
            regex = "".join(
                f"(?P<{part[1:-1]}>[^/]*)" if part.startswith("{") and part.endswith("}") else re.escape(part)
                for part in re.split(r"(\{[^}/]*\})", route)
            )
            patterns.append((re.compile(regex).fullmatch, route))
        self._exact, self._patterns = exact, patterns
        self._compiled_for = (len(routes), sum(len(views) for views in routes.values()))

    def match(self, path: str, decode: bool = False) -> tuple[str, dict[str, str]] | None:
        """(route template, captured parameters) for `path`, or None; `decode`: percent-decode the captures."""
        routes = self.app.routes
        if self._compiled_for != (len(routes), sum(len(views) for views in routes.values())):
            self._compile()
        if path != "/" and path.endswith("/"):  # as API Gateway does
            path = path[:-1]
        route = self._exact.get(unquote(path) if decode else path)
        if route is not None:
            return route, {}
        for fullmatch, route in self._patterns:
            found = fullmatch(path)
            if found:
                captured = found.groupdict()
                return route, {k: unquote(v) for k, v in captured.items()} if decode else captured
        return None


NO_ROUTE = N_("No address of the API answers this path: check it against the API's description (openapi.json).")
NO_METHOD = N_("This address does not answer this HTTP method; the Allow header says which it does.")
NO_AUTHORIZER = N_("This address needs signed staff requests, which this deployment cannot check: use a staff token.")


def _problem(error: ApiError, lang: str, **headers: str) -> dict[str, Any]:
    """A problem answered before the app (no route), as the API's own: its kinds, its catalogs' words."""
    return {
        "statusCode": error.status,
        "headers": {**error.headers(), "Content-Language": lang, "Cache-Control": "no-store", **headers},
        "body": json.dumps(error.body(lang), ensure_ascii=False),
        "isBase64Encoded": False,
    }


def no_route(accept_language: str | None, languages: tuple[str, ...]) -> dict[str, Any]:
    """The 404 for a path no route answers, in the best of `languages` for the request (the local server's too)."""
    return _problem(ApiError("not-found", NO_ROUTE), preferred_language(accept_language, languages))


def rest_event(event: dict, route: str, params: dict[str, str], path: str) -> dict[str, Any]:
    """The REST proxy event API Gateway would have sent for this function URL event."""
    http = event["requestContext"]["http"]
    headers = dict(event.get("headers") or {})
    if event.get("cookies"):  # payload 2.0 moves the Cookie header into a list
        headers["cookie"] = "; ".join(event["cookies"])
    query = event.get("rawQueryString") or ""
    return {
        "requestContext": {
            "httpMethod": http["method"],
            "resourcePath": route,
            "identity": {"sourceIp": http.get("sourceIp", "")},
            "path": path,
            "requestId": event["requestContext"].get("requestId", ""),
        },
        "headers": headers,
        "pathParameters": params,
        "stageVariables": {},
        "multiValueQueryStringParameters": parse_qs(query, keep_blank_values=True) if query else None,
        "body": event.get("body"),
        "isBase64Encoded": bool(event.get("isBase64Encoded")),
    }


def url_answer(response: dict) -> dict[str, Any]:
    """Chalice's REST answer as a function URL answer: Set-Cookie values in `cookies`, other lists joined."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in (response.get("headers") or {}).items():
        if name.lower() == "set-cookie":
            cookies.append(value)
        else:
            headers[name] = value
    for name, values in (response.get("multiValueHeaders") or {}).items():
        if name.lower() == "set-cookie":
            cookies.extend(values)
        else:
            headers[name] = ", ".join(values)
    answer = {
        "statusCode": response["statusCode"],
        "headers": headers,
        "body": response.get("body") or "",
        "isBase64Encoded": bool(response.get("isBase64Encoded")),
    }
    if cookies:
        answer["cookies"] = cookies
    return answer


def preflight(views: dict, lang: str) -> dict[str, Any]:
    """A CORS preflight, as API Gateway answered it for Chalice's cors=True routes (the app has no OPTIONS view)."""
    cors = next((view.cors for view in views.values() if view.cors), None)
    if cors is None:
        return _problem(ApiError("method-not-allowed", NO_METHOD), lang, Allow=", ".join(sorted(views)))
    headers = dict(cors.get_access_control_headers())
    headers["Access-Control-Allow-Methods"] = ",".join(sorted({*views, "OPTIONS"}))
    return {"statusCode": 200, "headers": headers, "body": "", "isBase64Encoded": False}


def handler(app, languages: Callable[[], tuple[str, ...]] = lambda: ("en",)) -> Callable[[dict, Any], dict]:
    """The Lambda handler that answers function URL events with `app` (app.py's `function_url`); `languages`: the
    site's, its default first, for the problems answered here."""
    table = RouteTable(app)

    def _known() -> tuple[str, ...]:
        try:
            return tuple(languages())
        except Exception:  # the service could not start: the app's own answer will say so; words in English here
            return ("en",)

    def language(event: dict) -> str:
        return preferred_language((event.get("headers") or {}).get("accept-language"), _known())

    def handle(event: dict, context: Any) -> dict:
        path = route_path(event.get("rawPath") or "/")
        matched = table.match(path, decode=True) if path is not None else None
        if matched is None:
            return no_route((event.get("headers") or {}).get("accept-language"), _known())
        route, params = matched
        views = app.routes[route]
        if any(view.authorizer for view in views.values()):
            # Fail closed: API Gateway checked these signatures (STAFF_AUTH=iam), and nothing does here.
            return _problem(ApiError("forbidden", NO_AUTHORIZER), language(event))
        method = event["requestContext"]["http"]["method"]
        if method == "OPTIONS" and "OPTIONS" not in views:
            return preflight(views, language(event))
        return url_answer(app(rest_event(event, route, params, path), context))

    return handle
