"""The console's routes, described: HTML pages and form posts under /console (the viewer's /staff/)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec
from .rules import COOKIE_NAME

SECURITY = {
    "staffSession": {
        "type": "apiKey",
        "in": "cookie",
        "name": COOKIE_NAME,
        "description": "A console session, opened by POST /console/sign-in with a staff token (docs/staff.md).",
    }
}
PAGE = {"description": "A console page", "content": spec.HTML}
SEE = {"description": "Done: on to the next page", "headers": {"Location": {"schema": {"type": "string"}}}}
REFUSED = {
    code: {"description": text, "content": spec.HTML}
    for code, text in {
        "401": "No session, or it expired, was closed or its token revoked: the sign-in page",
        "403": "Missing or wrong CSRF value, another site's form, or a program the token does not cover",
        "404": "Unknown program or comment",
        "503": "Temporarily unavailable; nothing recorded was lost",
    }.items()
}
LANG = {"name": "lang", "in": "query", "schema": {"enum": ["fr", "en"]}, "description": "The page's language"}
FORM = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}


def _page(operation_id: str, summary: str, parameters: list, more: dict | None = None) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["staff", "console"],
        "security": [{"staffSession": []}, {}],
        "parameters": [*parameters, LANG],
        "responses": {"200": PAGE, **REFUSED, **(more or {})},
    }


def _form(operation_id: str, summary: str, parameters: list, more: dict | None = None) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["staff", "console"],
        "security": [{"staffSession": []}],
        "parameters": parameters,
        "requestBody": FORM,
        "responses": {"303": SEE, **REFUSED, **(more or {})},
    }


def paths(vocabulary: Vocabulary) -> dict:
    program = spec.path_id("program_id", spec.SLUG)
    comment = spec.path_id("comment_id", spec.ITEM_ID)
    kind = {"name": "kind", "in": "query", "schema": {"enum": list(vocabulary.queues)}}
    return {
        "/console": {"get": _page("consoleHome", "The sign-in page, or signed in the programs of the token", [])},
        "/console/sign-in": {
            "post": _form(
                "consoleSignIn",
                "Sign in with a staff token (and the sign-in page's CSRF value): a new session cookie",
                [],
                {"429": {"description": "Too many sign-in attempts from this address", "content": spec.HTML}},
            )
        },
        "/console/sign-out": {"post": _form("consoleSignOut", "End the session", [])},
        "/console/programs/{program_id}": {
            "get": _page("consoleProgram", "Where the program's consultation stands", [program])
        },
        "/console/programs/{program_id}/queue": {
            "get": _page(
                "consoleQueue",
                "A moderation queue: full text, challenge, reports and their reasons",
                [program, kind, spec.CURSOR],
            )
        },
        "/console/comments/{comment_id}/decision": {
            "post": _form(
                "consoleCommentDecision",
                "Approve, reject, hide or restore a comment, with a reason and a note (audited)",
                [comment],
                {
                    "409": {"description": "Not possible from the comment's status", "content": spec.HTML},
                    "422": {"description": "A reason missing or not allowed", "content": spec.HTML},
                },
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {}
