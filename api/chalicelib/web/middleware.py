"""What every request shares, as Chalice middleware: its Call, the origin check, errors as answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..kernel.errors import ApiError
from ..kernel.storage import StoreFull, StoreUnavailable
from .call import Call, unavailable
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
            return unavailable()
        token = current.start()
        try:
            current.check_origin()
            return get_response(request)
        except ApiError as error:
            return current.problem(error)
        except HandedOver as handed:
            return answer_fault(current, handed.error)
        finally:
            Call.end(token)


def answer_fault(current: Call, error: Exception):
    """An expected refusal as problem+json (or a page for a form); a fault as 503, logged, nothing lost."""
    if isinstance(error, ApiError):
        return current.problem(error)
    request = current.request
    if isinstance(error, StoreFull):  # needs a person: someone must free or add space
        log.error("store full on %s %s: %s", request.method, request.path, error)
        return unavailable(current.lang, full=True)
    if isinstance(error, StoreUnavailable):
        log.warning("store unavailable on %s %s: %s", request.method, request.path, error)
    else:
        log.error("unexpected error on %s %s", request.method, request.path, exc_info=error)
    return unavailable(current.lang)
