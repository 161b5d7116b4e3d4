"""The rooms of the API, in one list: app.py registers their routes, the OpenAPI document (system/) joins their
descriptions.

A new part of the consultation is a new folder beside these (rules.py, service.py, store.py, routes.py,
openapi.py) and one line in each list below; docs/architecture.md says what goes where.
"""

from __future__ import annotations

from .comments import openapi as comments_openapi
from .comments import routes as comments_routes
from .console import openapi as console_openapi
from .console import routes as console_routes
from .identity.rules import COOKIE_NAME
from .imports import openapi as imports_openapi
from .imports import routes as imports_routes
from .moderation import openapi as moderation_openapi
from .moderation import routes as moderation_routes
from .oidc import openapi as oidc_openapi
from .oidc import routes as oidc_routes
from .proposals import openapi as proposals_openapi
from .proposals import routes as proposals_routes
from .results import openapi as results_openapi
from .results import routes as results_routes
from .staff_access import openapi as staff_openapi
from .staff_access import routes as staff_routes
from .verification import openapi as verification_openapi
from .verification import routes as verification_routes
from .verification.rules import SESSION_COOKIE
from .votes import openapi as votes_openapi
from .votes import routes as votes_routes

ROUTES = (
    votes_routes.routes,
    comments_routes.routes,
    proposals_routes.routes,
    moderation_routes.routes,
    results_routes.routes,
    imports_routes.routes,
    staff_routes.routes,
    console_routes.routes,
    verification_routes.routes,
    oidc_routes.routes,
)
DESCRIPTIONS = (
    votes_openapi,
    comments_openapi,
    proposals_openapi,
    moderation_openapi,
    results_openapi,
    imports_openapi,
    staff_openapi,
    console_openapi,
    verification_openapi,
    oidc_openapi,
)
SECURITY = {
    "voterCookie": {"type": "apiKey", "in": "cookie", "name": COOKIE_NAME},
    "verifiedSession": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
    **staff_openapi.SECURITY,
    **console_openapi.SECURITY,
}
