"""What every request shares, as Chalice middleware: its Call, the origin check, errors as answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..kernel.errors import ApiError
from ..kernel.storage import StoreFull, StoreUnavailable
from .call import Call, bare_problem, unavailable
from .routes import HandedOver

if TYPE_CHECKING:
    from ..consultation import Consultation

log = logging.getLogger("datacity.api")


def install(app, consultation: Callable[[], Consultation]) -> None:
    """Answer every HTTP request of `app` through a Call on `consultation()` (built once per process)."""

    @app.middleware("http")
    def every_request(request, get_response):
        try:
            current = Call(request, consultation())
        except Exception:
            log.exception("could not start the service")
            return bare_problem(unavailable())
        token = current.start()
        try:
            current.check_origin()
            return framework_errors(current, get_response(request))
        except ApiError as error:
            return current.problem(error)
        except HandedOver as handed:
            return answer_fault(current, handed.error)
        finally:
            Call.end(token)


# Chalice's own refusals (a method a path does not have, a body type a route does not take), in our words.
FRAMEWORK = {
    "MethodNotAllowedError": ApiError(
        "method-not-allowed",
        "Cette adresse ne répond pas à cette méthode HTTP ; l'en-tête Allow dit lesquelles.",
        "This address does not answer this HTTP method; the Allow header says which it does.",
    ),
    "UnsupportedMediaType": ApiError(
        "unsupported-media-type",
        "Envoyez les données en JSON (application/json) ou comme un formulaire.",
        "Send the data as JSON (application/json) or as a form.",
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
