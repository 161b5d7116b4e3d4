"""A room's routes: a Chalice Blueprint, with the options every route shares (CORS, accepted bodies, staff auth)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from chalice import Blueprint, ChaliceUnhandledError, CORSConfig, IAMAuthorizer

from ..settings import Settings

_settings = Settings.load(base_dir=Path(__file__).resolve().parents[2])
CORS = CORSConfig(
    allow_origin=_settings.site_origin,
    allow_headers=["Content-Type"],
    max_age=600,
    allow_credentials=True,
)
# Accept any body type and let the room answer unsupported ones with a problem+json 415.
BODY_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
# Staff routes (docs/staff.md): Bearer tokens checked by staff_access, or with STAFF_AUTH=iam SigV4-signed
# requests checked by API Gateway, the caller's ARN mapped to programs by STAFF_IAM_PROGRAMS. No CORS: the staff
# commands are not browsers.
STAFF = {"authorizer": IAMAuthorizer()} if _settings.staff_auth == "iam" else {}


class HandedOver(ChaliceUnhandledError):
    """An exception of a view, handed to the middleware: Chalice would otherwise turn it into a bare 500."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


class Routes(Blueprint):
    """A room's routes. Its views stay plain functions; what they raise reaches the middleware (middleware.py)."""

    def route(self, path: str, **kwargs) -> Callable:
        register = super().route(path, **kwargs)

        def decorate(view: Callable) -> Callable:
            @functools.wraps(view)
            def handed_over(*args, **kw):
                try:
                    return view(*args, **kw)
                except HandedOver:
                    raise
                except Exception as error:
                    raise HandedOver(error) from error

            register(handed_over)
            return view

        return decorate
