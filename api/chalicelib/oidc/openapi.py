"""The sign-in room's routes, described: two pages a browser navigates to (docs/api.md, "Signing in")."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec

TO_PROVIDER = {
    "description": "On to the program's OpenID provider, with state, nonce and an S256 PKCE challenge",
    "headers": {"Location": {"schema": {"type": "string"}}},
}
BACK = {
    "description": "Signed in: back to the page of the site the resident came from",
    "headers": {"Location": {"schema": {"type": "string"}}},
}
PAGE = {"content": spec.HTML}
LANG = {"name": "lang", "in": "query", "schema": {"enum": ["fr", "en"]}, "description": "The page's language"}


def paths(vocabulary: Vocabulary) -> dict:
    program = spec.path_id("program_id", spec.SLUG)
    query = [
        {"name": name, "in": "query", "required": required, "schema": {"type": "string"}, "description": what}
        for name, required, what in (
            ("state", True, "The state sent at the start"),
            ("code", False, "The authorisation code"),
            ("error", False, "The provider's refusal (access_denied...)"),
        )
    ]
    return {
        "/programs/{program_id}/oidc/start": {
            "get": {
                "operationId": "oidcStart",
                "summary": "Start signing in with the program's OpenID provider (a link; sets the voter cookie)",
                "tags": ["participation"],
                "parameters": [
                    program,
                    {
                        "name": "back",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "The site's path to come back to (anything else: the home page)",
                    },
                    LANG,
                ],
                "responses": {
                    "303": TO_PROVIDER,
                    "400": {"description": "Not a program identifier", **PAGE},
                    "404": {"description": "Unknown program, or one without an OpenID provider", **PAGE},
                    "429": {"description": "Too many sign-ins started from this browser or address", **PAGE},
                    "502": {"description": "The provider cannot be reached, or is not configured yet", **PAGE},
                    "503": {"description": "Temporarily unavailable; nothing recorded was lost", **PAGE},
                },
            }
        },
        "/oidc/callback": {
            "get": {
                "operationId": "oidcCallback",
                "summary": "Where the provider sends the resident back: the answer checked, then back to the site",
                "tags": ["participation"],
                "security": [{"voterCookie": []}, {}],
                "parameters": query,
                "responses": {
                    "303": BACK,
                    "400": {
                        "description": "Refused: unknown or mismatched state, another browser, a replayed or expired "
                        "answer, a cancelled sign-in, a wrong nonce or an ID token that does not verify",
                        **PAGE,
                    },
                    "404": {"description": "The program no longer offers signing in", **PAGE},
                    "502": {"description": "The provider cannot be reached or answered wrongly", **PAGE},
                    "503": {"description": "Temporarily unavailable; nothing recorded was lost", **PAGE},
                },
            }
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {}  # pages and redirects only: no JSON body
