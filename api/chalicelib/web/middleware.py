"""What every request shares, as Chalice middleware: its Call, the origin lock and the origin check, errors as
answers, and one `request` log line (docs/operations.md, "Logs": its fields are what the metric filters count)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..kernel import usage
from ..kernel.errors import ApiError
from ..kernel.messages import N_
from ..kernel.storage import StoreFull, StoreUnavailable
from .call import Call, bare_problem, unavailable
from .routes import HandedOver

if TYPE_CHECKING:
    from ..consultation import Consultation

log = logging.getLogger("datacity.api")
_cold = [True]  # the container's first request (a list: set once, read by every request)


def install(app, consultation: Callable[[], Consultation]) -> None:
    """Answer every HTTP request of `app` through a Call on `consultation()` (built once per process)."""

    @app.middleware("http")
    def every_request(request, get_response):
        started = time.perf_counter()
        counting = usage.begin()
        try:
            current = Call(request, consultation())
        except Exception:
            log.exception("could not start the service")
            response = bare_problem(unavailable())
            log_request(request, response, "unavailable", started, usage.end(counting))
            return response
        token = current.start()
        try:
            response = answer(current, request, get_response)
        finally:
            Call.end(token)
            used = usage.end(counting)
        log_request(request, response, current.problem_kind, started, used)
        return response


def answer(current: Call, request, get_response):
    try:
        # First, before any cookie, counter or body is looked at: only CloudFront may call the API.
        lock = current.consultation.origin
        if lock is not None and not lock.allows(current.headers):
            raise direct_access()
        current.check_origin()
        return framework_errors(current, get_response(request))
    except ApiError as error:
        return current.problem(error)
    except HandedOver as handed:
        return answer_fault(current, handed.error)
    except StoreUnavailable as error:  # the origin secret could not be read: refuse, never let the request through
        return answer_fault(current, error)


def direct_access() -> ApiError:
    return ApiError(
        "direct-access",
        N_("This address answers only requests made through the consultation's site: open the site instead."),
    )


def log_request(request, response, problem: str | None, started: float, used: usage.Usage | None = None) -> None:
    """One line per answer, with no personal data: no address, cookie, token, body or user agent.

    `used`: the store capacity the request consumed (DynamoDB's ReturnConsumedCapacity; None on SQLite), so that
    the costs in docs/storage.md can be checked on the real table from the logs.
    """
    context = request.context or {}
    params = request.uri_params or {}
    fields = {
        "event": "request",
        "method": request.method,
        # The route's template (never the raw path, whose query string could carry anything).
        "route": context.get("resourcePath") or "",
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "cold_start": _cold[0],
    }
    _cold[0] = False
    if used is not None:
        fields["read_units"] = round(used.read_units, 2)
        fields["write_units"] = round(used.write_units, 2)
        fields["store_calls"] = used.calls
    if problem and response.status_code >= 400:
        fields["problem"] = problem
    for name, key in (("program", "program_id"), ("challenge", "challenge_id")):
        if params.get(key):
            fields[name] = str(params[key])[:80]  # ids are short; a hostile path is not copied whole
    log.info("request", extra=fields)


# Chalice's own refusals (a method a path does not have, a body type a route does not take), in our words.
FRAMEWORK = {
    "MethodNotAllowedError": ApiError(
        "method-not-allowed",
        N_("This address does not answer this HTTP method; the Allow header says which it does."),
    ),
    "UnsupportedMediaType": ApiError(
        "unsupported-media-type",
        N_("Send the data as JSON (application/json) or as a form."),
    ),
}


def framework_errors(current: Call, response):
    """Chalice answers a method or a body type a route lacks with a bare {"Code", "Message"}: a problem instead."""
    body = response.body
    error = FRAMEWORK.get(body.get("Code")) if isinstance(body, dict) and response.status_code >= 400 else None
    if error is None:
        return response
    answer = current.problem(error)
    if "Allow" in response.headers:
        answer.headers["Allow"] = response.headers["Allow"]
    return answer


def answer_fault(current: Call, error: Exception):
    """An expected refusal as problem+json (or a page for a form); a fault as 503, logged, nothing lost."""
    if isinstance(error, ApiError):
        return current.problem(error)
    request = current.request
    if isinstance(error, StoreFull):  # needs a person: someone must free or add space
        log.error("store full on %s %s: %s", request.method, request.path, error)
        return current.problem(unavailable(full=True))
    if isinstance(error, StoreUnavailable):
        log.warning("store unavailable on %s %s: %s", request.method, request.path, error)
    else:
        log.error("unexpected error on %s %s", request.method, request.path, exc_info=error)
    return current.problem(unavailable())
